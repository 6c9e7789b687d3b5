import itertools
import warnings

import numpy as np
import pytest

from statnn.fruit import FEATURES, fruit_dataset
from statnn.perceptron import (
    fit_fruit_perceptrons,
    max_margin,
    novikoff_bound,
    one_vs_rest_predict,
    standardize,
    to_original_units,
    train_perceptron,
)
from statnn.separability import is_linearly_separable

APPLE = {"n_samples": 80, "weight_mean_g": 180, "weight_sd_g": 9, "sweetness_mean": 4.0,
         "sweetness_sd": 0.6}
ORANGE = {"n_samples": 80, "weight_mean_g": 140, "weight_sd_g": 9, "sweetness_mean": 7.0,
          "sweetness_sd": 0.6}
LEMON = {"n_samples": 60, "weight_mean_g": 100, "weight_sd_g": 9, "sweetness_mean": 2.0,
         "sweetness_sd": 0.5}
WIDE = {"weight_sd_g": 20, "sweetness_sd": 1.5}


def xy(df, positive="apple"):
    return df[list(FEATURES)].to_numpy(float), np.where(df["fruit"] == positive, 1.0, -1.0)


@pytest.mark.parametrize("seed", range(6))
def test_converges_within_novikoff_bound(seed):
    df = fruit_dataset("sep", {"apple": APPLE, "orange": ORANGE}, seed)
    x, y = xy(df)
    z, _, _ = standardize(x)
    assert is_linearly_separable(z, y)
    fit = train_perceptron(z, y, max_epochs=10_000, seed=seed)
    assert fit.converged and fit.stop_reason == "converged"
    assert fit.mistakes_per_epoch[-1] == 0
    bound = novikoff_bound(z, y)
    assert np.isfinite(bound)
    assert fit.total_mistakes <= bound
    assert np.all(fit.predict(z) == y)


def test_novikoff_bound_on_a_hand_made_example():
    # Points (±1, 0) labelled by their sign, no bias: R = 1, γ = 1 -> bound 1.
    x = np.array([[1.0, 0.0], [-1.0, 0.0], [2.0, 0.0]])
    y = np.array([1.0, -1.0, 1.0])
    w, gamma = max_margin(x, y, bias=False)
    assert gamma == pytest.approx(1.0, abs=1e-6)
    assert novikoff_bound(x, y, bias=False) == pytest.approx(4.0, rel=1e-6)  # R = 2


def test_overlapping_data_is_not_separable_and_training_stops_at_max_epochs():
    df = fruit_dataset("ovl", {"apple": APPLE | WIDE | {"weight_mean_g": 165},
                               "orange": ORANGE | WIDE | {"weight_mean_g": 150}}, 3)
    x, y = xy(df)
    z, _, _ = standardize(x)
    assert not is_linearly_separable(z, y)
    fit = train_perceptron(z, y, max_epochs=37, seed=1)
    assert not fit.converged
    assert fit.stop_reason == "max_epochs"
    assert fit.epochs == 37 and len(fit.mistakes_per_epoch) == 37
    assert np.all(fit.mistakes_per_epoch > 0)
    assert novikoff_bound(z, y) == np.inf


def _rosenblatt_reference(x, y, max_epochs):
    """Plain Rosenblatt loop in table order: on y (w·x + b) ≤ 0, w += y x and b += y."""
    w, b = np.zeros(x.shape[1]), 0.0
    mistakes = []
    for _ in range(max_epochs):
        m = 0
        for xi, yi in zip(x, y, strict=True):
            if yi * (w @ xi + b) <= 0:
                w, b, m = w + yi * xi, b + yi, m + 1
        mistakes.append(m)
        if m == 0:
            break
    return w, b, mistakes


