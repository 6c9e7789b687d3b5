"""Multilayer feedforward network trained by backpropagation (vectorized numpy, float64).

Each layer is the seed's feedforward neuron, vectorized: a weighted sum of its inputs plus a
bias, then an activation,

    z^l = a^(l−1) W^l + b^l,    a^l = g(z^l),    a^0 = (x − μ)/s,

with g the sigmoid σ(z) = 1/(1 + e^(−z)) (default), tanh or relu in the hidden layers.
The output layer is a sigmoid with the binary cross-entropy loss for one output unit
(labels y ∈ {0, 1}) and a softmax with the categorical cross-entropy for K > 1 units
(labels y ∈ {0, …, K − 1}); in both cases the mean loss over n samples is

    L = (1/n) Σ_i [log Σ_k e^(z_ik) − z_i,y_i]   (softmax),
    L = (1/n) Σ_i [log(1 + e^(z_i)) − y_i z_i]     (sigmoid),

and its gradient with respect to the output pre-activations is (p − Y)/n (Y one-hot or y).
Backpropagation: δ^L = (p − Y)/n, δ^l = (δ^(l+1) W^(l+1)ᵀ) ⊙ g'(z^l),
∂L/∂W^l = a^(l−1)ᵀ δ^l, ∂L/∂b^l = Σ_i δ^l_i.

Inputs are shifted and scaled by (μ, s) stored in the network: ``init_network`` sets μ = 0,
s = 1, and ``train_mlp`` (with ``standardize=True``) sets them to the training mean and
standard deviation, so ``predict`` always takes inputs in their original units.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from statnn.perceptron import standardize as standardize_features
from statnn.rng import generator
from statnn.validation import check_int

__all__ = [
    "ACTIVATIONS",
    "Network",
    "forward",
    "gradients",
    "init_network",
    "loss",
    "predict",
    "predict_proba",
    "sigmoid",
    "train_mlp",
]

ACTIVATIONS = ("sigmoid", "tanh", "relu")


# ----------------------------------------------------------------------------- numerics


def sigmoid(z: np.ndarray) -> np.ndarray:
    """σ(z) = 1/(1 + e^(−z)), evaluated through e^(−|z|) so that it never overflows."""
    z = np.asarray(z, dtype=float)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1.0 / (1.0 + e), e / (1.0 + e))


def _softplus(z: np.ndarray) -> np.ndarray:
    """log(1 + e^z) = max(z, 0) + log1p(e^(−|z|)), without overflow."""
    return np.maximum(z, 0.0) + np.log1p(np.exp(-np.abs(z)))


def _softmax(z: np.ndarray) -> np.ndarray:
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def _activate(z: np.ndarray, activation: str) -> np.ndarray:
    if activation == "sigmoid":
        return sigmoid(z)
    if activation == "tanh":
        return np.tanh(z)
    return np.maximum(z, 0.0)


def _derivative(z: np.ndarray, a: np.ndarray, activation: str) -> np.ndarray:
    """g'(z) from z and a = g(z): σ(1 − σ), 1 − tanh², 1[z > 0]."""
    if activation == "sigmoid":
        return a * (1.0 - a)
    if activation == "tanh":
        return 1.0 - a * a
    return (z > 0).astype(float)


# ----------------------------------------------------------------------------- validation


def _check_activation(activation: object) -> str:
    if activation not in ACTIVATIONS:
        raise ValueError(f"activation must be one of {', '.join(ACTIVATIONS)}, got {activation!r}")
    return str(activation)


def _check_layer_sizes(layer_sizes: Sequence[int]) -> list[int]:
    try:
        sizes = [check_int(s, "layer_sizes entries", 1) for s in layer_sizes]
    except TypeError:
        raise ValueError(
            f"layer_sizes must be a list of integers >= 1, got {layer_sizes!r}"
        ) from None
    if len(sizes) < 2:
        raise ValueError(f"layer_sizes needs at least 2 entries (inputs, outputs), got {sizes}")
    return sizes


