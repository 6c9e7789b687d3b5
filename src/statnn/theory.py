"""Exact and mean-field reference values: Curie–Weiss, Hopfield (AGS), SK, Cover, Gardner.

Conventions follow ``docs/conventions.md``: Hebbian couplings J_ij = (1/N) Σ_μ ξ_i^μ ξ_j^μ, Glauber
dynamics P(S_i = +1) = 1 / (1 + exp(−2β Σ_j J_ij S_j)), β = 1/T, so that the Curie–Weiss
critical temperature is T_c = 1 and the SK spin-glass transition (J_ij of variance 1/N) is
at T = 1. ``Dz`` denotes the standard Gaussian measure exp(−z²/2) dz / √(2π).

Numerics. Gaussian averages E f(m + σz) of tanh and sech² are computed by Gauss–Hermite
quadrature when the Gaussian is narrow on the scale of T (βσ ≤ 1). Otherwise tanh(βx) is
split into sign(x) minus an exponentially localised remainder: the sign part gives an exact
erf, and the remainder (width ~T around x = 0) is integrated by Gauss–Legendre in x/T. This
keeps the averages accurate to ~1e-14 all the way down to T → 0, where they reach the
closed T = 0 forms (erf and a Gaussian density).

The AGS retrieval branch is traced by the noise width σ = √(αr): for fixed T and σ the
overlap m is the largest root of m = ∫Dz tanh(β(m + σz)) (unique, the right side being odd
and concave in m > 0), and the load follows as α(σ) = σ² (1 − C)² / q with C = β(1 − q).
α(σ) vanishes at σ = 0 (Curie–Weiss) and at σ_0, where C(m=0, σ_0) = 1 and m → 0, with a
single maximum in between: the critical load α_c(T). The retrieval solution at α ≤ α_c(T)
is the smaller-σ (larger-m) root of α(σ) = α, the one reached by iterating the equations
from m ≈ 1. In replica-symmetric theory α_c(T) is slightly re-entrant: α_c(0) ≈ 0.13791,
maximum ≈ 0.13819 at T ≈ 0.023.
"""

from __future__ import annotations

import math
from functools import lru_cache

import numpy as np
import pandas as pd
from scipy import optimize, stats

from statnn.validation import check_int

__all__ = [
    "ONE_STEP_RSB_CRITICAL_LOAD",
    "PARISI_GROUND_STATE_ENERGY",
    "SEQUENCE_CRITICAL_LOAD",
    "ags_saddle_point",
    "cover_count",
    "cover_separable_probability",
    "critical_load",
    "curie_weiss_magnetization",
    "gardner_capacity",
    "gardner_stability",
    "load_curve",
    "retrieval_line",
    "retrieval_overlap",
    "retrieval_table",
    "retrieval_temperature",
    "sk_replica_symmetric",
    "spin_glass_temperature",
    "temperature_curves",
]

#: Ground-state energy per spin of the SK model (J_ij variance 1/N), Parisi's full RSB value.
PARISI_GROUND_STATE_ENERGY = -0.7633

#: Storage capacity of the Hopfield model at T = 0 with one step of replica-symmetry
#: breaking, α_c = 0.138186 (Steffan & Kühn, Z. Phys. B 95, 249 (1994); replica-symmetric:
#: 0.137905, ``critical_load(0)``).
ONE_STEP_RSB_CRITICAL_LOAD = 0.138186

#: Sequence capacity of the synchronous network with couplings (1/N) Σ_μ ξ_i^(μ+1) ξ_j^μ at
#: T = 0, α_c ≈ 0.269 (During, Coolen & Sherrington, J. Phys. A 31, 8607 (1998)).
SEQUENCE_CRITICAL_LOAD = 0.269

_SQRT2 = math.sqrt(2.0)
_SQRT_2_OVER_PI = math.sqrt(2.0 / math.pi)
_INV_SQRT_2PI = 1.0 / math.sqrt(2.0 * math.pi)

