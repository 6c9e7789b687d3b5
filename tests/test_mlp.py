"""Multilayer network: backpropagation against finite differences, learning a non-separable
fruit dataset, reproducibility, and the ripe-band fruit generator."""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd
import pytest

from statnn import mlp
from statnn.fruit import ripe_band_dataset, ripe_band_datasets
from statnn.perceptron import standardize
from statnn.separability import is_linearly_separable

BAND = dict(
    n_samples=400, weight_range_g=(100.0, 250.0), sweetness_range=(1.0, 10.0), band=(0.4, 0.6)
)


@pytest.fixture(scope="module")
def band_data() -> tuple[np.ndarray, np.ndarray]:
    df = ripe_band_dataset("ripe_band", seed=0, **BAND)
    x = df[["weight_g", "sweetness"]].to_numpy(float)
    y = (df["fruit"] == "ripe").to_numpy().astype(int)
    return x, y


def _numerical_gradients(net, x, y, h=1e-6):
    out = []
    for params in (net.weights, net.biases):
        grads = []
        for p in params:
            g = np.zeros_like(p)
            for idx in np.ndindex(p.shape):
                old = p[idx]
                p[idx] = old + h
                up = mlp.loss(net, x, y)
                p[idx] = old - h
                down = mlp.loss(net, x, y)
                p[idx] = old
                g[idx] = (up - down) / (2 * h)
            grads.append(g)
        out.append(grads)
    return out


@pytest.mark.parametrize("activation", mlp.ACTIVATIONS)
@pytest.mark.parametrize("n_out", [1, 3])
def test_backprop_matches_finite_differences(activation, n_out):
    rng = np.random.default_rng(1)
    net = mlp.init_network([3, 5, 4, n_out], rng, activation)
    for b in net.biases:
        b[:] = rng.normal(0, 0.5, b.shape)  # no relu unit sits at its kink by accident
    net.input_mean = np.array([0.5, -1.0, 2.0])
    net.input_scale = np.array([2.0, 0.5, 1.5])
    x = rng.normal(size=(9, 3))
    y = rng.integers(0, max(2, n_out), size=9)
    grad_w, grad_b = mlp.gradients(net, x, y)
    num_w, num_b = _numerical_gradients(net, x, y)
    for analytic, numeric in zip([*grad_w, *grad_b], [*num_w, *num_b], strict=True):
        assert analytic.shape == numeric.shape
        err = np.linalg.norm(analytic - numeric) / (
            np.linalg.norm(analytic) + np.linalg.norm(numeric) + 1e-300
        )
        assert err < 1e-6, (activation, n_out, err)


def test_stable_sigmoid_and_loss():
    z = np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        s = mlp.sigmoid(z)
        net = mlp.init_network([1, 1], np.random.default_rng(0))
        net.weights[0][:] = 1000.0
        value = mlp.loss(net, np.array([[1.0], [-1.0]]), np.array([0, 1]))
    assert s[2] == 0.5 and s[0] == 0.0 and s[-1] == 1.0
    assert np.all(np.diff(s) >= 0)
    assert value == pytest.approx(1000.0)  # each sample: log(1 + e^1000) ≈ 1000


def test_forward_shapes_and_predict():
    net = mlp.init_network([2, 8, 8, 1], np.random.default_rng(0))
    x = np.random.default_rng(1).normal(size=(5, 2))
    acts = mlp.forward(net, x)
    assert [a.shape for a in acts] == [(5, 2), (5, 8), (5, 8), (5, 1)]
    assert np.all((acts[-1] > 0) & (acts[-1] < 1))
    p = mlp.predict_proba(net, x)
    assert p.shape == (5,)
    np.testing.assert_array_equal(net.predict(x), (p > 0.5).astype(int))
    multi = mlp.init_network([2, 4, 3], np.random.default_rng(0), "tanh")
    pm = multi.predict_proba(x)
    assert pm.shape == (5, 3) and np.allclose(pm.sum(axis=1), 1.0)
    np.testing.assert_array_equal(mlp.predict(multi, x), pm.argmax(axis=1))


def test_learns_non_separable_fruit(band_data):
    x, y = band_data
    z, _, _ = standardize(x)
    assert 0 < y.sum() < len(y)
    assert not is_linearly_separable(z, 2.0 * y - 1.0)  # no line reaches 100 %
    net, history = mlp.train_mlp(x, y, [2, 8, 8, 1], "sigmoid", epochs=300, seed=0)
    assert list(history.columns) == ["epoch", "loss", "accuracy"]
    assert list(history["epoch"]) == list(range(1, 301))
    assert history["loss"].iloc[-1] < 0.5 * history["loss"].iloc[0]
    accuracy = float(np.mean(net.predict(x) == y))  # network takes raw units
    assert accuracy == history["accuracy"].iloc[-1]
    assert accuracy >= 0.95


