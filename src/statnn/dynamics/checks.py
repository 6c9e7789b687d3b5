"""Input checks of the dynamics: temperatures, couplings, spins, fields and patterns.

Every check returns the value in the form the kernels take (a fresh, C-contiguous array of
the kernel's dtype; the caller's array is never modified) or raises ValueError naming the
parameter and its allowed range.
"""

from __future__ import annotations

import math

import numpy as np

from statnn.dynamics.kernels import max_abs_row_sum
from statnn.memory import require_memory

# β is clamped here so that 4β stays finite: 4β·f is then never inf·0 = NaN, and a field of
# size > 1e-298 already gives a probability of exactly 0 or 1.
MAX_BETA = 1e300

INTEGER_COUPLINGS = (np.dtype(np.int8), np.dtype(np.int16), np.dtype(np.int32))
FLOAT_COUPLINGS = (np.dtype(np.float32), np.dtype(np.float64))


def check_temperature(temperature: object, name: str = "temperature") -> float:
    """T as a float in [0, inf]; T = 0 is the deterministic dynamics."""
    try:
        T = float(temperature)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a number in [0, inf], got {temperature!r}") from None
    if math.isnan(T) or T < 0:
        raise ValueError(f"{name} must be in [0, inf] (T = 0: deterministic), got {T!r}")
    return T


def inverse_temperature(T: float) -> tuple[float, bool]:
    """(β, deterministic) for temperature T; β = 1/T clamped to MAX_BETA."""
    if T == 0:
        return math.inf, True
    return min(1.0 / T, MAX_BETA), False


def check_couplings(J: object, allow_integer: bool = False) -> np.ndarray:
    """C-contiguous float32/float64 J (or int8/16/32 if allowed), finite, zero diagonal."""
    J = np.asarray(J)
    if J.ndim != 2 or J.shape[0] != J.shape[1] or J.shape[0] < 1:
        raise ValueError(f"J must be a square (N, N) matrix with N >= 1, got shape {J.shape}")
    if not (np.issubdtype(J.dtype, np.number) or J.dtype == np.bool_) or np.iscomplexobj(J):
        raise ValueError(f"J must be a real matrix (float32/float64, or integer), got {J.dtype}")
    integer = np.issubdtype(J.dtype, np.integer) or J.dtype == np.bool_
    converted = J.dtype not in (INTEGER_COUPLINGS if integer and allow_integer
                                else FLOAT_COUPLINGS)
    if converted or not J.flags.c_contiguous:  # a copy of J will be made
        item = 4 if integer and allow_integer else 8
        require_memory(f"a {'converted' if converted else 'contiguous'} copy of J "
                       f"(N = {J.shape[0]})", J.shape[0] ** 2 * item,
                       "pass J as a C-contiguous float32/float64 (or int8/16/32) array")
    if integer and allow_integer:
        if J.dtype not in INTEGER_COUPLINGS:
            if J.size and (J.min() < -(2**31) or J.max() >= 2**31):
                raise ValueError("integer J must fit in int32")
            J = J.astype(np.int32, order="C")
        big = max_abs_row_sum(np.ascontiguousarray(J))
        if big >= 2**31:
            raise ValueError(f"integer J must have row sums Σ_j |J_ij| < 2^31, got {big}")
    elif J.dtype not in FLOAT_COUPLINGS:
        J = J.astype(np.float64, order="C")
    J = np.ascontiguousarray(J)
    if not integer and not np.isfinite(J).all():
        raise ValueError("J must be finite (no NaN or inf)")
    if np.any(np.diagonal(J) != 0):
        raise ValueError("J must have a zero diagonal (no self-coupling, J_ii = 0)")
    return J


def check_scale(scale: object) -> float:
    """The coupling scale, a finite number > 0."""
    try:
        value = float(scale)
    except (TypeError, ValueError):
        value = math.nan
    if not (math.isfinite(value) and value > 0):
        raise ValueError(f"coupling_scale must be a finite number > 0, got {scale!r}")
    return value


def check_binary(x: object, n: int, name: str, values: tuple[int, int]) -> np.ndarray:
    """An (n,) int8 copy of x, whose entries must be values[0] or values[1]."""
    x = np.asarray(x)
    if x.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {x.shape}")
    if not np.all((x == values[0]) | (x == values[1])):
        raise ValueError(f"{name} must contain only {values[0]} and {values[1]}")
    return x.astype(np.int8)  # a copy: the caller's array is never modified


def check_vector(x: object, n: int, name: str) -> np.ndarray:
    """An (n,) finite float64 vector; zeros for None."""
    if x is None:
        return np.zeros(n)
    x = np.asarray(x, dtype=np.float64)
    if x.shape != (n,):
        raise ValueError(f"{name} must have shape ({n},), got {x.shape}")
    if not np.isfinite(x).all():
        raise ValueError(f"{name} must be finite")
    return np.ascontiguousarray(x)


def check_patterns(patterns: object, n: int) -> np.ndarray:
    """(N, P) int8 transposed ±1 patterns given as (P, N) or (N,); (N, 0) when None."""
    if patterns is None:
        return np.zeros((n, 0), np.int8)
    xi = np.asarray(patterns)
    if xi.ndim == 1:
        xi = xi[None, :]
    if xi.ndim != 2 or xi.shape[1] != n:
        raise ValueError(f"patterns must have shape (P, {n}), got {xi.shape}")
    if not np.all((xi == 1) | (xi == -1)):
        raise ValueError("patterns must contain only -1 and +1")
    return np.ascontiguousarray(xi.T, dtype=np.int8)


def check_stop(stop_when_stable: object, temperature: float) -> bool:
    """``stop_when_stable`` as a bool; a fixed-point stop is defined only at T = 0."""
    if not isinstance(stop_when_stable, (bool, np.bool_)):
        raise ValueError(f"stop_when_stable must be a bool, got {stop_when_stable!r}")
    if stop_when_stable and temperature != 0.0:
        raise ValueError(f"stop_when_stable needs temperature 0 (a T = 0 fixed point), "
                         f"got {temperature!r}")
    return bool(stop_when_stable)
