"""The batched parallel-tempering kernel against the single-chain kernel, one JSON line.

    python -m statnn.bench tempering --neurons 512 --replicas 32 --sweeps 200 --seed 0

On one SK sample (``couplings.sherrington_kirkpatrick_couplings``, N spins) runs R replicas
at ``--temperature`` (default 0.5) through ``dynamics.parallel_tempering`` (R replica sets of
one temperature: the batched kernel with a shared site order, no exchanges) for ``--sweeps``
sweeps and one chain through ``dynamics.glauber`` (the cached-field kernel) for R × ``--sweeps``
sweeps (the same number of attempts), both from random starts, compiled first (untimed),
the two alternating over ``--repeats`` rounds, best round each; timed in CPU time of the
process (``bench.cpu_seconds``: time spent waiting for a core is left out).
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
    best_b = best_c = math.inf
    for _ in range(repeats):  # alternate, so that a busy spell slows both alike
        t_b, b = cpu_seconds(lambda: batched(sweeps))
        t_c, c = cpu_seconds(lambda: single(sweeps * replicas))
        best_b, best_c = min(best_b, t_b), min(best_c, t_c)
    rate = b.attempts / best_b
    single_rate = c.attempts / best_c
    return {
        "kernel": "tempering",
        "neurons": neurons,
        "replicas": replicas,
        "temperature": temperature,
        "sweeps": sweeps,
        "seed": seed,
        "repeats": repeats,
        "attempts": b.attempts,
        "seconds": best_b,
        "attempts_per_second": rate,
        "flip_rate": b.flips / b.attempts,
        "single_chain_attempts": c.attempts,
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