def _check_x(net: Network, x: np.ndarray) -> np.ndarray:
    x = np.asarray(x, dtype=float)
    n_in = net.layer_sizes[0]
    if x.ndim != 2 or x.shape[1] != n_in:
        raise ValueError(f"x must have shape (n_samples, {n_in}), got {x.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("x contains NaN or infinite values")
    return x


def _check_y(net: Network, y: np.ndarray, n_samples: int) -> np.ndarray:
    y = np.asarray(y)
    n_classes = max(2, net.layer_sizes[-1])
    if y.shape != (n_samples,):
        raise ValueError(f"y must have shape ({n_samples},), got {y.shape}")
    yi = y.astype(np.int64) if y.dtype.kind in "biuf" else None
    if yi is None or not np.array_equal(yi, y) or yi.min() < 0 or yi.max() >= n_classes:
        raise ValueError(f"y must hold class labels in 0..{n_classes - 1}")
    return yi


# ----------------------------------------------------------------------------- the network


@dataclass
class Network:
    """Weights W^l (n_(l−1), n_l), biases b^l (n_l,), hidden activation, input shift/scale."""

    weights: list[np.ndarray]
    biases: list[np.ndarray]
    activation: str
    input_mean: np.ndarray
    input_scale: np.ndarray

    @property
    def layer_sizes(self) -> list[int]:
        return [self.weights[0].shape[0], *(w.shape[1] for w in self.weights)]

    def predict_proba(self, x: np.ndarray) -> np.ndarray:
        return predict_proba(self, x)

    def predict(self, x: np.ndarray) -> np.ndarray:
        return predict(self, x)


def init_network(
    layer_sizes: Sequence[int], rng: np.random.Generator, activation: str = "sigmoid"
) -> Network:
    """Random weights, zero biases; μ = 0, s = 1 (no input scaling).

    Glorot uniform W ~ U(±√(6/(n_in + n_out))) for sigmoid and tanh, He normal
    W ~ N(0, 2/n_in) for relu.
    """
    sizes = _check_layer_sizes(layer_sizes)
    act = _check_activation(activation)
    weights, biases = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        if act == "relu":
            w = rng.normal(0.0, math.sqrt(2.0 / n_in), size=(n_in, n_out))
        else:
            bound = math.sqrt(6.0 / (n_in + n_out))
            w = rng.uniform(-bound, bound, size=(n_in, n_out))
        weights.append(w)
        biases.append(np.zeros(n_out))
    return Network(weights, biases, act, np.zeros(sizes[0]), np.ones(sizes[0]))


def _forward_pass(net: Network, x: np.ndarray) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """Pre-activations [z^1 … z^L] and activations [a^0 … a^L] (a^L: output probabilities)."""
    a = (x - net.input_mean) / net.input_scale
    zs, acts = [], [a]
    last = len(net.weights) - 1
    for layer, (w, b) in enumerate(zip(net.weights, net.biases, strict=True)):
        z = a @ w + b
        if layer < last:
            a = _activate(z, net.activation)
        else:
            a = sigmoid(z) if z.shape[1] == 1 else _softmax(z)
        zs.append(z)
        acts.append(a)
    return zs, acts


def forward(net: Network, x: np.ndarray) -> list[np.ndarray]:
    """Activations [a^0, a^1, …, a^L] of every layer; a^0 is the scaled input, a^L the output."""
    return _forward_pass(net, _check_x(net, x))[1]


def _loss_from_logits(z: np.ndarray, y: np.ndarray) -> float:
    if z.shape[1] == 1:
        zz = z[:, 0]
        return float(np.mean(_softplus(zz) - y * zz))
    zmax = z.max(axis=1)
    lse = zmax + np.log(np.exp(z - zmax[:, None]).sum(axis=1))
    return float(np.mean(lse - z[np.arange(len(y)), y]))


def loss(net: Network, x: np.ndarray, y: np.ndarray) -> float:
    """Mean cross-entropy L (see the module docstring), computed stably from the logits."""
    x = _check_x(net, x)
    y = _check_y(net, y, x.shape[0])
    zs, _ = _forward_pass(net, x)
    return _loss_from_logits(zs[-1], y)


def _backprop(
    net: Network, x: np.ndarray, y: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray], np.ndarray]:
    zs, acts = _forward_pass(net, x)
    p = acts[-1]
    target = np.zeros_like(p)
    if p.shape[1] == 1:
        target[:, 0] = y
    else:
        target[np.arange(len(y)), y] = 1.0
    delta = (p - target) / x.shape[0]
    grad_w: list[np.ndarray] = [np.empty(0)] * len(net.weights)
    grad_b: list[np.ndarray] = [np.empty(0)] * len(net.weights)
    for layer in range(len(net.weights) - 1, -1, -1):
        grad_w[layer] = acts[layer].T @ delta
        grad_b[layer] = delta.sum(axis=0)
        if layer > 0:
            delta = (delta @ net.weights[layer].T) * _derivative(
                zs[layer - 1], acts[layer], net.activation
            )
    return grad_w, grad_b, zs[-1]


def gradients(
    net: Network, x: np.ndarray, y: np.ndarray
) -> tuple[list[np.ndarray], list[np.ndarray]]:
    """(∂L/∂W^l, ∂L/∂b^l) for every layer, by backpropagation (module docstring)."""
    x = _check_x(net, x)
    y = _check_y(net, y, x.shape[0])
    grad_w, grad_b, _ = _backprop(net, x, y)
    return grad_w, grad_b


