"""statnn's single-chain SK Gibbs sampler against dwave-samplers' (C++), one JSON line.

    python -m statnn.bench dwave --neurons 1000 --temperature 0.5 --sweeps 2000 --seed 0

The same job for both: one dense SK sample of N spins, E = −½ Σ_ij J_ij S_i S_j, one chain at
fixed temperature T from the same random start, heat-bath (Gibbs) updates of randomly chosen
spins. dwave-samplers runs it as ``SimulatedAnnealingSampler`` with a constant
``beta_schedule`` of 1/T, ``proposal_acceptance_criteria="Gibbs"`` and
``randomize_order=True`` on the binary quadratic model with quadratic biases −J_ij (i < j);
statnn as ``dynamics.glauber``. Two samples, each given to both samplers:

- Gaussian couplings (``couplings.sherrington_kirkpatrick_couplings``), rounded to float32
  once before either sampler sees them (float32 → float64 is exact), so that statnn can
  store them as float64 (``statnn_float64``) or float32 (``statnn_float32``) with the same
  values: the same trajectory either way;
- ±J couplings K/√N (``couplings.binary_sk_couplings``), which statnn stores as int8 K with
  ``coupling_scale`` 1/√N and sums exactly (``statnn_int8``); dwave-samplers gets K/√N
  (``dwave_binary``). Same thermodynamics at N → ∞ (docs/benchmarks.md).

Timing, fair to both on a shared machine: the CPU time of the calling process
(``time.process_time``, which leaves out time spent waiting for a core), and for each sampler
the difference between the best (over ``--repeats`` alternating rounds) run of
``sweeps`` + ``sweeps`` // 10 sweeps and the best of ``sweeps`` // 10, which cancels each
call's fixed costs (dwave's model conversion, statnn's initial fields).
``speedup_float64``, ``speedup_float32`` and ``speedup_int8`` are statnn's attempts per
second over dwave-samplers' on the same sample (``speedup_gaussian`` the better of the first
two); ``energy_per_spin`` of each (last state of the longest run) shows that all sample the
same temperature.
"""

from __future__ import annotations

import math

import numpy as np

from statnn import couplings, dynamics
from statnn.bench import cpu_seconds, keyword_command, positive_float, positive_int
from statnn.dynamics.kernels import coupling_sums
from statnn.rng import generator

__all__ = ["add_dwave_parser", "bench_dwave"]

#: dwave-samplers' first release whose SimulatedAnnealingSampler has every keyword used here
#: (``proposal_acceptance_criteria``, ``randomize_order``, a custom ``beta_schedule``).
DWAVE_MINIMUM = "1.5.0"


def bench_dwave(neurons: int, temperature: float, sweeps: int, seed: int,
                repeats: int = 3) -> dict:
    """Attempts per second of statnn (float64 and float32 couplings) and of dwave-samplers'
    Gibbs sampler on the same SK sample at the same T."""
    try:
        import dimod
        from dwave.samplers import SimulatedAnnealingSampler
    except ImportError as err:
        raise ValueError(f"dwave-samplers >= {DWAVE_MINIMUM} is needed for this benchmark "
                         "(pip install -e '.[bench]')") from err
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    rng = generator(seed, "bench", "dwave", neurons)
    J32 = couplings.sherrington_kirkpatrick_couplings(neurons, rng).astype(np.float32)
    J64 = J32.astype(np.float64)
    K = couplings.binary_sk_couplings(neurons, rng)
    scale = 1.0 / math.sqrt(neurons)
    start = rng.integers(0, 2, neurons).astype(np.int8) * 2 - 1
    sampler = SimulatedAnnealingSampler()
    beta = 1.0 / temperature
    short, long = max(1, sweeps // 10), sweeps + max(1, sweeps // 10)

    def dwave(J):
        bqm = dimod.BinaryQuadraticModel(np.zeros(neurons), np.triu(-J, 1), 0.0, "SPIN")
        return lambda s: sampler.sample(
            bqm, num_reads=1, num_sweeps=s, beta_schedule_type="custom",
            beta_schedule=np.full(s, beta), seed=seed, randomize_order=True,
            proposal_acceptance_criteria="Gibbs", initial_states=start[None])

    def statnn(J, scale=1.0):
        return lambda s: dynamics.glauber(J, start, temperature, s, seed, coupling_scale=scale)

    instances = {"dwave": J64, "statnn_float64": J64, "statnn_float32": J64,
                 "dwave_binary": K * scale, "statnn_int8": K * scale}
    runners = {"dwave": dwave(J64), "statnn_float64": statnn(J64),
               "statnn_float32": statnn(J32), "dwave_binary": dwave(K * scale),
               "statnn_int8": statnn(K, scale)}
    for run in runners.values():
        run(2)  # compile / warm up, untimed
    best_short, best_long = dict.fromkeys(runners, np.inf), dict.fromkeys(runners, np.inf)
    energy = {}
    for _ in range(repeats):
        for name, run in runners.items():
            t_short, _ = cpu_seconds(lambda run=run: run(short))
            t_long, out = cpu_seconds(lambda run=run: run(long))
            best_short[name] = min(best_short[name], t_short)
            best_long[name] = min(best_long[name], t_long)
            spins = (np.array([out.first.sample[i] for i in range(neurons)], np.float64)
                     if name.startswith("dwave") else out.spins.astype(np.float64))
            # no BLAS: its worker threads spin after a call and would bill the next timing
            fields = coupling_sums(instances[name], spins, np.empty(neurons))
            energy[name] = float(-0.5 * np.sum(spins * fields) / neurons)
    best = {name: best_long[name] - best_short[name] for name in runners}
    if not all(seconds > 0 for seconds in best.values()):
        raise ValueError(f"the runs are too short to time ({best}); raise --sweeps")
    attempts = neurons * (long - short)
    rate = {name: attempts / seconds for name, seconds in best.items()}
    result = {"kernel": "sk_gibbs", "neurons": neurons, "temperature": temperature,
              "sweeps": sweeps, "seed": seed, "repeats": repeats, "attempts": attempts}
    for name in runners:
        result[f"{name}_attempts_per_second"] = rate[name]
        result[f"{name}_energy_per_spin"] = energy[name]
    result["speedup_float64"] = rate["statnn_float64"] / rate["dwave"]
    result["speedup_float32"] = rate["statnn_float32"] / rate["dwave"]
    result["speedup_gaussian"] = max(result["speedup_float64"], result["speedup_float32"])
    result["speedup_int8"] = rate["statnn_int8"] / rate["dwave_binary"]
    return result


def add_dwave_parser(sub) -> None:
    """Register the ``dwave`` subcommand of ``python -m statnn.bench``."""
    g = sub.add_parser("dwave", help="SK Gibbs sampling: statnn vs dwave-samplers (optional)")
    g.add_argument("--neurons", type=positive_int, default=1000, help="N (default 1000)")
    g.add_argument("--temperature", type=positive_float, default=0.5, help="T > 0")
    g.add_argument("--sweeps", type=positive_int, default=1000, help="timed sweeps")
    g.add_argument("--seed", type=int, default=0, help="non-negative integer seed")
    g.add_argument("--repeats", type=positive_int, default=3, help="rounds, best kept")
    g.set_defaults(func=keyword_command(bench_dwave))