@pytest.mark.parametrize(("spec", "epochs"), [({}, 1000), (WIDE, 37)])
def test_update_rule_matches_a_plain_loop_and_sklearn(spec, epochs):
    """Without shuffling the visiting order is the table's: statnn's weights, bias and
    mistakes equal a plain loop's and scikit-learn's Perceptron (same rule, η = 1, no
    penalty), on separable data (converged) and on overlapping data (stopped)."""
    from sklearn.linear_model import Perceptron

    df = fruit_dataset("d", {"apple": APPLE | spec, "orange": ORANGE | spec}, 11)
    x, y = xy(df)
    z, _, _ = standardize(x)
    ours = train_perceptron(z, y, max_epochs=epochs, shuffle=False)
    w, b, mistakes = _rosenblatt_reference(z, y, epochs)
    np.testing.assert_allclose(ours.weights, w, rtol=0, atol=1e-12)
    assert ours.bias == pytest.approx(b, abs=1e-12)
    assert list(ours.mistakes_per_epoch) == mistakes and ours.epochs == len(mistakes)
    assert ours.converged == (mistakes[-1] == 0) == (spec == {})
    theirs = Perceptron(max_iter=ours.epochs, tol=None, shuffle=False, eta0=1.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning when stopped at max_iter
        theirs.fit(z, y)
    np.testing.assert_allclose(ours.weights, theirs.coef_[0], rtol=0, atol=1e-9)
    assert ours.bias == pytest.approx(theirs.intercept_[0], abs=1e-9)
    np.testing.assert_array_equal(ours.predict(z), theirs.predict(z))


def test_training_history_records_the_weights_after_each_epoch():
    df = fruit_dataset("d", {"apple": APPLE | WIDE, "orange": ORANGE | WIDE}, 4)
    x, y = xy(df)
    z, _, _ = standardize(x)
    for k in (1, 2, 5):
        fit_k = train_perceptron(z, y, max_epochs=k, seed=3)
        full = train_perceptron(z, y, max_epochs=5, seed=3)
        np.testing.assert_array_equal(full.weight_history[k - 1], fit_k.weights)
        assert full.bias_history[k - 1] == fit_k.bias


def test_predict_is_sign_with_zero_as_minus_one():
    fit = train_perceptron(np.array([[1.0, 0.0], [-1.0, 0.0]]), np.array([1.0, -1.0]),
                           max_epochs=5, shuffle=False)
    # first point: w·x + b = 0 is a mistake, so w = (1, 0), b = 1; then (−1, 0) gives 0 ≤ 0:
    # a mistake, w = (2, 0), b = 0; the second epoch makes none
    np.testing.assert_array_equal(fit.weights, [2.0, 0.0])
    assert fit.bias == 0.0 and fit.epochs == 2
    np.testing.assert_array_equal(fit.predict(np.array([[0.0, 5.0], [1e-9, 0.0]])), [-1, 1])


def _margin_by_support_vectors(a):
    """Exact max_{‖ŵ‖=1} min_i ŵ·a_i > 0 by enumerating support-vector sets.

    The hard-margin solution min ‖w‖² s.t. a_i·w ≥ 1 is w = Σ_{i∈S} λ_i a_i with λ ≥ 0 and
    a_i·w = 1 on S, for some set S of at most d linearly independent points (KKT). Every
    such S is tried; the shortest feasible w gives γ = 1/‖w‖.
    """
    best = np.inf
    for k in range(1, a.shape[1] + 1):
        for subset in itertools.combinations(range(len(a)), k):
            s = a[list(subset)]
            gram = s @ s.T
            if np.linalg.matrix_rank(gram) < k:
                continue
            lam = np.linalg.solve(gram, np.ones(k))
            w = s.T @ lam
            if np.all(lam >= -1e-12) and np.all(a @ w >= 1.0 - 1e-9):
                best = min(best, float(np.linalg.norm(w)))
    return 1.0 / best


def _separable_points(seed, offset):
    """16 Gaussian points labelled by sign(x·w + offset), those near the plane dropped."""
    rng = np.random.default_rng(seed)
    w_true = rng.normal(size=2)
    x = rng.normal(size=(16, 2)) * [1.0, 3.0]
    score = x @ w_true + offset
    keep = np.abs(score) > 0.2
    x, y = x[keep], np.sign(score[keep])
    assert 2 < (y > 0).sum() < len(y) - 2
    return x, y


@pytest.mark.parametrize("seed", [1, 3, 5])
def test_max_margin_against_support_vector_enumeration(seed):
    """γ = max_{‖ŵ‖=1} min_i y_i ŵ·x̃_i and Novikoff's (R/γ)², R = max ‖x̃‖, against an
    enumeration of support vectors: x̃ = x through the origin, x̃ = (x, 1) with the bias.
    The perceptron's mistakes stay below the bound."""
    x, y = _separable_points(seed, 0.0)
    w0, g0 = max_margin(x, y, bias=False)
    exact0 = _margin_by_support_vectors(y[:, None] * x)
    assert exact0 > 0 and np.linalg.norm(w0) == pytest.approx(1.0)
    assert g0 == pytest.approx(exact0, abs=1e-7)
    r0 = np.max(np.linalg.norm(x, axis=1))
    assert novikoff_bound(x, y, bias=False) == pytest.approx((r0 / exact0) ** 2, rel=1e-6)

    x, y = _separable_points(seed, 1.0)
    xa = np.hstack([x, np.ones((len(x), 1))])
    a = y[:, None] * xa
    w, gamma = max_margin(x, y)
    exact = _margin_by_support_vectors(a)
    assert exact > 0 and np.linalg.norm(w) == pytest.approx(1.0)
    assert gamma == pytest.approx(np.min(a @ w), abs=1e-12)
    assert gamma == pytest.approx(exact, abs=1e-7)
    radius = np.max(np.linalg.norm(xa, axis=1))
    bound = novikoff_bound(x, y)
    assert bound == pytest.approx((radius / gamma) ** 2, rel=1e-9)
    assert bound == pytest.approx((radius / exact) ** 2, rel=1e-6)
    for s in range(3):
        assert train_perceptron(x, y, max_epochs=100_000, seed=s).total_mistakes <= bound


def test_standardize():
    """z = (x − μ)/σ per column (population σ); a constant column is only shifted."""
    x = np.array([[1.0, 5.0, 2.0], [3.0, 5.0, -1.0], [8.0, 5.0, 0.5]])
    z, mean, std = standardize(x)
    np.testing.assert_allclose(mean, [4.0, 5.0, 0.5])
    np.testing.assert_allclose(std, [np.sqrt(26 / 3), 1.0, np.sqrt(1.5)])
    np.testing.assert_allclose(z[:, 0], (x[:, 0] - 4.0) / np.sqrt(26 / 3))
    np.testing.assert_allclose(z[:, 1], 0.0)
    np.testing.assert_allclose(z.mean(axis=0), 0.0, atol=1e-15)
    np.testing.assert_allclose(z[:, [0, 2]].std(axis=0), 1.0)


def test_boundary_in_original_units_classifies_like_the_standardized_one():
    df = fruit_dataset("sep", {"apple": APPLE, "orange": ORANGE}, 5)
    x, y = xy(df)
    z, mean, std = standardize(x)
    fit = train_perceptron(z, y, max_epochs=1000)
    w, b = to_original_units(fit.weights, fit.bias, mean, std)
    np.testing.assert_allclose(x @ w + b, fit.decision_function(z), atol=1e-9)


def test_fruit_perceptrons_report_lp_and_units():
    df = fruit_dataset("sep", {"apple": APPLE, "orange": ORANGE}, 2)
    models, history = fit_fruit_perceptrons(df, FEATURES, max_epochs=500, shuffle=True, seed=2)
    (m,) = models.itertuples()
    assert m.positive == "apple" and m.negative == "orange"
    assert m.separable_lp and m.converged and m.train_accuracy == 1.0
    assert m.total_mistakes <= m.novikoff_bound
    # apples are heavier and less sweet: positive weight on grams, negative on sweetness
    assert m.w_weight_g > 0 and m.w_sweetness < 0
    assert history["mistakes"].iloc[-1] == 0
    assert list(history["epoch"]) == list(range(1, m.epochs + 1))


def test_one_perceptron_per_class_for_three_fruits():
    df = fruit_dataset("multi", {"apple": APPLE, "orange": ORANGE, "lemon": LEMON}, 4)
    models, history = fit_fruit_perceptrons(df, FEATURES, max_epochs=2000, shuffle=True, seed=4)
    assert list(models["positive"]) == ["apple", "orange", "lemon"]
    assert models["separable_lp"].all() and models["converged"].all()
    pred = one_vs_rest_predict(models, df[list(FEATURES)].to_numpy(), FEATURES)
    assert np.mean(pred == df["fruit"].to_numpy()) == 1.0
    assert set(history["positive"]) == {"apple", "orange", "lemon"}


def test_training_is_reproducible_and_validates_input():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(40, 3))
    y = np.sign(x @ np.array([1.0, -2.0, 0.5]) + 0.1)
    a = train_perceptron(x, y, max_epochs=100, seed=9)
    b = train_perceptron(x, y, max_epochs=100, seed=9)
    np.testing.assert_array_equal(a.weights, b.weights)
    with pytest.raises(ValueError, match="max_epochs"):
        train_perceptron(x, y, max_epochs=0)
    with pytest.raises(ValueError, match="±1"):
        train_perceptron(x, y * 2)
