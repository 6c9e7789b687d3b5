"""Glauber dynamics of Hebbian networks in the pattern-overlap representation.

For Hopfield couplings J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, J_ii = 0, the coupling sum of neuron i is

    f_i = Σ_{j≠i} N J_ij S_j = Σ_μ ξ_i^μ M_μ − P S_i,    M_μ = Σ_j ξ_j^μ S_j,

(the −P S_i removes the self term, J_ii = 0). The overlaps M_μ = N m_μ are kept as exact
integers and a flip of S_i changes them by ΔM_μ = 2 S_i^new ξ_i^μ, so one attempt costs O(P)
(the field) plus O(P) per flip, and the state is the ±1 patterns in int8, neuron-major
(N, P̃) (``patterns``): about N·P bytes instead of the N² couplings. The zero padding to
P̃ = 64⌈P/64⌉ columns keeps the padded M_μ at 0 and lets the compiler run the field as whole
64-lane multiply-adds with no scalar remainder. The field is the same exact integer as the
cached-field kernel's f_i with the integer counts K = N·J, the random stream, decision rule
and record are shared (``core``), so for the same seed both kernels follow the same
trajectory.
"""

from __future__ import annotations

import numpy as np
from llvmlite import ir
from numba import njit, types
from numba.core import cgutils
from numba.extending import intrinsic

from statnn.dynamics.core import draw_attempt, new_spin, record, stream_start


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
def _pair_from_overlaps(M, P, N):
    """Σ_i S_i f_i = Σ_μ M_μ² − P N, exact in int64, as float64."""
    pair = np.int64(0)
    for mu in range(M.shape[0]):
        pair += np.int64(M[mu]) * np.int64(M[mu])
    pair -= np.int64(P) * np.int64(N)
    return np.float64(pair)


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
    stop_when_stable,
):
    """Run ``sweeps`` sweeps in place (spins, overlap counts M, rng state).

    xi_nm (N, P̃) int8 neuron-major patterns (P of them, zero-padded), M (P̃,) with
    M_μ = Σ_j ξ_j^μ S_j (int16 for N < 2¹⁵, else int32). The attempt on neuron i computes
    f_i = Σ_μ ξ_i^μ M_μ − P S_i (exact in int32: needs P̃·N < 2³¹)
    and decides with x = c (f_i + H_i / scale), c = 2β scale (couplings scale · K, scale =
    1/N for Hebbian J): the cached-field kernel's expression, value for value. A flip adds
    2 S_i^new ξ_i^μ to every M_μ. After each sweep s ≥ average_from the first n_report
    counts are added to count_sums; every ``record_every`` sweeps (and at the start) energy
    per neuron, those counts and optionally the spins are recorded (``core.record``).
    ``stop_when_stable`` (T = 0): end after the first zero-flip sweep whose state is a fixed
    point (``_stable``, O(N P̃), checked only after zero-flip sweeps), the rng state left as
    after that sweep. Returns (flips, sweeps run, whether it stopped at a fixed point).
    """
    N, Pp = xi_nm.shape
    Hs = H / scale
    n, below, s0, s1, s2, s3 = stream_start(state, N)
    flips = 0
    r = 0
    if record_every > 0:
        record(r, _pair_from_overlaps(M, P, N), spins, H, scale, M, rec_energy, rec_counts,
               rec_spins)
        r += 1
    total = sweeps * N
    # the attempt stream does not depend on the state: draw one attempt ahead and prefetch
    # its pattern row (the stream is consumed exactly as by the cached-field kernel)
    i_next = np.intp(0)
    u_next = 0.0
    if total > 0:
        i_next, u_next, s0, s1, s2, s3 = draw_attempt(s0, s1, s2, s3, n, below)
    a = 0
    done = 0
    stopped = False
    t0, t1, t2, t3 = s0, s1, s2, s3
    for sweep in range(sweeps):
        flips_before = flips
        for k in range(N):
            i = i_next
            u = u_next
            a += 1
            if a < total:
                if k == N - 1:  # the state after this sweep, before the look-ahead draw
                    t0, t1, t2, t3 = s0, s1, s2, s3
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
            record(r, _pair_from_overlaps(M, P, N), spins, H, scale, M, rec_energy,
                   rec_counts, rec_spins)
            r += 1
        done += 1
        if stop_when_stable and flips == flips_before and _stable(xi_nm, P, M, spins, Hs, c):
            if a < total:
                s0, s1, s2, s3 = t0, t1, t2, t3
            stopped = True
            break
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return flips, done, stopped


@njit(cache=True, nogil=True)
def _stable(xi_nm, P, M, spins, Hs, c):
    """Whether no neuron changes under the T = 0 rule: S_i x_i ≥ 0 for all i, with
    x_i = c (f_i + Hs_i), f_i = Σ_μ ξ_i^μ M_μ − P S_i."""
    N, Pp = xi_nm.shape
    for i in range(N):
        acc = np.int32(0)
        for mu in range(Pp):
            acc = np.int32(acc + np.int32(xi_nm[i, mu]) * np.int32(M[mu]))
        f = acc - np.int32(P) * np.int32(spins[i])
        if spins[i] * (c * (f + Hs[i])) < 0.0:
            return False
    return True
