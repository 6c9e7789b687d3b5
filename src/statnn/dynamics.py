"""Glauber dynamics with asynchronous random sequential updates, compiled with numba.

Spin form: an update attempt picks a neuron i uniformly at random (with replacement) and sets

    S_i = +1 with probability 1 / (1 + exp(−2β f_i)),  f_i = Σ_j J_ij S_j + H_i,

else S_i = −1; a sweep is N attempts. At T = 0 the rule is S_i ← sign(f_i), unchanged when
f_i = 0. Activity form (seed Eqs. 1–2): n_i = 1 with probability 1 / (1 + exp(−4β h_i)),
h_i = Σ_j J_ij n_j − θ_i. Since h_i = f_i / 2 when H_i = Σ_j J_ij − 2θ_i
(``statnn.neurons.external_fields``), both forms make the same decision from the same
random numbers.

Random stream. Each attempt consumes, in this order, one neuron index (Lemire's unbiased
multiply-shift on the top 32 bits of a 64-bit draw, redrawing in the rare rejected case) and
one uniform u = (x >> 11) · 2⁻⁵³ ∈ [0, 1) from a xoshiro256** generator seeded by splitmix64
from ``statnn.rng.child_seed(seed, "glauber")``. The decision is "up iff u < p" in both forms
(u is drawn but unused at T = 0), so the spin and activity kernels follow identical
trajectories: ``attempt_stream`` returns that (i, u) sequence for reference loops.

Cached-field kernel (the reference implementation). The sums f_i = Σ_j J_ij S_j are cached
and updated only when a neuron flips, f_j += 2 S_i^new J_ji for all j: one contiguous row of
J for symmetric J (row i = column i), of Jᵀ otherwise. Float J (float32/float64) keeps f in
float64. Integer J (int8/16/32, with a ``coupling_scale``, e.g. Hebbian counts N·J with
scale 1/N) keeps f as exact integers in int16/int32: 1-byte rows and no rounding drift.
Cost: O(1) per attempt, O(N) per flip, N² couplings in memory. Most decisions need no exp
(``statnn.kernels_core.new_spin``). Pattern overlaps are tracked as integer counts
Σ_i ξ_i^μ S_i.

Hebbian networks (``glauber_hebbian``, ``HebbianNetwork``) have a second kernel, the
pattern-overlap representation f_i = Σ_μ ξ_i^μ M_μ − P S_i (``statnn.kernels_overlap``):
O(P) per attempt and per flip, N·P bytes of memory. Both kernels compute the same exact
integer f_i from the same stream, so they give identical trajectories; ``choose_kernel``
picks the cheaper one from a cost model calibrated on a 2-core AMD EPYC (Zen 5) machine.
Every kernel runs one chain on one thread and releases the GIL, so independent chains can
run on a thread pool; results never depend on the thread count.
"""

from __future__ import annotations

import math
import threading
import time
from dataclasses import dataclass

import numpy as np
from numba import njit

from statnn.kernels_core import (
    TWO_POW_32,
    draw_attempt,
    new_spin,
    reject_below,
    seed_state,
)
from statnn.kernels_overlap import (
    counts_dtype,
    hebbian_counts_packed,
    initial_overlaps,
    is_plus_minus_one,
    neuron_major,
    overlap_kernel,
    overlaps_dtype,
    padded_patterns,
)
from statnn.rng import child_seed
from statnn.validation import check_int

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
    "anneal",
    "attempt_stream",
    "choose_kernel",
    "expected_flip_rate",
    "glauber",
    "glauber_activity",
    "glauber_hebbian",
    "kernel_costs",
]

# β is clamped here so that 4β stays finite: 4β·f is then never inf·0 = NaN, and a field of
# size > 1e-298 already gives a probability of exactly 0 or 1.
_MAX_BETA = 1e300


@njit(cache=True, nogil=True)
def _attempt_stream_kernel(state, n, below, attempts):
    idx = np.empty(attempts, np.int64)
    uni = np.empty(attempts, np.float64)
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    for a in range(attempts):
        i, u, s0, s1, s2, s3 = draw_attempt(s0, s1, s2, s3, n, below)
        idx[a] = i
        uni[a] = u
    return idx, uni


def attempt_stream(seed: int, n_neurons: int, attempts: int) -> tuple[np.ndarray, np.ndarray]:
    """The (neuron index, uniform) pairs that ``glauber(..., seed)`` consumes, in order.

    Attempt a updates neuron ``indices[a]`` to +1 iff ``uniforms[a] < p``; a reference loop
    driven by this stream reproduces the kernels' trajectory.
    """
    n = check_int(n_neurons, "n_neurons", 1)
    attempts = check_int(attempts, "attempts", 0)
    return _attempt_stream_kernel(seed_state(seed), np.uint64(n), reject_below(n), attempts)


# --------------------------------------------------------------------------------------
# kernels
# --------------------------------------------------------------------------------------


@njit(cache=True, nogil=True)
def _coupling_sums(J, spins, out):
    """out_i = Σ_j J_ij S_j, accumulated in float64 (exact for integer J), stored in out."""
    N = spins.shape[0]
    for i in range(N):
        acc = 0.0
        row = J[i]
        for j in range(N):
            acc += np.float64(row[j]) * spins[j]
        out[i] = acc
    return out


@njit(cache=True, nogil=True)
def _activity_fields(J, n, theta):
    """h_i = Σ_j J_ij n_j − θ_i, accumulated in float64 (seed Eq. 1)."""
    N = n.shape[0]
    h = np.empty(N, np.float64)
    for i in range(N):
        acc = 0.0
        row = J[i]
        for j in range(N):
            if n[j] != 0:
                acc += np.float64(row[j])
        h[i] = acc - theta[i]
    return h


