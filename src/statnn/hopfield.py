"""Hopfield experiments: stored patterns, retrieval over the (α, T) grid, energy descent.

Every random stream is derived from (seed, coordinates): the patterns of a replica from
(seed, "patterns", N, replica); the cue and the dynamics of a grid point from (seed, N, α, T,
replica). A shard therefore gives the same rows whichever job or core runs it.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pandas as pd

from statnn import progress
from statnn import rng as rng_mod
from statnn.couplings import (
    asymmetric_hebbian_couplings,
    hebbian_couplings,
    random_directed_couplings,
    random_patterns,
)
from statnn.dynamics import HebbianNetwork, glauber, glauber_hebbian
from statnn.loads import n_patterns
from statnn.observables import overlaps

log = logging.getLogger("statnn")


def stored_patterns(n_neurons: int, count: int, seed: int, replica: int) -> np.ndarray:
    """The first ``count`` patterns (P, N) int8 of a replica; nested: P < P' shares rows."""
    return random_patterns(count, n_neurons, rng_mod.generator(seed, "patterns", n_neurons,
                                                               replica))


def patterns_table(n_neurons: int, count: int, replicas: int, seed: int) -> pd.DataFrame:
    """Stored patterns as a table: one row per (replica, pattern), bits packed (+1 → 1)."""
    rows = []
    for r in range(replicas):
        xi = stored_patterns(n_neurons, count, seed, r)
        packed = np.packbits(xi > 0, axis=1)
        rows.append(pd.DataFrame({
            "n_neurons": n_neurons, "replica": r, "pattern": np.arange(count),
            "bits": [row.tobytes() for row in packed],
        }))
    return pd.concat(rows, ignore_index=True)


def patterns_from_table(table: pd.DataFrame, replica: int, count: int) -> np.ndarray:
    """Unpack the first ``count`` patterns of ``replica`` from ``patterns_table`` output."""
    sub = table[table["replica"] == replica].sort_values("pattern")
    if len(sub) < count:
        raise ValueError(f"pattern table has {len(sub)} patterns for replica {replica}, "
                         f"{count} needed")
    n = int(sub["n_neurons"].iloc[0])
    bits = np.frombuffer(b"".join(sub["bits"].iloc[:count]), dtype=np.uint8)
    xi = np.unpackbits(bits.reshape(count, -1), axis=1, count=n)
    return (2 * xi.astype(np.int8) - 1).astype(np.int8)


def noisy_cue(pattern: np.ndarray, noise: float, rng: np.random.Generator) -> np.ndarray:
    """The pattern with exactly round(noise · N) spins flipped (initial overlap 1 − 2·noise)."""
    if not 0.0 <= noise <= 0.5:
        raise ValueError(f"cue_noise must be in [0, 0.5], got {noise!r}")
    cue = np.array(pattern, dtype=np.int8)
    flip = rng.choice(cue.size, size=round(noise * cue.size), replace=False)
    cue[flip] *= -1
    return cue


