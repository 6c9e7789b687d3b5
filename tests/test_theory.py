"""Reference values of statnn.theory against literature numbers and independent checks."""

from __future__ import annotations

import itertools
import math
from fractions import Fraction

import numpy as np
import pytest
from scipy import integrate

from statnn import theory
from statnn.separability import is_linearly_separable


def gaussian_average(f, m: float, sigma: float, temperature: float) -> float:
    """∫Dz f(β(m + σz)) by adaptive quadrature (independent of the module's quadrature)."""
    beta = 1.0 / temperature

    def integrand(z: float) -> float:
        return f(beta * (m + sigma * z)) * math.exp(-0.5 * z * z) / math.sqrt(2.0 * math.pi)

    kink = [-m / sigma] if sigma > 0 and abs(m / sigma) < 12 else None
    return integrate.quad(integrand, -12.0, 12.0, points=kink, limit=500, epsabs=1e-13)[0]


# ----------------------------------------------------------------------------- Curie–Weiss


def test_curie_weiss_values():
    assert theory.curie_weiss_magnetization(0.5) == pytest.approx(0.957504, abs=1e-6)
    assert theory.curie_weiss_magnetization(0.0) == 1.0
    for t in (1.0, 1.5, 10.0):
        assert theory.curie_weiss_magnetization(t) == 0.0


@pytest.mark.parametrize("t", [0.1, 0.5, 0.9, 0.999, 1.0 - 1e-9])
def test_curie_weiss_fixed_point(t):
    m = theory.curie_weiss_magnetization(t)
    assert m > 0.0
    assert m == pytest.approx(math.tanh(m / t), rel=1e-12)


def test_curie_weiss_decreasing_in_temperature():
    ms = [theory.curie_weiss_magnetization(t) for t in np.linspace(0.0, 1.2, 61)]
    assert np.all(np.diff(ms) <= 0.0)


# ---------------------------------------------------------------------------- AGS: capacity


def test_critical_load_at_zero_temperature():
    alpha_c = theory.critical_load(0.0)
    assert alpha_c == pytest.approx(0.138, abs=1e-3)
    assert alpha_c == pytest.approx(0.1379, abs=1e-4)  # AGS 1985
    m, q, r = theory.ags_saddle_point(alpha_c - 1e-6, 0.0)
    assert m == pytest.approx(0.967, abs=5e-3)
    assert q == 1.0
    assert theory.retrieval_overlap(alpha_c + 1e-6, 0.0) == 0.0


def test_zero_temperature_limits_match_closed_form():
    """At T = 0: m = erf(m/√(2αr)), C = √(2/(παr)) exp(−m²/(2αr)), r = 1/(1 − C)²."""
    alpha = 0.1
    m, q, r = theory.ags_saddle_point(alpha, 0.0)
    s = math.sqrt(2.0 * alpha * r)
    c = math.sqrt(2.0 / (math.pi * alpha * r)) * math.exp(-(m**2) / (2.0 * alpha * r))
    assert m == pytest.approx(math.erf(m / s), abs=1e-12)
    assert r == pytest.approx(1.0 / (1.0 - c) ** 2, rel=1e-12)
    # and the finite-T solution tends to it
    m_t, q_t, r_t = theory.ags_saddle_point(alpha, 1e-5)
    assert (m_t, q_t, r_t) == pytest.approx((m, q, r), abs=1e-5)
    assert theory.critical_load(1e-5) == pytest.approx(theory.critical_load(0.0), abs=1e-5)


@pytest.mark.parametrize(
    ("alpha", "t"), [(0.1, 0.3), (0.12, 0.2), (0.13, 0.05), (0.02, 0.7), (0.3, 0.2), (0.01, 0.9)]
)
def test_saddle_point_equations_hold(alpha, t):
    m, q, r = theory.ags_saddle_point(alpha, t)
    sigma = math.sqrt(alpha * r)
    assert m == pytest.approx(gaussian_average(math.tanh, m, sigma, t), abs=1e-10)
    assert q == pytest.approx(gaussian_average(lambda x: math.tanh(x) ** 2, m, sigma, t), abs=1e-10)
    assert r == pytest.approx(q / (1.0 - (1.0 - q) / t) ** 2, rel=1e-10)