@njit(cache=True, nogil=True)
def _is_symmetric(J):
    """J == Jᵀ, compared in 64 × 64 blocks (cache friendly), stopping at the first mismatch."""
    N = J.shape[0]
    B = 64
    for ib in range(0, N, B):
        for jb in range(0, ib + 1, B):
            for i in range(ib, min(ib + B, N)):
                for j in range(jb, min(jb + B, i)):
                    if J[i, j] != J[j, i]:
                        return False
    return True


@njit(cache=True, nogil=True)
def _max_abs_row_sum(J):
    """max_i Σ_j |J_ij| for an integer matrix, in int64."""
    best = 0
    for i in range(J.shape[0]):
        acc = 0
        for j in range(J.shape[1]):
            v = np.int64(J[i, j])
            acc += v if v >= 0 else -v
        best = max(best, acc)
    return best


@njit(cache=True, nogil=True)
def _record(r, spins, f, scale, H, counts, rec_energy, rec_counts, rec_spins):
    """E/N = −(½ scale Σ_i S_i f_i + Σ_i H_i S_i)/N, overlap counts, spins into row r."""
    N = spins.shape[0]
    pair = 0.0
    ext = 0.0
    for i in range(N):
        pair += spins[i] * np.float64(f[i])
        ext += spins[i] * H[i]
    rec_energy[r] = -(0.5 * scale * pair + ext) / N
    for mu in range(counts.shape[0]):
        rec_counts[r, mu] = counts[mu]
    if rec_spins.shape[0] > 0:
        for i in range(N):
            rec_spins[r, i] = spins[i]


@njit(cache=True, nogil=True)
def _glauber_kernel(
    Jcols,
    scale,
    H,
    spins,
    f,
    two,
    state,
    c,
    deterministic,
    sweeps,
    xi,
    counts,
    average_from,
    count_sums,
    record_every,
    rec_energy,
    rec_counts,
    rec_spins,
):
    """Run ``sweeps`` sweeps in place (spins, sums f, overlap counts, rng state).

    Couplings are scale · J with Jcols[i] = column i of J; f_i = Σ_j J_ij S_j (float64, or
    int32 for integer J: then exact), H the external fields. The decision for neuron i uses
    x = c (f_i + H_i / scale), c = 2β scale. ``two`` is 2 in the dtype of f. xi is (N, P)
    int8 and counts[μ] = Σ_i ξ_i^μ S_i. After each sweep s ≥ average_from the counts are
    added to count_sums; every ``record_every`` sweeps (and at the start) energy per neuron,
    counts and optionally spins are recorded. Returns the number of flips.
    """
    N = spins.shape[0]
    P = counts.shape[0]
    Hs = H / scale
    n = np.uint64(N)
    below = TWO_POW_32 % n
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    flips = 0
    r = 0
    if record_every > 0:
        _record(r, spins, f, scale, H, counts, rec_energy, rec_counts, rec_spins)
        r += 1
    for sweep in range(sweeps):
        for _ in range(N):
            i, u, s0, s1, s2, s3 = draw_attempt(s0, s1, s2, s3, n, below)
            old = spins[i]
            new = new_spin(c * (f[i] + Hs[i]), u, old, deterministic)
            if new != old:
                spins[i] = new
                d = two if new > 0 else -two
                col = Jcols[i]
                for j in range(N):
                    f[j] += d * col[j]
                for mu in range(P):
                    counts[mu] += 2 * new * xi[i, mu]
                flips += 1
        if sweep >= average_from:
            for mu in range(P):
                count_sums[mu] += counts[mu]
        if record_every > 0 and (sweep + 1) % record_every == 0:
            _record(r, spins, f, scale, H, counts, rec_energy, rec_counts, rec_spins)
            r += 1
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return flips


@njit(cache=True, nogil=True)
def _activity_kernel(Jcols, n_act, h, state, four_beta, deterministic, sweeps):
    """Activity-form Glauber (seed Eqs. 1–2) in place; same stream as ``_glauber_kernel``."""
    N = n_act.shape[0]
    n = np.uint64(N)
    below = TWO_POW_32 % n
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    flips = 0
    for _sweep in range(sweeps):
        for _ in range(N):
            i, u, s0, s1, s2, s3 = draw_attempt(s0, s1, s2, s3, n, below)
            old = n_act[i]
            new = (new_spin(four_beta * h[i], u, 2 * old - 1, deterministic) + 1) // 2
            if new != old:
                n_act[i] = new
                dn = np.float64(new - old)
                col = Jcols[i]
                for j in range(N):
                    h[j] += dn * col[j]
                flips += 1
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return flips


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------


def _check_temperature(temperature: object, name: str = "temperature") -> float:
    try:
        T = float(temperature)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, inf], got {temperature!r}") from None
    if math.isnan(T) or T < 0:
        raise ValueError(f"{name} must be in [0, inf] (T = 0: deterministic), got {T!r}")
    return T


def _beta(T: float) -> tuple[float, bool]:
    """(β, deterministic) for temperature T; β = 1/T clamped to _MAX_BETA."""
    if T == 0:
        return math.inf, True
    return min(1.0 / T, _MAX_BETA), False


_INTEGER_COUPLINGS = (np.dtype(np.int8), np.dtype(np.int16), np.dtype(np.int32))
_FLOAT_COUPLINGS = (np.dtype(np.float32), np.dtype(np.float64))


