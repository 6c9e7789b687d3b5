"""Figures of the sequences stage: overlaps against time, the capacity curve, dwell times."""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import seaborn as sns

from statnn.plots import PALETTE

MODELS = {"synchronous": ("Synchronous", "time step t"),
          "sompolinsky_kanter": ("Sompolinsky–Kanter (delayed asymmetric term)", "sweeps t")}


def sequence_overlaps_figure(traj: pd.DataFrame) -> plt.Figure:
    """Per model (rows): m_μ(t) as lines (left) and as a heat map over (t, μ) (right), at the
    table's lowest temperature and first replica."""
    t0 = traj["temperature"].min()
    sub = traj[(traj["temperature"] == t0) & (traj["replica"] == traj["replica"].min())]
    models = [m for m in MODELS if m in set(sub["model"])]
    fig, axes = plt.subplots(len(models), 2, figsize=(11, 3.4 * len(models)), squeeze=False,
                             gridspec_kw={"width_ratios": [1.2, 1]})
    for row, model in zip(axes, models, strict=True):
        data = sub[sub["model"] == model]
        grid = data.pivot(index="pattern", columns="time", values="overlap").sort_index()
        P = grid.shape[0]
        colors = sns.color_palette(PALETTE, P) if P <= 10 else sns.color_palette("husl", P)
        title, xlabel = MODELS[model]
        for mu, color in zip(grid.index, colors, strict=True):
            row[0].plot(grid.columns, grid.loc[mu], color=color, lw=1.4, label=f"μ = {mu}")
        row[0].set(xlabel=xlabel, ylabel="overlap m_μ(t)", ylim=(-0.35, 1.05),
                   title=f"{title}, T = {t0:g}")
        if P <= 10:
            row[0].legend(ncol=2, fontsize="x-small", loc="lower right")
        times = grid.columns.to_numpy(float)
        mesh = row[1].pcolormesh(np.append(times, times[-1] + 1) - 0.5, np.arange(P + 1) - 0.5,
                                 grid.to_numpy(float), cmap="viridis", vmin=-1, vmax=1,
                                 shading="flat")
        row[1].set(xlabel=xlabel, ylabel="pattern μ", title="m_μ(t) as a heat map")
        fig.colorbar(mesh, ax=row[1], label="overlap")
        row[1].grid(False)
    fig.tight_layout()
    return fig


def sequence_capacity_figure(capacity: pd.DataFrame, critical: pd.DataFrame,
                             dwell: pd.DataFrame, theory_alpha_c: float) -> plt.Figure:
    """Left: fraction of runs that recall the cycle against α, colour per N, line style per
    T, with the T = 0 theory α_c; right: dwell time against delay with dwell = τ."""
    fig, (ax, ax2) = plt.subplots(1, 2, figsize=(11, 4.2), gridspec_kw={"width_ratios": [1.6, 1]})
    sizes = sorted(capacity["n_neurons"].unique())
    temps = sorted(capacity["temperature"].unique())
    colors = dict(zip(sizes, sns.color_palette(PALETTE, len(sizes)), strict=True))
    styles = ["-", "--", ":", "-."]
    frac = capacity.groupby(["n_neurons", "temperature", "alpha"], as_index=False).agg(
        p=("recalled", "mean"))
    for (n, t), d in frac.groupby(["n_neurons", "temperature"]):
        ax.plot(d["alpha"], d["p"], styles[temps.index(t) % len(styles)], marker="o", ms=3,
                color=colors[n], label=f"N = {n}, T = {t:g}")
    cold = critical[critical["temperature"] == 0.0]
    for r in cold.itertuples():
        ax.errorbar(r.alpha_c, 0.5, xerr=r.alpha_c_se, fmt="s", color=colors[r.n_neurons],
                    ms=5, capsize=3)
    ax.axvline(theory_alpha_c, color="black", lw=1.2, ls="--",
               label=f"theory α_c = {theory_alpha_c} (T = 0)")
    ax.axhline(0.5, color="grey", lw=0.8)
    ax.set(xlabel="load α = P/N", ylabel="fraction of runs that recall the cycle",
           ylim=(-0.03, 1.03), title="Sequence capacity (synchronous)")
    ax.legend(fontsize="x-small", ncol=2, loc="lower left")
    stats = dwell.groupby(["temperature", "delay"], as_index=False).agg(
        dwell=("dwell_mean", "mean"), se=("dwell_se", "mean"))
    for t, d in stats.groupby("temperature"):
        ax2.errorbar(d["delay"], d["dwell"], yerr=d["se"], marker="o", capsize=3,
                     label=f"T = {t:g}")
    top = float(stats["delay"].max())
    ax2.plot([0, top], [0, top], color="black", ls="--", lw=1, label="dwell = τ")
    ax2.set(xlabel="delay τ (sweeps)", ylabel="dwell time (sweeps)",
            title="Sompolinsky–Kanter dwell time")
    ax2.legend(fontsize="small")
    fig.tight_layout()
    return fig