def predict_proba(net: Network, x: np.ndarray) -> np.ndarray:
    """P(y = 1 | x), shape (n,), for one output unit; class probabilities (n, K) for softmax."""
    p = forward(net, x)[-1]
    return p[:, 0] if p.shape[1] == 1 else p


def predict(net: Network, x: np.ndarray) -> np.ndarray:
    """Class labels: 1[P(y = 1 | x) > ½] for one output unit, argmax_k p_k for softmax."""
    p = predict_proba(net, x)
    return (p > 0.5).astype(np.int64) if p.ndim == 1 else np.argmax(p, axis=1)


# ----------------------------------------------------------------------------- training


def train_mlp(
    x: np.ndarray,
    y: np.ndarray,
    layer_sizes: Sequence[int] = (2, 8, 8, 1),
    activation: str = "sigmoid",
    epochs: int = 300,
    batch_size: int = 32,
    learning_rate: float = 0.1,
    seed: int = 0,
    *,
    momentum: float = 0.9,
    standardize: bool = True,
) -> tuple[Network, pd.DataFrame]:
    """Mini-batch gradient descent with momentum: v ← μ v − η ∂L_batch/∂θ, θ ← θ + v.

    Weights are initialized from the stream (seed, "mlp", "init") and each epoch visits the
    samples in the order of the stream (seed, "mlp", "epoch", epoch), so a seed reproduces
    training exactly. With ``standardize`` the inputs are scaled by their training mean and
    standard deviation (stored in the network; constant columns are left unscaled). Labels:
    0/1 for one output unit, 0..K−1 for K > 1 (softmax). Returns the network and a history
    with one row per epoch: epoch (1…epochs), loss and accuracy on the whole training set
    after that epoch.
    """
    sizes = _check_layer_sizes(layer_sizes)
    act = _check_activation(activation)
    n_epochs = check_int(epochs, "epochs", 1)
    batch = check_int(batch_size, "batch_size", 1)
    eta = float(learning_rate)
    if not math.isfinite(eta) or eta <= 0:
        raise ValueError(f"learning_rate must be a finite number > 0, got {learning_rate!r}")
    mu = float(momentum)
    if not 0.0 <= mu < 1.0:
        raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")

    net = init_network(sizes, generator(seed, "mlp", "init"), act)
    x = _check_x(net, x)
    y = _check_y(net, y, x.shape[0])
    if standardize:
        _, net.input_mean, net.input_scale = standardize_features(x)

    params = [*net.weights, *net.biases]  # updated in place: the network sees every step
    velocity = [np.zeros_like(p) for p in params]
    n = x.shape[0]
    rows = []
    for epoch in range(1, n_epochs + 1):
        order = generator(seed, "mlp", "epoch", epoch).permutation(n)
        for start in range(0, n, batch):
            idx = order[start : start + batch]
            grad_w, grad_b, _ = _backprop(net, x[idx], y[idx])
            for p, v, g in zip(params, velocity, [*grad_w, *grad_b], strict=True):
                v *= mu
                v -= eta * g
                p += v
        zs, acts = _forward_pass(net, x)
        p_out = acts[-1]
        pred = (p_out[:, 0] > 0.5) if p_out.shape[1] == 1 else np.argmax(p_out, axis=1)
        rows.append(
            {
                "epoch": epoch,
                "loss": _loss_from_logits(zs[-1], y),
                "accuracy": float(np.mean(pred == y)),
            }
        )
    return net, pd.DataFrame(rows)


def network_table(net: Network) -> pd.DataFrame:
    """The network as a table, one row per layer (weights flattened row-major), for Parquet."""
    return pd.DataFrame(
        {
            "layer": np.arange(len(net.weights)),
            "n_in": [w.shape[0] for w in net.weights],
            "n_out": [w.shape[1] for w in net.weights],
            "weights": [w.ravel().tolist() for w in net.weights],
            "biases": [b.tolist() for b in net.biases],
            "activation": net.activation,
            "input_mean": [net.input_mean.tolist()] * len(net.weights),
            "input_scale": [net.input_scale.tolist()] * len(net.weights),
        }
    )


def network_from_table(table: pd.DataFrame) -> Network:
    """Inverse of ``network_table``."""
    rows = table.sort_values("layer")
    first = rows.iloc[0]
    return Network(
        weights=[
            np.asarray(r.weights, dtype=float).reshape(r.n_in, r.n_out)
            for r in rows.itertuples()
        ],
        biases=[np.asarray(r.biases, dtype=float) for r in rows.itertuples()],
        activation=str(first["activation"]),
        input_mean=np.asarray(first["input_mean"], dtype=float),
        input_scale=np.asarray(first["input_scale"], dtype=float),
    )
