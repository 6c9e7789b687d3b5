"""Cover capacity: simulated separable fractions against C(P, N)/2^P, determinism, errors."""

from __future__ import annotations

import argparse
import logging
import math

import numpy as np
import pandas as pd
import pytest

from statnn.capacity import (
    capacity_table,
    capacity_trial,
    random_dichotomy,
    separable_fraction_summary,
    trial_dichotomy,
)
from statnn.theory import cover_separable_probability

N_SMALL = 20
TRIALS = 200
ALPHAS = (0.5, 1.5, 2.0, 2.5)


@pytest.fixture(scope="module")
def small_table() -> pd.DataFrame:
    return capacity_table(N_SMALL, ALPHAS, TRIALS, seed=3, max_epochs=200)


def test_random_dichotomy_is_pm1():
    x, y = random_dichotomy(7, 11, np.random.default_rng(0))
    assert x.shape == (11, 7) and y.shape == (11,)
    assert x.dtype == np.float64
    assert set(np.unique(x)) == {-1.0, 1.0} and set(np.unique(y)) <= {-1.0, 1.0}


def test_table_shape_and_columns(small_table):
    assert len(small_table) == len(ALPHAS) * TRIALS
    for col in ("n_inputs", "n_patterns", "alpha", "trial", "separable", "converged", "epochs"):
        assert col in small_table
    assert list(small_table["alpha"].unique()) == list(ALPHAS)
    assert (small_table["n_patterns"] == np.round(small_table["alpha"] * N_SMALL)).all()
    assert small_table["epochs"].between(1, 200).all()


def test_cover_formula_within_binomial_error(small_table):
    summary = separable_fraction_summary(small_table)
    for _, row in summary.iterrows():
        p = cover_separable_probability(int(row.n_patterns), N_SMALL)
        assert row.cover_probability == p
        se = math.sqrt(p * (1.0 - p) / row.trials)
        # 3.5 standard errors, plus one trial's worth for the degenerate p ∈ {0, 1} ends
        assert abs(row.separable_fraction - p) <= 3.5 * se + 1.0 / row.trials, row.to_dict()


def test_half_separable_at_alpha_two(small_table):
    assert cover_separable_probability(2 * N_SMALL, N_SMALL) == 0.5
    summary = separable_fraction_summary(small_table).set_index("alpha")
    f = summary.loc[2.0, "separable_fraction"]
    assert summary.loc[2.0, "cover_probability"] == 0.5
    assert abs(f - 0.5) <= 3.5 * math.sqrt(0.25 / TRIALS)
    assert summary.loc[2.0, "separable_se"] == pytest.approx(math.sqrt(f * (1 - f) / TRIALS))


def test_converged_implies_separable(small_table):
    # the perceptron only converges on separable data; the converse is not claimed
    assert not (small_table["converged"] & ~small_table["separable"]).any()
    summary = separable_fraction_summary(small_table)
    assert (summary["converged_fraction"] <= summary["separable_fraction"]).all()
    low = summary.set_index("alpha").loc[0.5]
    assert low.converged_fraction == 1.0 and low.mean_epochs_converged >= 1


def test_summary_columns(small_table):
    summary = separable_fraction_summary(small_table)
    assert list(summary["alpha"]) == sorted(ALPHAS)
    assert (summary["trials"] == TRIALS).all()
    high = summary.set_index("alpha").loc[2.5]
    assert high.converged_fraction < high.separable_fraction + 1e-12
    no_conv = small_table.assign(converged=False)
    assert separable_fraction_summary(no_conv)["mean_epochs_converged"].isna().all()


def test_trial_depends_only_on_coordinates(small_table):
    row = capacity_trial(N_SMALL, 2.0, 17, seed=3, max_epochs=200)
    table_row = small_table[(small_table.alpha == 2.0) & (small_table.trial == 17)].iloc[0]
    assert row == {k: table_row[k] for k in row}
    # order of the grid does not matter; the seed does
    reversed_table = capacity_table(N_SMALL, ALPHAS[::-1], 3, seed=3, max_epochs=200)
    for a in ALPHAS:
        got = reversed_table[reversed_table.alpha == a].reset_index(drop=True)
        want = small_table[(small_table.alpha == a) & (small_table.trial < 3)]
        pd.testing.assert_frame_equal(got, want.reset_index(drop=True))
    x1, y1, s1 = trial_dichotomy(N_SMALL, 2.0, 17, 3)
    x2, y2, s2 = trial_dichotomy(N_SMALL, 2.0, 17, 4)
    assert s1 != s2 and not (np.array_equal(x1, x2) and np.array_equal(y1, y2))


def test_same_table_for_one_and_two_jobs():
    kwargs = dict(n_inputs=10, alphas=[0.5, 2.0, 3.0], trials=7, seed=11, max_epochs=100)
    one = capacity_table(**kwargs, n_jobs=1)
    two = capacity_table(**kwargs, n_jobs=2)
    pd.testing.assert_frame_equal(one, two)
    pd.testing.assert_frame_equal(one, capacity_table(**kwargs, n_jobs=1))