def test_sklearn_reaches_comparable_accuracy(band_data):
    neural = pytest.importorskip("sklearn.neural_network")
    x, y = band_data
    z, _, _ = standardize(x)
    clf = neural.MLPClassifier(
        hidden_layer_sizes=(8, 8),
        activation="logistic",
        solver="lbfgs",
        max_iter=2000,
        random_state=0,
    ).fit(z, y)
    assert clf.score(z, y) >= 0.90


def test_training_is_reproducible(band_data):
    x, y = band_data
    kwargs = dict(layer_sizes=[2, 6, 1], activation="tanh", epochs=20, batch_size=16, seed=5)
    net1, hist1 = mlp.train_mlp(x, y, **kwargs)
    net2, hist2 = mlp.train_mlp(x, y, **kwargs)
    pd.testing.assert_frame_equal(hist1, hist2)
    for a, b in zip(net1.weights + net1.biases, net2.weights + net2.biases, strict=True):
        np.testing.assert_array_equal(a, b)
    net3, _ = mlp.train_mlp(x, y, **(kwargs | {"seed": 6}))
    assert not np.array_equal(net1.weights[0], net3.weights[0])


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        (dict(activation="softsign"), "activation must be one of sigmoid, tanh, relu"),
        (dict(layer_sizes=[2]), "layer_sizes needs at least 2 entries"),
        (dict(layer_sizes=[2, 0, 1]), "layer_sizes entries must be an integer >= 1"),
        (dict(layer_sizes=[3, 1]), r"x must have shape \(n_samples, 3\)"),
        (dict(epochs=0), "epochs must be an integer >= 1"),
        (dict(batch_size=0), "batch_size must be an integer >= 1"),
        (dict(learning_rate=0.0), "learning_rate must be a finite number > 0"),
        (dict(momentum=1.0), r"momentum must be in \[0, 1\)"),
    ],
)
def test_train_validation(kwargs, match):
    x = np.zeros((4, 2))
    y = np.array([0, 1, 0, 1])
    with pytest.raises(ValueError, match=match):
        mlp.train_mlp(x, y, **({"epochs": 1} | kwargs))


def test_label_validation():
    net = mlp.init_network([2, 1], np.random.default_rng(0))
    x = np.zeros((2, 2))
    with pytest.raises(ValueError, match=r"y must hold class labels in 0\.\.1"):
        mlp.loss(net, x, np.array([-1, 1]))
    with pytest.raises(ValueError, match=r"y must have shape \(2,\)"):
        mlp.gradients(net, x, np.array([0, 1, 1]))
    with pytest.raises(ValueError, match="NaN or infinite"):
        mlp.forward(net, np.array([[np.nan, 0.0]]))


def test_ripe_band_dataset():
    df = ripe_band_dataset("rb", seed=1, **BAND)
    assert list(df.columns) == ["dataset", "fruit", "weight_g", "sweetness", "sample"]
    assert set(df["fruit"]) == {"ripe", "unripe"}
    assert df["weight_g"].between(100, 250).all() and df["sweetness"].between(1, 10).all()
    pd.testing.assert_frame_equal(df, ripe_band_dataset("rb", seed=1, **BAND))
    ring = ripe_band_dataset("ring", seed=1, shape="annulus", **(BAND | {"band": (0.3, 0.7)}))
    assert set(ring["fruit"]) == {"ripe", "unripe"}
    both = ripe_band_datasets({"a": BAND, "b": BAND | {"shape": "annulus"}}, seed=1)
    assert list(both["dataset"].unique()) == ["a", "b"] and len(both) == 800
    pd.testing.assert_frame_equal(both[both.dataset == "a"], ripe_band_dataset("a", seed=1, **BAND))


@pytest.mark.parametrize(
    ("change", "match"),
    [
        (dict(band=(0.6, 0.4)), r"rb\.band must satisfy 0\.0 <= low < high <= 1\.0"),
        (dict(band=(0.2, 1.5)), r"rb\.band must satisfy"),
        (dict(sweetness_range=(0.0, 10.0)), r"rb\.sweetness_range must satisfy 1\.0 <= low"),
        (dict(weight_range_g=(0.0, 10.0)), r"rb\.weight_range_g must satisfy 1\.0 <= low"),
        (dict(weight_range_g=100.0), r"rb\.weight_range_g must be a pair"),
        (dict(n_samples=0), r"rb\.n_samples must be an integer >= 1"),
        (dict(shape="square"), r"rb\.shape must be one of diagonal, annulus"),
    ],
)
def test_ripe_band_validation(change, match):
    with pytest.raises(ValueError, match=match):
        ripe_band_dataset("rb", seed=0, **(BAND | change))


def test_ripe_band_config_keys():
    with pytest.raises(ValueError, match=r"fruit\.bands\.x: unknown key\(s\) \[colour\]"):
        ripe_band_datasets({"x": BAND | {"colour": "red"}}, seed=0)
    with pytest.raises(ValueError, match=r"missing key\(s\) \[band\]"):
        ripe_band_datasets({"x": {k: v for k, v in BAND.items() if k != "band"}}, seed=0)
