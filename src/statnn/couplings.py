"""Coupling matrices J (row i = inputs of neuron i) and random patterns.

Every matrix has a zero diagonal (no self-coupling). Symmetric ensembles (Hebbian,
Sherrington–Kirkpatrick) have an energy function; the directed ones (diluted asymmetric
Hebbian, random directed graphs) have feedback loops and J_ij ≠ J_ji, and no energy.
"""

from __future__ import annotations

import math

import numpy as np

from statnn.dynamics.patterns import (
    counts_dtype,
    hebbian_counts_packed,
    neuron_major,
    padded_patterns,
)
from statnn.memory import largest_n, require_memory
from statnn.validation import check_int

__all__ = [
    "asymmetric_hebbian_couplings",
    "binary_sk_couplings",
    "hebbian_couplings",
    "hebbian_counts",
    "random_directed_couplings",
    "random_patterns",
    "sherrington_kirkpatrick_couplings",
]


def _check_rng(rng: object) -> np.random.Generator:
    if not isinstance(rng, np.random.Generator):
        raise TypeError(
            f"rng must be a numpy.random.Generator (e.g. statnn.rng.generator(seed, ...)), "
            f"got {type(rng).__name__}"
        )
    return rng


def _check_patterns(patterns: object) -> np.ndarray:
    xi = np.asarray(patterns)
    if xi.ndim != 2 or xi.shape[1] < 1:
        raise ValueError(f"patterns must be a (P, N) array with N >= 1, got shape {xi.shape}")
    if not np.all((xi == 1) | (xi == -1)):
        raise ValueError("patterns must contain only -1 and +1")
    return xi


def _check_float_dtype(dtype: object) -> np.dtype:
    dtype = np.dtype(dtype)
    if dtype not in (np.dtype(np.float32), np.dtype(np.float64)):
        raise ValueError(f"dtype must be float32 or float64, got {dtype}")
    return dtype


def random_patterns(n_patterns: int, n_neurons: int, rng: np.random.Generator) -> np.ndarray:
    """P independent unbiased patterns ξ^μ ∈ {−1, +1}^N, as an int8 array of shape (P, N)."""
    n_patterns = check_int(n_patterns, "n_patterns", 0)
    n_neurons = check_int(n_neurons, "n_neurons", 1)
    bits = _check_rng(rng).integers(0, 2, size=(n_patterns, n_neurons), dtype=np.int8)
    return (2 * bits - 1).astype(np.int8)


def _check_dense(what: str, n: int, bytes_per_entry: float) -> None:
    """Refuse an N × N build of ``bytes_per_entry`` bytes per entry that cannot fit."""
    require_memory(
        f"{what} (N = {n}, dense N × N)", n * n * bytes_per_entry,
        f"N <= {largest_n(bytes_per_entry)} fits; for Hebbian networks "
        "statnn.dynamics.glauber_hebbian(..., kernel='overlaps') needs only N·P bytes",
    )


def _counts(xi: np.ndarray, extra_bytes_per_entry: float, what: str) -> np.ndarray:
    """K_ij = Σ_μ ξ_i^μ ξ_j^μ, K_ii = 0, exactly, by popcount on bit-packed patterns (no
    BLAS, no float temporary), after checking that K and ``extra_bytes_per_entry`` more per
    entry (what the caller builds from K) fit in memory."""
    P, N = xi.shape
    _check_dense(what, N, counts_dtype(P).itemsize + extra_bytes_per_entry)
    require_memory(f"{what}: patterns (P = {P}, N = {N})", 2 * N * padded_patterns(P))
    return hebbian_counts_packed(neuron_major(xi), P)


def hebbian_couplings(patterns: object, dtype: object = np.float64) -> np.ndarray:
    """Hopfield couplings J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, J_ii = 0.

    ``patterns`` is (P, N) of ±1; ``dtype`` float64 or float32. N·J_ij is an integer (the
    exact counts ``hebbian_counts``), so the float64 matrix is the correctly rounded value
    of every coupling. Refused before any N² allocation if it cannot fit in memory.
    """
    xi = _check_patterns(patterns)
    dtype = _check_float_dtype(dtype)
    N = xi.shape[1]
    J = _counts(xi, 8 + (dtype.itemsize if dtype != np.float64 else 0), "Hebbian couplings")
    J = J.astype(np.float64)
    J /= N
    return J.astype(dtype, copy=False)