def test_progress_is_logged(caplog):
    with caplog.at_level(logging.INFO, logger="statnn"):
        capacity_table(5, [1.0, 2.0], 2, seed=0, max_epochs=10)
    messages = [r.getMessage() for r in caplog.records if r.name == "statnn"]
    assert len(messages) == 2 and "alpha=2" in messages[1]


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(n_inputs=0), "n_inputs must be an integer >= 1"),
        (dict(n_inputs=2.5), "n_inputs must be an integer >= 1"),
        (dict(alphas=[]), "alphas must be a non-empty sequence"),
        (dict(alphas=[1.0, 1.0]), "alphas must be a non-empty sequence"),
        (dict(alphas=[0.5, -1.0]), "alpha must be a finite number > 0"),
        (dict(alphas=[float("nan")]), "alpha must be a finite number > 0"),
        (dict(alphas=["x"]), "alpha must be a finite number > 0"),
        (dict(trials=0), "trials must be an integer >= 1"),
        (dict(max_epochs=0), "max_epochs must be an integer >= 1"),
        (dict(n_jobs=0), "n_jobs must be an integer >= 1"),
        (dict(seed=-1), "seed must be an integer >= 0"),
    ],
)
def test_table_validation(kwargs, match):
    args = dict(n_inputs=5, alphas=[1.0], trials=1, seed=0, max_epochs=5) | kwargs
    with pytest.raises(ValueError, match=match):
        capacity_table(**args)


def test_trial_and_summary_validation():
    with pytest.raises(ValueError, match="alpha must be a finite number > 0"):
        capacity_trial(5, 0.0, 0, 0)
    with pytest.raises(ValueError, match="trial must be an integer >= 0"):
        capacity_trial(5, 1.0, -1, 0)
    with pytest.raises(ValueError, match="n_patterns must be an integer >= 1"):
        random_dichotomy(5, 0, np.random.default_rng(0))
    with pytest.raises(ValueError, match="missing capacity columns: converged"):
        separable_fraction_summary(
            pd.DataFrame(columns=["n_inputs", "n_patterns", "alpha", "separable", "epochs"])
        )


def test_capacity_benchmark_small():
    from statnn.bench.capacity import add_capacity_parser, run_capacity_benchmark

    result = run_capacity_benchmark(n_inputs=20, alphas=(0.5, 3.0), trials=3, max_epochs=50)
    assert result["fits"] + result["skipped_single_class"] == 6
    assert result["fits"] == 6  # P ≥ 10: a single-class dichotomy is (here) not drawn
    assert result["statnn_seconds_per_fit"] > 0 and result["sklearn_seconds_per_fit"] > 0
    # at α = 0.5 every dichotomy is learned by both, at α = 3 (P = 60, N = 20) none is
    assert result["statnn_accuracy_1_fraction"] == result["sklearn_accuracy_1_fraction"] == 0.5

    parser = argparse.ArgumentParser()
    add_capacity_parser(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["capacity", "--n-inputs", "8", "--alphas", "1", "--trials", "2"])
    out = args.func(args)
    assert out["n_inputs"] == 8 and out["alphas"] == [1.0] and out["fits"] == 2
    with pytest.raises(SystemExit):
        parser.parse_args(["capacity", "--alphas", "-1"])


def test_trial_is_the_lp_and_the_perceptron_on_its_dichotomy():
    """A row's P is round(αN) (at least 1); ``separable`` is the LP through the origin and
    ``converged`` the perceptron without bias, both on the trial's own dichotomy."""
    from statnn.perceptron import train_perceptron
    from statnn.separability import is_linearly_separable

    for alpha, p in ((0.26, 3), (0.24, 2), (0.01, 1), (1.0, 10), (2.0, 20), (3.0, 30)):
        for trial in range(4):
            row = capacity_trial(10, alpha, trial, seed=5, max_epochs=300)
            x, y, order_seed = trial_dichotomy(10, alpha, trial, 5)
            assert row["n_patterns"] == p == len(y) and x.shape == (p, 10)
            assert row["alpha_effective"] == p / 10
            assert row["separable"] == is_linearly_separable(x, y, bias=False)
            fit = train_perceptron(x, y, max_epochs=300, bias=False, seed=order_seed)
            assert (row["converged"], row["epochs"]) == (fit.converged, fit.epochs)
            assert row["cover_probability"] == cover_separable_probability(p, 10)


def test_summary_of_a_hand_made_table():
    table = pd.DataFrame({
        "n_inputs": 4, "n_patterns": [8, 8, 8, 8, 2, 2],
        "alpha": [2.0, 2.0, 2.0, 2.0, 0.5, 0.5],
        "separable": [True, True, False, True, True, True],
        "converged": [True, False, False, True, True, True],
        "epochs": [3, 50, 50, 5, 1, 2],
    })
    s = separable_fraction_summary(table).set_index("alpha")
    assert s.loc[2.0, "separable_fraction"] == 0.75 and s.loc[2.0, "trials"] == 4
    assert s.loc[2.0, "separable_se"] == pytest.approx(math.sqrt(0.75 * 0.25 / 4))
    assert s.loc[2.0, "converged_fraction"] == 0.5
    assert s.loc[2.0, "converged_se"] == pytest.approx(math.sqrt(0.25 / 4))
    assert s.loc[2.0, "mean_epochs_converged"] == 4.0
    assert s.loc[2.0, "cover_probability"] == pytest.approx(2 * (1 + 7 + 21 + 35) / 2**8)
    assert s.loc[0.5, "separable_fraction"] == 1.0 and s.loc[0.5, "separable_se"] == 0.0
    assert s.loc[0.5, "mean_epochs_converged"] == 1.5 and s.loc[0.5, "cover_probability"] == 1
