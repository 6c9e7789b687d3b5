"""Glauber dynamics of Hebbian networks in the pattern-overlap representation.

For Hopfield couplings J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, J_ii = 0, the coupling sum of neuron i is

    f_i = Σ_{j≠i} N J_ij S_j = Σ_μ ξ_i^μ M_μ − P S_i,    M_μ = Σ_j ξ_j^μ S_j,

(the −P S_i removes the self term, J_ii = 0). The overlaps M_μ = N m_μ are kept as exact
integers and a flip of S_i changes them by ΔM_μ = 2 S_i^new ξ_i^μ, so one attempt costs O(P)
(the field) plus O(P) per flip, and the state is the ±1 patterns in int8, stored
neuron-major (N, P̃) so that neuron i reads one contiguous row: about N·P bytes instead of
the N² couplings. Rows are zero-padded to P̃ = 64⌈P/64⌉ columns (ξ = 0 adds nothing to the
field and keeps the padded M_μ at 0), which lets the compiler run the field as whole
64-lane multiply-adds with no scalar remainder. The field is the same exact integer as the
cached-field kernel's f_i with the integer counts K = N·J, the random stream and the
decision rule are shared (``statnn.kernels_core``), so for the same seed both kernels
follow the same trajectory.

Also here: K = N·J built exactly from bit-packed patterns (K_ij = P − 2 popcount(b_i ⊕ b_j),
no float temporaries), and the pattern checks and layouts both kernels need.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from statnn.kernels_core import TWO_POW_32, draw_attempt, new_spin

__all__ = [
    "PAD",
    "counts_dtype",
    "hebbian_counts_packed",
    "initial_overlaps",
    "is_plus_minus_one",
    "neuron_major",
    "overlap_kernel",
    "overlaps_dtype",
    "pack_bits",
    "padded_patterns",
]


@intrinsic
def _popcount(typingctx, x):
    """Number of set bits of an unsigned 64-bit integer (LLVM ctpop: one instruction)."""
    if x != types.uint64:
        return None

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return types.uint64(types.uint64), codegen


@intrinsic
def _prefetch_row(typingctx, arr, i, j):
    """Hint the CPU to fetch the cache line holding arr[i, j] (LLVM prefetch; no effect on
    results). Used to load the next attempt's pattern row while this one is computed."""
    if not (isinstance(arr, types.Array) and arr.ndim == 2):
        return None

    def codegen(context, builder, signature, args):
        aryty = signature.args[0]
        ary = context.make_array(aryty)(context, builder, args[0])
        ptr = cgutils.get_item_pointer(context, builder, aryty, ary, [args[1], args[2]])
        i32 = ir.IntType(32)
        fnty = ir.FunctionType(ir.VoidType(), [ptr.type, i32, i32, i32])
        fn = cgutils.get_or_insert_function(builder.module, fnty, "llvm.prefetch.p0")
        # read access, high temporal locality, data cache
        builder.call(fn, [ptr, ir.Constant(i32, 0), ir.Constant(i32, 3), ir.Constant(i32, 1)])
        return context.get_dummy_value()

    return types.void(arr, i, j), codegen


@njit(cache=True, nogil=True)
def is_plus_minus_one(x):
    """True iff every entry of the 2-d array x is −1 or +1 (no temporaries)."""
    for i in range(x.shape[0]):
        for j in range(x.shape[1]):
            v = x[i, j]
            if v != 1 and v != -1:
                return False
    return True


@njit(cache=True, nogil=True)
def _transpose_int8(src, out):
    """out = srcᵀ for int8 arrays, in 64 × 64 tiles (cache friendly)."""
    R, C = src.shape
    B = 64
    for rb in range(0, R, B):
        for cb in range(0, C, B):
            for c in range(cb, min(cb + B, C)):
                for r in range(rb, min(rb + B, R)):
                    out[c, r] = src[r, c]
    return out


PAD = 64


