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


# --- Hopfield and spin glass -------------------------------------------------------------

ALPHA_LABEL = "load α = P/N"
T_LABEL = "temperature T (units of T_c)"


def phase_diagram_figure(grid: pd.DataFrame, lines: pd.DataFrame) -> plt.Figure:
    """Mean final overlap over replicas as a heat map in (α, T), theory lines on top."""
    mean = grid.groupby(["temperature", "alpha"])["overlap"].mean().unstack("alpha")
    alphas = mean.columns.to_numpy(float)
    temps = mean.index.to_numpy(float)
    fig, ax = plt.subplots(figsize=(6.6, 4.8))
    mesh = ax.pcolormesh(_edges(alphas), _edges(temps), mean.to_numpy(), cmap="viridis",
                         vmin=0, vmax=1, shading="flat", rasterized=True)
    fig.colorbar(mesh, ax=ax, label="final overlap m with the cued pattern")
    styles = {"retrieval T_M": ("white", "-"), "spin glass T_g": ("#E69F00", "--")}
    for name, line in lines.groupby("line", sort=False):
        color, ls = styles.get(name, ("black", ":"))
        ax.plot(line["alpha"], line["temperature"], color=color, ls=ls, lw=2.2,
                label=f"theory: {name}")
    ax.set_xlim(_edges(alphas)[0], _edges(alphas)[-1])
    ax.set_ylim(_edges(temps)[0], _edges(temps)[-1])
    n = int(grid["n_neurons"].iloc[0])
    ax.set(xlabel=ALPHA_LABEL, ylabel=T_LABEL,
           title=f"Hopfield phase diagram (N = {n}, {grid['replica'].nunique()} replicas)")
    ax.legend(loc="upper right", framealpha=0.9)
    fig.tight_layout()
    return fig


def _edges(centers: np.ndarray) -> np.ndarray:
    """Cell edges around sorted cell centres (for pcolormesh)."""
    c = np.asarray(centers, dtype=float)
    if c.size == 1:
        return np.array([c[0] - 0.5, c[0] + 0.5]) if c[0] else np.array([0.0, 1.0])
    mid = (c[1:] + c[:-1]) / 2
    return np.concatenate([[c[0] - (mid[0] - c[0])], mid, [c[-1] + (c[-1] - mid[-1])]])


def _mean_spread(df: pd.DataFrame, by: str, value: str = "overlap") -> pd.DataFrame:
    g = df.groupby(by)[value]
    return pd.DataFrame({"mean": g.mean(), "sd": g.std(ddof=1).fillna(0.0)}).reset_index()


def overlap_vs_alpha_figure(grid: pd.DataFrame, theory: pd.DataFrame) -> plt.Figure:
    """Final overlap at the lowest temperature vs α: replicas' mean ± sd against AGS theory."""
    t0 = grid["temperature"].min()
    sim = _mean_spread(grid[grid["temperature"] == t0], "alpha")
    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    ax.plot(theory["alpha"], theory["overlap"], color="black", lw=2,
            label="replica-symmetric theory (AGS)")
    n = int(grid["n_neurons"].iloc[0])
    ax.errorbar(sim["alpha"], sim["mean"], yerr=sim["sd"], fmt="o", ms=4, capsize=2,
                color=sns.color_palette(PALETTE)[0], label=f"simulation, N = {n} (mean ± sd)")
    ax.set(xlabel=ALPHA_LABEL, ylabel="final overlap m", ylim=(-0.05, 1.05),
           title=f"Retrieval at T = {t0:g}")
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