# Probabilists' Gauss–Hermite rule: Σ w_k f(z_k) ≈ ∫ Dz f(z).
_HERMITE_NODES, _HERMITE_WEIGHTS = np.polynomial.hermite_e.hermegauss(201)
_HERMITE_WEIGHTS = _HERMITE_WEIGHTS / math.sqrt(2.0 * math.pi)
# Gauss–Legendre rule on u = x/T ∈ [0, 19]: 1 − tanh(u) and sech²(u) are below 1e-16 beyond.
_U_MAX = 19.0
_LEGENDRE_NODES, _LEGENDRE_WEIGHTS = np.polynomial.legendre.leggauss(96)
_LEGENDRE_NODES = 0.5 * _U_MAX * (_LEGENDRE_NODES + 1.0)
_LEGENDRE_WEIGHTS = 0.5 * _U_MAX * _LEGENDRE_WEIGHTS
_TANH_REMAINDER = 2.0 / (1.0 + np.exp(2.0 * _LEGENDRE_NODES))  # 1 − tanh(u), no cancellation
_SECH2 = 1.0 / np.cosh(_LEGENDRE_NODES) ** 2
_SIGMA_MAX = _SQRT_2_OVER_PI  # m = E tanh(β(m + σz)) has no root m > 0 once σ ≥ √(2/π)


# ----------------------------------------------------------------------------- validation


def _check_nonnegative(value: object, name: str) -> float:
    try:
        x = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}") from None
    if not math.isfinite(x) or x < 0.0:
        raise ValueError(f"{name} must be a finite number >= 0, got {value!r}")
    return x


# ------------------------------------------------------------------------ Gaussian averages


def _averages(m: float, sigma: float, temperature: float) -> tuple[float, float, float]:
    """(M, q, C) = (∫Dz tanh(βx), ∫Dz tanh²(βx), β ∫Dz sech²(βx)), x = m + σz, m ≥ 0.

    C = β(1 − q) is returned separately so that it stays accurate as T → 0, where
    M → erf(m / (σ√2)), q → 1 and C → √(2/π)/σ · exp(−m²/(2σ²)).
    """
    if temperature == 0.0:
        if sigma == 0.0:
            return (1.0 if m > 0 else 0.0), (1.0 if m > 0 else 0.0), (0.0 if m > 0 else math.inf)
        t = m / sigma
        c = _SQRT_2_OVER_PI / sigma * math.exp(-0.5 * t * t)
        return math.erf(t / _SQRT2), 1.0, c
    beta = 1.0 / temperature
    if beta * sigma <= 1.0:
        x = beta * (m + sigma * _HERMITE_NODES)
        th = np.tanh(x)
        e = np.exp(-2.0 * np.abs(x))
        sech2 = 4.0 * e / (1.0 + e) ** 2  # no overflow, no cancellation
        big_m = float(_HERMITE_WEIGHTS @ th)
        # q summed directly (not as 1 − T C) so that it stays accurate when q ≪ 1.
        return big_m, float(_HERMITE_WEIGHTS @ (th * th)), beta * float(_HERMITE_WEIGHTS @ sech2)
    # Wide Gaussian on the scale of T: tanh(βx) = sign(x) − sign(x)(1 − tanh(β|x|)).
    x = temperature * _LEGENDRE_NODES
    inv = 1.0 / sigma
    g_plus = np.exp(-0.5 * ((x - m) * inv) ** 2)  # Gaussian at +x and −x (un-normalised)
    g_minus = np.exp(-0.5 * ((x + m) * inv) ** 2)
    norm = temperature * _INV_SQRT_2PI * inv
    remainder = norm * float(_LEGENDRE_WEIGHTS @ (_TANH_REMAINDER * (g_plus - g_minus)))
    big_m = math.erf(m * inv / _SQRT2) - remainder
    c = beta * norm * float(_LEGENDRE_WEIGHTS @ (_SECH2 * (g_plus + g_minus)))
    return big_m, 1.0 - temperature * c, c