def padded_patterns(n_patterns: int) -> int:
    """P̃ = 64⌈P/64⌉, the row length of the neuron-major patterns."""
    return -(-n_patterns // PAD) * PAD


def neuron_major(patterns: np.ndarray) -> np.ndarray:
    """(N, P̃) int8 C-contiguous copy of ±1 patterns given as (P, N): row i = (ξ_i^μ)_μ,
    zero-padded to P̃ = ``padded_patterns(P)`` columns."""
    xi = np.ascontiguousarray(patterns)
    if xi.dtype != np.int8:
        xi = xi.astype(np.int8)
    P, N = xi.shape
    out = np.zeros((N, padded_patterns(P)), np.int8)
    return _transpose_int8(xi, out)


@njit(cache=True, nogil=True)
def pack_bits(xi_nm, P):
    """Bit b of word w of row i is [ξ_i^μ = +1], μ = 64 w + b < P: (N, ⌈P/64⌉) uint64."""
    N = xi_nm.shape[0]
    W = (P + 63) // 64
    bits = np.zeros((N, W), np.uint64)
    for i in range(N):
        for mu in range(P):
            if xi_nm[i, mu] > 0:
                bits[i, mu // 64] |= np.uint64(1) << np.uint64(mu % 64)
    return bits


def counts_dtype(n_patterns: int) -> np.dtype:
    """Narrowest exact dtype of K_ij = Σ_μ ξ_i^μ ξ_j^μ ∈ [−P, P]: int8, int16 or int32."""
    if n_patterns <= 127:
        return np.dtype(np.int8)
    return np.dtype(np.int16) if n_patterns <= 32767 else np.dtype(np.int32)


@njit(cache=True, nogil=True)
def _counts_from_bits(bits, P, out):
    """out_ij = P − 2 popcount(b_i ⊕ b_j) for i ≠ j, out_ii = 0; 64 × 64 tiles, i ≥ j."""
    N, W = bits.shape
    B = 64
    for ib in range(0, N, B):
        for jb in range(0, ib + 1, B):
            for i in range(ib, min(ib + B, N)):
                for j in range(jb, min(jb + B, i)):
                    d = np.uint64(0)
                    for w in range(W):
                        d += _popcount(bits[i, w] ^ bits[j, w])
                    k = P - 2 * np.int64(d)
                    out[i, j] = k
                    out[j, i] = k
    for i in range(N):
        out[i, i] = 0
    return out


def hebbian_counts_packed(xi_nm: np.ndarray, n_patterns: int) -> np.ndarray:
    """K = N·J, K_ij = Σ_{μ<P} ξ_i^μ ξ_j^μ (K_ii = 0), from neuron-major patterns (N, ≥ P).

    Equal to ``statnn.couplings.hebbian_counts`` (same dtype), but built from bit-packed
    patterns by popcount, in N²·⌈P/64⌉ word operations and with no N × N temporary: the
    only N² allocation is K itself (1 byte per entry for P ≤ 127, 2 for P ≤ 32767).
    """
    N, P = xi_nm.shape[0], int(n_patterns)
    out = np.empty((N, N), counts_dtype(P))
    return _counts_from_bits(pack_bits(xi_nm, P), P, out)


def overlaps_dtype(n_neurons: int) -> np.dtype:
    """dtype of the overlap counts M_μ ∈ [−N, N]: int16 for N < 2¹⁵ (the field is then a
    multiply-add of 16-bit lanes, the fastest form), int32 otherwise."""
    return np.dtype(np.int16) if n_neurons < 2**15 else np.dtype(np.int32)


@njit(cache=True, nogil=True)
def initial_overlaps(xi_nm, spins, M):
    """M_μ = Σ_i ξ_i^μ S_i into M (P̃,) (int16 exact for N < 2¹⁵, int32 for N < 2³¹)."""
    N, P = xi_nm.shape
    M[:] = 0
    for i in range(N):
        s = spins[i]
        row = xi_nm[i]
        for mu in range(P):
            M[mu] += s * row[mu]
    return M


@njit(cache=True, nogil=True)
def _record(r, spins, M, P, scale, H, n_report, rec_energy, rec_counts, rec_spins):
    """Record energy per neuron, the first n_report overlap counts and the spins into row r.

    E/N = −(½ scale Σ_i S_i f_i + Σ_i H_i S_i)/N with Σ_i S_i f_i = Σ_μ M_μ² − P N (exact);
    the same floating-point operations as the cached-field kernel's record.
    """
    N = spins.shape[0]
    pair = np.int64(0)
    for mu in range(M.shape[0]):
        pair += np.int64(M[mu]) * np.int64(M[mu])
    pair -= np.int64(P) * np.int64(N)
    ext = 0.0
    for i in range(N):
        ext += spins[i] * H[i]
    rec_energy[r] = -(0.5 * scale * np.float64(pair) + ext) / N
    for mu in range(n_report):
        rec_counts[r, mu] = M[mu]
    if rec_spins.shape[0] > 0:
        for i in range(N):
            rec_spins[r, i] = spins[i]


@njit(cache=True, nogil=True)
def overlap_kernel(
    xi_nm,
    P,
    M,
    spins,
    scale,
    H,
    state,
    c,
    deterministic,
    sweeps,
    n_report,
    average_from,
    count_sums,
    record_every,
    rec_energy,
    rec_counts,
    rec_spins,
):
    """Run ``sweeps`` sweeps in place (spins, overlap counts M, rng state); return the flips.

    xi_nm (N, P̃) int8 neuron-major patterns (P of them, zero-padded), M (P̃,) with
    M_μ = Σ_j ξ_j^μ S_j (int16 for N < 2¹⁵, else int32). The attempt on neuron i computes
    f_i = Σ_μ ξ_i^μ M_μ − P S_i (exact in int32: needs P̃·N < 2³¹)
    and decides with x = c (f_i + H_i / scale), c = 2β scale (couplings scale · K, scale =
    1/N for Hebbian J): the cached-field kernel's expression, value for value. A flip adds
    2 S_i^new ξ_i^μ to every M_μ. After each sweep s ≥ average_from the first n_report
    counts are added to count_sums; every ``record_every`` sweeps (and at the start) energy
    per neuron, those counts and optionally the spins are recorded.
    """
    N, Pp = xi_nm.shape
    Hs = H / scale
    n = np.uint64(N)
    below = TWO_POW_32 % n
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    flips = 0
    r = 0
    if record_every > 0:
        _record(r, spins, M, P, scale, H, n_report, rec_energy, rec_counts, rec_spins)
        r += 1
    total = sweeps * N
    # the attempt stream does not depend on the state: draw one attempt ahead and prefetch
    # its pattern row (the stream is consumed exactly as by the cached-field kernel)
    i_next = np.intp(0)
    u_next = 0.0
    if total > 0:
        i_next, u_next, s0, s1, s2, s3 = draw_attempt(s0, s1, s2, s3, n, below)
    a = 0
    for sweep in range(sweeps):
        for _ in range(N):
            i = i_next
            u = u_next
            a += 1
            if a < total:
                i_next, u_next, s0, s1, s2, s3 = draw_attempt(s0, s1, s2, s3, n, below)
                for off in range(0, Pp, 64):
                    _prefetch_row(xi_nm, i_next, off)
            old = spins[i]
            acc = np.int32(0)
            for mu in range(Pp):  # direct indexing: a row view would cost a refcount
                acc = np.int32(acc + np.int32(xi_nm[i, mu]) * np.int32(M[mu]))
            f = acc - np.int32(P) * np.int32(old)
            new = new_spin(c * (f + Hs[i]), u, old, deterministic)
            if new != old:
                spins[i] = new
                d = 2 * new
                for mu in range(Pp):
                    M[mu] += d * xi_nm[i, mu]
                flips += 1
        if sweep >= average_from:
            for mu in range(n_report):
                count_sums[mu] += M[mu]
        if record_every > 0 and (sweep + 1) % record_every == 0:
            _record(r, spins, M, P, scale, H, n_report, rec_energy, rec_counts, rec_spins)
            r += 1
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return flips
