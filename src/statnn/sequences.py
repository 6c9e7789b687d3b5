"""Pattern sequences from asymmetric couplings: a cycle ξ⁰ → ξ¹ → … → ξ^(P−1) → ξ⁰.

**Couplings.** J_ij = (1/N) Σ_μ ξ_i^(μ+1) ξ_j^μ, indices mod P (cyclic), J_ii = 0
(``sequence_couplings``). In overlaps M_μ = Σ_j ξ_j^μ S_j (exact integers) the coupling sum
is N Σ_j J_ij S_j = Σ_μ ξ_i^(μ+1) M_μ − D_i S_i, D_i = Σ_μ ξ_i^(μ+1) ξ_i^μ (the self term
removed), so no N × N matrix is built.

**Synchronous dynamics** (``synchronous_sequence``). Every neuron updates at once from the
field of the previous step, f_i(t) = Σ_j J_ij S_j(t), by seed Eq. (2) in its Glauber form
(h = f/2, thresholds θ = ½ Σ_j J_ij): P(S_i(t+1) = +1) = 1 / (1 + exp(−2β f_i(t))), decided
by ``statnn.dynamics.core.new_spin`` as in every kernel; at T = 0, S_i(t+1) = sign f_i(t),
unchanged where f_i = 0. At low load S(t) = ξ^(t mod P): one pattern per step.

**Sompolinsky–Kanter dynamics** (``sompolinsky_kanter``; Sompolinsky & Kanter 1986).
Random sequential Glauber updates (``statnn.dynamics``: the same attempt stream and decision
rule) with the field

    f_i = Σ_{j≠i} J^s_ij S_j(t) + λ Σ_{j≠i} J_ij S̄_j(t),   J^s = Hebbian (1/N) Σ_μ ξ^μ ξ^μ,

where S̄ is the state delayed by τ sweeps, S̄(t) = S(max(t − τ, 0)) (``filter="delay"``), or
low-pass filtered, S̄(t+1) = S̄(t) + (S(t) − S̄(t))/τ (``filter="lowpass"``); S̄ is held
fixed during a sweep. The symmetric term holds the network in a pattern; once S̄ has caught
up, the asymmetric term (λ > 1) pushes it on to the next: with a delay it dwells ≈ τ sweeps
in each pattern. λ = 0 is the Hopfield network, which stays where it is.

**Recall** (``recalled``). A synchronous run from ξ⁰ recalls the cycle when, over its last
cycle of P steps, the dominant pattern argmax_μ m_μ(t) at every step t is ξ^(t mod P), the
stored order, and its overlap is at least m_r.
"""

from __future__ import annotations

import logging
import math
import time
from collections.abc import Sequence

import numpy as np
import pandas as pd
from numba import njit

from statnn import rng as rng_mod
from statnn.couplings import random_patterns
from statnn.dynamics.checks import check_temperature, inverse_temperature
from statnn.dynamics.core import new_spin, seed_state
from statnn.dynamics.overlap import initial_overlaps, overlap_kernel, overlaps_dtype
from statnn.dynamics.patterns import neuron_major
from statnn.finite_size import crossing_with_error
from statnn.loads import n_patterns
from statnn.memory import require_memory
from statnn.validation import check_int

FILTERS = ("delay", "lowpass")
#: Seconds between progress lines of a long batch of synchronous runs.
PROGRESS_EVERY = 30.0

log = logging.getLogger("statnn")

__all__ = [
    "FILTERS",
    "capacity_runs",
    "critical_loads",
    "dominant_patterns",
    "dwell_table",
    "dwell_times",
    "recalled",
    "sequence_couplings",
    "sequence_patterns",
    "sompolinsky_kanter",
    "synchronous_sequence",
    "trajectory_table",
]


def _patterns(patterns: object) -> np.ndarray:
    xi = np.asarray(patterns)
    if xi.ndim != 2 or xi.shape[0] < 1 or xi.shape[1] < 1:
        raise ValueError(f"patterns must be a (P, N) array with P, N >= 1, got {xi.shape}")
    if not np.all((xi == 1) | (xi == -1)):
        raise ValueError("patterns must contain only -1 and +1")
    return xi.astype(np.int8)