def retrieval_shard(
    patterns: Sequence[np.ndarray],
    alpha: float,
    temperatures: Sequence[float],
    sweeps: int,
    cue_noise: float,
    seed: int,
    kernel: str = "auto",
    n_threads: int = 1,
    stop_when_stable: bool = False,
    replicas: Sequence[int] | None = None,
) -> pd.DataFrame:
    """Retrieval of pattern 0 at load α for every temperature and replica.

    ``patterns[k]`` holds the stored patterns (P, N) of replica ``replicas[k]`` (default k);
    J is Hebbian. Each run starts
    from a noisy cue of ξ¹ and records the final and time-averaged overlap m = (1/N) Σ ξ¹_i S_i
    (second half of the run), the energy per neuron and the flip rate.

    ``kernel`` ("auto", "cached_fields" or "overlaps", see ``statnn.dynamics.glauber_hebbian``)
    and ``n_threads`` (runs of independent (replica, T) points on a thread pool; the compiled
    kernels release the GIL) change only the speed: every run draws from its own stream,
    (seed, N, α, T, replica), and all kernels follow the same trajectory, so the table is
    identical for every choice. "auto" picks per run with ``choose_kernel``, the N × N counts
    (built once per replica, if any run wants them) amortised over the temperatures.

    ``stop_when_stable`` (all temperatures 0): ``sweeps`` is a cap, each run stops at its
    first fixed point (``glauber_hebbian``); the rows add ``sweeps_run`` and ``hit_cap``.
    """
    if isinstance(n_threads, bool) or not isinstance(n_threads, (int, np.integer)) \
            or n_threads < 1:
        raise ValueError(f"n_threads must be an integer >= 1, got {n_threads!r}")
    networks = [HebbianNetwork(xi) for xi in patterns]
    labels = list(range(len(patterns)) if replicas is None else replicas)
    if len(labels) != len(patterns):
        raise ValueError(f"{len(patterns)} pattern sets but replicas {labels!r}")
    tasks = []
    for k, net in enumerate(networks):
        for T in temperatures:
            chosen = net.resolve_kernel(kernel, T, sweeps, runs=max(1, len(temperatures)))
            tasks.append((k, float(T), chosen))
    for k, net in enumerate(networks):  # build shared counts before any thread starts
        if any(t[0] == k and t[2] == "cached_fields" for t in tasks):
            net.counts()

    def run(task):
        k, T, chosen = task
        xi, net, r = patterns[k], networks[k], int(labels[k])
        n_pat, n = xi.shape
        coords = (n, float(alpha), T, r)
        cue = noisy_cue(xi[0], cue_noise, rng_mod.generator(seed, "cue", *coords))
        res = glauber_hebbian(net, cue, T, sweeps, rng_mod.child_seed(seed, "glauber", *coords),
                              kernel=chosen, n_report=1, stop_when_stable=stop_when_stable)
        row = {
            "n_neurons": n, "n_patterns": n_pat, "alpha": float(alpha),
            "temperature": T, "replica": r,
            "overlap": float(res.final_overlaps[0]),
            "overlap_time_mean": float(res.time_averaged_overlap[0]),
            "cue_overlap": float(overlaps(xi[:1], cue)[0]),
            "energy_per_neuron": net.energy_per_neuron(res.spins),
            "flip_rate": res.flip_rate, "sweeps": sweeps,
        }
        if stop_when_stable:
            row |= {"sweeps_run": res.sweeps_run, "hit_cap": not res.fixed_point}
        progress.advance()  # one run (replica, T) done
        return row

    if n_threads == 1 or len(tasks) < 2:
        rows = [run(t) for t in tasks]
    else:
        with ThreadPoolExecutor(max_workers=int(n_threads)) as pool:
            rows = list(pool.map(run, tasks))  # results in task order
    for r in labels:
        log.info("alpha=%.4g replica %d: %d temperatures done", alpha, r, len(temperatures))
    return pd.DataFrame(rows)


def _by_temperatures(points: Sequence[tuple[float, int]]) -> dict[tuple, list[int]]:
    """Replicas grouped by the temperatures they need: {(T, ...): [r, ...]}."""
    temps: dict[int, list[float]] = {}
    for T, r in points:
        temps.setdefault(int(r), []).append(float(T))
    groups: dict[tuple, list[int]] = {}
    for r, ts in temps.items():
        groups.setdefault(tuple(ts), []).append(r)
    return groups


def retrieval_points(
    n_neurons: int,
    alpha: float,
    points: Sequence[tuple[float, int]],
    sweeps: int,
    cue_noise: float,
    seed: int,
    kernel: str = "auto",
    n_threads: int = 1,
) -> pd.DataFrame:
    """``retrieval_shard`` rows at load α for the (T, replica) ``points`` only, replica r
    storing the first P = round(αN) patterns of its stream (``stored_patterns``)."""
    p = n_patterns(alpha, n_neurons)
    frames = [retrieval_shard([stored_patterns(n_neurons, p, seed, r) for r in reps], alpha,
                              temps, sweeps, cue_noise, seed, kernel=kernel,
                              n_threads=n_threads, replicas=reps)
              for temps, reps in _by_temperatures(points).items()]
    return pd.concat(frames, ignore_index=True)


