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

Speed. The sums f_i = Σ_j J_ij S_j are cached and updated only when a neuron flips,
f_j += 2 S_i^new J_ji for all j: one contiguous row of J for symmetric J (row i = column i),
of Jᵀ otherwise. Float J (float32/float64) keeps f in float64. Integer J (int8/16/32, with
a ``coupling_scale``, e.g. Hebbian counts N·J with scale 1/N) keeps f as exact integers in
int16/int32: 1-byte rows and no rounding drift, the fastest form. Most decisions need no
exp (see ``_new_spin``). Pattern overlaps are tracked exactly as integer counts
Σ_i ξ_i^μ S_i. The kernels are single-threaded: results never depend on the thread count.
"""

from __future__ import annotations

import math
import operator
import time
from dataclasses import dataclass

import numpy as np
from numba import njit

from statnn.rng import child_seed

__all__ = [
    "AnnealResult",
    "GlauberActivityResult",
    "GlauberResult",
    "anneal",
    "attempt_stream",
    "glauber",
    "glauber_activity",
]

# β is clamped here so that 4β stays finite: 4β·f is then never inf·0 = NaN, and a field of
# size > 1e-298 already gives a probability of exactly 0 or 1.
_MAX_BETA = 1e300
_STREAM_KEY = "glauber"

_U32 = np.uint64(32)
_U11 = np.uint64(11)
_LOW32 = np.uint64(0xFFFFFFFF)
_TWO_POW_32 = np.uint64(1 << 32)
_INV_2_53 = 1.0 / 9007199254740992.0


# --------------------------------------------------------------------------------------
# xoshiro256** in numba (state kept in registers inside the kernels)
# --------------------------------------------------------------------------------------


@njit(inline="always")
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(inline="always")
def _next(s0, s1, s2, s3):
    result = _rotl(s1 * np.uint64(5), 7) * np.uint64(9)
    t = s1 << np.uint64(17)
    s2 ^= s0
    s3 ^= s1
    s1 ^= s2
    s0 ^= s3
    s2 ^= t
    s3 = _rotl(s3, 45)
    return result, s0, s1, s2, s3


@njit(inline="always")
def _draw_attempt(s0, s1, s2, s3, n, reject_below):
    """One attempt's (neuron index, uniform u ∈ [0, 1)) and the advanced state."""
    while True:
        x, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
        m = (x >> _U32) * n
        if (m & _LOW32) >= reject_below:
            break
    i = np.intp(m >> _U32)
    x, s0, s1, s2, s3 = _next(s0, s1, s2, s3)
    u = np.float64(x >> _U11) * _INV_2_53
    return i, u, s0, s1, s2, s3


@njit(inline="always")
def _new_spin(x, u, old, deterministic):
    """New spin ±1 for the decision variable x = 2β f = 4β h and the uniform u.

    T > 0: +1 iff u < p(x), with p(x) = 1 / (1 + exp(−x)) for x ≥ 0 and 1 − 1 / (1 + exp(x))
    for x < 0 (never overflows). T = 0 (``deterministic``): sign(x), ``old`` when x = 0.

    Fast path: the spin follows the sign of x iff v < p_b = 1 / (1 + exp(−|x|)) (v = u for
    x ≥ 0, 1 − u otherwise; all exact), which is certain when v < ½ ≤ p_b or when
    v < t/(1 + t) ≤ p_b with t = 1 + a + a²/2 + a³/6 ≤ exp(a), a = |x| (used for a > 0.01,
    where its margin ≥ 10⁻¹⁰ dwarfs rounding). These tests are branch-free selects; only
    the remaining, uncertain cases take the (well predicted) branch that evaluates exp.
    """
    sgn = 1 if x >= 0.0 else -1
    if deterministic:
        return old if x == 0.0 else sgn
    a = abs(x)
    v = u if x >= 0.0 else 1.0 - u
    am = min(a, 1000.0)
    t = 1.0 + am * (1.0 + am * (0.5 + am * (1.0 / 6.0)))
    easy = (v < 0.5) | ((a > 0.01) & (v * (t + 1.0) < t))
    if easy:
        return sgn
    pb = 1.0 / (1.0 + np.exp(-a))
    up = (u < pb) if x >= 0.0 else (u < 1.0 - pb)
    return 1 if up else -1


def _seed_state(seed: int) -> np.ndarray:
    """xoshiro256** state from splitmix64 seeded with child_seed(seed, "glauber")."""
    mask = (1 << 64) - 1
    x = child_seed(seed, _STREAM_KEY)
    words = []
    for _ in range(4):
        x = (x + 0x9E3779B97F4A7C15) & mask
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        words.append(z ^ (z >> 31))
    return np.array(words, dtype=np.uint64)


def _reject_below(n: int) -> np.uint64:
    return np.uint64((1 << 32) % n)