def _spins(spins: object, n: int) -> np.ndarray:
    s = np.asarray(spins)
    if s.shape != (n,) or not np.all((s == 1) | (s == -1)):
        raise ValueError(f"spins must be a ({n},) array of -1 and +1")
    return s.astype(np.int8)


def sequence_couplings(patterns: object) -> np.ndarray:
    """J_ij = (1/N) Σ_μ ξ_i^(μ+1) ξ_j^μ (μ + 1 mod P), J_ii = 0, dense (N, N) float64."""
    xi = _patterns(patterns)
    N = xi.shape[1]
    require_memory(f"sequence couplings (N = {N}, dense N x N)", 16 * N * N)
    K = np.roll(xi, -1, axis=0).T.astype(np.float64) @ xi.astype(np.float64)
    np.fill_diagonal(K, 0.0)
    return K / N


def sequence_patterns(n_neurons: int, alpha: float, seed: int, replica: int) -> np.ndarray:
    """The P = round(αN) patterns (P, N) of a cycle, from the stream (seed, "sequence
    patterns", N, α, replica): shared by every temperature of that point."""
    n = check_int(n_neurons, "n_neurons", 1)
    rng = rng_mod.generator(seed, "sequence patterns", n, float(alpha), int(replica))
    return random_patterns(n_patterns(alpha, n), n, rng)


class _Cycle:
    """Sequence couplings in overlap form for one (P, N) pattern set: the asymmetric field
    N Σ_j J_ij S̄_j of a real-valued state S̄ (delayed or filtered spins), in float64."""

    def __init__(self, xi: np.ndarray):
        self.xi = xi.astype(np.float64)
        self.xi_next = np.roll(self.xi, -1, axis=0)
        self.diag = np.einsum("pn,pn->n", self.xi_next, self.xi)

    def fields(self, state: np.ndarray) -> np.ndarray:
        """Σ_μ ξ_i^(μ+1) M_μ − D_i S̄_i with M_μ = Σ_j ξ_j^μ S̄_j (exact for spins)."""
        return (self.xi @ state) @ self.xi_next - self.diag * state


@njit(cache=True, nogil=True)
def _parallel_step(xi, xi_next_nm, diag, spins, counts, uniforms, c, cold):
    """One synchronous step of B chains in place. xi (B, P, N) and xi_next_nm (B, N, P),
    row i = (ξ_i^(μ+1))_μ, int8; counts (B, P) M_μ = Σ_j ξ_j^μ S_j. Every neuron gets
    f_i = Σ_μ ξ_i^(μ+1) M_μ − D_i S_i = N Σ_j J_ij S_j of the old state and the decision
    ``core.new_spin(c_b f_i, u)`` (c_b = 2β/N: Eq. 2; T = 0 rows, ``cold``: sign f_i, the old
    spin where f_i = 0); then the counts of the new state."""
    B, P, N = xi.shape
    new = np.empty(N, np.int8)
    for b in range(B):
        for i in range(N):
            acc = np.int32(0)
            for mu in range(P):
                acc = np.int32(acc + np.int32(xi_next_nm[b, i, mu]) * np.int32(counts[b, mu]))
            f = acc - np.int32(diag[b, i]) * np.int32(spins[b, i])
            new[i] = new_spin(c[b] * f, uniforms[b, i], spins[b, i], cold[b])
        for mu in range(P):
            acc = np.int32(0)
            for j in range(N):
                acc = np.int32(acc + np.int32(xi[b, mu, j]) * np.int32(new[j]))
            counts[b, mu] = acc
        spins[b] = new


