"""Seaborn figures with one theme: colour-blind-safe palette, labelled axes with units."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from pathlib import Path

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import seaborn as sns  # noqa: E402

from statnn.perceptron import one_vs_rest_predict  # noqa: E402

PALETTE = "colorblind"
LABELS = {"weight_g": "weight (g)", "sweetness": "sweetness (1–10 scale)"}


def use_style(style_file: str | Path | None = None) -> None:
    """The shared theme: seaborn whitegrid, colour-blind palette, then the repo style file."""
    sns.set_theme(context="notebook", style="whitegrid", palette=PALETTE)
    if style_file:
        plt.style.use(str(style_file))


def save_figure(fig: plt.Figure, paths: Sequence[str | Path]) -> None:
    """Save to every path (format from the suffix) without timestamps, so reruns are stable."""
    for path in paths:
        path = Path(path)
        path.parent.mkdir(parents=True, exist_ok=True)
        meta = {"Date": None} if path.suffix == ".svg" else {}
        fig.savefig(path, metadata=meta)
    plt.close(fig)


def fruit_colors(names: Sequence[str]) -> dict[str, tuple]:
    return dict(zip(names, sns.color_palette(PALETTE, len(names)), strict=True))


def _boundary_line(ax: plt.Axes, model: Mapping, label: str, color="black") -> None:
    """Draw w_weight·x + w_sweet·y + b = 0 across the current axes."""
    w1, w2, b = model["w_weight_g"], model["w_sweetness"], model["bias"]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    if abs(w2) > 1e-12:
        xs = np.linspace(x0, x1, 200)
        ys = -(w1 * xs + b) / w2
    else:
        ys = np.linspace(y0, y1, 200)
        xs = np.full_like(ys, -b / w1)
    ax.plot(xs, ys, color=color, lw=2, label=label)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def fruit_boundary_figure(fruit: pd.DataFrame, models: Mapping[str, pd.DataFrame]) -> plt.Figure:
    """Weight vs sweetness by fruit, one panel per dataset, with the learned line."""
    fig, axes = plt.subplots(1, len(models), figsize=(5.2 * len(models), 4.4), squeeze=False)
    for ax, (name, model) in zip(axes[0], models.items(), strict=True):
        data = fruit[fruit["dataset"] == name]
        names = list(dict.fromkeys(data["fruit"]))
        sns.scatterplot(
            data=data, x="weight_g", y="sweetness", hue="fruit", style="fruit",
            palette=fruit_colors(names), ax=ax, s=30, edgecolor="none",
        )
        m = model.iloc[0]
        status = "converged" if m["converged"] else f"stopped at max_epochs ({m['epochs']})"
        sep = "separable (LP)" if m["separable_lp"] else "not separable (LP)"
        _boundary_line(ax, m, "w₁x₁ + w₂x₂ + b = 0")
        ax.set(xlabel=LABELS["weight_g"], ylabel=LABELS["sweetness"])
        ax.set_title(f"{name}: {sep}\nperceptron {status}, accuracy {m['train_accuracy']:.0%}")
        ax.legend(loc="best", frameon=True)
    fig.tight_layout()
    return fig


def learning_curve_figure(
    histories: Mapping[str, pd.DataFrame], models: Mapping[str, pd.DataFrame]
) -> plt.Figure:
    """Mistakes per epoch for each dataset, marking where training stopped and why."""
    fig, ax = plt.subplots(figsize=(6.4, 4.2))
    colors = dict(zip(histories, sns.color_palette(PALETTE, len(histories)), strict=True))
    for name, hist in histories.items():
        m = models[name].iloc[0]
        reason = "converged" if m["converged"] else "hit max_epochs"
        ax.plot(
            hist["epoch"], hist["mistakes"], marker="o", ms=3, color=colors[name],
            label=f"{name} ({reason} after {m['epochs']} epochs)",
        )
    ax.set_xscale("log")
    ax.set_ylim(bottom=-0.5)
    ax.set(xlabel="epoch", ylabel="mistakes per epoch", title="Perceptron learning curve")
    ax.legend()
    fig.tight_layout()
    return fig


def decision_regions_figure(
    fruit: pd.DataFrame, models: Mapping[str, pd.DataFrame], resolution: int = 300
) -> plt.Figure:
    """Regions assigned by one-perceptron-per-class (largest normalized score wins)."""
    feats = ("weight_g", "sweetness")
    fig, axes = plt.subplots(1, len(models), figsize=(5.6 * len(models), 4.6), squeeze=False)
    for ax, (name, model) in zip(axes[0], models.items(), strict=True):
        data = fruit[fruit["dataset"] == name]
        names = list(dict.fromkeys(data["fruit"]))
        colors = fruit_colors(names)
        pad = 0.08
        lo = data[list(feats)].min().to_numpy()
        hi = data[list(feats)].max().to_numpy()
        span = hi - lo
        gx, gy = np.meshgrid(
            np.linspace(lo[0] - pad * span[0], hi[0] + pad * span[0], resolution),
            np.linspace(lo[1] - pad * span[1], hi[1] + pad * span[1], resolution),
        )
        pred = one_vs_rest_predict(model, np.column_stack([gx.ravel(), gy.ravel()]), feats)
        index = {n: i for i, n in enumerate(names)}
        codes = np.vectorize(index.get)(pred).reshape(gx.shape)
        cmap = matplotlib.colors.ListedColormap([colors[n] for n in names])
        ax.pcolormesh(gx, gy, codes, cmap=cmap, alpha=0.25, shading="auto", vmin=-0.5,
                      vmax=len(names) - 0.5, rasterized=True)
        sns.scatterplot(
            data=data, x="weight_g", y="sweetness", hue="fruit", style="fruit",
            palette=colors, ax=ax, s=30, edgecolor="none",
        )
        conv = ", ".join(
            f"{r.positive}: {'conv.' if r.converged else 'not conv.'}"
            for r in model.itertuples()
        )
        ax.set(xlabel=LABELS["weight_g"], ylabel=LABELS["sweetness"])
        ax.set_title(f"{name}: one perceptron per fruit\n{conv}")
    fig.tight_layout()
    return fig
