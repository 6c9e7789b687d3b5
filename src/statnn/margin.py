"""The perceptron's largest stability (Gardner 1988), exactly and as learned by AdaTron.

For patterns ξ^μ with labels y^μ = ±1 the stability of a direction w is
Δ(w) = min_μ y^μ w·ξ^μ / |w|, and κ_max = max_w Δ(w) (Gardner, J. Phys. A 21, 257 (1988):
for random ±1 patterns, |ξ| = √N, it is O(1) and its N → ∞ limit is the inverse of
``statnn.theory.gardner_capacity``). With a = y ξ (rows a^μ) and κ_max > 0,

    κ_max = 1 / |w*|,   w* = argmin |w|²  subject to  a^μ·w ≥ 1 for all μ,

the hard-margin quadratic program. It is a least-distance program, solved exactly (finite
active-set termination) by ``scipy.optimize.nnls`` through the Lawson–Hanson reduction:
u ≥ 0 minimising |E u − f|, E = [Aᵀ; 1ᵀ], f = (0, …, 0, 1), gives w* = −r_{1..N} / r_{N+1}
with r = E u − f (Lawson & Hanson 1974, ch. 23; the same reduction inside SciPy's SLSQP).
The stability is then evaluated from the returned direction, min_μ a^μ·ŵ, so it never
overstates κ_max.

Sign convention. If no plane through the origin separates the labels (the solution of the
program separates them strictly when one does; otherwise the LP of ``statnn.separability``
decides), κ_max ≤ 0; its value is then the maximum of a non-concave
function (Gardner's κ < 0 branch breaks replica symmetry) and is not computed: tables record
κ_max = −inf, which sorts below every κ ≥ 0, so fractions with κ_max ≥ κ and order statistics
at κ ≥ 0 stay exact. A separable dichotomy has κ_max > 0.

AdaTron (Anlauf & Biehl, Europhys. Lett. 10, 687 (1989)) learns the same w* = Σ_μ x^μ a^μ
from embedding strengths x^μ ≥ 0 by x^μ ← max(0, x^μ + (1 − E^μ)/|a^μ|²), E^μ = a^μ·w,
sweeping over μ until, throughout a sweep, every pattern has E^μ ≥ 1 − tol, and
E^μ ≤ 1 + tol where x^μ > 0 (the Kuhn–Tucker conditions of the program above).
"""

from __future__ import annotations

import math

import numba
import numpy as np
from scipy.optimize import nnls
from scipy.spatial import ConvexHull, QhullError

from statnn.separability import is_linearly_separable

__all__ = [
    "NOT_SEPARABLE",
    "adatron",
    "check_labelled",
    "max_margin",
    "max_margin_line",
    "stability",
]

#: κ_max recorded for a dichotomy that no plane through the origin separates (κ_max ≤ 0).
NOT_SEPARABLE = -math.inf