# ------------------------------------------------------------------------------ Curie–Weiss


def curie_weiss_magnetization(temperature: float) -> float:
    """Spontaneous magnetisation m ≥ 0 of the Curie–Weiss model, m = tanh(m / T).

    The largest root: 0 for T ≥ 1, 1 at T = 0. Solved with ``brentq`` on
    g(m) = tanh(m/T)/m − 1 (g(0) = 1/T − 1 > 0, g(1) < 0), robust as T → 1⁻.
    """
    t = _check_nonnegative(temperature, "temperature")
    if t == 0.0:
        return 1.0
    if t >= 1.0:
        return 0.0
    beta = 1.0 / t

    def g(m: float) -> float:
        return beta - 1.0 if m == 0.0 else math.tanh(beta * m) / m - 1.0

    return float(optimize.brentq(g, 0.0, 1.0, xtol=1e-15, rtol=4 * np.finfo(float).eps))


# ---------------------------------------------------------------- Hopfield: AGS replica theory


def _overlap_of_sigma(sigma: float, temperature: float) -> float:
    """Largest root m of m = ∫Dz tanh(β(m + σz)) for noise width σ = √(αr) > 0.

    The right side is odd and concave in m > 0, so a root m > 0 exists iff its slope at 0,
    C(0, σ), exceeds 1; ``brentq`` on g(m) = M(m, σ)/m − 1, with g(0) = C(0, σ) − 1.
    """

    def g(m: float) -> float:
        if m == 0.0:
            return _averages(0.0, sigma, temperature)[2] - 1.0
        return _averages(m, sigma, temperature)[0] / m - 1.0

    if g(1.0) >= 0.0:  # m = 1 to machine precision (σ ≪ 1 at low T)
        return 1.0
    return float(optimize.brentq(g, 0.0, 1.0, xtol=1e-15))


def _retrieval_state(sigma: float, temperature: float) -> tuple[float, float, float]:
    """(α, m, q) on the retrieval branch at noise width σ: α = σ²(1 − C)²/q."""
    if sigma == 0.0:  # α = 0: Curie–Weiss
        m = curie_weiss_magnetization(temperature)
        return 0.0, m, m * m
    m = _overlap_of_sigma(sigma, temperature)
    _, q, c = _averages(m, sigma, temperature)
    return sigma * sigma * (1.0 - c) ** 2 / q, m, q


@lru_cache(maxsize=4096)
def _branch(temperature: float) -> tuple[float, float, float]:
    """(σ_0, σ*, α_c) of the retrieval branch σ ∈ [0, σ_0) at temperature T.

    α(σ) is 0 at σ = 0 (Curie–Weiss) and at σ_0, where C(0, σ_0) = 1 and m → 0; its single
    maximum α_c = α(σ*) is found by bounded Brent search. All zero for T ≥ 1.
    """
    if temperature >= 1.0:
        return 0.0, 0.0, 0.0
    if temperature == 0.0:
        sigma_0 = _SQRT_2_OVER_PI
    else:
        sigma_0 = float(
            optimize.brentq(lambda s: _averages(0.0, s, temperature)[2] - 1.0, 0.0, 1.0, xtol=1e-15)
        )
    res = optimize.minimize_scalar(
        lambda s: -_retrieval_state(s, temperature)[0],
        bounds=(0.0, sigma_0),
        method="bounded",
        options={"xatol": 1e-12},
    )
    return sigma_0, float(res.x), float(-res.fun)


@lru_cache(maxsize=1)
def _reentrance_peak() -> tuple[float, float]:
    """(T*, α_max): the replica-symmetric α_c(T) is slightly re-entrant, max at T* ≈ 0.023."""
    res = optimize.minimize_scalar(
        lambda t: -_branch(t)[2], bounds=(0.0, 0.2), method="bounded", options={"xatol": 1e-9}
    )
    t_star, a_max = float(res.x), float(-res.fun)
    if _branch(0.0)[2] >= a_max:  # pragma: no cover - no re-entrance after all
        return 0.0, _branch(0.0)[2]
    return t_star, a_max


