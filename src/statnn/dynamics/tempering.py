"""Parallel tempering (replica exchange) of Glauber chains on one dense symmetric J.

R = M·K replicas (M independent replica sets, each spanning the ladder T_0 < … < T_{K−1})
share the couplings J (zero diagonal, e.g. SK) and one random site order. Per update
attempt the kernel draws one site i and then R uniforms u_0 … u_{R−1} (``core.draw_attempt``
gives i and u_0, ``core.next_u64`` the rest), decides every replica by the rule of ``core.new_spin``
(S_i^r = +1 iff u_r < 1 / (1 + exp(−2β_r f_i^r)), f^r = J S^r cached as in ``kernels``; the
branch-free ``core.certain_spin`` for all R at once, exp only for the uncertain ones), and
then adds ±2 J_i to the cached fields of the replicas that flipped, reading the coupling
column i once for all of them. With R = 1 and no swaps it consumes exactly the stream of
``glauber`` with the same seed, so it follows the same trajectory.

After each sweep every replica's energy E = −½ Σ_i S_i f_i is computed, and within each set
the neighbouring temperatures k, k+1 (k = 0 … K−2 in turn, one uniform each) exchange their
configurations with probability min(1, exp((β_k − β_{k+1})(E_k − E_{k+1}))), which keeps the
product of Boltzmann distributions invariant. Then E/N at every temperature of every set and,
with two sets, the overlap q_k = (1/N) Σ_i S_i^a S_i^b of the two sets' configurations at
T_k are recorded.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

import numpy as np
from numba import njit

from statnn.dynamics.checks import MAX_BETA, check_couplings
from statnn.dynamics.core import (
    INV_2_53,
    U11,
    certain_spin,
    draw_attempt,
    next_u64,
    seed_state,
    uncertain_spin,
)
from statnn.dynamics.kernels import coupling_sums, is_symmetric
from statnn.memory import require_memory
from statnn.rng import generator
from statnn.validation import check_int

__all__ = ["TemperingResult", "parallel_tempering", "tempering_stream"]

#: Extra entries per row of the replicas' spins and fields: rows N·8 bytes apart (a multiple
#: of 4 KiB for N = 512) would map f_i of all R replicas to one L1 cache set; the padding
#: spreads them over different sets.
ROW_PAD = 8


@njit(inline="always")
def _uniform(s0, s1, s2, s3):
    x, s0, s1, s2, s3 = next_u64(s0, s1, s2, s3)
    return np.float64(x >> U11) * INV_2_53, s0, s1, s2, s3


@njit(cache=True, nogil=True, inline="never")
def _site_and_uniforms(state, ub, n, below):
    """One attempt's site and its R uniforms ub (R,), advancing the rng ``state`` (4,).

    A function of its own (not inlined), so that the generator state stays in registers for
    the R draws instead of being spilled by the large kernel around it.
    """
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    i, ub[0], s0, s1, s2, s3 = draw_attempt(s0, s1, s2, s3, n, below)
    for r in range(1, ub.shape[0]):
        ub[r], s0, s1, s2, s3 = _uniform(s0, s1, s2, s3)
    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
    return i


@njit(cache=True, nogil=True)
def _energies(spins, f, out):
    """out[r] = −½ Σ_j S_j^r f_j^r, each summed in the order j = 0 … N − 1 (as a loop over j
    per replica would), the R sums advanced side by side so that they vectorise."""
    R, N = spins.shape
    for r in range(R):
        out[r] = 0.0
    for j in range(N):
        for r in range(R):
            out[r] += spins[r, j] * f[r, j]
    for r in range(R):
        out[r] *= -0.5


@njit(cache=True, nogil=True)
def tempering_kernel(J, spins, f, betas, at, state, sweeps, swap, accepted, rec_energy,
                     rec_q):
    """Run ``sweeps`` sweeps of R replicas in place (spins (R, N) int8, fields f (R, N),
    ``at`` (M, K): the replica holding temperature k in set m, rng ``state``).

    betas (K,) is the ladder; J symmetric (row i = column i). With ``swap`` the exchanges
    are attempted after each sweep and accepted[k] counts the accepted k ↔ k+1 exchanges
    (all sets). rec_energy[s, m, k] = E/N and, for M ≥ 2, rec_q[s, k] = q of sets 0 and 1
    at T_k after sweep s. Returns the number of flips.
    """
    R, N = spins.shape  # f may be wider than N (padded rows, see ``ROW_PAD``)
    M, K = at.shape
    beta_r = np.empty(R)
    for m in range(M):
        for k in range(K):
            beta_r[at[m, k]] = betas[k]
    flipped = np.empty(R, np.intp)
    delta = np.empty(R)
    energy = np.empty(R)
    ub = np.empty(R)
    xb = np.empty(R)
    nb = np.empty(R)
    cb = np.empty(R, np.bool_)
    n = np.uint64(N)
    below = np.uint64(1 << 32) % n
    flips = 0
    for sweep in range(sweeps):
        for _ in range(N):
            # the site and R uniforms; the decisions (branch free, they vectorise; exp only
            # for the rare uncertain ones); then compact the flips
            i = _site_and_uniforms(state, ub, n, below)
            for r in range(R):
                xb[r] = (2.0 * beta_r[r]) * f[r, i]
            unsure = 0
            for r in range(R):
                nb[r], cb[r] = certain_spin(xb[r], ub[r])
                unsure += not cb[r]
            if unsure:
                for r in range(R):
                    if not cb[r]:
                        nb[r] = uncertain_spin(xb[r], ub[r])
            nf = 0
            for r in range(R):
                old = spins[r, i]
                new = np.int8(nb[r])
                spins[r, i] = new
                flipped[nf] = r
                delta[nf] = 2.0 * nb[r]
                nf += new != old
            col = J[i]  # read once; two flipped replicas per pass over it
            for a in range(0, nf - 1, 2):
                fa, fb = f[flipped[a]], f[flipped[a + 1]]
                da, db = delta[a], delta[a + 1]
                for j in range(N):
                    c = col[j]
                    fa[j] += da * c
                    fb[j] += db * c
            if nf % 2 == 1:
                fa = f[flipped[nf - 1]]
                da = delta[nf - 1]
                for j in range(N):
                    fa[j] += da * col[j]
            flips += nf
        _energies(spins, f, energy)
        if swap:
            for m in range(M):
                for k in range(K - 1):
                    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
                    u, s0, s1, s2, s3 = _uniform(s0, s1, s2, s3)
                    state[0], state[1], state[2], state[3] = s0, s1, s2, s3
                    a, b = at[m, k], at[m, k + 1]
                    if u < math.exp(min(0.0, (betas[k] - betas[k + 1])
                                        * (energy[a] - energy[b]))):
                        at[m, k], at[m, k + 1] = b, a
                        beta_r[a], beta_r[b] = betas[k + 1], betas[k]
                        accepted[k] += 1
        for m in range(M):
            for k in range(K):
                rec_energy[sweep, m, k] = energy[at[m, k]] / N
        if M >= 2:
            for k in range(K):
                a, b = at[0, k], at[1, k]
                acc = 0
                for j in range(N):
                    acc += spins[a, j] * spins[b, j]
                rec_q[sweep, k] = acc / N
    return flips


@njit(cache=True, nogil=True)
def _stream_kernel(state, n_neurons, replicas, sites):
    idx = np.empty(sites, np.int64)
    uni = np.empty((sites, replicas))
    n = np.uint64(n_neurons)
    below = np.uint64(1 << 32) % n
    s0, s1, s2, s3 = state[0], state[1], state[2], state[3]
    for a in range(sites):
        i, u, s0, s1, s2, s3 = draw_attempt(s0, s1, s2, s3, n, below)
        idx[a] = i
        uni[a, 0] = u
        for r in range(1, replicas):
            uni[a, r], s0, s1, s2, s3 = _uniform(s0, s1, s2, s3)
    return idx, uni


def tempering_stream(seed: int, n_neurons: int, replicas: int, sites: int):
    """The (site, uniforms (R,)) sequence that ``parallel_tempering(..., swap=False)``
    consumes, in order: site a updates replica r (by ladder order within sets, set-major)
    to +1 iff ``uniforms[a, r]`` < 1 / (1 + exp(−2β_r f_i)). A reference loop driven by it
    reproduces the kernel's trajectories."""
    n = check_int(n_neurons, "n_neurons", 1)
    R = check_int(replicas, "replicas", 1)
    return _stream_kernel(seed_state(check_int(seed, "seed", 0)), n, R,
                          check_int(sites, "sites", 0))