def energy_descent(
    n_neurons: int, alpha: float, sweeps: int, runs: int, dilution: float, seed: int
) -> pd.DataFrame:
    """Energy per neuron along T = 0 trajectories, symmetric vs asymmetric couplings.

    Symmetric: Hebbian J. Asymmetric: the same patterns with each directed bond kept with
    probability 1 − dilution (J_ij ≠ J_ji). Energy E = −½ Σ_{i≠j} J_ij S_i S_j after every
    sweep from a random start; it never increases for symmetric J.
    """
    rows = []
    P = n_patterns(alpha, n_neurons)
    for run in range(runs):
        xi = random_patterns(P, n_neurons, rng_mod.generator(seed, "descent", n_neurons, run))
        start = rng_mod.generator(seed, "descent-start", n_neurons, run).choice(
            np.array([-1, 1], dtype=np.int8), n_neurons)
        kinds = {
            "symmetric": hebbian_couplings(xi),
            "asymmetric": asymmetric_hebbian_couplings(
                xi, dilution, rng_mod.generator(seed, "dilution", n_neurons, run)),
            "directed": random_directed_couplings(
                n_neurons, 1.0 - dilution, rng_mod.generator(seed, "directed", n_neurons, run)),
        }
        for kind, J in kinds.items():
            res = glauber(J, start, 0.0, sweeps, rng_mod.child_seed(seed, "descent", kind, run),
                          record_every=1, patterns=xi)
            rows.append(pd.DataFrame({
                "couplings": kind, "run": run, "sweep": res.record_sweeps,
                "energy_per_neuron": res.energy,
                "max_overlap": np.abs(res.overlaps).max(axis=1),
            }))
    return pd.concat(rows, ignore_index=True)


def finite_size_retrieval(
    n_neurons: int,
    alphas: Sequence[float],
    replicas: int,
    max_sweeps: int,
    cue_noise: float,
    seed: int,
    kernel: str = "auto",
    n_threads: int = 1,
) -> pd.DataFrame:
    """Retrieval at T = 0 for one network size over the loads ``alphas``, each run to its
    fixed point (at most ``max_sweeps`` sweeps).

    Patterns of replica r are the nested stream (seed, "patterns", N, r), as in the grid; each
    α uses the first P = round(αN) of them. Columns of ``retrieval_shard`` with
    ``sweeps_run`` (sweeps to the fixed point) and ``hit_cap`` (no fixed point within the
    cap; logged as a warning).
    """
    points = [(a, r) for a in alphas for r in range(replicas)]
    return finite_size_points(n_neurons, points, max_sweeps, cue_noise, seed, kernel=kernel,
                              n_threads=n_threads)


def finite_size_points(
    n_neurons: int,
    points: Sequence[tuple[float, int]],
    max_sweeps: int,
    cue_noise: float,
    seed: int,
    kernel: str = "auto",
    n_threads: int = 1,
) -> pd.DataFrame:
    """``finite_size_retrieval`` rows for the (α, replica) ``points`` only, in that order of
    loads (each load's replicas in the order given)."""
    reps: dict[float, list[int]] = {}
    for a, r in points:
        reps.setdefault(a, []).append(int(r))
    p_max: dict[int, int] = {}
    for a, rs in reps.items():
        for r in rs:
            p_max[r] = max(p_max.get(r, 0), n_patterns(a, n_neurons))
    stored = {r: stored_patterns(n_neurons, p, seed, r) for r, p in p_max.items()}
    frames = []
    for a, rs in reps.items():
        p = n_patterns(a, n_neurons)
        frames.append(retrieval_shard([stored[r][:p] for r in rs], a, [0.0], max_sweeps,
                                      cue_noise, seed, kernel=kernel, n_threads=n_threads,
                                      stop_when_stable=True, replicas=rs))
    table = pd.concat(frames, ignore_index=True)
    capped = int(table["hit_cap"].sum())
    log.log(logging.WARNING if capped else logging.INFO,
            "N = %d: %d of %d runs hit the cap of %d sweeps; median sweeps to a fixed point %g",
            n_neurons, capped, len(table), max_sweeps, table["sweeps_run"].median())
    return table
