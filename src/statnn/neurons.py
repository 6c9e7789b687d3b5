"""The seed's binary neuron in its two forms, activities n ∈ {0, 1} and spins S ∈ {−1, +1}.

Activity form (seed Eqs. 1–2): the local field h_i = Σ_j J_ij n_j − θ_i and the stochastic
update P(n_i = 1) = P(S_i = +1) = 1 / (1 + exp(−4βh_i)).

Spin form: substituting n_j = (S_j + 1)/2 gives

    h_i = ½ Σ_j J_ij S_j + ½ Σ_j J_ij − θ_i = ½ (Σ_j J_ij S_j + H_i),
    H_i = Σ_j J_ij − 2θ_i,

so 4βh_i = 2β(Σ_j J_ij S_j + H_i): Glauber dynamics of the Ising model with external fields
H. The thresholds θ_i = ½ Σ_j J_ij give H = 0.
"""

from __future__ import annotations

import math

import numpy as np
from scipy.special import expit

__all__ = [
    "activity_from_spin",
    "activity_local_field",
    "external_fields",
    "ising_thresholds",
    "spin_from_activity",
    "thresholds_from_fields",
    "update_probability",
]


def _square_couplings(J: object) -> np.ndarray:
    J = np.asarray(J, dtype=float)
    if J.ndim != 2 or J.shape[0] != J.shape[1]:
        raise ValueError(f"J must be a square (N, N) matrix, got shape {J.shape}")
    return J


def _vector(x: object, n: int, name: str) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    if x.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {x.shape}")
    return x


def activity_from_spin(S: object) -> np.ndarray:
    """Activity n = (S + 1)/2 ∈ {0, 1} of spins S ∈ {−1, +1} (int8, same shape)."""
    S = np.asarray(S)
    if not np.all((S == 1) | (S == -1)):
        raise ValueError("S must contain only spins -1 and +1")
    return ((S.astype(np.int8) + 1) // 2).astype(np.int8)


def spin_from_activity(n: object) -> np.ndarray:
    """Spin S = 2n − 1 ∈ {−1, +1} of activities n ∈ {0, 1} (int8, same shape)."""
    n = np.asarray(n)
    if not np.all((n == 0) | (n == 1)):
        raise ValueError("n must contain only activities 0 and 1")
    return (2 * n.astype(np.int8) - 1).astype(np.int8)


def activity_local_field(J: object, n: object, theta: object) -> np.ndarray:
    """Local field of the activity form, seed Eq. (1): h_i = Σ_j J_ij n_j − θ_i.

    ``n`` may be one configuration (N,) or a batch (B, N); the result has the same shape.
    """
    J = _square_couplings(J)
    N = J.shape[0]
    theta = _vector(theta, N, "theta")
    n = np.asarray(n, dtype=float)
    if n.shape[-1:] != (N,):
        raise ValueError(f"n must have last dimension {N}, got shape {n.shape}")
    return n @ J.T - theta


def update_probability(h: object, beta: float) -> np.ndarray:
    """Seed Eq. (2): P(S_i = +1) = 1 / (1 + exp(−4βh_i)), β = 1/T ∈ [0, ∞].

    Evaluated as the logistic function expit(4βh), which neither overflows nor warns for
    any β. At β = ∞ (T = 0) it is the step function 1[h > 0] with the value ½ at h = 0.
    (The T = 0 *dynamics* does not draw with that ½: it keeps the neuron unchanged when
    h = 0, see ``statnn.dynamics``.)
    """
    beta = float(beta)
    if math.isnan(beta) or beta < 0:
        raise ValueError(f"beta must be in [0, inf], got {beta!r}")
    h = np.asarray(h, dtype=float)
    if math.isinf(beta):
        return np.where(h > 0, 1.0, np.where(h < 0, 0.0, 0.5))
    with np.errstate(over="ignore"):
        x = 4.0 * (beta * h)  # ±inf on overflow (never inf·0), which expit maps to 1, 0
    return expit(x)


def ising_thresholds(J: object) -> np.ndarray:
    """Thresholds θ_i = ½ Σ_j J_ij for which the activity dynamics is Ising Glauber (H = 0)."""
    return 0.5 * _square_couplings(J).sum(axis=1)


def external_fields(J: object, theta: object) -> np.ndarray:
    """External fields of the spin form, H_i = Σ_j J_ij − 2θ_i."""
    J = _square_couplings(J)
    return J.sum(axis=1) - 2.0 * _vector(theta, J.shape[0], "theta")


def thresholds_from_fields(J: object, H: object) -> np.ndarray:
    """Inverse of ``external_fields``: θ_i = ½ (Σ_j J_ij − H_i)."""
    J = _square_couplings(J)
    return 0.5 * (J.sum(axis=1) - _vector(H, J.shape[0], "H"))