def _check_couplings(J: object, allow_integer: bool = False) -> np.ndarray:
    """C-contiguous float32/float64 J (or int8/16/32 if allowed), finite, zero diagonal."""
    J = np.asarray(J)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or J.shape[0] < 1:
        raise ValueError(f"J must be a square (N, N) matrix with N >= 1, got shape {J.shape}")
    if not (np.issubdtype(J.dtype, np.number) or J.dtype == np.bool_) or np.iscomplexobj(J):
        raise ValueError(f"J must be a real matrix (float32/float64, or integer), got {J.dtype}")
    integer = np.issubdtype(J.dtype, np.integer) or J.dtype == np.bool_
    if integer and allow_integer:
        if J.dtype not in _INTEGER_COUPLINGS:
            if J.size and (J.min() < -(2**31) or J.max() >= 2**31):
                raise ValueError("integer J must fit in int32")
            J = J.astype(np.int32)
        big = _max_abs_row_sum(np.ascontiguousarray(J))
        if big >= 2**31:
            raise ValueError(f"integer J must have row sums Σ_j |J_ij| < 2^31, got {big}")
    elif J.dtype not in _FLOAT_COUPLINGS:
        J = J.astype(np.float64)
    J = np.ascontiguousarray(J)
    if not integer and not np.isfinite(J).all():
        raise ValueError("J must be finite (no NaN or inf)")
    if np.any(np.diagonal(J) != 0):
        raise ValueError("J must have a zero diagonal (no self-coupling, J_ii = 0)")
    return J


def _check_scale(scale: object) -> float:
    try:
        value = float(scale)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"coupling_scale must be a finite number > 0, got {scale!r}")
    return value


def _columns(J: np.ndarray) -> np.ndarray:
    """Rows of Jᵀ (contiguous columns of J); J itself when symmetric."""
    return J if _is_symmetric(J) else np.ascontiguousarray(J.T)


def _check_binary(x: object, n: int, name: str, values: tuple[int, int]) -> np.ndarray:
    x = np.asarray(x)
    if x.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {x.shape}")
    if not np.all((x == values[0]) | (x == values[1])):
        raise ValueError(f"{name} must contain only {values[0]} and {values[1]}")
    return x.astype(np.int8)  # a copy: the caller's array is never modified


def _check_vector(x: object, n: int, name: str) -> np.ndarray:
    if x is None:
        return np.zeros(n)
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} must be finite")
    return np.ascontiguousarray(x)


def _check_patterns(patterns: object, n: int) -> np.ndarray:
    """(N, P) int8 transposed patterns; (N, 0) when none."""
    if patterns is None:
        return np.zeros((n, 0), np.int8)
    xi = np.asarray(patterns)
    if xi.ndim == 1:
        xi = xi[None, :]
    if xi.ndim != 2 or xi.shape[1] != n:
        raise ValueError(f"patterns must have shape (P, {n}), got {xi.shape}")
    if not np.all((xi == 1) | (xi == -1)):
        raise ValueError("patterns must contain only -1 and +1")
    return np.ascontiguousarray(xi.T, dtype=np.int8)


# --------------------------------------------------------------------------------------
# spin-form chain (shared by glauber and anneal)
# --------------------------------------------------------------------------------------


def _sums_dtype(J: np.ndarray) -> np.dtype:
    """dtype of the sums f_i = Σ_j J_ij S_j: float64, or the narrowest exact integer type.

    Integer sums are bounded by max_i Σ_j |J_ij|; int16 when that is < 2^15 (for Hebbian
    int8 counts at N = 2000, α = 0.05 it is ~1.6·10^4), halving the work per flip.
    """
    if J.dtype not in _INTEGER_COUPLINGS:
        return np.dtype(np.float64)
    return np.dtype(np.int16) if _max_abs_row_sum(J) < 2**15 else np.dtype(np.int32)


class _SpinChain:
    """State of one spin-form Markov chain: spins, coupling sums, overlap counts, rng.

    J is float (sums f in float64) or integer (sums in int16/int32, exact; ``sums_dtype``
    from ``_sums_dtype`` when not given); the couplings are scale · J, H the external fields.
    """

    def __init__(self, J, Jcols, scale, H, spins, xi, seed, sums_dtype=None):
        self.Jcols = Jcols
        self.scale = scale
        self.H = H
        self.spins = spins
        dtype = _sums_dtype(J) if sums_dtype is None else sums_dtype
        self.f = _coupling_sums(J, spins, np.empty(J.shape[0], dtype))
        self.two = self.f.dtype.type(2)
        self.xi = xi
        self.counts = xi.T.astype(np.int64) @ spins.astype(np.int64)
        self.state = seed_state(seed)

    def run(self, temperature, sweeps, average_from, record_every, record_spins):
        beta, deterministic = _beta(temperature)
        N, P = self.xi.shape
        n_rec = 1 + sweeps // record_every if record_every > 0 else 0
        count_sums = np.zeros(P, np.int64)
        rec_energy = np.empty(n_rec)
        rec_counts = np.empty((n_rec, P), np.int64)
        rec_spins = np.empty((n_rec if record_spins else 0, N), np.int8)
        t0 = time.perf_counter()
        flips = _glauber_kernel(
            self.Jcols,
            self.scale,
            self.H,
            self.spins,
            self.f,
            self.two,
            self.state,
            1.0 if deterministic else 2.0 * beta * self.scale,
            deterministic,
            sweeps,
            self.xi,
            self.counts,
            average_from,
            count_sums,
            record_every,
            rec_energy,
            rec_counts,
            rec_spins,
        )
        seconds = time.perf_counter() - t0
        return int(flips), count_sums, rec_energy, rec_counts, rec_spins, seconds


# --------------------------------------------------------------------------------------
# public API
# --------------------------------------------------------------------------------------


