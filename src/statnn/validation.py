"""Parameter checks shared by the engine: messages name the parameter and its range."""

from __future__ import annotations

import operator

import numpy as np


def check_int(value: object, name: str, minimum: int) -> int:
    """``value`` as a Python int ≥ ``minimum``; booleans and non-integers are refused."""
    if isinstance(value, (bool, np.bool_)):
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    try:
        n = operator.index(value)  # type: ignore[arg-type]
    except TypeError:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}") from None
    if n < minimum:
        raise ValueError(f"{name} must be an integer >= {minimum}, got {value!r}")
    return int(n)
