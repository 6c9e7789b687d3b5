"""Flips per attempt expected for a Hebbian network, from a table measured on a grid.

Flip rates of Hebbian networks started from a cue at overlap 0.8, averaged over 40 sweeps
(N = 2000), on an (α, T) grid; measured with ``python -m statnn.bench calibrate``. Used
only to estimate the kernels' costs (``costs``).
"""

from __future__ import annotations

import math

import numpy as np

from statnn.dynamics.checks import check_temperature

FLIP_ALPHAS = np.array([0.01, 0.05, 0.1, 0.14, 0.2, 0.3])
FLIP_TEMPERATURES = np.array([0.0, 0.1, 0.3, 0.5, 0.7, 0.9, 1.1, 1.5, 2.0, 3.0])
FLIP_RATES = np.array([
    [0.002, 0.002, 0.006, 0.050, 0.180, 0.353, 0.438, 0.485, 0.493, 0.497],
    [0.002, 0.002, 0.011, 0.082, 0.234, 0.312, 0.387, 0.464, 0.483, 0.492],
    [0.002, 0.004, 0.033, 0.142, 0.210, 0.275, 0.343, 0.440, 0.474, 0.491],
    [0.003, 0.019, 0.071, 0.134, 0.192, 0.255, 0.311, 0.417, 0.465, 0.486],
    [0.017, 0.026, 0.069, 0.119, 0.179, 0.240, 0.304, 0.399, 0.453, 0.484],
    [0.016, 0.024, 0.062, 0.104, 0.153, 0.208, 0.261, 0.362, 0.429, 0.476],
])


def expected_flip_rate(alpha: float, temperature: float) -> float:
    """Flips per attempt expected for a Hebbian network at load α = P/N and temperature T.

    Bilinear interpolation in the measured table (``FLIP_RATES``), α and T clamped to the
    table; above its last temperature T_max the rate approaches the infinite-temperature
    value ½ as r(T) = ½ − (½ − r(T_max)) T_max / T.
    """
    T = check_temperature(temperature)
    a = float(alpha)
    if not (math.isfinite(a) and a >= 0):
        raise ValueError(f"alpha must be a finite number >= 0, got {alpha!r}")
    a = min(max(a, FLIP_ALPHAS[0]), FLIP_ALPHAS[-1])
    by_t = np.array([np.interp(a, FLIP_ALPHAS, col) for col in FLIP_RATES.T])
    t_max = FLIP_TEMPERATURES[-1]
    if T > t_max:
        return float(0.5 - (0.5 - by_t[-1]) * t_max / T)
    return float(np.interp(T, FLIP_TEMPERATURES, by_t))