def _synchronous_batch(xi: np.ndarray, temperatures: Sequence[float], steps: int,
                       seeds: Sequence[int]) -> np.ndarray:
    """B synchronous chains from S(0) = ξ⁰ of each; overlap counts (B, steps + 1, P). The
    uniforms of chain b (T > 0) come from the stream (seeds[b], "synchronous")."""
    B, P, N = xi.shape
    if P * N >= 2**31:
        raise ValueError(f"P N must be < 2^31 for exact int32 fields, got P = {P}, N = {N}")
    require_memory(f"sequence runs ({B} x {steps + 1} x {P} records, {B} x {P} x {N} "
                   "patterns)", 8 * B * (steps + 1) * P + 2 * B * P * N + 8 * B * N)
    xi = np.ascontiguousarray(xi, dtype=np.int8)
    xi_next_nm = np.ascontiguousarray(np.roll(xi, -1, axis=1).transpose(0, 2, 1))
    diag = np.einsum("bpn,bpn->bn", np.roll(xi, -1, axis=1), xi, dtype=np.int32)
    pairs = [inverse_temperature(check_temperature(t)) for t in temperatures]
    cold = np.array([d for _, d in pairs])
    c = np.array([1.0 if d else 2.0 * b / N for b, d in pairs])
    rngs = [rng_mod.generator(s, "synchronous") for s in seeds]
    warm = np.flatnonzero(~cold)
    spins = xi[:, 0, :].copy()
    counts = np.einsum("bpn,bn->bp", xi, spins, dtype=np.int32).astype(overlaps_dtype(N))
    out = np.empty((B, steps + 1, P), np.int32)
    out[:, 0] = counts
    u = np.zeros((B, N))
    start = last = time.perf_counter()
    for t in range(steps):
        for b in warm:
            u[b] = rngs[b].random(N)
        _parallel_step(xi, xi_next_nm, diag, spins, counts, u, c, cold)
        out[:, t + 1] = counts
        now = time.perf_counter()
        if now - last >= PROGRESS_EVERY:
            last = now
            log.info("%d runs of N = %d, P = %d: step %d of %d, %.0f s elapsed, ETA %.0f s",
                     B, N, P, t + 1, steps, now - start, (now - start) * (steps / (t + 1) - 1))
    return out


def synchronous_sequence(patterns: object, temperature: float, steps: int,
                         seed: int) -> np.ndarray:
    """Overlaps m_μ(t) (steps + 1, P) of synchronous dynamics from S(0) = ξ⁰; the uniforms of
    a T > 0 run come from the stream (seed, "synchronous")."""
    xi = _patterns(patterns)
    steps = check_int(steps, "steps", 0)
    counts = _synchronous_batch(xi[None], [temperature], steps, [check_int(seed, "seed", 0)])
    return counts[0] / xi.shape[1]


def dominant_patterns(overlaps: np.ndarray) -> np.ndarray:
    """argmax_μ m_μ(t) for every row t of ``overlaps`` (T, P)."""
    return np.argmax(np.asarray(overlaps), axis=1)


def recalled(overlaps: np.ndarray, recall_overlap: float) -> tuple[bool, float]:
    """(whether the last cycle of P steps follows the stored order with dominant overlap
    ≥ m_r, the smallest dominant overlap there). Needs at least P + 1 rows (t = 0 … ≥ P)."""
    m = np.asarray(overlaps)
    T, P = m.shape
    if T < P + 1:
        raise ValueError(f"need at least one full cycle (P + 1 = {P + 1} rows), got {T}")
    t = np.arange(T - P, T)
    last = m[T - P:]
    top = dominant_patterns(last)
    smallest = float(last[np.arange(P), t % P].min())
    return bool(np.all(top == t % P) and smallest >= recall_overlap), smallest


def capacity_runs(n_neurons: int, alpha: float, temperatures: Sequence[float], replicas: int,
                  cycles: int, recall_overlap: float, seed: int) -> list[dict]:
    """Synchronous recall at one (N, α): every temperature and replica, ``cycles`` × P steps
    from ξ⁰; the run of (N, α, T, replica) draws from child_seed(seed, "sequence", N, α, T,
    replica). Rows (n_neurons, alpha, temperature, replica, recalled, min_overlap)."""
    points = [(float(t), r) for t in temperatures for r in range(replicas)]
    return capacity_points(n_neurons, alpha, points, cycles, recall_overlap, seed)