@dataclass(frozen=True)
class GlauberResult:
    """Outcome of ``glauber``.

    spins: final configuration (N,) int8. flips / attempts: flips made and update attempts
    (sweeps · N). record_sweeps: sweep numbers of the records (0 = initial state), with
    energy per neuron E/N (n_rec,), overlaps m_μ (n_rec, P) and, if asked, the spins
    (n_rec, N) at those sweeps. final_overlaps (P,) and time_averaged_overlap (P,), the mean
    of m_μ after each sweep of the second half of the run (sweeps > ⌊sweeps/2⌋), exist when
    patterns were given. kernel_seconds: wall time spent in the compiled kernel; kernel:
    which one ran ("cached_fields" or, from ``glauber_hebbian``, "overlaps").
    """

    spins: np.ndarray
    flips: int
    attempts: int
    temperature: float
    sweeps: int
    record_sweeps: np.ndarray | None = None
    energy: np.ndarray | None = None
    overlaps: np.ndarray | None = None
    trajectory_spins: np.ndarray | None = None
    final_overlaps: np.ndarray | None = None
    time_averaged_overlap: np.ndarray | None = None
    kernel_seconds: float = 0.0
    kernel: str = "cached_fields"

    @property
    def flip_rate(self) -> float:
        """flips / attempts (0 for an empty run)."""
        return self.flips / self.attempts if self.attempts else 0.0


def glauber(
    J: object,
    spins: object,
    temperature: float,
    sweeps: int,
    seed: int,
    fields: object = None,
    record_every: int = 0,
    patterns: object = None,
    record_spins: bool = False,
    coupling_scale: float = 1.0,
) -> GlauberResult:
    """Glauber dynamics of spins S ∈ {±1}^N, random sequential updates, ``sweeps`` sweeps.

    P(S_i = +1) = 1 / (1 + exp(−2β(Σ_j J_ij S_j + H_i))), β = 1/``temperature``; T = 0 is
    S_i ← sign(Σ_j J_ij S_j + H_i), unchanged at 0. ``J`` (N, N) float32/float64 with zero
    diagonal (asymmetric allowed), ``fields`` H (N,) default 0, ``seed`` a non-negative
    integer (same seed → same trajectory). ``record_every`` > 0 records energy per neuron,
    overlaps with ``patterns`` (P, N) and, with ``record_spins``, the configuration every
    that many sweeps. The input ``spins`` array is not modified.

    The couplings are ``coupling_scale`` · J. Integer J (int8/int16/int32, e.g.
    ``statnn.couplings.hebbian_counts`` with scale 1/N) runs on exact integer sums, with
    rows 4× (int8) smaller than float32: the fastest form for Hebbian networks.
    """
    J = _check_couplings(J, allow_integer=True)
    scale = _check_scale(coupling_scale)
    N = J.shape[0]
    S = _check_binary(spins, N, "spins", (-1, 1))
    T = _check_temperature(temperature)
    sweeps = check_int(sweeps, "sweeps", 0)
    record_every = check_int(record_every, "record_every", 0)
    H = _check_vector(fields, N, "fields")
    xi = _check_patterns(patterns, N)
    chain = _SpinChain(J, _columns(J), scale, H, S, xi, seed)
    average_from = sweeps // 2
    out = chain.run(T, sweeps, average_from, record_every, bool(record_spins))
    return _glauber_result(chain.spins, chain.counts, out, T, sweeps, average_from,
                           record_every, bool(record_spins), patterns is not None,
                           "cached_fields")


def _glauber_result(spins, counts, out, T, sweeps, average_from, record_every, record_spins,
                    has_patterns, kernel):
    """GlauberResult from a chain's final spins and overlap counts and its ``run`` output."""
    flips, count_sums, rec_energy, rec_counts, rec_spins, seconds = out
    N = spins.shape[0]
    recorded = record_every > 0
    if has_patterns:
        n_avg = sweeps - average_from
        avg = count_sums / (n_avg * N) if n_avg > 0 else counts / N
    return GlauberResult(
        spins=spins,
        flips=flips,
        attempts=sweeps * N,
        temperature=T,
        sweeps=sweeps,
        record_sweeps=np.arange(rec_energy.shape[0]) * record_every if recorded else None,
        energy=rec_energy if recorded else None,
        overlaps=rec_counts / N if recorded and has_patterns else None,
        trajectory_spins=rec_spins if recorded and record_spins else None,
        final_overlaps=counts / N if has_patterns else None,
        time_averaged_overlap=avg if has_patterns else None,
        kernel_seconds=seconds,
        kernel=kernel,
    )


@dataclass(frozen=True)
class GlauberActivityResult:
    """Outcome of ``glauber_activity``: final activities (N,) int8 in {0, 1}, flips, attempts."""

    activities: np.ndarray
    flips: int
    attempts: int
    temperature: float
    sweeps: int


def glauber_activity(
    J: object,
    activities: object,
    thresholds: object,
    temperature: float,
    sweeps: int,
    seed: int,
) -> GlauberActivityResult:
    """The seed's neuron dynamics in activity form, random sequential updates.

    n_i = 1 with probability 1 / (1 + exp(−4β h_i)), h_i = Σ_j J_ij n_j − θ_i (seed Eqs.
    1–2); T = 0 is n_i ← [h_i > 0], unchanged at h_i = 0. Consumes the same random stream as
    ``glauber``, so with the same seed it follows the trajectory of ``glauber`` with spins
    2n − 1 and fields H = ``statnn.neurons.external_fields(J, thresholds)``.
    """
    J = _check_couplings(J)
    N = J.shape[0]
    n_act = _check_binary(activities, N, "activities", (0, 1))
    theta = _check_vector(thresholds, N, "thresholds")
    T = _check_temperature(temperature)
    sweeps = check_int(sweeps, "sweeps", 0)
    beta, deterministic = _beta(T)
    h = _activity_fields(J, n_act, theta)
    flips = _activity_kernel(
        _columns(J), n_act, h, seed_state(seed), 1.0 if deterministic else 4.0 * beta,
        deterministic, sweeps,
    )
    return GlauberActivityResult(
        activities=n_act, flips=int(flips), attempts=sweeps * N, temperature=T, sweeps=sweeps
    )


