"""The finite-size scaling engine on synthetic data with known answers."""

import math

import numpy as np
import pandas as pd
import pytest

from statnn.finite_size import (
    critical_load,
    critical_loads,
    crossing_load,
    decreasing_fit,
    extrapolate,
    retrieval_probability,
)


def test_decreasing_fit_pools_adjacent_violators():
    # by hand: 0.5 < 0.7 pool to 0.6; weighted (1, 3): (0.5 + 2.1)/4 = 0.65
    np.testing.assert_allclose(decreasing_fit([1.0, 0.5, 0.7, 0.2]), [1.0, 0.6, 0.6, 0.2])
    np.testing.assert_allclose(decreasing_fit([1.0, 0.5, 0.7, 0.2], [1, 1, 3, 1]),
                               [1.0, 0.65, 0.65, 0.2])
    np.testing.assert_allclose(decreasing_fit([0.0, 1.0]), [0.5, 0.5])
    assert list(decreasing_fit([1.0, 0.8, 0.1])) == [1.0, 0.8, 0.1]


def test_crossing_of_known_curves():
    a = np.array([0.12, 0.13, 0.14, 0.16, 0.17])
    # p linear in α: the interpolation is exact, p = ½ at α = 0.145
    assert crossing_load(a, 0.5 - 20 * (a - 0.145)) == (pytest.approx(0.145), pytest.approx(0.02))
    # logistic centred at 0.15 sampled symmetrically: the chord crosses ½ at the centre
    sym = np.array([0.13, 0.14, 0.145, 0.155, 0.16, 0.17])
    p = 1 / (1 + np.exp((sym - 0.15) / 0.01))
    assert crossing_load(sym[::-1], p[::-1])[0] == pytest.approx(0.15, abs=1e-12)  # any order
    # a noisy up-tick is pooled away: [1, .4, .6, 0] -> [1, .5, .5, 0], crossing at the bracket
    # of the last p >= ½ (0.14) and the next (0.15): 0.14 + (0.5 - 0.5)/(0.5 - 0) * 0.01
    assert crossing_load([0.13, 0.14, 0.15, 0.16], [1, 0.4, 0.6, 0])[0] == pytest.approx(0.15)
    assert math.isnan(crossing_load([0.1, 0.2], [1.0, 0.9])[0])  # never below ½
    assert math.isnan(crossing_load([0.1, 0.2], [0.4, 0.0])[0])  # starts below ½


def _threshold_table(n, thresholds, alphas):
    """Replica r retrieves at α iff α < t_r (its own capacity)."""
    rows = [{"n_neurons": n, "alpha": a, "replica": r, "overlap": 1.0 if a < t else 0.2}
            for r, t in enumerate(thresholds) for a in alphas]
    return pd.DataFrame(rows)


def test_critical_load_and_bootstrap_on_synthetic_replicas():
    """Thresholds t_r ~ Normal(0.15, 0.01), R = 400: α_c is their sample median and the
    bootstrap error that of a median, √(π/2) σ/√R = 6.27e-4 (fine load grid)."""
    rng = np.random.default_rng(3)
    t = rng.normal(0.15, 0.01, 400)
    alphas = np.round(np.arange(0.11, 0.19, 0.0005), 6)
    table = _threshold_table(1000, t, alphas)
    out = critical_load(table, 0.9, 400, seed=1)
    assert out["alpha_c"] == pytest.approx(np.median(t), abs=5e-4)
    assert abs(out["alpha_c"] - 0.15) < 3 * out["alpha_c_se"]
    assert out["bootstrap_se"] == pytest.approx(math.sqrt(math.pi / 2) * 0.01 / 20, rel=0.25)
    assert out["alpha_c_se"] == out["bootstrap_se"] > out["resolution_se"]
    assert out == critical_load(table, 0.9, 400, seed=1)  # seeded: deterministic
    assert out != critical_load(table, 0.9, 400, seed=2)
    probs = retrieval_probability(table, 0.9)
    assert probs["runs"].eq(400).all()
    np.testing.assert_allclose(probs["probability"], [(t > a).mean() for a in alphas])


def test_identical_replicas_get_the_resolution_error():
    """All replicas agree (p jumps 1 → 0 between 0.14 and 0.15): the bootstrap spread is 0
    and the error is Δα/(2√R) = 0.01/(2·4)."""
    table = _threshold_table(500, [0.145] * 16, [0.12, 0.13, 0.14, 0.15, 0.16])
    out = critical_loads(table, 0.9, 50, seed=0).iloc[0]
    assert out["alpha_c"] == pytest.approx(0.145)
    assert out["bootstrap_se"] == pytest.approx(0.0, abs=1e-15)
    assert out["alpha_c_se"] == pytest.approx(0.01 / 8)


def test_extrapolation_recovers_known_parameters():
    n = np.array([250, 500, 1000, 2000, 4000, 8000])
    exact = 0.138 + 0.47 * n**-0.5
    se = np.full(n.size, 0.002)
    fit = extrapolate(n, exact, se)
    assert fit["alpha_c_infinity"] == pytest.approx(0.138, abs=1e-12)
    assert fit["slope"] == pytest.approx(0.47, abs=1e-10)
    assert fit["chi2"] == pytest.approx(0.0, abs=1e-20) and fit["dof"] == 4
    # the covariance is numpy's weighted polyfit's (independent implementation)
    _, cov = np.polyfit(n**-0.5, exact, 1, w=1 / se, cov="unscaled")
    assert fit["alpha_c_infinity_se"] == pytest.approx(math.sqrt(cov[1, 1]), rel=1e-9)
    assert fit["slope_se"] == pytest.approx(math.sqrt(cov[0, 0]), rel=1e-9)
    assert fit["covariance"] == pytest.approx(cov[0, 1], rel=1e-9)
    # other exponent: α_c(N) = 0.14 − 2 N^(−2/3)
    fit = extrapolate(n, 0.14 - 2 * n ** (-2 / 3), se, exponent=2 / 3)
    assert (fit["alpha_c_infinity"], fit["slope"]) == (pytest.approx(0.14), pytest.approx(-2))


def test_extrapolation_error_matches_the_scatter():
    """Noisy synthetic α_c(N) (Gaussian, known se): over 2000 data sets the estimates are
    unbiased and their spread is the reported error (to 10 %, scale factor ≥ 1 included)."""
    rng = np.random.default_rng(11)
    n = np.array([500, 1000, 2000, 4000])
    se = np.array([0.004, 0.003, 0.002, 0.0015])
    truth = 0.138 + 0.5 * n**-0.5
    fits = [extrapolate(n, truth + rng.normal(0, se), se) for _ in range(2000)]
    est = np.array([f["alpha_c_infinity"] for f in fits])
    _, cov = np.polyfit(n**-0.5, truth, 1, w=1 / se, cov="unscaled")
    assert est.mean() == pytest.approx(0.138, abs=3 * math.sqrt(cov[1, 1] / 2000))
    assert est.std(ddof=1) == pytest.approx(math.sqrt(cov[1, 1]), rel=0.1)
    reported = np.array([f["alpha_c_infinity_se"] for f in fits])
    assert (reported >= math.sqrt(cov[1, 1]) * (1 - 1e-12)).all()


def test_extrapolation_needs_two_sizes():
    with pytest.raises(ValueError, match=">= 2 sizes"):
        extrapolate([500, 1000], [0.15, math.nan], [0.01, 0.01])