def capacity_points(n_neurons: int, alpha: float, points: Sequence[tuple[float, int]],
                    cycles: int, recall_overlap: float, seed: int) -> list[dict]:
    """``capacity_runs`` for the (temperature, replica) ``points`` at one (N, α) only: each
    run depends on its own coordinates, so any subset gives the same rows."""
    n = check_int(n_neurons, "n_neurons", 1)
    cycles = check_int(cycles, "cycles", 1)
    P = n_patterns(alpha, n)
    points = [(float(t), check_int(r, "replica", 0)) for t, r in points]
    pats = {r: sequence_patterns(n, alpha, seed, r) for r in sorted({r for _, r in points})}
    xi = np.stack([pats[r] for _, r in points])
    seeds = [rng_mod.child_seed(seed, "sequence", n, float(alpha), t, r) for t, r in points]
    counts = _synchronous_batch(xi, [t for t, _ in points], cycles * P, seeds)
    rows = []
    for (t, r), c in zip(points, counts, strict=True):
        ok, smallest = recalled(c / n, recall_overlap)
        rows.append({"n_neurons": n, "alpha": float(alpha), "temperature": t, "replica": r,
                     "recalled": ok, "min_overlap": smallest})
    return rows


def sompolinsky_kanter(patterns: object, temperature: float, sweeps: int, strength: float,
                       delay: float, seed: int, filter: str = "delay") -> np.ndarray:
    """Overlaps m_μ(t) (sweeps + 1, P) of the Sompolinsky–Kanter network from S(0) = ξ⁰
    (module docstring); λ = ``strength``, τ = ``delay`` (an integer ≥ 0 for a delay, ≥ 1
    for a low-pass filter). The attempt stream is ``statnn.dynamics``' for ``seed``."""
    xi = _patterns(patterns)
    P, N = xi.shape
    T = check_temperature(temperature)
    sweeps = check_int(sweeps, "sweeps", 0)
    if filter not in FILTERS:
        raise ValueError(f"filter must be one of {FILTERS}, got {filter!r}")
    lam = float(strength)
    if not math.isfinite(lam):
        raise ValueError(f"strength must be finite, got {strength!r}")
    tau = float(delay)
    if filter == "delay" and (tau < 0 or tau != int(tau)):
        raise ValueError(f"delay must be an integer >= 0 sweeps, got {delay!r}")
    if filter == "lowpass" and not tau >= 1:
        raise ValueError(f"a low-pass time constant must be >= 1 sweep, got {delay!r}")
    beta, deterministic = inverse_temperature(T)
    asym = _Cycle(xi)
    xi_nm = neuron_major(xi)
    spins = xi[0].copy()
    M = initial_overlaps(xi_nm, spins, np.empty(xi_nm.shape[1], overlaps_dtype(N)))
    state = seed_state(check_int(seed, "seed", 0))
    c = 1.0 if deterministic else 2.0 * beta / N
    no_sums, no_energy = np.zeros(0, np.int64), np.empty(0)
    no_counts, no_spins = np.empty((0, 0), np.int64), np.empty((0, N), np.int8)
    history = np.empty((sweeps + 1, N), np.int8)
    history[0] = spins
    out = np.empty((sweeps + 1, P))
    out[0] = M[:P] / N
    smooth = spins.astype(np.float64)
    for t in range(sweeps):
        if filter == "delay":
            lagged = history[max(t - int(tau), 0)].astype(np.float64)
        else:
            lagged = smooth
        g = lam * asym.fields(lagged) / N  # held fixed during the sweep
        overlap_kernel(xi_nm, P, M, spins, 1.0 / N, g, state, c, deterministic,
                       1, 0, 0, no_sums, 0, no_energy, no_counts, no_spins, False)
        history[t + 1] = spins
        if filter == "lowpass":
            smooth += (spins - smooth) / tau
        out[t + 1] = M[:P] / N
    return out


def dwell_times(overlaps: np.ndarray) -> dict[str, float]:
    """Dwell statistics of the dominant-pattern sequence of ``overlaps`` (T, P): the mean
    and standard error of the lengths of its complete runs (the first and the last, cut by
    the window, left out), the number of transitions and the fraction that step forward
    μ → μ + 1 (mod P)."""
    top = dominant_patterns(overlaps)
    P = np.asarray(overlaps).shape[1]
    change = np.flatnonzero(top[1:] != top[:-1]) + 1
    forward = np.mean((top[change] - top[change - 1]) % P == 1) if change.size else math.nan
    runs = np.diff(change).astype(float)
    mean = float(runs.mean()) if runs.size else math.nan
    se = float(runs.std(ddof=1) / math.sqrt(runs.size)) if runs.size > 1 else math.nan
    return {"dwell_mean": mean, "dwell_se": se, "transitions": int(change.size),
            "forward_fraction": float(forward)}


