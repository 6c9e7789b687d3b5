"""Hebbian patterns as the kernels hold them: neuron-major int8 rows and exact counts K = N·J.

The ±1 patterns (P, N) are stored neuron-major, (N, P̃) int8 with row i = (ξ_i^μ)_μ,
zero-padded to P̃ = 64⌈P/64⌉ columns (ξ = 0 adds nothing to a field), so that the overlap
kernel reads one contiguous row per attempt. The counts K_ij = Σ_μ ξ_i^μ ξ_j^μ of the
cached-field kernel are built exactly from bit-packed patterns, K_ij = P − 2 popcount(b_i ⊕ b_j),
with no float temporaries.
"""

from __future__ import annotations

import numpy as np
from numba import njit, types
from numba.extending import intrinsic

PAD = 64


@intrinsic
def _popcount(typingctx, x):
    """Number of set bits of an unsigned 64-bit integer (LLVM ctpop: one instruction)."""
    if x != types.uint64:
        return None

    def codegen(context, builder, signature, args):
        return builder.ctpop(args[0])

    return types.uint64(types.uint64), codegen


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
