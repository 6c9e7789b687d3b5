"""Rosenblatt's perceptron, as in the seed: output sign(w·x + b), learning only on mistakes.

On each mistake (y (w·x + b) ≤ 0) the rule is w ← w + y x, b ← b + y. Training stops at the
first epoch without a mistake (converged) or after ``max_epochs``. On linearly separable data
the number of mistakes is at most (R/γ)² (Novikoff), with R = max‖x̃‖ and γ the best margin
of the augmented inputs x̃ = (x, 1).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numba
import numpy as np
import pandas as pd

from statnn.margin import check_labelled, max_margin, max_margin_line
from statnn.separability import is_linearly_separable

CONVERGED = "converged"
MAX_EPOCHS = "max_epochs"


@numba.njit(cache=True)
def _rosenblatt(x, y, w, max_epochs, shuffle, seed, record):
    """Train in place on rows of ``x`` (already augmented); returns (epochs, mistakes, hist)."""
    n_samples, n_dim = x.shape
    mistakes = np.zeros(max_epochs, dtype=np.int64)
    hist = np.zeros((max_epochs if record else 0, n_dim))
    order = np.arange(n_samples)
    np.random.seed(seed)  # noqa: NPY002 (numba's per-call generator)
    epochs = 0
    for epoch in range(max_epochs):
        if shuffle:
            np.random.shuffle(order)  # noqa: NPY002
        m = 0
        for k in range(n_samples):
            i = order[k]
            s = 0.0
            for d in range(n_dim):
                s += w[d] * x[i, d]
            if y[i] * s <= 0.0:
                m += 1
                for d in range(n_dim):
                    w[d] += y[i] * x[i, d]
        mistakes[epoch] = m
        if record:
            hist[epoch] = w
        epochs = epoch + 1
        if m == 0:
            break
    return epochs, mistakes[:epochs], hist[:epochs]


@dataclass
class PerceptronFit:
    """A trained perceptron: weights and bias in the units of the training features."""

    weights: np.ndarray
    bias: float
    epochs: int
    stop_reason: str
    mistakes_per_epoch: np.ndarray
    weight_history: np.ndarray = field(repr=False)
    bias_history: np.ndarray = field(repr=False)

    @property
    def converged(self) -> bool:
        return self.stop_reason == CONVERGED

    @property
    def total_mistakes(self) -> int:
        return int(self.mistakes_per_epoch.sum())

    def decision_function(self, x: np.ndarray) -> np.ndarray:
        """w·x + b."""
        return np.asarray(x, dtype=float) @ self.weights + self.bias

    def predict(self, x: np.ndarray) -> np.ndarray:
        """sign(w·x + b) with sign(0) := −1 (a point on the plane is not classified +1)."""
        return np.where(self.decision_function(x) > 0, 1, -1)


def train_perceptron(
    x: np.ndarray,
    y: np.ndarray,
    *,
    max_epochs: int = 100,
    bias: bool = True,
    shuffle: bool = True,
    seed: int = 0,
    record: bool = True,
) -> PerceptronFit:
    """Rosenblatt training from w = 0, b = 0 (compiled loop; ``seed`` orders each epoch)."""
    x, y = check_labelled(x, y)
    if isinstance(max_epochs, bool) or int(max_epochs) != max_epochs or max_epochs < 1:
        raise ValueError(f"max_epochs must be an integer >= 1, got {max_epochs!r}")
    xa = np.hstack([x, np.ones((x.shape[0], 1))]) if bias else x
    w = np.zeros(xa.shape[1])
    epochs, mistakes, hist = _rosenblatt(
        xa, y, w, int(max_epochs), bool(shuffle), int(seed) % (2**32), bool(record)
    )
    converged = epochs > 0 and mistakes[-1] == 0
    n = x.shape[1]
    return PerceptronFit(
        weights=w[:n].copy(),
        bias=float(w[n]) if bias else 0.0,
        epochs=int(epochs),
        stop_reason=CONVERGED if converged else MAX_EPOCHS,
        mistakes_per_epoch=mistakes.copy(),
        weight_history=hist[:, :n].copy(),
        bias_history=hist[:, n].copy() if bias else np.zeros(len(hist)),
    )


def standardize(x: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """z = (x − μ)/σ per column; σ = 0 columns are left unscaled. Returns (z, μ, σ)."""
    x = np.asarray(x, dtype=float)
    mean = x.mean(axis=0)
    std = x.std(axis=0)
    std = np.where(std > 0, std, 1.0)
    return (x - mean) / std, mean, std


def to_original_units(
    w_std: np.ndarray, b_std: float, mean: np.ndarray, std: np.ndarray
) -> tuple[np.ndarray, float]:
    """Map a boundary w'·z + b' = 0 in standardized z = (x − μ)/σ back to w·x + b = 0.

    w_k = w'_k / σ_k,   b = b' − Σ_k w'_k μ_k / σ_k.
    """
    w = np.asarray(w_std, dtype=float) / std
    return w, float(b_std - np.sum(w * mean))


def novikoff_bound(x: np.ndarray, y: np.ndarray, *, bias: bool = True) -> float:
    """Novikoff's bound (R/γ)² on the perceptron's mistakes; inf if not separable."""
    x, y = check_labelled(x, y)
    xa = np.hstack([x, np.ones((x.shape[0], 1))]) if bias else x
    _, gamma = max_margin(x, y, bias=bias)
    radius = float(np.max(np.linalg.norm(xa, axis=1)))
    return float("inf") if gamma <= 0 else (radius / gamma) ** 2


def _line_margin(w: np.ndarray, b: float, z: np.ndarray, y: np.ndarray) -> float:
    """min_μ y^μ (w·z^μ + b)/|w|: signed distance of the closest point to the line (−inf if
    w = 0)."""
    norm = float(np.linalg.norm(w))
    return float(np.min(y * (z @ w + b))) / norm if norm > 0 else float("-inf")


def fit_fruit_perceptrons(
    df: pd.DataFrame,
    features: Sequence[str],
    *,
    max_epochs: int,
    shuffle: bool,
    seed: int,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Train on one fruit dataset: one perceptron for 2 classes, one per class for more.

    With two classes the first (in table order) is +1; with more, perceptron k separates
    class k (+1) from all others (the seed's multiclass extension). Features are standardized
    for training; the boundary is reported in original units. Beside Rosenblatt's line each
    model has the line of largest margin γ = max min_μ y^μ (w·z^μ + b)/|w| with a free bias,
    in the standardized features z the perceptron learns in (``statnn.margin
    .max_margin_line``): ``margin`` (γ, −inf if not separable), Rosenblatt's own
    ``perceptron_margin`` (≤ γ; < 0 if it misclassifies) and the ``margin_*`` weights and
    bias (NaN if not separable). Returns (models, history).
    """
    classes = list(dict.fromkeys(df["fruit"]))
    if len(classes) < 2:
        raise ValueError("a fruit dataset needs at least two classes")
    x = df[list(features)].to_numpy(float)
    z, mean, std = standardize(x)
    targets = classes[:1] if len(classes) == 2 else classes
    models, history = [], []
    for k, target in enumerate(targets):
        y = np.where(df["fruit"].to_numpy() == target, 1.0, -1.0)
        fit = train_perceptron(z, y, max_epochs=max_epochs, shuffle=shuffle, seed=seed + k)
        w, b = to_original_units(fit.weights, fit.bias, mean, std)
        separable = is_linearly_separable(z, y)
        accuracy = float(np.mean(fit.predict(z) == y))
        w_best, b_best, margin = max_margin_line(z, y)
        if not separable:
            w_best, b_best = np.full(len(features), np.nan), np.nan
        w_margin, b_margin = to_original_units(w_best, b_best, mean, std)
        row = {
            "positive": target,
            "negative": classes[1] if len(classes) == 2 else "rest",
            "separable_lp": separable,
            "converged": fit.converged,
            "stop_reason": fit.stop_reason,
            "epochs": fit.epochs,
            "total_mistakes": fit.total_mistakes,
            "novikoff_bound": novikoff_bound(z, y) if separable else float("inf"),
            "train_accuracy": accuracy,
            "bias": b,
            "bias_std": fit.bias,
            "margin": margin,
            "perceptron_margin": _line_margin(fit.weights, fit.bias, z, y),
            "margin_bias": b_margin,
            "margin_bias_std": float(b_best),
        }
        for name, wk, wsk, mk, sk in zip(features, w, fit.weights, mean, std, strict=True):
            row |= {f"w_{name}": wk, f"w_std_{name}": wsk, f"mean_{name}": mk, f"std_{name}": sk}
        for name, wk, wsk in zip(features, w_margin, w_best, strict=True):
            row |= {f"margin_w_{name}": wk, f"margin_w_std_{name}": wsk}
        models.append(row)
        hist = pd.DataFrame(
            {
                "positive": target,
                "epoch": np.arange(1, fit.epochs + 1),
                "mistakes": fit.mistakes_per_epoch,
                "bias_std": fit.bias_history,
            }
        )
        for j, name in enumerate(features):
            hist[f"w_std_{name}"] = fit.weight_history[:, j]
        history.append(hist)
    return pd.DataFrame(models), pd.concat(history, ignore_index=True)


def one_vs_rest_predict(models: pd.DataFrame, x: np.ndarray, features: Sequence[str]):
    """Class with the largest normalized score (w·x + b)/‖w_std‖ among one-vs-rest models.

    Scores are compared in standardized units so no feature's scale dominates.
    """
    x = np.asarray(x, dtype=float)
    scores = []
    for _, m in models.iterrows():
        w = np.array([m[f"w_{f}"] for f in features])
        norm = np.linalg.norm([m[f"w_std_{f}"] for f in features]) or 1.0
        scores.append((x @ w + m["bias"]) / norm)
    return models["positive"].to_numpy()[np.argmax(np.vstack(scores), axis=0)]