def _spin_glass_state(alpha: float, temperature: float) -> tuple[float, float, float]:
    """(0, q, r) of the m = 0 solution: q = ∫Dz tanh²(β√(αr) z), r = q/(1 − β(1 − q))².

    Paramagnetic (q = r = 0) for T ≥ T_g = 1 + √α, spin glass (q > 0) below.
    """
    if alpha == 0.0 or temperature >= 1.0 + math.sqrt(alpha):
        return 0.0, 0.0, 0.0
    if temperature == 0.0:
        sigma = math.sqrt(alpha) + _SQRT_2_OVER_PI  # α = (σ − √(2/π))², q = 1
        return 0.0, 1.0, sigma * sigma / alpha

    def load(s: float) -> float:
        _, q, c = _averages(0.0, s, temperature)
        return s * s * (1.0 - c) ** 2 / q - alpha

    if temperature < 1.0:  # the branch starts where C = β(1 − q) = 1, at α = 0
        lo = optimize.brentq(
            lambda s: _averages(0.0, s, temperature)[2] - 1.0, 0.0, 1.0, xtol=1e-15
        )
    else:  # the branch starts at σ → 0, where α → (T − 1)² < α
        lo = 1e-9
    hi = math.sqrt(alpha) + 1.0
    while load(hi) <= 0.0:
        hi *= 2.0
    sigma = optimize.brentq(load, lo, hi, xtol=1e-15)
    _, q, _ = _averages(0.0, sigma, temperature)
    return 0.0, q, sigma * sigma / alpha


def ags_saddle_point(alpha: float, temperature: float) -> tuple[float, float, float]:
    """Replica-symmetric AGS saddle point (m, q, r) of the Hopfield model, one condensed pattern.

    With β = 1/T and Dz the standard Gaussian measure::

        m = ∫Dz tanh(β(m + √(αr) z)),   q = ∫Dz tanh²(β(m + √(αr) z)),
        r = q / (1 − β(1 − q))².

    At T = 0 these become m = erf(m/√(2αr)), C ≡ β(1 − q) = √(2/(παr)) exp(−m²/(2αr)),
    r = 1/(1 − C)² (q = 1). α = 0 is Curie–Weiss: m = tanh(βm), q = m².

    Returns the retrieval solution (m > 0, the one reached by iterating from m ≈ 1) where it
    exists, i.e. for α ≤ α_c(T) = ``critical_load(T)``; otherwise m = 0 with the spin-glass
    q, r of the same equations (q = r = 0 in the paramagnet, T ≥ 1 + √α).

    Parameters
    ----------
    alpha : load P/N, finite, ≥ 0.
    temperature : T ≥ 0, finite.
    """
    a = _check_nonnegative(alpha, "alpha")
    t = _check_nonnegative(temperature, "temperature")
    _, sigma_star, a_c = _branch(t)
    if a == 0.0:
        m = curie_weiss_magnetization(t)
        if m == 0.0:
            return 0.0, 0.0, 0.0
        q = m * m
        c = 0.0 if t == 0.0 else (1.0 - q) / t
        return m, q, q / (1.0 - c) ** 2
    if a > a_c:
        return _spin_glass_state(a, t)
    if a == a_c:
        sigma = sigma_star
    else:
        sigma = optimize.brentq(
            lambda s: _retrieval_state(s, t)[0] - a, 0.0, sigma_star, xtol=1e-300
        )
    _, m, q = _retrieval_state(sigma, t)
    return m, q, sigma * sigma / a


def retrieval_overlap(alpha: float, temperature: float) -> float:
    """Overlap m of the AGS retrieval solution at (α, T); 0 where none exists (α > α_c(T))."""
    return ags_saddle_point(alpha, temperature)[0]