@pytest.mark.parametrize("t", [0.0, 0.2, 0.5, 0.8, 0.95])
def test_small_load_reduces_to_curie_weiss(t):
    m_cw = theory.curie_weiss_magnetization(t)
    assert theory.retrieval_overlap(0.0, t) == m_cw
    assert theory.retrieval_overlap(1e-9, t) == pytest.approx(m_cw, abs=1e-6)
    m, q, _ = theory.ags_saddle_point(0.0, t)
    assert q == pytest.approx(m * m)


def test_curie_weiss_value_at_half_temperature():
    assert theory.retrieval_overlap(1e-9, 0.5) == pytest.approx(0.9575, abs=1e-4)


def test_no_retrieval_phase_has_spin_glass_or_paramagnetic_solution():
    # above T_g = 1 + √α: paramagnet
    assert theory.ags_saddle_point(0.05, 1.3) == (0.0, 0.0, 0.0)
    assert theory.ags_saddle_point(0.0, 1.5) == (0.0, 0.0, 0.0)
    # between T_M and T_g: spin glass, m = 0 and q > 0
    m, q, r = theory.ags_saddle_point(0.05, 1.1)
    assert m == 0.0 and q > 0.0 and r > 0.0
    # and it solves the saddle-point equations with m = 0 (checked by quadrature)
    for alpha, t in ((0.05, 1.1), (0.3, 0.5), (0.2, 0.05)):
        m, q, r = theory.ags_saddle_point(alpha, t)
        assert m == 0.0 and q > 0.0
        sigma = math.sqrt(alpha * r)
        assert q == pytest.approx(
            gaussian_average(lambda x: math.tanh(x) ** 2, 0.0, sigma, t), abs=1e-10
        )
        assert r == pytest.approx(q / (1.0 - (1.0 - q) / t) ** 2, rel=1e-9)
    # T = 0, α > α_c: q = 1, r = (1 + √(2/(πα)))²
    m, q, r = theory.ags_saddle_point(0.2, 0.0)
    assert (m, q) == (0.0, 1.0)
    assert r == pytest.approx((1.0 + math.sqrt(2.0 / (math.pi * 0.2))) ** 2)


def test_critical_load_decreases_to_zero_at_unit_temperature():
    loads = [theory.critical_load(t) for t in np.linspace(0.1, 1.0, 19)]
    assert np.all(np.diff(loads) < 0.0)
    assert loads[-1] == 0.0
    assert theory.critical_load(1.5) == 0.0


# ------------------------------------------------------------------- AGS: retrieval line


def test_retrieval_temperature_near_unit_temperature():
    """AGS (1985): the retrieval line leaves (α, T) = (0, 1) as T_M ≈ 1 − 1.95 √α."""
    for alpha in (1e-5, 1e-4):
        slope = (1.0 - theory.retrieval_temperature(alpha)) / math.sqrt(alpha)
        assert slope == pytest.approx(1.95, abs=0.015)


def test_retrieval_temperature():
    assert theory.retrieval_temperature(0.0) == 1.0
    alphas = np.linspace(0.0, 0.14, 29)
    temps = [theory.retrieval_temperature(a) for a in alphas]
    assert np.all(np.diff(temps) < 0.0)
    assert theory.retrieval_temperature(0.2) == 0.0
    t = theory.retrieval_temperature(0.05)
    assert 0.0 < t < 1.0
    assert theory.critical_load(t) == pytest.approx(0.05, abs=1e-10)
    assert theory.retrieval_overlap(0.05, t - 1e-3) > 0.0
    assert theory.retrieval_overlap(0.05, t + 1e-3) == 0.0


