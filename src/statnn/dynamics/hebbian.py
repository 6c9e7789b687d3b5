"""Hopfield networks held as their patterns, and ``glauber_hebbian`` with either kernel.

J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, J_ii = 0. The "cached_fields" kernel runs ``glauber``'s
spin chain on the exact integer counts K = N·J with scale 1/N; the "overlaps" kernel computes
f_i = Σ_μ ξ_i^μ M_μ − P S_i from the overlap counts M_μ (``overlap``). Both compute the same
exact integer f_i from the same stream, so they follow the same trajectory; "auto" picks the
cheaper one (``choice.choose_kernel``).
"""

from __future__ import annotations

import threading
import time

import numpy as np

from statnn.dynamics.chains import GlauberResult, SpinChain, glauber_result, sums_dtype
from statnn.dynamics.checks import (
    check_binary,
    check_stop,
    check_temperature,
    check_vector,
    inverse_temperature,
)
from statnn.dynamics.choice import DEFAULT_MEMORY_LIMIT, KERNELS, choose_kernel
from statnn.dynamics.core import record_buffers, seed_state
from statnn.dynamics.overlap import initial_overlaps, overlap_kernel, overlaps_dtype
from statnn.dynamics.patterns import (
    counts_dtype,
    hebbian_counts_packed,
    is_plus_minus_one,
    neuron_major,
    padded_patterns,
)
from statnn.memory import available_bytes, largest_n, require_memory
from statnn.validation import check_int


class HebbianNetwork:
    """Hopfield couplings J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, J_ii = 0, held as their patterns.

    ``patterns`` (P, N) of ±1 are stored neuron-major, (N, P̃) int8 zero-padded to
    P̃ = 64⌈P/64⌉ columns: N·P̃ bytes, all the overlap kernel needs. The integer counts
    K = N·J of the cached-field kernel (N² bytes in int8 for P ≤ 127, else int16) are built
    from bit-packed patterns the first time that kernel runs (``counts``) and kept. Safe to
    share between threads. ``glauber_hebbian`` runs the dynamics.
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
        require_memory(f"Hebbian network patterns (P = {P}, N = {N})", N * padded_patterns(P),
                       "fewer patterns or a smaller N")
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
                N, item = self.n_neurons, counts_dtype(self._P).itemsize
                require_memory(
                    f"Hebbian counts of the cached-field kernel (N = {N}, dense N × N)",
                    N * N * item,
                    f"kernel='overlaps' needs only {self.memory_bytes('overlaps')} bytes "
                    f"(N·P), or N <= {largest_n(item)}",
                )
                K = hebbian_counts_packed(self._xi_nm, self._P)
                self._sums_dtype = sums_dtype(K)
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

    def energy_per_neuron(self, spins: object) -> float:
        """E/N = −(1/(2N²)) Σ_{i≠j} K_ij S_i S_j = −(Σ_μ M_μ² − P N) / (2N²), exactly.

        Evaluated as (−½ · pair)/N/N with the exact integer pair = Σ_μ M_μ² − P N: the same
        floating-point value as ``observables.energy_per_neuron(K, S) / N``.
        """
        (N, Pp), P = self._xi_nm.shape, self._P
        S = check_binary(spins, N, "spins", (-1, 1))
        M = initial_overlaps(self._xi_nm, S, np.empty(Pp, np.int64))
        pair = int(np.dot(M, M)) - P * N
        return (-0.5 * float(pair) - 0.0) / N / N

    def resolve_kernel(self, kernel: str, temperature: float, sweeps: int | None = None,
                       flip_rate: float | None = None,
                       memory_limit_bytes: int = DEFAULT_MEMORY_LIMIT, runs: int = 1) -> str:
        """``kernel`` itself, or for "auto" ``choose_kernel`` for this network (with the
        counts' build cost only if they are not built yet), never beyond the memory
        available (``statnn.memory.available_bytes``)."""
        if kernel == "auto":
            limit = min(memory_limit_bytes, int(min(available_bytes(), 2**62)))
            return choose_kernel(self.n_neurons, self._P, temperature, flip_rate,
                                 limit, sweeps, runs, build_counts=not self.has_counts)
        if kernel not in KERNELS:
            raise ValueError(f"kernel must be 'auto' or one of {KERNELS}, got {kernel!r}")
        return kernel


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

    def run(self, temperature, sweeps, average_from, record_every, record_spins, n_report,
            stop_when_stable=False):
        """Run ``sweeps`` sweeps; the same output as ``SpinChain.run``."""
        beta, deterministic = inverse_temperature(temperature)
        count_sums, rec_energy, rec_counts, rec_spins = record_buffers(
            self.spins.shape[0], n_report, sweeps, record_every, record_spins)
        t0 = time.perf_counter()
        flips, done, stopped = overlap_kernel(
            self.xi_nm, self.P, self.M, self.spins, self.scale, self.H, self.state,
            1.0 if deterministic else 2.0 * beta * self.scale, deterministic, sweeps,
            n_report, average_from, count_sums, record_every, rec_energy, rec_counts,
            rec_spins, bool(stop_when_stable),
        )
        seconds = time.perf_counter() - t0
        return (int(flips), count_sums, rec_energy, rec_counts, rec_spins, seconds, int(done),
                bool(stopped))


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
    stop_when_stable: bool = False,
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
    (default all), with ``record_every``/``record_spins``/``stop_when_stable`` (T = 0: stop
    at the first fixed point, ``sweeps`` a cap) as in ``glauber``.
    """
    net = patterns if isinstance(patterns, HebbianNetwork) else HebbianNetwork(patterns)
    N, P = net.n_neurons, net.n_patterns
    S = check_binary(spins, N, "spins", (-1, 1))
    T = check_temperature(temperature)
    sweeps = check_int(sweeps, "sweeps", 0)
    record_every = check_int(record_every, "record_every", 0)
    H = check_vector(fields, N, "fields")
    n_report = P if n_report is None else check_int(n_report, "n_report", 0)
    if n_report > P:
        raise ValueError(f"n_report must be <= n_patterns = {P}, got {n_report}")
    check_int(seed, "seed", 0)
    stop = check_stop(stop_when_stable, T)
    kernel = net.resolve_kernel(kernel, T, sweeps, flip_rate, memory_limit_bytes)
    average_from = sweeps // 2
    record_spins = bool(record_spins)
    if kernel == "cached_fields":
        K = net.counts()
        xi = np.ascontiguousarray(net._xi_nm[:, :n_report])
        chain = SpinChain(K, K, 1.0 / N, H, S, xi, seed, net._sums_dtype)
        out = chain.run(T, sweeps, average_from, record_every, record_spins, stop)
        counts = chain.counts
    else:
        chain = _OverlapChain(net._xi_nm, P, H, S, seed)
        out = chain.run(T, sweeps, average_from, record_every, record_spins, n_report, stop)
        counts = chain.M[:n_report].astype(np.int64)
    return glauber_result(chain.spins, counts, out, T, sweeps, average_from, record_every,
                          record_spins, True, kernel, stop)