def overlap_vs_temperature_figure(
    grid: pd.DataFrame, curie_weiss: pd.DataFrame, theory: pd.DataFrame
) -> plt.Figure:
    """Time-averaged overlap vs T at the smallest α, against m = tanh(m/T) and AGS at that α."""
    a0 = grid["alpha"].min()
    sim = _mean_spread(grid[grid["alpha"] == a0], "temperature", "overlap_time_mean")
    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    ax.plot(curie_weiss["temperature"], curie_weiss["overlap"], color="black", lw=2,
            label="Curie–Weiss m = tanh(m/T) (α → 0)")
    ax.plot(theory["temperature"], theory["overlap"], color="0.5", lw=1.5, ls="--",
            label=f"replica-symmetric theory at α = {a0:g}")
    n = int(grid["n_neurons"].iloc[0])
    ax.errorbar(sim["temperature"], sim["mean"], yerr=sim["sd"], fmt="o", ms=4, capsize=2,
                color=sns.color_palette(PALETTE)[1],
                label=f"simulation, N = {n}, α = {a0:g} (mean ± sd)")
    ax.set(xlabel=T_LABEL, ylabel="time-averaged overlap m", ylim=(-0.05, 1.05),
           title="Overlap vs temperature at small load")
    ax.legend(loc="lower left")
    fig.tight_layout()
    return fig


def energy_descent_figure(descent: pd.DataFrame) -> plt.Figure:
    """Energy per neuron vs sweeps at T = 0, one line per run, a panel per coupling kind."""
    kinds = list(dict.fromkeys(descent["couplings"]))
    fig, axes = plt.subplots(1, len(kinds), figsize=(4.4 * len(kinds), 3.9), sharey=True,
                             squeeze=False)
    colors = dict(zip(kinds, sns.color_palette(PALETTE, len(kinds)), strict=True))
    for ax, kind in zip(axes[0], kinds, strict=True):
        sub = descent[descent["couplings"] == kind]
        for run, d in sub.groupby("run"):
            increases = int((np.diff(d["energy_per_neuron"].to_numpy()) > 1e-12).sum())
            ax.plot(d["sweep"], d["energy_per_neuron"], marker="o", ms=3, color=colors[kind],
                    alpha=0.85, label=f"run {run}: {increases} rises")
        ax.set(xlabel="sweeps at T = 0", title=f"{kind} couplings")
        ax.legend(fontsize=8)
    axes[0][0].set_ylabel("energy per neuron E/N")
    fig.suptitle("Energy descent: symmetric J never increases E; asymmetric circuits may")
    fig.tight_layout()
    return fig


def spin_glass_figure(sk: pd.DataFrame, rs_theory: pd.DataFrame, parisi: float) -> plt.Figure:
    """SK energy per spin and Edwards–Anderson order vs T (samples' mean ± sd)."""
    fig, (ax_e, ax_q) = plt.subplots(1, 2, figsize=(10.5, 4.0))
    c = sns.color_palette(PALETTE)
    n = int(sk["n_neurons"].iloc[0])
    e = _mean_spread(sk, "temperature", "energy_per_spin")
    q = _mean_spread(sk, "temperature", "ea_overlap")
    ax_e.errorbar(e["temperature"], e["mean"], yerr=e["sd"], fmt="o", ms=4, capsize=2,
                  color=c[0], label=f"annealing, N = {n}")
    ax_e.plot(rs_theory["temperature"], rs_theory["energy"], color="black", lw=1.5,
              label="replica-symmetric theory")
    ax_e.axhline(parisi, color=c[3], ls="--", label=f"Parisi ground state {parisi}")
    ax_e.set(xlabel=T_LABEL, ylabel="energy per spin E/N", title="SK energy")
    ax_e.legend()
    ax_q.errorbar(q["temperature"], q["mean"], yerr=q["sd"], fmt="o", ms=4, capsize=2,
                  color=c[2], label=f"|q| between two replicas, N = {n}")
    ax_q.plot(rs_theory["temperature"], rs_theory["q"], color="black", lw=1.5,
              label="replica-symmetric q")
    ax_q.axvline(1.0, color="0.5", ls=":", label="T_g = 1")
    ax_q.set(xlabel=T_LABEL, ylabel="Edwards–Anderson order q", ylim=(-0.05, 1.05),
             title="SK order parameter")
    ax_q.legend()
    fig.tight_layout()
    return fig