def critical_load(temperature: float = 0.0) -> float:
    """α_c(T): the largest load with a retrieval solution (m > 0) at temperature T.

    Along the retrieval branch the load α(σ) = σ² (1 − C)² / q (σ = √(αr)) rises from 0 at
    the Curie–Weiss point σ = 0 to a single maximum and falls back to 0 where m → 0; α_c(T)
    is that maximum, found by bounded Brent search in σ (equivalent to bisecting on the
    existence of a retrieval solution, but exact to ~1e-12). α_c(0) ≈ 0.13791 with
    m ≈ 0.9674 there; α_c(T) = 0 for T ≥ 1.

    In replica-symmetric theory α_c(T) is slightly re-entrant: it rises to ≈ 0.13819 near
    T ≈ 0.023 before decreasing (a replica-symmetric feature, reduced by replica-symmetry breaking).
    """
    return _branch(_check_nonnegative(temperature, "temperature"))[2]


def retrieval_temperature(alpha: float) -> float:
    """T_M(α): the highest temperature at which a retrieval solution exists at load α.

    The inverse of ``critical_load`` on its decreasing part: α_c(T_M) = α. T_M(0) = 1, and
    T_M(α) = 0 where no temperature has a retrieval solution. Because the replica-symmetric
    α_c(T) is re-entrant, T_M jumps from ≈ 0.023 to 0 at α_max ≈ 0.13819, slightly above
    α_c(0) ≈ 0.13791 (for α_c(0) < α ≤ α_max retrieval exists only in a window of T > 0).
    """
    a = _check_nonnegative(alpha, "alpha")
    if a == 0.0:
        return 1.0
    t_star, a_max = _reentrance_peak()
    if a > a_max:
        return 0.0
    if a == a_max:
        return t_star
    return float(optimize.brentq(lambda t: critical_load(t) - a, t_star, 1.0, xtol=1e-13))


def retrieval_line(n_points: int = 60) -> pd.DataFrame:
    """The retrieval boundary (α_c(T), T) for ``n_points`` temperatures from T = 1 to T = 0.

    Columns ``alpha``, ``temperature``; the first row is (0, 1), the last (α_c(0), 0). The
    curve is parametrised by T (evenly spaced) so that it also traces the small
    replica-symmetric re-entrance near T ≈ 0.023; for α outside that region it is T_M(α).
    """
    n = check_int(n_points, "n_points", 2)
    temperatures = np.linspace(1.0, 0.0, n)
    alphas = [critical_load(float(t)) for t in temperatures]
    return pd.DataFrame({"alpha": np.asarray(alphas, dtype=float), "temperature": temperatures})


def retrieval_table(alphas, temperatures) -> pd.DataFrame:
    """AGS saddle point on the grid ``alphas × temperatures`` (α outer, T inner).

    One row per (alpha, temperature) with columns ``alpha``, ``temperature``, ``overlap``
    (retrieval m, 0 where no retrieval solution exists), ``q`` and ``r``; see
    ``ags_saddle_point``.
    """
    a_values = np.atleast_1d(np.asarray(alphas, dtype=float))
    t_values = np.atleast_1d(np.asarray(temperatures, dtype=float))
    if a_values.ndim != 1 or t_values.ndim != 1:
        raise ValueError("alphas and temperatures must be scalars or 1-D sequences")
    for a in a_values:
        _check_nonnegative(a, "alpha")
    for t in t_values:
        _check_nonnegative(t, "temperature")
    rows = [(a, t, *ags_saddle_point(float(a), float(t))) for a in a_values for t in t_values]
    return pd.DataFrame(rows, columns=["alpha", "temperature", "overlap", "q", "r"])


