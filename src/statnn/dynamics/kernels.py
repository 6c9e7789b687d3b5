"""Compiled kernels of the spin form (cached fields) and the activity form.

Cached-field kernel. The sums f_i = Σ_j J_ij S_j are cached and updated only when a neuron
flips, f_j += 2 S_i^new J_ji for all j: one contiguous row of J for symmetric J (row i =
column i), of Jᵀ otherwise. Float J (float32/float64) keeps f in float64; integer J
(int8/16/32, with a coupling scale, e.g. Hebbian counts N·J with scale 1/N) keeps f as exact
integers in int16/int32: 1-byte rows and no rounding drift. Cost: O(1) per attempt (most
decisions need no exp, ``core.new_spin``), O(N) per flip, N² couplings in memory. Pattern
overlaps are tracked as integer counts Σ_i ξ_i^μ S_i.

Activity kernel (seed Eqs. 1–2): n_i = 1 with probability 1 / (1 + exp(−4β h_i)),
h_i = Σ_j J_ij n_j − θ_i, cached and updated by h_j += (n_i^new − n_i^old) J_ji. Both
kernels run one chain on one thread and release the GIL.
"""

from __future__ import annotations

import numpy as np
from numba import njit

from statnn.dynamics.core import draw_attempt, new_spin, record, stream_start


@njit(cache=True, nogil=True)
def coupling_sums(J, spins, out):
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
def activity_fields(J, n, theta):
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
def is_symmetric(J):
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
def max_abs_row_sum(J):
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
def _pair_sum(spins, f):
    """Σ_i S_i f_i in float64 (exact for integer f)."""
    pair = 0.0
    for i in range(spins.shape[0]):
        pair += spins[i] * np.float64(f[i])
    return pair


@njit(cache=True, nogil=True)
def glauber_kernel(
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
    stop_when_stable,
):
    """Run ``sweeps`` sweeps in place (spins, sums f, overlap counts, rng state).

    Couplings are scale · J with Jcols[i] = column i of J; f_i = Σ_j J_ij S_j (float64, or
    int16/int32 for integer J: then exact), H the external fields. The decision for neuron i
    uses x = c (f_i + H_i / scale), c = 2β scale. ``two`` is 2 in the dtype of f. xi is
    (N, P) int8 and counts[μ] = Σ_i ξ_i^μ S_i. After each sweep s ≥ average_from the counts
    are added to count_sums; every ``record_every`` sweeps (and at the start) energy per
    neuron, counts and optionally spins are recorded (``core.record``). With
    ``stop_when_stable`` (T = 0) the run ends after the first sweep with no flip whose state
    is a fixed point, no i with decision ≠ S_i (``stable``, O(N), checked only after
    zero-flip sweeps). Returns (flips, sweeps run, whether it stopped at a fixed point).
    """
    N = spins.shape[0]
    P = counts.shape[0]
    Hs = H / scale
    n, below, s0, s1, s2, s3 = stream_start(state, N)
    flips = 0
    r = 0
    if record_every > 0:
        record(r, _pair_sum(spins, f), spins, H, scale, counts, rec_energy, rec_counts,
               rec_spins)
        r += 1
    done = 0
    stopped = False
    for sweep in range(sweeps):
        flips_before = flips
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
            record(r, _pair_sum(spins, f), spins, H, scale, counts, rec_energy, rec_counts,
                   rec_spins)
            r += 1
        done += 1
        if stop_when_stable and flips == flips_before and _stable(spins, f, Hs, c):
            stopped = True
            break
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return flips, done, stopped


@njit(cache=True, nogil=True)
def _stable(spins, f, Hs, c):
    """Whether no neuron changes under the T = 0 rule: S_i = sign(x_i) or x_i = 0,
    x_i = c (f_i + Hs_i), i.e. S_i x_i ≥ 0 for all i."""
    for i in range(spins.shape[0]):
        if spins[i] * (c * (f[i] + Hs[i])) < 0.0:
            return False
    return True


@njit(cache=True, nogil=True)
def activity_kernel(Jcols, n_act, h, state, four_beta, deterministic, sweeps):
    """Activity-form Glauber (seed Eqs. 1–2) in place; same stream as ``glauber_kernel``."""
    N = n_act.shape[0]
    n, below, s0, s1, s2, s3 = stream_start(state, N)
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
