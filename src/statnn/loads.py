"""The load α = P/N and the number of patterns P = round(αN) it stands for.

Light on purpose (no numba, no pandas): the config checks, the provenance slices and the
workflow use it as well as the engine, so every part counts the same P.
"""

from __future__ import annotations

import math

import numpy as np

from statnn.validation import check_int


def check_alpha(value: object, name: str = "alpha") -> float:
    """A load α as a float, finite and > 0; booleans and non-numbers are refused."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    try:
        a = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}") from None
    if not math.isfinite(a) or a <= 0.0:
        raise ValueError(f"{name} must be a finite number > 0, got {value!r}")
    return a


def n_patterns(alpha: float, n_neurons: int) -> int:
    """P = round(α N) (round half to even), at least one pattern."""
    return max(1, round(check_alpha(alpha) * check_int(n_neurons, "n_neurons", 1)))