def spin_glass_temperature(alpha):
    """Spin-glass transition of the Hopfield model, T_g(α) = 1 + √α (α ≥ 0; arrays too)."""
    a = np.asarray(alpha, dtype=float)
    if not np.all(np.isfinite(a)) or np.any(a < 0.0):
        raise ValueError(f"alpha must be finite and >= 0, got {alpha!r}")
    t_g = 1.0 + np.sqrt(a)
    return float(t_g) if t_g.ndim == 0 else t_g


def _axis(values, n_points: int, name: str) -> np.ndarray:
    """``n_points`` evenly spaced in [0, 1.05 max(values)], merged with ``values`` (sorted)."""
    v = np.atleast_1d(np.asarray(values, dtype=float))
    for x in v:
        _check_nonnegative(x, name)
    n = check_int(n_points, "n_points", 2)
    return np.unique(np.concatenate([np.linspace(0.0, 1.05 * v.max(), n), v]))


def load_curve(alphas, temperature: float, n_points: int = 300) -> pd.DataFrame:
    """AGS overlap against load at temperature T, fine enough to draw, through a load grid.

    Loads: ``n_points`` evenly spaced in [0, 1.05 max(alphas)] (0 left out) merged with
    ``alphas``, plus α_c(T) where it lies in that range (the last load with m > 0: the curve
    drops there). Rows ``curve = "ags_vs_alpha"`` sorted by α, then one row
    ``curve = "critical_load"``: (α_c(T), T, m at α_c). Columns ``curve``, ``alpha``,
    ``temperature``, ``overlap``.
    """
    t = _check_nonnegative(temperature, "temperature")
    a_c = critical_load(t)
    loads = _axis(alphas, n_points, "alpha")
    loads = loads[loads > 0.0]
    if loads.size and 0.0 < a_c <= loads[-1]:
        loads = np.union1d(loads, [a_c])
    overlaps = [retrieval_overlap(float(a), t) for a in loads]
    return pd.DataFrame({
        "curve": ["ags_vs_alpha"] * len(loads) + ["critical_load"],
        "alpha": [*loads, a_c],
        "temperature": t,
        "overlap": [*overlaps, retrieval_overlap(a_c, t)],
    })


def temperature_curves(alpha: float, temperatures, n_points: int = 300) -> pd.DataFrame:
    """Overlap against temperature at load α (AGS) and at α → 0 (Curie–Weiss), to draw.

    Temperatures: ``n_points`` evenly spaced in [0, 1.05 max(temperatures)] merged with
    ``temperatures``. Rows ``curve = "ags_vs_temperature"`` (m of the AGS retrieval solution
    at ``alpha``), then ``curve = "curie_weiss"`` (m = tanh(m/T), with alpha = 0), each
    sorted by T. Columns ``curve``, ``alpha``, ``temperature``, ``overlap``.
    """
    a = _check_nonnegative(alpha, "alpha")
    temps = _axis(temperatures, n_points, "temperature")
    return pd.DataFrame({
        "curve": ["ags_vs_temperature"] * len(temps) + ["curie_weiss"] * len(temps),
        "alpha": [a] * len(temps) + [0.0] * len(temps),
        "temperature": np.concatenate([temps, temps]),
        "overlap": [retrieval_overlap(a, float(t)) for t in temps]
        + [curie_weiss_magnetization(float(t)) for t in temps],
    })


# --------------------------------------------------------------------- Sherrington–Kirkpatrick


def sk_replica_symmetric(temperature: float) -> tuple[float, float]:
    """(q, u) of the SK model (J_ij variance 1/N, h = 0) in replica-symmetric theory.

    q = ∫Dz tanh²(β√q z) and energy per spin u = −(β/2)(1 − q²). Above T = 1, q = 0 and
    u = −β/2; at T = 0, q = 1 and u = −√(2/π) ≈ −0.798 (below the true ground state
    ``PARISI_GROUND_STATE_ENERGY`` = −0.7633 obtained with full replica-symmetry breaking).
    """
    t = _check_nonnegative(temperature, "temperature")
    if t >= 1.0:
        return 0.0, -0.5 / t
    if t == 0.0:
        return 1.0, -_SQRT_2_OVER_PI
    beta = 1.0 / t

    def h(q: float) -> float:
        return beta * beta - 1.0 if q == 0.0 else _averages(0.0, math.sqrt(q), t)[1] / q - 1.0

    q = float(optimize.brentq(h, 0.0, 1.0, xtol=1e-15))
    _, _, c = _averages(0.0, math.sqrt(q), t)  # C = β(1 − q), accurate as T → 0
    return q, -0.5 * c * (1.0 + q)