@dataclass(frozen=True)
class AnnealResult:
    """Outcome of ``anneal``, one entry per temperature stage.

    energy_per_neuron: E/N averaged over the second half of the stage and both replicas.
    ea_overlap, ea_overlap_abs: q = (1/N) Σ_i S_i^a S_i^b and |q| averaged over the second
    half of the stage. flip_rate: flips per attempt of both replicas in the stage.
    spins: final configurations of the two replicas (2, N).
    """

    temperatures: np.ndarray
    energy_per_neuron: np.ndarray
    ea_overlap: np.ndarray
    ea_overlap_abs: np.ndarray
    flip_rate: np.ndarray
    spins: np.ndarray


def anneal(
    J: object,
    spins: object,
    temperatures: object,
    sweeps_per_temperature: int,
    seed: int,
    fields: object = None,
    coupling_scale: float = 1.0,
) -> AnnealResult:
    """Anneal two replicas through the schedule ``temperatures`` (e.g. SK from high to low T).

    The replicas share J and H but run on independent streams (seeds child_seed(seed,
    "anneal", 0) and (seed, "anneal", 1)); ``spins`` is one start (N,) for both or two (2, N).
    In each stage of ``sweeps_per_temperature`` sweeps the first ⌊S/2⌋ sweeps equilibrate and
    the energy per neuron and the Edwards–Anderson overlap q = (1/N) Σ_i S_i^a S_i^b are
    averaged over the remaining sweeps. Couplings are ``coupling_scale`` · J as in ``glauber``.
    """
    J = _check_couplings(J, allow_integer=True)
    scale = _check_scale(coupling_scale)
    N = J.shape[0]
    s = np.asarray(spins)
    starts = np.broadcast_to(s, (2, N)) if s.shape == (N,) else s
    if starts.shape != (2, N):
        raise ValueError(f"spins must have shape ({N},) or (2, {N}), got {s.shape}")
    temps = np.atleast_1d(np.asarray(temperatures, dtype=np.float64))
    if temps.ndim != 1 or temps.size == 0:
        raise ValueError("temperatures must be a non-empty 1-d sequence")
    for T in temps:
        _check_temperature(T, "temperatures")
    S = check_int(sweeps_per_temperature, "sweeps_per_temperature", 1)
    H = _check_vector(fields, N, "fields")
    check_int(seed, "seed", 0)
    Jcols = _columns(J)
    xi = np.zeros((N, 0), np.int8)
    chains = [
        _SpinChain(J, Jcols, scale, H, _check_binary(starts[r], N, "spins", (-1, 1)), xi,
                   child_seed(seed, "anneal", r))
        for r in range(2)
    ]
    n_eq = S // 2
    energy = np.empty(temps.size)
    q_mean = np.empty(temps.size)
    q_abs = np.empty(temps.size)
    rate = np.empty(temps.size)
    for t, T in enumerate(temps):
        flips = 0
        energies = []
        configs = []
        for chain in chains:
            flips += chain.run(float(T), n_eq, 0, 0, False)[0]
            out = chain.run(float(T), S - n_eq, 0, 1, True)
            flips += out[0]
            energies.append(out[2][1:])
            configs.append(out[4][1:].astype(np.int32))
        q = np.einsum("ti,ti->t", configs[0], configs[1]) / N
        energy[t] = np.mean(energies)
        q_mean[t] = q.mean()
        q_abs[t] = np.abs(q).mean()
        rate[t] = flips / (2 * S * N)
    return AnnealResult(
        temperatures=temps,
        energy_per_neuron=energy,
        ea_overlap=q_mean,
        ea_overlap_abs=q_abs,
        flip_rate=rate,
        spins=np.stack([c.spins for c in chains]),
    )


# --------------------------------------------------------------------------------------
# Hebbian networks: two kernels, a cost model and the choice between them
# --------------------------------------------------------------------------------------

#: The kernels of ``glauber_hebbian``; "auto" picks one with ``choose_kernel``.
KERNELS = ("cached_fields", "overlaps")

#: Default bound on the couplings storage (bytes) up to which "auto" considers the N × N
#: cached-field kernel: 512 MiB (N ≈ 23 000 with int8 counts, P ≤ 127; ≈ 16 000 with int16).
#: Beyond it the overlap kernel runs, whose memory grows like N·P.
DEFAULT_MEMORY_LIMIT = 2**29

# Flip rates (flips per attempt) of Hebbian networks started from a cue at overlap 0.8,
# averaged over 40 sweeps (N = 2000), on an (alpha, temperature) grid; measured with
# ``python -m statnn.bench calibrate``. Used only to estimate costs.
_FLIP_ALPHAS = np.array([0.01, 0.05, 0.1, 0.14, 0.2, 0.3])
_FLIP_TEMPERATURES = np.array([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.5, 2.0, 3.0])
_FLIP_RATES = np.array([
    [0.002, 0.002, 0.006, 0.050, 0.180, 0.353, 0.438, 0.485, 0.493, 0.497],
    [0.002, 0.002, 0.011, 0.082, 0.234, 0.312, 0.387, 0.464, 0.483, 0.492],
    [0.002, 0.004, 0.033, 0.142, 0.210, 0.275, 0.343, 0.440, 0.474, 0.491],
    [0.003, 0.019, 0.071, 0.134, 0.192, 0.255, 0.311, 0.417, 0.465, 0.486],
    [0.017, 0.026, 0.069, 0.119, 0.179, 0.240, 0.304, 0.399, 0.453, 0.484],
    [0.016, 0.024, 0.062, 0.104, 0.153, 0.208, 0.261, 0.362, 0.429, 0.476],
])