# --- experiments: the tables of the sequences stage ------------------------------------------


def trajectory_table(n_neurons: int, alpha: float, temperatures: Sequence[float],
                     replicas: int, steps: int, sweeps: int, strength: float, delay: float,
                     filter: str, seed: int) -> pd.DataFrame:
    """m_μ(t) of both models from ξ⁰, one row per (model, temperature, replica, time,
    pattern): ``steps`` synchronous steps and ``sweeps`` Sompolinsky–Kanter sweeps, the
    patterns of (seed, N, α, replica), the dynamics of child_seed(seed, model, N, α, T,
    replica)."""
    n = check_int(n_neurons, "n_neurons", 1)
    frames = []
    for r in range(check_int(replicas, "replicas", 1)):
        xi = sequence_patterns(n, alpha, seed, r)
        for t in temperatures:
            key = (n, float(alpha), float(t), r)
            runs = {
                "synchronous": synchronous_sequence(
                    xi, t, steps, rng_mod.child_seed(seed, "synchronous", *key)),
                "sompolinsky_kanter": sompolinsky_kanter(
                    xi, t, sweeps, strength, delay,
                    rng_mod.child_seed(seed, "sompolinsky_kanter", *key), filter),
            }
            for model, m in runs.items():
                time, pattern = np.meshgrid(np.arange(m.shape[0]), np.arange(m.shape[1]),
                                            indexing="ij")
                frames.append(pd.DataFrame({
                    "model": model, "n_neurons": n, "alpha": float(alpha),
                    "temperature": float(t), "replica": r, "time": time.ravel(),
                    "pattern": pattern.ravel(), "overlap": m.ravel()}))
    return pd.concat(frames, ignore_index=True)


def dwell_table(n_neurons: int, alpha: float, temperatures: Sequence[float], replicas: int,
                sweeps: int, strength: float, delays: Sequence[float], filter: str,
                seed: int) -> pd.DataFrame:
    """Dwell time of the Sompolinsky–Kanter network against the delay τ (``dwell_times``),
    one row per (temperature, delay, replica); the run of (N, α, T, τ, replica) draws from
    child_seed(seed, "dwell", N, α, T, τ, replica)."""
    n = check_int(n_neurons, "n_neurons", 1)
    rows = []
    for r in range(check_int(replicas, "replicas", 1)):
        xi = sequence_patterns(n, alpha, seed, r)
        for t in temperatures:
            for tau in delays:
                s = rng_mod.child_seed(seed, "dwell", n, float(alpha), float(t), float(tau), r)
                m = sompolinsky_kanter(xi, t, sweeps, strength, tau, s, filter)
                rows.append({"n_neurons": n, "alpha": float(alpha), "temperature": float(t),
                             "delay": float(tau), "replica": r, **dwell_times(m)})
    return pd.DataFrame(rows)


def critical_loads(capacity: pd.DataFrame, resamples: int, seed: int) -> pd.DataFrame:
    """α_c(N, T), where the fraction of replicas that recall crosses ½, with its bootstrap
    error (``statnn.finite_size.crossing_with_error``; resamples from (seed, "sequence
    bootstrap", N, T)); one row per (n_neurons, temperature)."""
    rows = []
    for (n, t), sub in capacity.groupby(["n_neurons", "temperature"], sort=True):
        grid = sub.pivot(index="alpha", columns="replica", values="recalled").sort_index()
        if grid.isna().any().any():
            raise ValueError(f"N = {n}, T = {t}: every replica needs a run at every load")
        rng = rng_mod.generator(seed, "sequence bootstrap", int(n), float(t))
        rows.append({"n_neurons": int(n), "temperature": float(t),
                     **crossing_with_error(grid.index.to_numpy(float),
                                           grid.to_numpy(float), rng, resamples)})
    return pd.DataFrame(rows)