# ------------------------------------------------------------------------------------ Cover


def cover_count(n_patterns: int, n_inputs: int) -> int:
    """Cover's count of dichotomies of P points in general position in R^N, plane through 0.

    C(P, N) = 2 Σ_{k=0}^{N−1} binom(P − 1, k), exact integers; C(P, N) = 2^P for P ≤ N.
    Convention: C(0, N) = 1 (the single, empty dichotomy, trivially separable).
    """
    p = check_int(n_patterns, "n_patterns", 0)
    n = check_int(n_inputs, "n_inputs", 1)
    if p == 0:
        return 1
    return 2 * sum(math.comb(p - 1, k) for k in range(min(n, p)))


_EXACT_COVER_MAX_P = 4096


def cover_separable_probability(n_patterns: int, n_inputs: int) -> float:
    """Fraction C(P, N) / 2^P of dichotomies that are linearly separable (through the origin).

    Equals the binomial CDF Pr[Binom(P − 1, ½) ≤ N − 1]: 1 for P ≤ N, and ½ at P = 2N by
    the symmetry of Binom(2N − 1, ½) (no special case: the formula gives it). Exact integer
    arithmetic (correctly rounded) for P ≤ 4096, ``scipy.stats.binom`` beyond. P = 0 gives 1.
    """
    p = check_int(n_patterns, "n_patterns", 0)
    n = check_int(n_inputs, "n_inputs", 1)
    if p <= n:
        return 1.0
    if p <= _EXACT_COVER_MAX_P:
        return cover_count(p, n) / 2**p
    return float(stats.binom.cdf(n - 1, p - 1, 0.5))


# ---------------------------------------------------------------------------------- Gardner


def gardner_capacity(kappa: float) -> float:
    """Gardner's capacity α_c(κ) = 1 / ∫_{−κ}^∞ Dt (t + κ)² of a perceptron with stability κ.

    Gardner, J. Phys. A 21, 257 (1988): random ±1 patterns and labels, planes through the
    origin, N → ∞. In closed form ∫_{−κ}^∞ Dt (t + κ)² = (1 + κ²) Φ(κ) + κ φ(κ), so
    α_c(0) = 2 (Cover), α_c(0.5) ≈ 0.961, α_c(1) ≈ 0.520. Defined for κ ≥ 0 (for κ < 0 the
    replica-symmetric formula is not exact).
    """
    k = _check_nonnegative(kappa, "kappa")
    integral = (1.0 + k * k) * float(stats.norm.cdf(k)) + k * float(stats.norm.pdf(k))
    return 1.0 / integral


def gardner_stability(alpha: float) -> float:
    """κ(α), the inverse of ``gardner_capacity``: the largest stability at load 0 < α ≤ 2.

    α_c(κ) falls monotonically from 2 at κ = 0 to 0 as κ → ∞ (α_c ≈ 1/κ² for large κ), so
    the root of α_c(κ) = α is unique; κ(2) = 0.
    """
    a = _check_nonnegative(alpha, "alpha")
    if not 0.0 < a <= 2.0:
        raise ValueError(f"alpha must be in (0, 2], got {alpha!r}")
    if a == 2.0:
        return 0.0
    hi = 1.0
    while gardner_capacity(hi) > a:
        hi *= 2.0
    return float(optimize.brentq(lambda k: gardner_capacity(k) - a, 0.0, hi, xtol=1e-14,
                                 rtol=1e-14))
