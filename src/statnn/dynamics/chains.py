"""Glauber dynamics on a coupling matrix: ``glauber``, ``glauber_activity`` and ``anneal``.

Spin form: P(S_i = +1) = 1 / (1 + exp(−2β(Σ_j J_ij S_j + H_i))); activity form (seed Eqs.
1–2): P(n_i = 1) = 1 / (1 + exp(−4β h_i)), h_i = Σ_j J_ij n_j − θ_i. Both run the
cached-field kernels of ``kernels`` on the stream of ``core``. ``SpinChain`` holds one
spin-form chain; ``glauber_hebbian`` runs it too, on Hebbian counts.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

import numpy as np

from statnn.dynamics.checks import (
    INTEGER_COUPLINGS,
    check_binary,
    check_couplings,
    check_patterns,
    check_scale,
    check_stop,
    check_temperature,
    check_vector,
    inverse_temperature,
)
from statnn.dynamics.core import record_buffers, seed_state
from statnn.dynamics.kernels import (
    activity_fields,
    activity_kernel,
    coupling_sums,
    glauber_kernel,
    is_symmetric,
    max_abs_row_sum,
)
from statnn.memory import require_memory
from statnn.rng import child_seed
from statnn.validation import check_int


def sums_dtype(J: np.ndarray) -> np.dtype:
    """dtype of the sums f_i = Σ_j J_ij S_j: float64, or the narrowest exact integer type.

    Integer sums are bounded by max_i Σ_j |J_ij|; int16 when that is < 2^15 (for Hebbian
    int8 counts at N = 2000, α = 0.05 it is ~1.6·10^4), halving the work per flip.
    """
    if J.dtype not in INTEGER_COUPLINGS:
        return np.dtype(np.float64)
    return np.dtype(np.int16) if max_abs_row_sum(J) < 2**15 else np.dtype(np.int32)


def columns(J: np.ndarray) -> np.ndarray:
    """Rows of Jᵀ (contiguous columns of J); J itself when symmetric."""
    if is_symmetric(J):
        return J
    require_memory(f"the columns of an asymmetric J (N = {J.shape[0]}, a transposed copy)",
                   J.nbytes, "a smaller N")
    return np.ascontiguousarray(J.T)


class SpinChain:
    """State of one spin-form Markov chain: spins, coupling sums, overlap counts, rng.

    J is float (sums f in float64) or integer (sums in int16/int32, exact; ``dtype`` from
    ``sums_dtype`` when not given); the couplings are scale · J, H the external fields.
    """

    def __init__(self, J, Jcols, scale, H, spins, xi, seed, dtype=None):
        self.Jcols = Jcols
        self.scale = scale
        self.H = H
        self.spins = spins
        dtype = sums_dtype(J) if dtype is None else dtype
        self.f = coupling_sums(J, spins, np.empty(J.shape[0], dtype))
        self.two = self.f.dtype.type(2)
        self.xi = xi
        self.counts = xi.T.astype(np.int64) @ spins.astype(np.int64)
        self.state = seed_state(seed)

    def run(self, temperature, sweeps, average_from, record_every, record_spins,
            stop_when_stable=False):
        """Run ``sweeps`` sweeps (or until a T = 0 fixed point, ``stop_when_stable``): (flips,
        count sums, energy, counts and spins records, s, sweeps run, stopped)."""
        beta, deterministic = inverse_temperature(temperature)
        N, P = self.xi.shape
        count_sums, rec_energy, rec_counts, rec_spins = record_buffers(
            N, P, sweeps, record_every, record_spins)
        t0 = time.perf_counter()
        flips, done, stopped = glauber_kernel(
            self.Jcols, self.scale, self.H, self.spins, self.f, self.two, self.state,
            1.0 if deterministic else 2.0 * beta * self.scale, deterministic, sweeps, self.xi,
            self.counts, average_from, count_sums, record_every, rec_energy, rec_counts,
            rec_spins, bool(stop_when_stable),
        )
        seconds = time.perf_counter() - t0
        return (int(flips), count_sums, rec_energy, rec_counts, rec_spins, seconds, int(done),
                bool(stopped))


@dataclass(frozen=True)
class GlauberResult:
    """Outcome of ``glauber`` and ``glauber_hebbian``.

    spins: final configuration (N,) int8. flips / attempts: flips made and update attempts
    (sweeps · N). record_sweeps: sweep numbers of the records (0 = initial state), with
    energy per neuron E/N (n_rec,), overlaps m_μ (n_rec, P) and, if asked, the spins
    (n_rec, N) at those sweeps. final_overlaps (P,) and time_averaged_overlap (P,), the mean
    of m_μ after each sweep of the second half of the run (sweeps > ⌊sweeps/2⌋), exist when
    patterns were given. kernel_seconds: wall time spent in the compiled kernel; kernel:
    which one ran ("cached_fields" or, from ``glauber_hebbian``, "overlaps"). sweeps_run:
    sweeps made (< sweeps after a fixed-point stop); fixed_point: with ``stop_when_stable``,
    whether the run ended at a fixed point (False: it hit the cap ``sweeps``), else None.
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
    sweeps_run: int = 0
    fixed_point: bool | None = None

    @property
    def flip_rate(self) -> float:
        """flips / attempts (0 for an empty run)."""
        return self.flips / self.attempts if self.attempts else 0.0


