"""The random attempt stream, the decision rule and the record shared by every kernel.

Each update attempt consumes, in this order, one neuron index (Lemire's unbiased
multiply-shift on the top 32 bits of a 64-bit draw, redrawing in the rare rejected case) and
one uniform u = (x >> 11) · 2⁻⁵³ ∈ [0, 1) from a xoshiro256** generator seeded by splitmix64
from ``statnn.rng.child_seed(seed, "glauber")``. The new spin is +1 iff u < p(x) with
p(x) = 1 / (1 + exp(−x)), x = 2β f_i (``new_spin``); at T = 0 it is sign(f_i). Every kernel
(cached fields and activities in ``kernels``, pattern overlaps in ``overlap``) draws from
this stream with these helpers, so equal fields give equal trajectories; ``attempt_stream``
returns the (i, u) sequence for reference loops.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from statnn.memory import require_memory
from statnn.rng import child_seed
from statnn.validation import check_int

STREAM_KEY = "glauber"

U32 = np.uint64(32)
U11 = np.uint64(11)
LOW32 = np.uint64(0xFFFFFFFF)
TWO_POW_32 = np.uint64(1 << 32)
INV_2_53 = 1.0 / 9007199254740992.0


@njit(inline="always")
def _rotl(x, k):
    return (x << np.uint64(k)) | (x >> np.uint64(64 - k))


@njit(inline="always")
def next_u64(s0, s1, s2, s3):
    """One xoshiro256** output and the advanced state (kept in registers by the caller)."""
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
def draw_attempt(s0, s1, s2, s3, n, reject_below):
    """One attempt's (neuron index, uniform u ∈ [0, 1)) and the advanced state."""
    while True:
        x, s0, s1, s2, s3 = next_u64(s0, s1, s2, s3)
        m = (x >> U32) * n
        if (m & LOW32) >= reject_below:
            break
    i = np.intp(m >> U32)
    x, s0, s1, s2, s3 = next_u64(s0, s1, s2, s3)
    u = np.float64(x >> U11) * INV_2_53
    return i, u, s0, s1, s2, s3


@njit(inline="always")
def stream_start(state, n_neurons):
    """(n, 2³² mod n, s0, s1, s2, s3): the ``draw_attempt`` arguments for N neurons, the
    generator state (4,) unpacked into registers (the kernel stores it back at the end)."""
    n = np.uint64(n_neurons)
    return n, TWO_POW_32 % n, state[0], state[1], state[2], state[3]


#: e^(−k/32) for k = 0 … 1280, the table behind ``certain_spin``'s bounds on e^(−|x|), |x| ≤ 40.
EXP_TABLE = np.exp(-np.arange(1281) / 32.0)
#: Relative error allowed for the approximation of e^(−|x|) in ``certain_spin``; its true
#: error is below 10⁻¹¹ (Taylor remainder r⁵/5! ≤ 7.8·10⁻¹² for |r| ≤ 1/64, plus rounding).
BOUND_REL = 1e-10
#: Absolute margin, for the rounding of the exact rule's 1 − p (a few 2⁻⁵³).
BOUND_ABS = 1e-15
#: 1.5 · 2⁵²: (y + ROUND) − ROUND rounds 0 ≤ y < 2⁵¹ to the nearest integer.
ROUND = 6755399441055744.0


@njit(inline="always")
def certain_spin(x, u):
    """(new spin as ±1.0, certain): the fast path of ``new_spin`` at T > 0, branch free.

    With a = |x| and q = e^(−a), the spin goes against the sign of x with probability
    τ = q / (1 + q): the exact rule (``uncertain_spin``) sends it against iff w ≤ τ_c for
    x ≥ 0 (w = 1 − u) or w < τ_c for x < 0 (w = u), where τ_c, its rounded τ, lies within
    ``BOUND_ABS`` of τ. Here q ≈ e^(−k/32) · (1 − r + r²/2 − r³/6 + r⁴/24) with a = k/32 + r,
    |r| ≤ 1/64 (table ``EXP_TABLE``), to better than ``BOUND_REL``, so w (1 + q) against
    q (1 ± 3·``BOUND_REL``) ± 2·``BOUND_ABS`` brackets the exact answer: outside the bracket
    (all but ~10⁻¹⁰ of the attempts) the answer is certain and equal to the exact rule's.
    a is capped at 40, where τ < 4.3·10⁻¹⁸ ≪ ``BOUND_ABS``: the lower end is then negative,
    so only "follows the sign" can be certain. No branches and no division: loops of it
    over replicas vectorise.
    """
    pos = x >= 0.0
    am = min(abs(x), 40.0)
    k = (am * 32.0 + ROUND) - ROUND
    r = am - k * 0.03125
    r2 = r * r
    q = EXP_TABLE[np.intp(k)] * ((1.0 - r) + r2 * ((0.5 - r * (1.0 / 6.0)) + r2 * (1.0 / 24.0)))
    lhs = (1.0 - u if pos else u) * (1.0 + q)
    hi = q * (1.0 + 3.0 * BOUND_REL) + 2.0 * BOUND_ABS
    lo = q * (1.0 - 3.0 * BOUND_REL) - 2.0 * BOUND_ABS
    sign = 1.0 if pos else -1.0
    return (sign if lhs > lo else -sign), (lhs > hi) | (lhs < lo)


