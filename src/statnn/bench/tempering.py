"""The batched parallel-tempering kernel against the single-chain kernel, one JSON line.

    python -m statnn.bench tempering --neurons 512 --replicas 32 --sweeps 200 --seed 0

On one SK sample (``couplings.sherrington_kirkpatrick_couplings``, N spins) runs R replicas
at ``--temperature`` (default 0.5) through ``dynamics.parallel_tempering`` (R replica sets of
one temperature: the batched kernel with a shared site order, no exchanges) for ``--sweeps``
sweeps and one chain through ``dynamics.glauber`` (the cached-field kernel) for R × ``--sweeps``
sweeps (the same number of attempts), both from random starts, compiled first (untimed),
the two alternating over ``--repeats`` rounds; timed in CPU time of the process
(``bench.cpu_seconds``: time spent waiting for a core is left out). Each is timed as the
difference between the best run of 1.1 × and of 0.1 × the sweeps (as in ``bench dwave``),
which cancels the fixed costs of a call (the R initial fields Σ_j J_ij S_j, O(R N²), are
a third of a 200-sweep tempering call at N = 512), so that kernel is compared with kernel.
``attempts_per_second`` is summed over the R replicas; ``speedup`` is its ratio to the single
chain's rate measured in the same process.
"""

from __future__ import annotations

import math

import numpy as np

from statnn import couplings, dynamics
from statnn.bench import cpu_seconds, keyword_command, positive_float, positive_int
from statnn.rng import generator

__all__ = ["add_tempering_parser", "bench_tempering"]


def bench_tempering(neurons: int, replicas: int, sweeps: int, seed: int,
                    temperature: float = 0.5, repeats: int = 3) -> dict:
    """Attempts per second of R batched replicas and of one chain on the same SK couplings."""
    if seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    rng = generator(seed, "bench", "tempering", neurons)
    J = couplings.sherrington_kirkpatrick_couplings(neurons, rng)
    starts = rng.integers(0, 2, (replicas, 1, neurons)) * 2 - 1

    def batched(s):
        return dynamics.parallel_tempering(J, [temperature], s, seed, replica_sets=replicas,
                                           spins=starts, swap=False)

    def single(s):
        return dynamics.glauber(J, starts[0, 0], temperature, s, seed)

    batched(1)
    single(1)
    short = max(1, sweeps // 10)
    best = {key: math.inf for key in ("b_long", "b_short", "c_long", "c_short")}
    for _ in range(repeats):  # alternate, so that a busy spell slows both alike
        for key, run, s in (("b_short", batched, short), ("b_long", batched, sweeps + short),
                            ("c_short", single, short * replicas),
                            ("c_long", single, (sweeps + short) * replicas)):
            t, out = cpu_seconds(lambda run=run, s=s: run(s))
            best[key] = min(best[key], t)
            if key == "b_long":
                b = out
            elif key == "c_long":
                c = out
    best_b = best["b_long"] - best["b_short"]
    best_c = best["c_long"] - best["c_short"]
    if not (best_b > 0 and best_c > 0):
        raise ValueError("the runs are too short to time; raise --sweeps")
    attempts = sweeps * neurons * replicas
    rate = attempts / best_b
    single_rate = attempts / best_c
    return {
        "kernel": "tempering",
        "neurons": neurons,
        "replicas": replicas,
        "temperature": temperature,
        "sweeps": sweeps,
        "seed": seed,
        "repeats": repeats,
        "attempts": attempts,
        "seconds": best_b,
        "attempts_per_second": rate,
        "flip_rate": b.flips / b.attempts,
        "single_chain_attempts": attempts,
        "single_chain_seconds": best_c,
        "single_chain_attempts_per_second": single_rate,
        "single_chain_flip_rate": c.flip_rate,
        "speedup": rate / single_rate,
        "energy_per_spin": float(np.mean(b.energy[-1])),
    }


def add_tempering_parser(sub) -> None:
    """Register the ``tempering`` subcommand of ``python -m statnn.bench``."""
    g = sub.add_parser("tempering", help="batched tempering kernel vs the single-chain kernel")
    g.add_argument("--neurons", type=positive_int, default=512, help="N (default 512)")
    g.add_argument("--replicas", type=positive_int, default=32, help="R (default 32)")
    g.add_argument("--sweeps", type=positive_int, default=200, help="sweeps of N attempts")
    g.add_argument("--seed", type=int, default=0, help="non-negative integer seed")
    g.add_argument("--temperature", type=positive_float, default=0.5, help="T > 0")
    g.add_argument("--repeats", type=positive_int, default=3, help="kernel timings, best kept")
    g.set_defaults(func=keyword_command(bench_tempering))