def check_labelled(x: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Inputs x (P, N) and labels y (P,) of ±1 as contiguous float64, finite, else ValueError."""
    x = np.ascontiguousarray(x, dtype=np.float64)
    y = np.ascontiguousarray(y, dtype=np.float64)
    if x.ndim != 2 or y.shape != (x.shape[0],):
        raise ValueError(f"x must be (P, N) and y (P,), got {x.shape} and {y.shape}")
    if not np.all(np.isin(y, (-1.0, 1.0))):
        raise ValueError("labels y must be ±1")
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    return x, y


def _augmented(x: np.ndarray, y: np.ndarray, bias: bool) -> np.ndarray:
    """Rows a^μ = y^μ x̃^μ, x̃ = (x, 1) with a bias, x without."""
    x, y = check_labelled(x, y)
    xa = np.hstack([x, np.ones((x.shape[0], 1))]) if bias else x
    return y[:, None] * xa


def stability(w: np.ndarray, a: np.ndarray) -> float:
    """Δ(w) = min_μ a^μ·w / |w| (−inf for w = 0)."""
    norm = float(np.linalg.norm(w))
    return float(np.min(a @ w)) / norm if norm > 0 else -math.inf


def max_margin(x: np.ndarray, y: np.ndarray, *, bias: bool = True) -> tuple[np.ndarray, float]:
    """(ŵ, κ_max): the unit direction of largest stability κ_max = max_ŵ min_μ y^μ ŵ·x̃^μ.

    x̃ = (x, 1) with ``bias`` (ŵ then has N + 1 components, the last the bias), x without.
    Hard-margin QP min |w|² s.t. y^μ w·x̃^μ ≥ 1 by NNLS (module docstring); κ_max is
    evaluated from the returned ŵ. A plane with every y^μ w·x̃^μ > 0 certifies separability;
    without one the LP of ``statnn.separability`` decides, and a non-separable dichotomy
    gives (0, −inf) (``NOT_SEPARABLE``).
    """
    a = _augmented(x, y, bias)
    p, n = a.shape
    if p == 0:
        raise ValueError("need at least one pattern")
    e = np.vstack([a.T, np.ones((1, p))])
    f = np.zeros(n + 1)
    f[n] = 1.0
    try:
        u, _ = nnls(e, f, maxiter=50 * (n + p + 1))
    except RuntimeError:  # iteration limit: the LP below decides
        u = np.zeros(p)
    r = e @ u - f
    if r[n] < 0.0:
        w = -r[:n] / r[n]
        if np.min(a @ w) > 0.0:  # a strictly separating plane: its own certificate
            w = w / np.linalg.norm(w)
            return w, stability(w, a)
    if not is_linearly_separable(a, np.ones(p), bias=False):
        return np.zeros(n), NOT_SEPARABLE
    raise RuntimeError("least-distance program found no plane where the LP finds one")


def _hull_vertices(points: np.ndarray) -> np.ndarray:
    """The vertices of the convex hull of ``points`` (all points where Qhull cannot tell)."""
    if len(points) <= points.shape[1] + 1:
        return points
    try:
        return points[ConvexHull(points).vertices]
    except (QhullError, ValueError):  # degenerate: collinear, duplicates, 1-D
        return points


def max_margin_line(x: np.ndarray, y: np.ndarray) -> tuple[np.ndarray, float, float]:
    """(ŵ, b, γ): the plane ŵ·x + b = 0, |ŵ| = 1, of largest margin with a free bias,

        γ = max_{ŵ, b} min_μ y^μ (ŵ·x^μ + b)   (the support-vector machine's hard margin).

    Some b gives y^μ (w·x^μ + b) ≥ 1 for all μ iff w·(x^+ − x^−) ≥ 2 for every pair of a
    positive and a negative point (take b = −(min w·x^+ + max w·x^−)/2), so the program is
    ``max_margin`` without bias on those differences (of the two classes' convex-hull
    vertices, enough for the constraints): ŵ is its direction, 2γ its κ. γ is evaluated on
    all points. Not separable: (0, NaN, −inf).
    """
    _augmented(x, y, False)  # checks
    x, y = np.asarray(x, dtype=np.float64), np.asarray(y, dtype=np.float64)
    pos, neg = x[y > 0], x[y < 0]
    if len(pos) == 0 or len(neg) == 0:
        raise ValueError("need points of both labels")
    d = (_hull_vertices(pos)[:, None, :] - _hull_vertices(neg)[None, :, :]).reshape(
        -1, x.shape[1])
    w, kappa = max_margin(d, np.ones(len(d)), bias=False)
    if kappa == NOT_SEPARABLE:
        return w, math.nan, NOT_SEPARABLE
    b = -0.5 * (float(np.min(pos @ w)) + float(np.max(neg @ w)))
    return w, b, float(np.min(y * (x @ w + b)))


@numba.njit(cache=True)
def _adatron_sweeps(a, x, tol, max_sweeps):
    """Sequential AdaTron on rows ``a`` from strengths ``x`` (updated in place).

    Returns (sweeps run, largest Kuhn–Tucker violation seen in the last sweep, each pattern's
    measured just before its update).
    """
    p, n = a.shape
    w = np.zeros(n)
    norms = np.zeros(p)
    for mu in range(p):
        for i in range(n):
            w[i] += x[mu] * a[mu, i]
            norms[mu] += a[mu, i] * a[mu, i]
    violation = np.inf
    sweeps = 0
    while sweeps < max_sweeps and not violation < tol:
        sweeps += 1
        violation = 0.0
        for mu in range(p):
            e = 0.0
            for i in range(n):
                e += a[mu, i] * w[i]
            violation = max(violation, 1.0 - e if x[mu] == 0.0 else abs(1.0 - e))
            new = max(0.0, x[mu] + (1.0 - e) / norms[mu])
            d = new - x[mu]
            if d != 0.0:
                x[mu] = new
                for i in range(n):
                    w[i] += d * a[mu, i]
    return sweeps, violation


def adatron(
    x: np.ndarray,
    y: np.ndarray,
    *,
    bias: bool = False,
    tol: float = 1e-9,
    max_sweeps: int = 100_000,
) -> tuple[np.ndarray, float, int, bool]:
    """(ŵ, Δ(ŵ), sweeps, converged) learned by AdaTron from x^μ = 0 (module docstring).

    Meant for separable data (on others the strengths grow until ``max_sweeps``). The
    stability is evaluated from the learned ŵ, so Δ ≤ κ_max always; ``converged`` says the
    largest Kuhn–Tucker violation fell below ``tol`` (then Δ = κ_max up to O(tol · κ_max)).
    """
    a = _augmented(x, y, bias)
    if not tol > 0 or int(max_sweeps) < 1:
        raise ValueError(f"need tol > 0 and max_sweeps >= 1, got {tol!r}, {max_sweeps!r}")
    strengths = np.zeros(a.shape[0])
    sweeps, violation = _adatron_sweeps(a, strengths, float(tol), int(max_sweeps))
    w = strengths @ a
    norm = float(np.linalg.norm(w))
    w = w / norm if norm > 0 else w
    return w, stability(w, a), int(sweeps), bool(violation < tol)