@njit(cache=True)
def _attempt_stream_kernel(state, n, reject_below, attempts):
    idx = np.empty(attempts, np.int64)
    uni = np.empty(attempts, np.float64)
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    for a in range(attempts):
        i, u, s0, s1, s2, s3 = _draw_attempt(s0, s1, s2, s3, n, reject_below)
        idx[a] = i
        uni[a] = u
    return idx, uni


def attempt_stream(seed: int, n_neurons: int, attempts: int) -> tuple[np.ndarray, np.ndarray]:
    """The (neuron index, uniform) pairs that ``glauber(..., seed)`` consumes, in order.

    Attempt a updates neuron ``indices[a]`` to +1 iff ``uniforms[a] < p``; a reference loop
    driven by this stream reproduces the kernels' trajectory.
    """
    n = _check_int(n_neurons, "n_neurons", 1)
    attempts = _check_int(attempts, "attempts", 0)
    return _attempt_stream_kernel(_seed_state(seed), np.uint64(n), _reject_below(n), attempts)


# --------------------------------------------------------------------------------------
# kernels
# --------------------------------------------------------------------------------------


@njit(cache=True)
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


@njit(cache=True)
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


@njit(cache=True)
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


@njit(cache=True)
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


@njit(cache=True)
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


@njit(cache=True)
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
    reject_below = _TWO_POW_32 % n
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    flips = 0
    r = 0
    if record_every > 0:
        _record(r, spins, f, scale, H, counts, rec_energy, rec_counts, rec_spins)
        r += 1
    for sweep in range(sweeps):
        for _ in range(N):
            i, u, s0, s1, s2, s3 = _draw_attempt(s0, s1, s2, s3, n, reject_below)
            old = spins[i]
            new = _new_spin(c * (f[i] + Hs[i]), u, old, deterministic)
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


@njit(cache=True)
def _activity_kernel(Jcols, n_act, h, state, four_beta, deterministic, sweeps):
    """Activity-form Glauber (seed Eqs. 1–2) in place; same stream as ``_glauber_kernel``."""
    N = n_act.shape[0]
    n = np.uint64(N)
    reject_below = _TWO_POW_32 % n
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    flips = 0
    for _sweep in range(sweeps):
        for _ in range(N):
            i, u, s0, s1, s2, s3 = _draw_attempt(s0, s1, s2, s3, n, reject_below)
            old = n_act[i]
            new = (_new_spin(four_beta * h[i], u, 2 * old - 1, deterministic) + 1) // 2
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


def _check_int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    try:
        value = operator.index(value)
    except TypeError:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}") from None
    if value < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value}")
    return value


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

    J is float (sums f in float64) or integer (sums in int32, exact); the couplings are
    scale · J and H the external fields.
    """

    def __init__(self, J, Jcols, scale, H, spins, xi, seed):
        self.Jcols = Jcols
        self.scale = scale
        self.H = H
        self.spins = spins
        self.f = _coupling_sums(J, spins, np.empty(J.shape[0], _sums_dtype(J)))
        self.two = self.f.dtype.type(2)
        self.xi = xi
        self.counts = xi.T.astype(np.int64) @ spins.astype(np.int64)
        self.state = _seed_state(seed)

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
    patterns were given. kernel_seconds: wall time spent in the compiled kernel.
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
    sweeps = _check_int(sweeps, "sweeps", 0)
    record_every = _check_int(record_every, "record_every", 0)
    H = _check_vector(fields, N, "fields")
    xi = _check_patterns(patterns, N)
    chain = _SpinChain(J, _columns(J), scale, H, S, xi, seed)
    average_from = sweeps // 2
    flips, count_sums, rec_energy, rec_counts, rec_spins, seconds = chain.run(
        T, sweeps, average_from, record_every, bool(record_spins)
    )
    has_patterns = patterns is not None
    recorded = record_every > 0
    if has_patterns:
        n_avg = sweeps - average_from
        avg = count_sums / (n_avg * N) if n_avg > 0 else chain.counts / N
    return GlauberResult(
        spins=chain.spins,
        flips=flips,
        attempts=sweeps * N,
        temperature=T,
        sweeps=sweeps,
        record_sweeps=np.arange(rec_energy.shape[0]) * record_every if recorded else None,
        energy=rec_energy if recorded else None,
        overlaps=rec_counts / N if recorded and has_patterns else None,
        trajectory_spins=rec_spins if recorded and record_spins else None,
        final_overlaps=chain.counts / N if has_patterns else None,
        time_averaged_overlap=avg if has_patterns else None,
        kernel_seconds=seconds,
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
    sweeps = _check_int(sweeps, "sweeps", 0)
    beta, deterministic = _beta(T)
    h = _activity_fields(J, n_act, theta)
    flips = _activity_kernel(
        _columns(J), n_act, h, _seed_state(seed), 1.0 if deterministic else 4.0 * beta,
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
    S = _check_int(sweeps_per_temperature, "sweeps_per_temperature", 1)
    H = _check_vector(fields, N, "fields")
    _check_int(seed, "seed", 0)
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
