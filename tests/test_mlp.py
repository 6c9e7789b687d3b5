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
from statnn.rng import generator
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


SKLEARN_ACTIVATION = {"sigmoid": "logistic", "tanh": "tanh", "relu": "relu"}


@pytest.mark.parametrize("activation", mlp.ACTIVATIONS)
@pytest.mark.parametrize("n_out", [1, 3])
def test_forward_pass_and_loss_equal_sklearn_with_the_same_weights(activation, n_out):
    """scikit-learn's MLPClassifier given statnn's weights predicts the same probabilities
    (sigmoid output for one unit, softmax for K), and its log-loss is statnn's loss."""
    from sklearn.metrics import log_loss
    from sklearn.neural_network import MLPClassifier

    rng = np.random.default_rng(2)
    x = rng.normal(size=(40, 3))
    y = rng.integers(0, max(2, n_out), size=40)
    net = mlp.init_network([3, 5, 4, n_out], rng, activation)
    for b in net.biases:
        b[:] = rng.normal(0, 0.5, b.shape)
    net.input_mean = np.array([0.5, -1.0, 2.0])
    net.input_scale = np.array([2.0, 0.5, 1.5])
    clf = MLPClassifier(hidden_layer_sizes=(5, 4), activation=SKLEARN_ACTIVATION[activation],
                        max_iter=1)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # ConvergenceWarning: only the shapes are wanted
        clf.fit(x, y)
    clf.coefs_ = [w.copy() for w in net.weights]
    clf.intercepts_ = [b.copy() for b in net.biases]
    z = (x - net.input_mean) / net.input_scale
    theirs = clf.predict_proba(z)
    ours = mlp.predict_proba(net, x)
    if n_out == 1:
        ours = np.stack([1.0 - ours, ours], axis=1)
    np.testing.assert_allclose(ours, theirs, rtol=0, atol=1e-12)
    np.testing.assert_array_equal(mlp.predict(net, x), clf.predict(z))
    assert mlp.loss(net, x, y) == pytest.approx(log_loss(y, theirs, labels=clf.classes_),
                                                rel=1e-10)


def test_trained_accuracy_matches_sklearn(band_data):
    """On the ripe band, statnn's trained network is as accurate as scikit-learn's
    MLPClassifier with the same architecture (both learn the band: accuracy ≥ 0.95)."""
    from sklearn.neural_network import MLPClassifier

    x, y = band_data
    z, _, _ = standardize(x)
    clf = MLPClassifier(
        hidden_layer_sizes=(8, 8),
        activation="logistic",
        solver="lbfgs",
        max_iter=2000,
        random_state=0,
    ).fit(z, y)
    net, _ = mlp.train_mlp(x, y, [2, 8, 8, 1], "sigmoid", epochs=300, seed=0)
    ours = float(np.mean(net.predict(x) == y))
    assert clf.score(z, y) >= 0.95
    assert ours >= clf.score(z, y) - 0.02


