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


def test_sklearn_perceptron_also_separates_the_data():
    sklearn = pytest.importorskip("sklearn.linear_model")
    df = fruit_dataset("sep", {"apple": APPLE, "orange": ORANGE}, 11)
    x, y = xy(df)
    z, _, _ = standardize(x)
    ours = train_perceptron(z, y, max_epochs=1000, seed=0)
    theirs = sklearn.Perceptron(max_iter=1000, tol=None, random_state=0).fit(z, y)
    assert np.mean(ours.predict(z) == y) == 1.0
    assert theirs.score(z, y) == 1.0


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