@dataclass(frozen=True)
class TemperingResult:
    """Outcome of ``parallel_tempering``.

    temperatures (K,): the ladder. energy (sweeps, M, K): E/N after each sweep at each
    temperature of each set. overlap (sweeps, K): q = (1/N) Σ_i S_i^a S_i^b of sets 0 and 1
    at each temperature (None for one set). swap_acceptance (K−1,): accepted / attempted
    exchanges of T_k ↔ T_{k+1} over all sets and sweeps (NaN without swaps). spins (M, K, N):
    final configurations by set and temperature. flips, attempts (sweeps · N · R),
    kernel_seconds: wall time in the compiled kernel.
    """

    temperatures: np.ndarray
    energy: np.ndarray
    overlap: np.ndarray | None
    swap_acceptance: np.ndarray
    spins: np.ndarray
    flips: int
    attempts: int
    kernel_seconds: float

    @property
    def attempts_per_second(self) -> float:
        """Update attempts per second of kernel time, summed over replicas."""
        return self.attempts / self.kernel_seconds if self.kernel_seconds > 0 else math.inf


def _check_ladder(temperatures: object) -> np.ndarray:
    try:
        T = np.atleast_1d(np.asarray(temperatures, dtype=np.float64))
    except (TypeError, ValueError):
        raise ValueError(f"temperatures must be numbers, got {temperatures!r}") from None
    if T.ndim != 1 or T.size == 0:
        raise ValueError("temperatures must be a non-empty 1-d sequence")
    if not (np.isfinite(T).all() and (T > 0).all()):
        raise ValueError(f"temperatures must be finite and > 0, got {T.tolist()}")
    if np.any(np.diff(T) <= 0):
        raise ValueError(f"temperatures must be strictly increasing, got {T.tolist()}")
    return T