def glauber_result(spins, counts, out, T, sweeps, average_from, record_every, record_spins,
                   has_patterns, kernel, stop_when_stable=False) -> GlauberResult:
    """GlauberResult from a chain's final spins and overlap counts and its ``run`` output.

    After a fixed-point stop at sweep s < ``sweeps`` the state would stay put (T = 0), so the
    time average counts it for the sweeps max(s, average_from) … sweeps − 1 not run: the
    same average as the full run; records end at sweep s.
    """
    flips, count_sums, rec_energy, rec_counts, rec_spins, seconds, done, stopped = out
    N = spins.shape[0]
    recorded = record_every > 0
    if recorded:
        n_rec = 1 + done // record_every
        rec_energy, rec_counts = rec_energy[:n_rec], rec_counts[:n_rec]
        rec_spins = rec_spins[:n_rec] if record_spins else rec_spins
    if stopped and done < sweeps:
        count_sums = count_sums + (sweeps - max(done, average_from)) * np.asarray(
            counts[:count_sums.shape[0]], np.int64)
    if has_patterns:
        n_avg = sweeps - average_from
        avg = count_sums / (n_avg * N) if n_avg > 0 else counts / N
    return GlauberResult(
        spins=spins,
        flips=flips,
        attempts=done * N,
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
        sweeps_run=done,
        fixed_point=bool(stopped) if stop_when_stable else None,
    )


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
    stop_when_stable: bool = False,
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

    ``stop_when_stable`` (T = 0 only): ``sweeps`` is a cap and the run ends after the first
    sweep with no flip whose state is a fixed point (S_i f_i ≥ 0 for every i, checked after
    each zero-flip sweep: random sequential updates may miss a neuron in a sweep). The
    trajectory up to there is that of the fixed-sweep run, and so are the final state and
    overlaps; ``sweeps_run`` and ``fixed_point`` say when and whether it stopped.
    """
    J = check_couplings(J, allow_integer=True)
    scale = check_scale(coupling_scale)
    N = J.shape[0]
    S = check_binary(spins, N, "spins", (-1, 1))
    T = check_temperature(temperature)
    sweeps = check_int(sweeps, "sweeps", 0)
    record_every = check_int(record_every, "record_every", 0)
    H = check_vector(fields, N, "fields")
    xi = check_patterns(patterns, N)
    stop = check_stop(stop_when_stable, T)
    chain = SpinChain(J, columns(J), scale, H, S, xi, seed)
    average_from = sweeps // 2
    out = chain.run(T, sweeps, average_from, record_every, bool(record_spins), stop)
    return glauber_result(chain.spins, chain.counts, out, T, sweeps, average_from,
                          record_every, bool(record_spins), patterns is not None,
                          "cached_fields", stop)


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
    J = check_couplings(J)
    N = J.shape[0]
    n_act = check_binary(activities, N, "activities", (0, 1))
    theta = check_vector(thresholds, N, "thresholds")
    T = check_temperature(temperature)
    sweeps = check_int(sweeps, "sweeps", 0)
    beta, deterministic = inverse_temperature(T)
    h = activity_fields(J, n_act, theta)
    flips = activity_kernel(
        columns(J), n_act, h, seed_state(seed), 1.0 if deterministic else 4.0 * beta,
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
    J = check_couplings(J, allow_integer=True)
    scale = check_scale(coupling_scale)
    N = J.shape[0]
    s = np.asarray(spins)
    starts = np.broadcast_to(s, (2, N)) if s.shape == (N,) else s
    if starts.shape != (2, N):
        raise ValueError(f"spins must have shape ({N},) or (2, {N}), got {s.shape}")
    temps = np.atleast_1d(np.asarray(temperatures, dtype=np.float64))
    if temps.ndim != 1 or temps.size == 0:
        raise ValueError("temperatures must be a non-empty 1-d sequence")
    for T in temps:
        check_temperature(T, "temperatures")
    S = check_int(sweeps_per_temperature, "sweeps_per_temperature", 1)
    H = check_vector(fields, N, "fields")
    check_int(seed, "seed", 0)
    Jcols = columns(J)
    xi = np.zeros((N, 0), np.int8)
    chains = [
        SpinChain(J, Jcols, scale, H, check_binary(starts[r], N, "spins", (-1, 1)), xi,
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