def expected_flip_rate(alpha: float, temperature: float) -> float:
    """Flips per attempt expected for a Hebbian network at load α = P/N and temperature T.

    Bilinear interpolation in a table measured from cued starts (``_FLIP_RATES``), α and
    T clamped to the table; above its last temperature T_max the rate approaches the
    infinite-temperature value ½ as r(T) = ½ − (½ − r(T_max)) T_max / T.
    """
    T = _check_temperature(temperature)
    a = float(alpha)
    if not (math.isfinite(a) and a >= 0):
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}")
    a = min(max(a, _FLIP_ALPHAS[0]), _FLIP_ALPHAS[-1])
    by_t = np.array([np.interp(a, _FLIP_ALPHAS, col) for col in _FLIP_RATES.T])
    t_max = _FLIP_TEMPERATURES[-1]
    if T > t_max:
        return float(0.5 - (0.5 - by_t[-1]) * t_max / T)
    return float(np.interp(T, _FLIP_TEMPERATURES, by_t))


@dataclass(frozen=True)
class CostModel:
    """Cost coefficients (seconds) of the two Hebbian kernels; see ``kernel_costs``.

    Per attempt, with r the flip rate and b = 2r(1 − r) the rate of mispredicted flip
    branches (a flip is a coin the CPU cannot predict):

        cached fields:  t = cached_attempt + b · cached_branch + r · B · c,
        overlaps:       t = overlap_attempt + b · overlap_branch + P̃ (d + r · overlap_flip_pattern),

    B the bytes streamed per flip (a row of the counts K plus the sums f), c =
    ``cached_byte`` while the N² counts fit in ``cache_bytes`` (half the 32 MiB L3;
    ``cached_byte_dram`` beyond), P̃ = 64⌈P/64⌉ and d = ``overlap_pattern`` while the N·P̃
    patterns fit in ``cache_bytes`` (``overlap_pattern_dram`` beyond). Setup per run: N²
    ``sums_setup`` for the initial sums (cached fields; N·P̃ for the overlaps) and, unless
    the counts exist, ``build_word`` per popcount word (N² ⌈P/64⌉ / 2) to build them, shared
    by ``runs`` runs. Defaults: fitted on a 2-core AMD EPYC (Zen 5) VM by ``python -m
    statnn.bench calibrate``.
    """

    cached_attempt: float = 9.05e-9
    cached_branch: float = 23.7e-9
    cached_byte: float = 0.00544e-9
    cached_byte_dram: float = 0.022e-9
    overlap_attempt: float = 12.8e-9
    overlap_branch: float = 26.5e-9
    overlap_pattern: float = 0.0186e-9
    overlap_pattern_dram: float = 0.0729e-9
    overlap_flip_pattern: float = 0.0e-9
    sums_setup: float = 0.684e-9
    build_word: float = 0.504e-9
    cache_bytes: int = 16 * 2**20


#: The calibrated cost model used by ``choose_kernel``.
COST_MODEL = CostModel()


@dataclass(frozen=True)
class KernelCost:
    """Estimated cost of one Hebbian kernel: seconds per attempt, setup seconds per run
    (initial state and, amortised over the runs, building the couplings) and the bytes of
    couplings storage (patterns N·P int8, plus the N² counts for cached fields)."""

    kernel: str
    seconds_per_attempt: float
    setup_seconds: float
    memory_bytes: int

    def seconds(self, attempts: int) -> float:
        """Total estimated seconds for a run of ``attempts`` update attempts."""
        return self.setup_seconds + attempts * self.seconds_per_attempt


def _cached_bytes_per_flip(n: int, p: int) -> int:
    """Bytes streamed per flip by the cached-field kernel: a counts row plus the sums.

    The sums are int16 when max_i Σ_j |K_ij| < 2¹⁵, estimated as N √(2P/π) · 1.1 (|K_ij| is
    a sum of P random signs).
    """
    k_bytes = counts_dtype(p).itemsize
    f_bytes = 2 if n * math.sqrt(2 * p / math.pi) * 1.1 < 2**15 else 4
    return n * (k_bytes + f_bytes)


