"""Fit the cost model of the Hebbian kernels and the flip-rate table on this machine.

    python -m statnn.bench calibrate [--quick]

Measures seconds per attempt of both kernels over sizes, loads and temperatures (in and out
of cache) and fits the coefficients of ``statnn.dynamics.CostModel`` by non-negative least
squares, times the setup (counts build, initial sums), and measures the flip-rate table of
``statnn.dynamics.expected_flip_rate``; prints them as one JSON line.
"""

from __future__ import annotations

import time

import numpy as np

from statnn import dynamics
from statnn.bench import keyword_command
from statnn.bench.suite import network
from statnn.dynamics.costs import cached_bytes_per_flip
from statnn.dynamics.flip_rates import FLIP_ALPHAS, FLIP_TEMPERATURES
from statnn.dynamics.kernels import coupling_sums
from statnn.dynamics.patterns import hebbian_counts_packed, neuron_major, padded_patterns

__all__ = ["add_calibrate_parser", "calibrate"]


def _rate_point(net, cue, T, kernel, attempts, seed=0, repeats=3):
    """Best seconds per attempt of ``kernel`` over ``repeats`` runs, and the flip rate."""
    n = net.n_neurons
    sweeps = max(2, attempts // n)
    dynamics.glauber_hebbian(net, cue, T, 0, seed, kernel=kernel, n_report=1)
    res = [dynamics.glauber_hebbian(net, cue, T, sweeps, seed, kernel=kernel, n_report=1)
           for _ in range(repeats)]
    best = min(r.kernel_seconds for r in res)
    return best / res[0].attempts, res[0].flip_rate


def calibrate(quick: bool = False) -> dict:
    """Fit ``CostModel`` coefficients and measure the flip-rate table on this machine."""
    from scipy.optimize import nnls

    model = dynamics.COST_MODEL
    temps = (0.0, 0.5, 1.0, 2.0)
    cached_cache, cached_dram, over_cache, over_dram = [], [], [], []
    budget = 5e5 if quick else 2e6
    for n, alpha in ((500, 0.03), (1000, 0.03), (1000, 0.1), (2000, 0.03), (2000, 0.1),
                     (3000, 0.03), (8000, 0.05), (12000, 0.05)):
        patterns, cue = network(n, alpha, 0)
        net = dynamics.HebbianNetwork(patterns)
        net.counts()
        p = patterns.shape[0]
        for T in temps:
            t, r = _rate_point(net, cue, T, "cached_fields", int(budget / (1 + n / 2000)))
            row = (t, r, cached_bytes_per_flip(n, p))
            in_cache = net.memory_bytes("cached_fields") - n * p <= model.cache_bytes
            (cached_cache if in_cache else cached_dram).append(row)
    for n, alpha in ((1000, 0.02), (1000, 0.25), (2000, 0.05), (2000, 0.1), (4000, 0.02),
                     (4000, 0.1), (10000, 0.02), (20000, 0.14), (50000, 0.05)):
        patterns, cue = network(n, alpha, 0)
        net = dynamics.HebbianNetwork(patterns)
        p = patterns.shape[0]
        for T in temps:
            t, r = _rate_point(net, cue, T, "overlaps", int(budget / (1 + p / 200)))
            pp = padded_patterns(p)
            (over_cache if n * pp <= model.cache_bytes else over_dram).append((t, r, pp))
    # cached: t = a + 2r(1−r) m + r B c ; dram: (t − a − 2r(1−r) m) / (r B) = c'
    A = np.array([[1.0, 2 * r * (1 - r), r * b] for _, r, b in cached_cache])
    y = np.array([t for t, _, _ in cached_cache])
    (a_c, m_c, c_c), _ = nnls(A, y)
    c_dram = float(np.mean([(t - a_c - 2 * r * (1 - r) * m_c) / (r * b)
                            for t, r, b in cached_dram if r > 0.05]))
    # overlaps: t = a + 2r(1−r) m + P̃ d + r P̃ u ; dram: (t − a − 2r(1−r) m − r P̃ u) / P̃ = d'
    A = np.array([[1.0, 2 * r * (1 - r), p, r * p] for _, r, p in over_cache])
    y = np.array([t for t, _, _ in over_cache])
    (a_o, m_o, d_o, u_o), _ = nnls(A, y)
    d_dram = float(np.mean([(t - a_o - 2 * r * (1 - r) * m_o - r * p * u_o) / p
                            for t, r, p in over_dram]))
    # setup: popcount words of the counts build, initial sums per coupling
    patterns, cue = network(4000, 0.05, 0)
    xi_nm = neuron_major(patterns)
    p = patterns.shape[0]
    hebbian_counts_packed(xi_nm[:64], p)
    t0 = time.perf_counter()
    K = hebbian_counts_packed(xi_nm, p)
    build = (time.perf_counter() - t0) / (4000**2 * ((p + 63) // 64) / 2)
    f = np.empty(4000, np.int16)
    coupling_sums(K, cue, f)
    t0 = time.perf_counter()
    coupling_sums(K, cue, f)
    sums = (time.perf_counter() - t0) / 4000**2
    return {
        "cost_model": {
            "cached_attempt": a_c, "cached_branch": m_c, "cached_byte": c_c,
            "cached_byte_dram": c_dram, "overlap_attempt": a_o, "overlap_branch": m_o,
            "overlap_pattern": d_o,
            "overlap_pattern_dram": d_dram, "overlap_flip_pattern": u_o,
            "sums_setup": sums, "build_word": build,
        },
        "flip_rates": _flip_rate_table(),
    }


def _flip_rate_table() -> dict:
    """Flip rates from a cue at overlap 0.8, 40 sweeps, N = 2000, on the model's grid."""
    rates = []
    for alpha in FLIP_ALPHAS:
        patterns, cue = network(2000, float(alpha), 0)
        net = dynamics.HebbianNetwork(patterns)
        rates.append([round(dynamics.glauber_hebbian(net, cue, float(T), 40, 0,
                                                     n_report=1).flip_rate, 3)
                      for T in FLIP_TEMPERATURES])
    return {"alphas": FLIP_ALPHAS.tolist(),
            "temperatures": FLIP_TEMPERATURES.tolist(), "rates": rates}


def add_calibrate_parser(sub) -> None:
    """Register the ``calibrate`` subcommand of ``python -m statnn.bench``."""
    c = sub.add_parser("calibrate", help="fit the kernel cost model on this machine")
    c.add_argument("--quick", action="store_true", help="shorter timing runs")
    c.set_defaults(func=keyword_command(calibrate))
