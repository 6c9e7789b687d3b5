"""Observables of spin configurations: pattern overlaps, energies, replica overlaps.

Spins are S ∈ {−1, +1}; a single configuration has shape (N,), a batch (B, N).
"""

from __future__ import annotations

import math

import numpy as np

__all__ = [
    "activity_energy",
    "boltzmann_distribution",
    "edwards_anderson_overlap",
    "energy",
    "energy_per_neuron",
    "flip_rate",
    "overlaps",
    "state_index",
    "states_from_index",
]

MAX_ENUMERATION_NEURONS = 16


def _spins(spins: object, n: int | None = None, name: str = "spins") -> np.ndarray:
    s = np.asarray(spins)
    if s.ndim not in (1, 2) or s.shape[-1] < 1:
        raise ValueError(f"{name} must have shape (N,) or (B, N), got {s.shape}")
    if n is not None and s.shape[-1] != n:
        raise ValueError(f"{name} must have last dimension {n}, got shape {s.shape}")
    if not np.all((s == 1) | (s == -1)):
        raise ValueError(f"{name} must contain only -1 and +1")
    return s


def _couplings(J: object) -> np.ndarray:
    J = np.asarray(J)
    if J.ndim != 2 or J.shape[0] != J.shape[1]:
        raise ValueError(f"J must be a square (N, N) matrix, got shape {J.shape}")
    return J.astype(np.float64, copy=False)


def _fields(fields: object, n: int, name: str = "fields") -> np.ndarray:
    if fields is None:
        return np.zeros(n)
    h = np.asarray(fields, dtype=np.float64)
    if h.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {h.shape}")
    return h


def overlaps(patterns: object, spins: object) -> np.ndarray:
    """Overlaps m_μ = (1/N) Σ_i ξ_i^μ S_i with every pattern.

    ``patterns`` is (P, N); ``spins`` (N,) gives shape (P,), a batch (B, N) gives (B, P).
    """
    xi = np.asarray(patterns)
    if xi.ndim != 2:
        raise ValueError(f"patterns must be a (P, N) array, got shape {xi.shape}")
    s = _spins(spins, xi.shape[1])
    # integer products are exact; one division at the end
    return (s.astype(np.int64) @ xi.T.astype(np.int64)) / xi.shape[1]


def energy(J: object, spins: object, fields: object = None) -> np.ndarray | float:
    """Ising energy E = −½ Σ_{i≠j} J_ij S_i S_j − Σ_i H_i S_i (the corrected seed Eq. 3).

    For symmetric J (zero diagonal) T = 0 dynamics never increases it. For asymmetric J
    this is the energy of the symmetric part (J + Jᵀ)/2. ``fields`` H defaults to zero.
    A batch (B, N) of spins gives B energies.
    """
    J = _couplings(J)
    N = J.shape[0]
    s = _spins(spins, N).astype(np.float64)
    H = _fields(fields, N)
    pair = np.einsum("...i,...i->...", s @ J.T, s) - np.trace(J)  # S_i² = 1 on the diagonal
    e = -0.5 * pair - s @ H
    return float(e) if np.ndim(e) == 0 else e


def energy_per_neuron(J: object, spins: object, fields: object = None) -> np.ndarray | float:
    """E / N, with E from ``energy``."""
    return energy(J, spins, fields) / np.asarray(J).shape[0]


def activity_energy(J: object, activities: object, thresholds: object) -> np.ndarray | float:
    """Energy of the activity form: E_n = −½ Σ_{i≠j} J_ij n_i n_j + Σ_i θ_i n_i.

    Flipping n_i from 0 to 1 changes it by −h_i (seed Eq. 1), and for symmetric J, with
    n = (S + 1)/2 and H_i = Σ_j J_ij − 2θ_i, E_n = E/4 − ⅛ Σ_{i≠j} J_ij + ½ Σ_i θ_i, so the
    weights exp(−4β E_n) of seed Eq. (2) are the Boltzmann weights exp(−β E).
    """
    J = _couplings(J)
    N = J.shape[0]
    n = np.asarray(activities)
    if n.shape[-1:] != (N,) or n.ndim not in (1, 2) or not np.all((n == 0) | (n == 1)):
        raise ValueError(f"activities must be 0/1 with shape (N,) or (B, N), N = {N}")
    n = n.astype(np.float64)
    theta = _fields(thresholds, N, "thresholds")
    diag = np.einsum("...i,i->...", n, np.diag(J))  # n_i² = n_i
    pair = np.einsum("...i,...i->...", n @ J.T, n) - diag
    e = -0.5 * pair + n @ theta
    return float(e) if np.ndim(e) == 0 else e


def edwards_anderson_overlap(s1: object, s2: object) -> np.ndarray | float:
    """Overlap of two replicas q = (1/N) Σ_i S_i^a S_i^b (batches give one q per row)."""
    a = _spins(s1, name="s1")
    b = _spins(s2, a.shape[-1], name="s2")
    q = np.einsum("...i,...i->...", a.astype(np.int64), b.astype(np.int64)) / a.shape[-1]
    return float(q) if np.ndim(q) == 0 else q


def flip_rate(flips: int, attempts: int) -> float:
    """Fraction of update attempts that flipped a neuron, flips / attempts ∈ [0, 1]."""
    if attempts <= 0:
        raise ValueError(f"attempts must be a positive integer, got {attempts!r}")
    if not 0 <= flips <= attempts:
        raise ValueError(f"flips must be in [0, attempts={attempts}], got {flips!r}")
    return flips / attempts


def state_index(spins: object) -> np.ndarray | int:
    """Integer code k = Σ_i 2^i [S_i = +1] of a configuration (bit i ↔ neuron i).

    This is the order of ``boltzmann_distribution``; batches (B, N) give B codes.
    """
    s = _spins(spins)
    if s.shape[-1] > 62:
        raise ValueError(f"spins must have at most 62 neurons to encode, got {s.shape[-1]}")
    k = (s > 0).astype(np.int64) @ (np.int64(1) << np.arange(s.shape[-1], dtype=np.int64))
    return int(k) if np.ndim(k) == 0 else k


def states_from_index(index: object, n_neurons: int) -> np.ndarray:
    """Inverse of ``state_index``: S_i = +1 if bit i of k is set, else −1 (int8)."""
    k = np.asarray(index, dtype=np.int64)
    bits = (k[..., None] >> np.arange(n_neurons, dtype=np.int64)) & 1
    return (2 * bits - 1).astype(np.int8)


def boltzmann_distribution(
    J: object, fields: object, temperature: float
) -> tuple[np.ndarray, np.ndarray]:
    """Exact P(S) = exp(−E(S)/T) / Z by enumerating all 2^N states (N ≤ 16).

    Returns ``(states, probabilities)``: states (2^N, N) int8 in ``state_index`` order
    (row k has S_i = +1 iff bit i of k is set) and their probabilities. T = 0 gives the
    uniform distribution over the ground states; T = inf the uniform distribution.
    """
    J = _couplings(J)
    N = J.shape[0]
    if N > MAX_ENUMERATION_NEURONS:
        raise ValueError(f"J must have at most {MAX_ENUMERATION_NEURONS} neurons, got {N}")
    T = float(temperature)
    if math.isnan(T) or T < 0:
        raise ValueError(f"temperature must be in [0, inf], got {temperature!r}")
    states = states_from_index(np.arange(2**N), N)
    e = energy(J, states, fields)
    if T == 0:
        w = (e <= e.min() + 1e-12 * max(1.0, abs(e.min()))).astype(np.float64)
    else:
        w = np.exp(-(e - e.min()) / T)
    return states, w / w.sum()
