"""Exact linear separability by linear programming (independent of any learning rule)."""

from __future__ import annotations

import numpy as np
from scipy.optimize import linprog


def is_linearly_separable(x: np.ndarray, y: np.ndarray, *, bias: bool = True) -> bool:
    """Whether some plane strictly separates the labels ``y`` ∈ {±1} of the points ``x``.

    Solves the feasibility LP  y_i (w·x_i + b) ≥ 1  for all i  (b ≡ 0 when ``bias`` is
    False: a plane through the origin, as in Cover's theorem) with HiGHS. Any strict
    separator can be rescaled to margin 1, so feasibility is equivalent to separability.
    """
    x = np.asarray(x, dtype=float)
    y = np.asarray(y, dtype=float)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError(f"x must be (P, N) and y (P,), got {x.shape} and {y.shape}")
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("labels y must be ±1")
    if x.shape[0] == 0:
        return True
    a = x if not bias else np.hstack([x, np.ones((x.shape[0], 1))])
    # y_i (w·a_i) >= 1  <=>  -(y_i a_i)·w <= -1
    a_ub = -(y[:, None] * a)
    b_ub = -np.ones(x.shape[0])
    n_var = a.shape[1]
    res = linprog(
        c=np.zeros(n_var),
        A_ub=a_ub,
        b_ub=b_ub,
        bounds=[(None, None)] * n_var,
        method="highs",
    )
    if res.status == 0:
        return True
    if res.status == 2:  # infeasible
        return False
    raise RuntimeError(f"separability LP failed: {res.message}")