def hebbian_counts(patterns: object) -> np.ndarray:
    """Integer Hebbian couplings K_ij = Σ_μ ξ_i^μ ξ_j^μ = N J_ij, K_ii = 0.

    Stored in the smallest of int8 / int16 / int32 that holds |K| ≤ P. Pass them to
    ``statnn.dynamics.glauber`` with ``coupling_scale=1/N``: the same couplings as
    ``hebbian_couplings`` with exact integer local fields and 4× (int8) smaller rows.
    """
    xi = _check_patterns(patterns)
    if xi.shape[0] * xi.shape[1] >= 2**31:
        raise ValueError(f"patterns too large for int32 fields: P·N must be < 2^31, got {xi.shape}")
    return _counts(xi, 0, "Hebbian counts")


def sherrington_kirkpatrick_couplings(
    n_neurons: int, rng: np.random.Generator, dtype: object = np.float64
) -> np.ndarray:
    """SK spin glass: J_ij = J_ji ~ Normal(0, 1/N) independent for i < j, J_ii = 0.

    With this scaling the spin-glass transition is at T = 1.
    """
    N = check_int(n_neurons, "n_neurons", 1)
    dtype = _check_float_dtype(dtype)
    _check_dense("SK couplings", N, 3 * 8 + dtype.itemsize)  # draws, triangle, sum, result
    g = _check_rng(rng).standard_normal((N, N)) / math.sqrt(N)
    J = np.triu(g, k=1)
    J = J + J.T
    return J.astype(dtype, copy=False)


def binary_sk_couplings(n_neurons: int, rng: np.random.Generator) -> np.ndarray:
    """±J SK spin glass as integers: K_ij = K_ji = ±1 with probability ½ each, independent
    for i < j, K_ii = 0 (int8); the couplings are J = K/√N (``dynamics.glauber`` with
    ``coupling_scale`` = 1/√N runs on exact integer sums, one byte per coupling).

    Same mean 0 and variance 1/N as the Gaussian SK: the free energy per spin at N → ∞, hence
    T_c = 1 and Parisi's ground-state energy, do not depend on the coupling distribution
    (Carmona & Hu 2006).
    """
    N = check_int(n_neurons, "n_neurons", 1)
    _check_dense("±J SK couplings", N, 8 + 1 + 1)  # draws, triangle, result
    K = np.triu(np.where(_check_rng(rng).random((N, N)) < 0.5, -1, 1).astype(np.int8), k=1)
    return K + K.T


def asymmetric_hebbian_couplings(
    patterns: object, dilution: float, rng: np.random.Generator, dtype: object = np.float64
) -> np.ndarray:
    """Diluted asymmetric Hebbian couplings (Derrida–Gardner–Zippelius type).

    J_ij = c_ij / (N (1 − d)) Σ_μ ξ_i^μ ξ_j^μ, J_ii = 0, where each directed bond c_ij ∈ {0, 1}
    is kept independently with probability 1 − d (d = ``dilution`` ∈ [0, 1)). c_ij and c_ji
    are independent, so J_ij ≠ J_ji in general; the 1/(1 − d) keeps the signal per pattern
    of order one. d = 0 gives the symmetric ``hebbian_couplings``.
    """
    xi = _check_patterns(patterns)
    dilution = float(dilution)
    if not 0.0 <= dilution < 1.0:
        raise ValueError(f"dilution must be in [0, 1), got {dilution!r}")
    dtype = _check_float_dtype(dtype)
    N = xi.shape[1]
    # counts, uniforms and mask, the float64 product and a cast
    K = _counts(xi, 8 + 1 + 8 + dtype.itemsize, "diluted asymmetric Hebbian couplings")
    keep = _check_rng(rng).random((N, N)) >= dilution
    J = K.astype(np.float64) * keep
    J /= N * (1.0 - dilution)
    np.fill_diagonal(J, 0.0)
    return J.astype(dtype, copy=False)


def random_directed_couplings(
    n_neurons: int, connectivity: float, rng: np.random.Generator, dtype: object = np.float64
) -> np.ndarray:
    """Random directed graph with Gaussian weights; feedback loops (i→j→…→i) allowed.

    Each directed bond j → i (i ≠ j) exists independently with probability c =
    ``connectivity`` ∈ (0, 1] and then has weight J_ij ~ Normal(0, 1/(c N)), so a neuron's
    field Σ_j J_ij S_j has variance ≈ 1 as in the SK model; J_ij and J_ji are independent.
    """
    N = check_int(n_neurons, "n_neurons", 1)
    connectivity = float(connectivity)
    if not 0.0 < connectivity <= 1.0:
        raise ValueError(f"connectivity must be in (0, 1], got {connectivity!r}")
    dtype = _check_float_dtype(dtype)
    rng = _check_rng(rng)
    _check_dense("random directed couplings", N, 8 + 1 + 8 + 8 + dtype.itemsize)
    present = rng.random((N, N)) < connectivity
    J = rng.standard_normal((N, N)) * present / math.sqrt(connectivity * N)
    np.fill_diagonal(J, 0.0)
    return J.astype(dtype, copy=False)