def test_replica_symmetric_reentrance():
    """RS α_c(T) peaks slightly above α_c(0) at low T; T_M is the highest such T."""
    alpha_0 = theory.critical_load(0.0)
    assert alpha_0 < theory.critical_load(0.02) < 0.1383
    t = theory.retrieval_temperature(alpha_0)
    assert 0.02 < t < 0.06
    assert theory.critical_load(t) == pytest.approx(alpha_0, abs=1e-10)


def test_retrieval_line():
    df = theory.retrieval_line(30)
    assert list(df.columns) == ["alpha", "temperature"]
    assert len(df) == 30
    assert tuple(df.iloc[0]) == (0.0, 1.0)
    assert tuple(df.iloc[-1]) == pytest.approx((theory.critical_load(0.0), 0.0))
    assert np.all(np.diff(df["temperature"]) < 0.0)


def test_retrieval_table():
    alphas = np.linspace(0.0, 0.2, 6)
    temps = np.linspace(0.0, 1.2, 5)
    df = theory.retrieval_table(alphas, temps)
    assert list(df.columns) == ["alpha", "temperature", "overlap", "q", "r"]
    assert len(df) == len(alphas) * len(temps)
    for row in df.sample(8, random_state=0).itertuples():
        assert row.overlap == theory.retrieval_overlap(row.alpha, row.temperature)
        saddle = theory.ags_saddle_point(row.alpha, row.temperature)
        assert (row.overlap, row.q, row.r) == saddle
    no_retrieval = df["alpha"] > [theory.critical_load(t) for t in df["temperature"]]
    assert np.all(df.loc[no_retrieval, "overlap"] == 0.0)
    assert np.all(df.loc[~no_retrieval & (df["temperature"] < 1.0), "overlap"] > 0.0)


def test_spin_glass_temperature():
    assert theory.spin_glass_temperature(0.0) == 1.0
    assert theory.spin_glass_temperature(0.25) == 1.5
    np.testing.assert_allclose(
        theory.spin_glass_temperature(np.array([0.0, 0.04, 1.0])), [1, 1.2, 2]
    )


# ---------------------------------------------------------------------------------- SK


def test_sk_replica_symmetric():
    assert theory.sk_replica_symmetric(1.0) == (0.0, -0.5)
    assert theory.sk_replica_symmetric(2.0) == (0.0, -0.25)
    for t in (0.2, 0.5, 0.9):
        q, u = theory.sk_replica_symmetric(t)
        assert q > 0.0
        assert q == pytest.approx(
            gaussian_average(lambda x: math.tanh(x) ** 2, 0.0, math.sqrt(q), t), abs=1e-12
        )
        assert u == pytest.approx(-0.5 / t * (1.0 - q * q), abs=1e-12)
    q0, u0 = theory.sk_replica_symmetric(0.0)
    assert (q0, u0) == (1.0, pytest.approx(-math.sqrt(2.0 / math.pi)))
    assert theory.sk_replica_symmetric(1e-4)[1] == pytest.approx(u0, abs=1e-6)


def test_parisi_ground_state_is_the_literature_value():
    """Full-RSB ground-state energy per spin of SK: −0.7633 (Parisi 1980), −0.763166(2)
    (Crisanti & Rizzo 2002). Replica symmetry (u = −√(2/π) ≈ −0.798, computed above)
    overshoots it, and no state lies below it."""
    assert theory.PARISI_GROUND_STATE_ENERGY == pytest.approx(-0.763166, abs=2e-4)
    assert theory.sk_replica_symmetric(0.0)[1] < theory.PARISI_GROUND_STATE_ENERGY


# ------------------------------------------------------------------------------- Cover


def brute_force_separable_count(n_patterns: int, n_inputs: int, seed: int) -> int:
    x = np.random.default_rng(seed).standard_normal((n_patterns, n_inputs))
    count = 0
    for labels in itertools.product((-1.0, 1.0), repeat=n_patterns):
        count += is_linearly_separable(x, np.array(labels), bias=False)
    return count


