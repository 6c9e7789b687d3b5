"""Glauber dynamics with asynchronous random sequential updates, compiled with numba.

Spin form: an update attempt picks a neuron i uniformly at random (with replacement) and sets

    S_i = +1 with probability 1 / (1 + exp(−2β f_i)),  f_i = Σ_j J_ij S_j + H_i,

else S_i = −1; a sweep is N attempts. At T = 0 the rule is S_i ← sign(f_i), unchanged when
f_i = 0. Activity form (seed Eqs. 1–2): n_i = 1 with probability 1 / (1 + exp(−4β h_i)),
h_i = Σ_j J_ij n_j − θ_i. Since h_i = f_i / 2 when H_i = Σ_j J_ij − 2θ_i
(``statnn.neurons.external_fields``), both forms make the same decision from the same
random numbers, and every kernel draws the same stream of (neuron, uniform) pairs, so equal
fields give equal trajectories. Every kernel runs one chain on one thread and releases the
GIL, so independent chains can run on a thread pool; results never depend on the thread
count.

One module per job:

- ``core``: the random attempt stream (``attempt_stream``), the decision rule and the record
  every kernel shares;
- ``kernels``: the compiled cached-field (spin form) and activity-form kernels;
- ``overlap``: the compiled pattern-overlap kernel of Hebbian networks, O(P) per attempt;
- ``patterns``: neuron-major patterns and the exact Hebbian counts K = N·J;
- ``checks``: input checks;
- ``chains``: ``glauber``, ``glauber_activity`` and ``anneal`` on a coupling matrix;
- ``hebbian``: ``HebbianNetwork`` and ``glauber_hebbian`` (either kernel);
- ``tempering``: ``parallel_tempering``, R replicas on one symmetric J in a shared site order
  with replica exchange along a temperature ladder (one batched kernel, one thread);
- ``flip_rates``, ``costs``, ``choice``: the measured flip-rate table
  (``expected_flip_rate``), the cost model (``CostModel``, ``kernel_costs``) and the choice
  between the two Hebbian kernels (``choose_kernel``), calibrated on a 2-core AMD EPYC
  (Zen 5) machine.
"""

from statnn.dynamics.chains import (
    AnnealResult,
    GlauberActivityResult,
    GlauberResult,
    anneal,
    glauber,
    glauber_activity,
)
from statnn.dynamics.choice import DEFAULT_MEMORY_LIMIT, KERNELS, choose_kernel
from statnn.dynamics.core import attempt_stream
from statnn.dynamics.costs import COST_MODEL, CostModel, KernelCost, kernel_costs
from statnn.dynamics.flip_rates import expected_flip_rate
from statnn.dynamics.hebbian import HebbianNetwork, glauber_hebbian
from statnn.dynamics.tempering import TemperingResult, parallel_tempering, tempering_stream

__all__ = [
    "COST_MODEL",
    "DEFAULT_MEMORY_LIMIT",
    "KERNELS",
    "AnnealResult",
    "CostModel",
    "GlauberActivityResult",
    "GlauberResult",
    "HebbianNetwork",
    "KernelCost",
    "TemperingResult",
    "anneal",
    "attempt_stream",
    "choose_kernel",
    "expected_flip_rate",
    "glauber",
    "glauber_activity",
    "glauber_hebbian",
    "kernel_costs",
    "parallel_tempering",
    "tempering_stream",
]