def kernel_costs(
    n_neurons: int,
    n_patterns: int,
    temperature: float,
    flip_rate: float | None = None,
    runs: int = 1,
    build_counts: bool = True,
    model: CostModel = COST_MODEL,
) -> dict[str, KernelCost]:
    """Estimated cost of each kernel in ``KERNELS`` for a Hebbian network (see ``CostModel``).

    ``flip_rate`` r (flips per attempt) defaults to ``expected_flip_rate(P/N, T)``; pass a
    measured one when known. ``runs`` runs share the N² counts, built only if
    ``build_counts``.
    """
    N = check_int(n_neurons, "n_neurons", 1)
    P = check_int(n_patterns, "n_patterns", 0)
    T = _check_temperature(temperature)
    runs = check_int(runs, "runs", 1)
    if flip_rate is None:
        r = expected_flip_rate(P / N, T)
    else:
        r = float(flip_rate)
        if not 0.0 <= r <= 1.0:
            raise ValueError(f"flip_rate must be in [0, 1], got {flip_rate!r}")
    Pp = padded_patterns(P)
    pattern_bytes = N * Pp
    k_bytes = N * N * counts_dtype(P).itemsize
    branch = 2 * r * (1 - r)
    per_byte = model.cached_byte if k_bytes <= model.cache_bytes else model.cached_byte_dram
    cached = (model.cached_attempt + branch * model.cached_branch
              + r * _cached_bytes_per_flip(N, P) * per_byte)
    build = N * N * ((P + 63) // 64) / 2 * model.build_word if build_counts else 0.0
    d = model.overlap_pattern if pattern_bytes <= model.cache_bytes else model.overlap_pattern_dram
    overlap = (model.overlap_attempt + branch * model.overlap_branch
               + Pp * (d + r * model.overlap_flip_pattern))
    return {
        "cached_fields": KernelCost("cached_fields", cached,
                                    N * N * model.sums_setup + build / runs,
                                    k_bytes + pattern_bytes),
        "overlaps": KernelCost("overlaps", overlap, pattern_bytes * model.sums_setup,
                               pattern_bytes),
    }


def choose_kernel(
    n_neurons: int,
    n_patterns: int,
    temperature: float,
    flip_rate: float | None = None,
    memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT,
    sweeps: int | None = None,
    runs: int = 1,
    build_counts: bool = True,
) -> str:
    """The cheaper Hebbian kernel, "cached_fields" or "overlaps", by ``kernel_costs``.

    Cached fields cost O(1) per attempt plus O(N) per flip and N² memory; overlaps O(P) per
    attempt and per flip and N·P memory. The cached-field kernel is considered only while
    its storage (N² counts + N·P patterns) is at most ``memory_limit_bytes``. With
    ``sweeps`` the comparison is of total time, setup included (building the counts, shared
    by ``runs`` runs, unless ``build_counts`` is False); without it, per attempt (long runs).
    Results never depend on the choice: both kernels give the same trajectory.
    """
    limit = check_int(memory_limit_bytes, "memory_limit_bytes", 0)
    costs = kernel_costs(n_neurons, n_patterns, temperature, flip_rate, runs, build_counts)
    if costs["cached_fields"].memory_bytes > limit:
        return "overlaps"
    if sweeps is None:
        key = {k: c.seconds_per_attempt for k, c in costs.items()}
    else:
        attempts = check_int(sweeps, "sweeps", 0) * int(n_neurons)
        key = {k: c.seconds(attempts) for k, c in costs.items()}
    return min(KERNELS, key=key.__getitem__)


class _OverlapChain:
    """State of one chain in the pattern-overlap representation: spins, all P overlap
    counts M_μ = Σ_i ξ_i^μ S_i (exact integers), rng; couplings (1/N) K."""

    def __init__(self, xi_nm, P, H, spins, seed):
        N, Pp = xi_nm.shape
        self.xi_nm = xi_nm
        self.P = P
        self.H = H
        self.spins = spins
        self.scale = 1.0 / N
        self.M = initial_overlaps(xi_nm, spins, np.empty(Pp, overlaps_dtype(N)))
        self.state = seed_state(seed)

    def run(self, temperature, sweeps, average_from, record_every, record_spins, n_report):
        beta, deterministic = _beta(temperature)
        N = self.spins.shape[0]
        n_rec = 1 + sweeps // record_every if record_every > 0 else 0
        count_sums = np.zeros(n_report, np.int64)
        rec_energy = np.empty(n_rec)
        rec_counts = np.empty((n_rec, n_report), np.int64)
        rec_spins = np.empty((n_rec if record_spins else 0, N), np.int8)
        t0 = time.perf_counter()
        flips = overlap_kernel(
            self.xi_nm, self.P, self.M, self.spins, self.scale, self.H, self.state,
            1.0 if deterministic else 2.0 * beta * self.scale, deterministic, sweeps,
            n_report, average_from, count_sums, record_every, rec_energy, rec_counts,
            rec_spins,
        )
        seconds = time.perf_counter() - t0
        return int(flips), count_sums, rec_energy, rec_counts, rec_spins, seconds


class HebbianNetwork:
    """Hopfield couplings J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, J_ii = 0, held as their patterns.

    ``patterns`` (P, N) of ±1 are stored neuron-major, (N, P̃) int8 zero-padded to
    P̃ = 64⌈P/64⌉ columns: N·P̃ bytes, all the overlap kernel needs. The integer counts
    K = N·J of the cached-field kernel (N² bytes in int8 for P ≤ 127, else int16) are built
    from bit-packed patterns the first time that kernel runs (``counts``) and kept. Safe to
    share between threads.
    """

    def __init__(self, patterns: object):
        xi = np.asarray(patterns)
        if xi.ndim == 1:
            xi = xi[None, :]
        if xi.ndim != 2 or xi.shape[1] < 1:
            raise ValueError(f"patterns must have shape (P, N) with N >= 1, got {xi.shape}")
        if xi.dtype == np.int8:
            ok = is_plus_minus_one(np.ascontiguousarray(xi))
        else:
            ok = np.issubdtype(xi.dtype, np.number) and bool(np.all((xi == 1) | (xi == -1)))
        if not ok:
            raise ValueError("patterns must contain only -1 and +1")
        P, N = xi.shape
        if padded_patterns(P) * N >= 2**31:
            raise ValueError(f"patterns too large: 64⌈P/64⌉·N must be < 2^31 for exact int32 "
                             f"fields, got P = {P}, N = {N}")
        self._P = P
        self._xi_nm = neuron_major(xi)
        self._counts = None
        self._sums_dtype = None
        self._lock = threading.Lock()

    @property
    def n_neurons(self) -> int:
        return self._xi_nm.shape[0]

    @property
    def n_patterns(self) -> int:
        return self._P

    @property
    def neuron_major(self) -> np.ndarray:
        """The patterns as (N, P) int8, row i = (ξ_i^μ)_μ (read-only view)."""
        view = self._xi_nm[:, :self._P]
        view.flags.writeable = False
        return view

    @property
    def has_counts(self) -> bool:
        """Whether the N × N counts have been built."""
        return self._counts is not None

    def counts(self) -> np.ndarray:
        """K = N·J, K_ij = Σ_μ ξ_i^μ ξ_j^μ, K_ii = 0 (int8/int16/int32, built once)."""
        with self._lock:
            if self._counts is None:
                K = hebbian_counts_packed(self._xi_nm, self._P)
                self._sums_dtype = _sums_dtype(K)
                self._counts = K
        return self._counts

    def memory_bytes(self, kernel: str) -> int:
        """Bytes of couplings storage a kernel needs (patterns, plus N² counts if cached)."""
        N, Pp = self._xi_nm.shape
        if kernel == "overlaps":
            return N * Pp
        if kernel == "cached_fields":
            return N * Pp + N * N * counts_dtype(self._P).itemsize
        raise ValueError(f"kernel must be one of {KERNELS}, got {kernel!r}")

    def choose_kernel(self, temperature: float, sweeps: int | None = None,
                      flip_rate: float | None = None,
                      memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT, runs: int = 1) -> str:
        """``choose_kernel`` for this network (the counts' build cost only if not built)."""
        return choose_kernel(self.n_neurons, self.n_patterns, temperature, flip_rate,
                             memory_limit_bytes, sweeps, runs, build_counts=not self.has_counts)

    def energy_per_neuron(self, spins: object) -> float:
        """E/N = −(1/(2N²)) Σ_{i≠j} K_ij S_i S_j = −(Σ_μ M_μ² − P N) / (2N²), exactly.

        Evaluated as (−½ · pair)/N/N with the exact integer pair = Σ_μ M_μ² − P N: the same
        floating-point value as ``observables.energy_per_neuron(K, S) / N``.
        """
        (N, Pp), P = self._xi_nm.shape, self._P
        S = _check_binary(spins, N, "spins", (-1, 1))
        M = initial_overlaps(self._xi_nm, S, np.empty(Pp, np.int64))
        pair = int(np.dot(M, M)) - P * N
        return (-0.5 * float(pair) - 0.0) / N / N

    def resolve_kernel(self, kernel: str, temperature: float, sweeps: int | None = None,
                       flip_rate: float | None = None,
                       memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT, runs: int = 1) -> str:
        """``kernel`` itself, or for "auto" the choice of ``choose_kernel``."""
        if kernel == "auto":
            return self.choose_kernel(temperature, sweeps, flip_rate, memory_limit_bytes, runs)
        if kernel not in KERNELS:
            raise ValueError(f"kernel must be 'auto' or one of {KERNELS}, got {kernel!r}")
        return kernel

    def glauber(
        self,
        spins: object,
        temperature: float,
        sweeps: int,
        seed: int,
        kernel: str = "auto",
        record_every: int = 0,
        record_spins: bool = False,
        fields: object = None,
        n_report: int | None = None,
        flip_rate: float | None = None,
        memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT,
    ) -> GlauberResult:
        """``glauber_hebbian`` on this network (see there)."""
        N, P = self.n_neurons, self._P
        S = _check_binary(spins, N, "spins", (-1, 1))
        T = _check_temperature(temperature)
        sweeps = check_int(sweeps, "sweeps", 0)
        record_every = check_int(record_every, "record_every", 0)
        H = _check_vector(fields, N, "fields")
        n_report = P if n_report is None else check_int(n_report, "n_report", 0)
        if n_report > P:
            raise ValueError(f"n_report must be <= n_patterns = {P}, got {n_report}")
        check_int(seed, "seed", 0)
        kernel = self.resolve_kernel(kernel, T, sweeps, flip_rate, memory_limit_bytes)
        average_from = sweeps // 2
        if kernel == "cached_fields":
            K = self.counts()
            xi = np.ascontiguousarray(self._xi_nm[:, :n_report])
            chain = _SpinChain(K, K, 1.0 / N, H, S, xi, seed, self._sums_dtype)
            out = chain.run(T, sweeps, average_from, record_every, bool(record_spins))
            counts = chain.counts
        else:
            chain = _OverlapChain(self._xi_nm, P, H, S, seed)
            out = chain.run(T, sweeps, average_from, record_every, bool(record_spins),
                            n_report)
            counts = chain.M[:n_report].astype(np.int64)
        return _glauber_result(chain.spins, counts, out, T, sweeps, average_from,
                               record_every, bool(record_spins), True, kernel)


def glauber_hebbian(
    patterns: object,
    spins: object,
    temperature: float,
    sweeps: int,
    seed: int,
    kernel: str = "auto",
    record_every: int = 0,
    record_spins: bool = False,
    fields: object = None,
    n_report: int | None = None,
    flip_rate: float | None = None,
    memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT,
) -> GlauberResult:
    """Glauber dynamics of a Hopfield network, J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, J_ii = 0.

    The same dynamics and random stream as ``glauber(hebbian_counts(patterns), spins, T,
    sweeps, seed, coupling_scale=1/N, ...)``: P(S_i = +1) = 1 / (1 + exp(−2β(f_i/N + H_i))),
    f_i = Σ_{j≠i} K_ij S_j. ``patterns`` (P, N) of ±1, or a ``HebbianNetwork`` (reused
    state). ``kernel``: "cached_fields" (cached f, O(1) per attempt + O(N) per flip, N²
    memory), "overlaps" (f_i = Σ_μ ξ_i^μ M_μ − P S_i from the exact overlap counts M_μ,
    O(P) per attempt and flip, N·P memory, the N × N matrix is never built) or "auto"
    (``choose_kernel`` with this run's N, P, T, ``sweeps``, ``flip_rate`` and
    ``memory_limit_bytes``). All kernels give the same trajectory for the same seed; the
    result says which ran. Overlaps m_μ are reported for the first ``n_report`` patterns
    (default all), with ``record_every``/``record_spins`` as in ``glauber``.
    """
    network = patterns if isinstance(patterns, HebbianNetwork) else HebbianNetwork(patterns)
    return network.glauber(spins, temperature, sweeps, seed, kernel=kernel,
                           record_every=record_every, record_spins=record_spins,
                           fields=fields, n_report=n_report, flip_rate=flip_rate,
                           memory_limit_bytes=memory_limit_bytes)