@pytest.mark.parametrize(
    ("n_inputs", "n_patterns"), [(2, p) for p in range(1, 8)] + [(3, 5), (3, 7)]
)
def test_cover_count_matches_enumeration(n_inputs, n_patterns):
    expected = brute_force_separable_count(n_patterns, n_inputs, seed=100 * n_inputs + n_patterns)
    assert theory.cover_count(n_patterns, n_inputs) == expected


def test_cover_count_values():
    assert theory.cover_count(0, 3) == 1
    assert theory.cover_count(3, 5) == 8  # P ≤ N: all 2^P
    assert theory.cover_count(4, 2) == 8
    assert theory.cover_count(6, 3) == 2 * (1 + 5 + 10)
    assert isinstance(theory.cover_count(200, 100), int)


@pytest.mark.parametrize("n", [1, 2, 5, 10, 100, 1000, 2048])
def test_cover_half_at_twice_n(n):
    """Binom(2N − 1, ½) is symmetric about N − ½: exactly half the dichotomies at P = 2N."""
    assert theory.cover_separable_probability(2 * n, n) == 0.5
    assert theory.cover_count(2 * n, n) == 2 ** (2 * n - 1)


def test_cover_half_at_twice_n_for_large_n():
    # P > 4096: the floating-point binomial CDF, ½ to rounding
    assert theory.cover_separable_probability(6000, 3000) == pytest.approx(0.5, rel=1e-12)


def test_cover_probability_is_the_binomial_sum():
    """C(P, N)/2^P = 2^(1−P) Σ_{k<N} binom(P − 1, k), summed here in exact fractions."""
    for n in (1, 2, 3, 7, 20):
        for p in range(1, 5 * n + 3):
            exact = Fraction(sum(math.comb(p - 1, k) for k in range(n)), 2 ** (p - 1))
            assert theory.cover_separable_probability(p, n) == float(min(exact, 1)), (p, n)


def test_cover_separable_probability():
    assert theory.cover_separable_probability(0, 1) == 1.0
    assert theory.cover_separable_probability(5, 5) == 1.0
    assert theory.cover_separable_probability(7, 2) == theory.cover_count(7, 2) / 2**7
    # the large-P (scipy) branch agrees with exact arithmetic
    exact = theory.cover_count(5000, 2400) / 2**5000
    assert theory.cover_separable_probability(5000, 2400) == pytest.approx(exact, rel=1e-12)
    probs = [theory.cover_separable_probability(p, 10) for p in range(1, 60)]
    assert np.all(np.diff(probs) <= 0.0)


# -------------------------------------------------------------------------- validation


@pytest.mark.parametrize(
    "call",
    [
        lambda: theory.curie_weiss_magnetization(-0.1),
        lambda: theory.ags_saddle_point(0.1, -1.0),
        lambda: theory.retrieval_overlap(0.1, float("nan")),
        lambda: theory.critical_load(-1.0),
        lambda: theory.sk_replica_symmetric(-0.5),
        lambda: theory.retrieval_table([0.1], [0.5, -0.5]),
    ],
)
def test_negative_temperature_rejected(call):
    with pytest.raises(ValueError, match="temperature"):
        call()


@pytest.mark.parametrize(
    "call",
    [
        lambda: theory.ags_saddle_point(-0.1, 0.5),
        lambda: theory.retrieval_overlap(float("inf"), 0.5),
        lambda: theory.retrieval_temperature(-1e-3),
        lambda: theory.spin_glass_temperature(np.array([0.1, -0.1])),
        lambda: theory.retrieval_table([0.1, -0.1], [0.5]),
    ],
)
def test_negative_alpha_rejected(call):
    with pytest.raises(ValueError, match="alpha"):
        call()


def test_integer_arguments_validated():
    with pytest.raises(ValueError, match="n_patterns"):
        theory.cover_count(-1, 2)
    with pytest.raises(ValueError, match="n_inputs"):
        theory.cover_separable_probability(4, 0)
    with pytest.raises(ValueError, match="n_patterns"):
        theory.cover_count(2.5, 2)
    with pytest.raises(ValueError, match="n_points"):
        theory.retrieval_line(1)