def parallel_tempering(
    J: object,
    temperatures: object,
    sweeps: int,
    seed: int,
    replica_sets: int = 2,
    spins: object = None,
    swap: bool = True,
) -> TemperingResult:
    """Parallel tempering of ``replica_sets`` independent replica sets on couplings J.

    J (N, N) symmetric float with zero diagonal; ``temperatures`` the strictly increasing
    ladder T_k > 0 (K values); ``sweeps`` sweeps of N attempts per replica; ``seed`` ≥ 0
    (same seed → same run). ``spins`` (M, K, N) ±1 starts, default independent uniform
    random ones from ``statnn.rng.generator(seed, "tempering", "start")``. ``swap=False``
    runs the R = M·K chains without exchanges: with M = K = 1 this is ``glauber`` with the
    same seed, step for step. See the module docstring for the algorithm.
    """
    J = check_couplings(J)
    N = J.shape[0]
    if not is_symmetric(J):
        raise ValueError("J must be symmetric (J_ij = J_ji) for parallel tempering")
    T = _check_ladder(temperatures)
    K = T.size
    sweeps = check_int(sweeps, "sweeps", 0)
    seed = check_int(seed, "seed", 0)
    M = check_int(replica_sets, "replica_sets", 1)
    if spins is None:
        start = generator(seed, "tempering", "start").integers(0, 2, (M, K, N)) * 2 - 1
    else:
        start = np.asarray(spins)
        if start.shape != (M, K, N):
            raise ValueError(f"spins must have shape ({M}, {K}, {N}), got {start.shape}")
        if not np.all((start == 1) | (start == -1)):
            raise ValueError("spins must contain only -1 and +1")
    R = M * K
    require_memory(f"parallel tempering state and records (R = {R} replicas, N = {N}, "
                   f"{sweeps} sweeps)",
                   R * (N + 8 * ROW_PAD) + 8 * R * (N + ROW_PAD) + 8 * sweeps * (R + K),
                   "fewer sweeps or replicas, or a smaller N")
    S_rows = np.zeros((R, N + 8 * ROW_PAD), np.int8)
    S_rows[:, :N] = start.reshape(R, N)
    S = S_rows[:, :N]
    f = np.zeros((R, N + ROW_PAD))
    for r in range(R):
        coupling_sums(J, S[r], f[r])
    at = np.arange(M * K, dtype=np.int64).reshape(M, K)
    accepted = np.zeros(max(K - 1, 0), np.int64)
    rec_energy = np.empty((sweeps, M, K))
    rec_q = np.empty((sweeps, K if M >= 2 else 0))
    state = seed_state(seed)
    t0 = time.perf_counter()
    with np.errstate(over="ignore"):  # β = 1/T, clamped as in ``checks.inverse_temperature``
        betas = np.minimum(1.0 / T, MAX_BETA)
    flips = tempering_kernel(J, S, f, betas, at, state, sweeps, bool(swap), accepted,
                             rec_energy, rec_q)
    seconds = time.perf_counter() - t0
    tried = M * sweeps
    rate = accepted / tried if swap and tried else np.full(K - 1, np.nan)
    return TemperingResult(
        temperatures=T,
        energy=rec_energy,
        overlap=rec_q if M >= 2 else None,
        swap_acceptance=rate,
        spins=S[at.ravel()].reshape(M, K, N),
        flips=int(flips),
        attempts=sweeps * N * M * K,
        kernel_seconds=seconds,
    )