@njit(inline="always")
def uncertain_spin(x, u):
    """New spin ±1 from the exact p(x) = 1 / (1 + exp(−x)) (never overflows): +1 iff u < p."""
    pb = 1.0 / (1.0 + np.exp(-abs(x)))
    up = (u < pb) if x >= 0.0 else (u < 1.0 - pb)
    return 1 if up else -1


@njit(inline="always")
def new_spin(x, u, old, deterministic):
    """New spin ±1 for the decision variable x = 2β f = 4β h and the uniform u.

    T > 0: +1 iff u < p(x), with p(x) = 1 / (1 + exp(−x)) for x ≥ 0 and 1 − 1 / (1 + exp(x))
    for x < 0 (never overflows). T = 0 (``deterministic``): sign(x), ``old`` when x = 0.
    Nearly every decision is settled by the branch-free bounds of ``certain_spin``; only the
    rare cases inside their bracket evaluate exp (``uncertain_spin``).
    """
    sgn = 1 if x >= 0.0 else -1
    if deterministic:
        return old if x == 0.0 else sgn
    spin, certain = certain_spin(x, u)
    if certain:
        return np.int64(spin)
    return uncertain_spin(x, u)


@njit(cache=True, nogil=True)
def record(r, pair, spins, H, scale, counts, rec_energy, rec_counts, rec_spins):
    """Energy per neuron, overlap counts and (if kept) the spins into record row r.

    E/N = −(½ scale · pair + Σ_i H_i S_i)/N with pair = Σ_i S_i f_i, f_i = Σ_j J_ij S_j (the
    couplings are scale · J); counts[μ] = Σ_i ξ_i^μ S_i for the first rec_counts.shape[1]
    patterns. Every kernel records through this function, so equal states give equal rows.
    """
    N = spins.shape[0]
    ext = 0.0
    for i in range(N):
        ext += spins[i] * H[i]
    rec_energy[r] = -(0.5 * scale * pair + ext) / N
    for mu in range(rec_counts.shape[1]):
        rec_counts[r, mu] = counts[mu]
    if rec_spins.shape[0] > 0:
        for i in range(N):
            rec_spins[r, i] = spins[i]


def record_buffers(n_neurons: int, n_counts: int, sweeps: int, record_every: int,
                   record_spins: bool):
    """Output arrays of a kernel run: the overlap count sums (n_counts,) and the records,
    energy (n_rec,), counts (n_rec, n_counts) and spins (n_rec, N) or (0, N), with
    n_rec = 1 + sweeps // record_every (0 when ``record_every`` is 0)."""
    n_rec = 1 + sweeps // record_every if record_every > 0 else 0
    require_memory(f"records of {n_rec} snapshots (N = {n_neurons})",
                   n_rec * (8 + 8 * n_counts + (n_neurons if record_spins else 0)),
                   "a larger record_every, or record_spins=False")
    return (np.zeros(n_counts, np.int64), np.empty(n_rec), np.empty((n_rec, n_counts), np.int64),
            np.empty((n_rec if record_spins else 0, n_neurons), np.int8))


def seed_state(seed: int) -> np.ndarray:
    """xoshiro256** state (4,) uint64 from splitmix64 seeded with child_seed(seed, "glauber")."""
    mask = (1 << 64) - 1
    x = child_seed(seed, STREAM_KEY)
    words = []
    for _ in range(4):
        x = (x + 0x9E3779B97F4A7C15) & mask
        z = x
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & mask
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & mask
        words.append(z ^ (z >> 31))
    return np.array(words, dtype=np.uint64)


@njit(cache=True, nogil=True)
def _attempt_stream_kernel(state, n_neurons, attempts):
    idx = np.empty(attempts, np.int64)
    uni = np.empty(attempts, np.float64)
    n, below, s0, s1, s2, s3 = stream_start(state, n_neurons)
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
    return _attempt_stream_kernel(seed_state(seed), n, attempts)