def test_activations_and_their_derivatives():
    """Hidden layers apply g to z = a W + b: σ(z) = 1/(1 + e^−z), tanh z, max(z, 0); the
    gradient of a one-hidden-unit network is g'(z) times the chain, checked by hand."""
    z = np.linspace(-4.0, 4.0, 17)
    np.testing.assert_allclose(mlp.sigmoid(z), 1.0 / (1.0 + np.exp(-z)), rtol=1e-14)
    expected = {"sigmoid": 1.0 / (1.0 + np.exp(-z)), "tanh": np.tanh(z),
                "relu": np.maximum(z, 0.0)}
    slope = {"sigmoid": expected["sigmoid"] * (1.0 - expected["sigmoid"]),
             "tanh": 1.0 - np.tanh(z) ** 2, "relu": (z > 0).astype(float)}
    for act in mlp.ACTIVATIONS:
        # one input x = z, one hidden unit (weight 1, bias 0), one output (weight v, bias 0)
        net = mlp.init_network([1, 1, 1], np.random.default_rng(0), act)
        v = 0.7
        net.weights = [np.array([[1.0]]), np.array([[v]])]
        net.biases = [np.zeros(1), np.zeros(1)]
        hidden = mlp.forward(net, z[:, None])[1][:, 0]
        np.testing.assert_allclose(hidden, expected[act], rtol=1e-14, atol=1e-15)
        y = np.ones(len(z), dtype=int)
        p = 1.0 / (1.0 + np.exp(-v * hidden))
        # L = mean(log(1 + e^o) − o), o = v g(z): ∂L/∂W¹ = mean((p − 1) v g'(z) z)
        grad_w, grad_b = mlp.gradients(net, z[:, None], y)
        assert grad_w[0][0, 0] == pytest.approx(np.mean((p - 1) * v * slope[act] * z), abs=1e-14)
        assert grad_b[0][0] == pytest.approx(np.mean((p - 1) * v * slope[act]), abs=1e-14)
        assert grad_w[1][0, 0] == pytest.approx(np.mean((p - 1) * hidden), abs=1e-14)


@pytest.mark.parametrize("activation", mlp.ACTIVATIONS)
def test_initial_weights(activation):
    """Glorot uniform U(±√(6/(n_in + n_out))) for sigmoid and tanh, He normal N(0, 2/n_in)
    for relu; zero biases; no input scaling."""
    net = mlp.init_network([300, 200, 1], np.random.default_rng(3), activation)
    w = net.weights[0]
    assert w.shape == (300, 200) and net.weights[1].shape == (200, 1)
    if activation == "relu":
        assert w.std() == pytest.approx(np.sqrt(2 / 300), rel=0.02)
        assert abs(w.mean()) < 0.05 * np.sqrt(2 / 300)
    else:
        bound = np.sqrt(6 / 500)
        assert np.abs(w).max() <= bound and np.abs(w).max() > 0.99 * bound
        assert w.std() == pytest.approx(bound / np.sqrt(3), rel=0.02)
    assert all(np.all(b == 0) for b in net.biases)
    np.testing.assert_array_equal(net.input_mean, 0.0)
    np.testing.assert_array_equal(net.input_scale, 1.0)


def test_training_is_gradient_descent_with_momentum(band_data):
    """With one batch per epoch, two epochs of train_mlp are v₁ = −η∇L(θ₀), θ₁ = θ₀ + v₁,
    v₂ = μv₁ − η∇L(θ₁), θ₂ = θ₁ + v₂ from the documented initial weights (stream
    (seed, "mlp", "init")) and the training mean and standard deviation as input scaling."""
    x, y = band_data
    x, y = x[:64], y[:64]
    eta, mu, seed = 0.3, 0.8, 4
    net, history = mlp.train_mlp(x, y, [2, 5, 1], "tanh", epochs=2, batch_size=64,
                                 learning_rate=eta, seed=seed, momentum=mu)
    ref = mlp.init_network([2, 5, 1], generator(seed, "mlp", "init"), "tanh")
    ref.input_mean, ref.input_scale = x.mean(axis=0), x.std(axis=0)
    params = [*ref.weights, *ref.biases]
    velocity = [np.zeros_like(p) for p in params]
    losses = []
    for _ in range(2):
        grad_w, grad_b = mlp.gradients(ref, x, y)
        for p, v, g in zip(params, velocity, [*grad_w, *grad_b], strict=True):
            v[...] = mu * v - eta * g
            p += v
        losses.append(mlp.loss(ref, x, y))
    for ours, theirs in zip([*net.weights, *net.biases], params, strict=True):
        np.testing.assert_allclose(ours, theirs, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(history["loss"], losses, rtol=1e-12)
    np.testing.assert_allclose(net.input_mean, x.mean(axis=0))
    np.testing.assert_allclose(net.input_scale, x.std(axis=0))


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
