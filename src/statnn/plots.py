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


def _boundary_line(ax: plt.Axes, model: Mapping, label: str, color="black", prefix: str = "",
                   ls: str = "-") -> None:
    """Draw w_weight·x + w_sweet·y + b = 0 across the current axes (columns ``prefix``w_…)."""
    w1, w2 = model[f"{prefix}w_weight_g"], model[f"{prefix}w_sweetness"]
    b = model[f"{prefix}bias"]
    (x0, x1), (y0, y1) = ax.get_xlim(), ax.get_ylim()
    if abs(w2) > 1e-12:
        xs = np.linspace(x0, x1, 200)
        ys = -(w1 * xs + b) / w2
    else:
        ys = np.linspace(y0, y1, 200)
        xs = np.full_like(ys, -b / w1)
    ax.plot(xs, ys, color=color, lw=2, ls=ls, label=label)
    ax.set_xlim(x0, x1)
    ax.set_ylim(y0, y1)


def fruit_boundary_figure(fruit: pd.DataFrame, models: Mapping[str, pd.DataFrame]) -> plt.Figure:
    """Weight vs sweetness by fruit, one panel per dataset, with the perceptron's line and,
    where a line separates the fruits, the line of largest margin (dashed)."""
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
        _boundary_line(ax, m, f"perceptron (margin {m['perceptron_margin']:.3f})")
        if m["separable_lp"]:
            _boundary_line(ax, m, f"largest margin ({m['margin']:.3f})", color="0.45",
                           prefix="margin_", ls="--")
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


def overlap_vs_alpha_figure(grid: pd.DataFrame, theory: pd.DataFrame,
                            alpha_c: float | None = None) -> plt.Figure:
    """Final overlap at the lowest temperature vs α: replicas' mean ± sd against AGS theory
    (``theory``: alpha, overlap at that temperature) and its α_c there (if > 0)."""
    t0 = grid["temperature"].min()
    sim = _mean_spread(grid[grid["temperature"] == t0], "alpha")
    fig, ax = plt.subplots(figsize=(6.2, 4.2))
    ax.plot(theory["alpha"], theory["overlap"], color="black", lw=2,
            label="replica-symmetric theory (AGS)")
    if alpha_c:
        ax.axvline(alpha_c, color="0.5", ls=":", label=f"α_c = {alpha_c:.3f}")
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


def spin_glass_figure(equilibrium: pd.DataFrame, distribution: pd.DataFrame,
                      binder: pd.DataFrame, ground: pd.DataFrame, fit: pd.Series,
                      parisi: float) -> plt.Figure:
    """SK in equilibrium (parallel tempering): P(q) at several T for the largest N, the
    Binder ratio vs T per N, e0(N) with the N^(−2/3) extrapolation, and both sides of the
    identity [⟨E⟩]/N = −(β/2)(1 − [⟨q²⟩]) vs T (mean ± standard error over samples)."""
    fig, ((ax_p, ax_g), (ax_e, ax_i)) = plt.subplots(2, 2, figsize=(10.5, 8.0))
    sizes = sorted(equilibrium["n_neurons"].unique())
    colors = sns.color_palette("rocket", len(sizes))
    big = distribution[distribution["n_neurons"] == sizes[-1]]
    temps = sorted(big["temperature"].unique())
    shown = [temps[k] for k in sorted({0, len(temps) // 3, 2 * len(temps) // 3, len(temps) - 1})]
    for t, c in zip(shown, sns.color_palette("mako", len(shown)), strict=True):
        d = big[big["temperature"] == t]
        ax_p.plot(d["q"], d["density"], color=c, lw=1.5, label=f"T = {t:g}")
    ax_p.set(xlabel="overlap q", ylabel="P(q)", title=f"Overlap distribution, N = {sizes[-1]}")
    ax_p.legend()
    for n, c in zip(sizes, colors, strict=True):
        b = binder[binder["n_neurons"] == n]
        ax_g.errorbar(b["temperature"], b["binder"], yerr=b["binder_se"], fmt="o-", ms=3,
                      capsize=2, color=c, label=f"N = {n}")
        e = equilibrium[equilibrium["n_neurons"] == n]
        ax_i.errorbar(e["temperature"], e["energy_per_spin"], yerr=e["energy_se"], fmt="o",
                      ms=4, capsize=2, color=c, label=f"[⟨E⟩]/N, N = {n}")
        ax_i.errorbar(e["temperature"], e["identity"], yerr=e["identity_se"], fmt="x--",
                      ms=5, capsize=2, color=c, alpha=0.7, label=f"−(β/2)(1 − [⟨q²⟩]), N = {n}")
    ax_g.axvline(1.0, color="0.5", ls=":", label="T_c = 1")
    ax_g.set(xlabel=T_LABEL, ylabel="g = ½(3 − [⟨q⁴⟩]/[⟨q²⟩]²)", title="Binder ratio")
    ax_g.legend()
    x = ground["n_neurons"].to_numpy(float) ** (-2.0 / 3.0)
    ax_e.errorbar(x, ground["energy_per_spin"], yerr=ground["energy_se"], fmt="o", ms=5,
                  capsize=2, color=colors[-1], label="e0(N), lowest T")
    if np.isfinite(fit["energy_infinity"]):
        xs = np.linspace(0.0, x.max() * 1.05, 50)
        ax_e.plot(xs, fit["energy_infinity"] + fit["slope"] * xs, color="black", lw=1.2,
                  label=f"e∞ + A N^(−2/3): e∞ = {fit['energy_infinity']:.4f} "
                        f"± {fit['energy_infinity_se']:.4f}")
    ax_e.axhline(parisi, color="C3", ls="--", label=f"Parisi {parisi}")
    ax_e.set(xlabel="N^(−2/3)", ylabel="ground-state energy per spin", xlim=(0, None),
             title="Ground state and N → ∞")
    ax_e.legend()
    ax_i.set(xlabel=T_LABEL, ylabel="energy per spin", title="Equilibrium identity")
    ax_i.legend(fontsize="x-small", ncol=2)
    fig.tight_layout()
    return fig


# --- neuron model, capacity, multilayer network -------------------------------------------


def neuron_model_figure(temperatures: Sequence[float] = (0.0, 0.25, 0.5, 1.0, 2.0)) -> plt.Figure:
    """Seed Eq. 2, P(n = 1) = 1/(1 + e^(−4βh)) vs the local field h, and the activations."""
    from statnn.mlp import sigmoid
    from statnn.neurons import update_probability

    h = np.linspace(-2.0, 2.0, 801)
    fig, (ax_p, ax_a) = plt.subplots(1, 2, figsize=(10.5, 4.0))
    colors = sns.color_palette("rocket", len(temperatures))
    for T, c in zip(temperatures, colors, strict=True):
        beta = np.inf if T == 0 else 1.0 / T
        p = np.where(h > 0, 1.0, np.where(h < 0, 0.0, 0.5)) if T == 0 else \
            update_probability(h, beta)
        ax_p.plot(h, p, color=c, lw=2, label=f"T = {T:g}" + (" (deterministic)" if T == 0
                                                               else ""))
    ax_p.set(xlabel="local field h = Σ_j J_ij n_j − θ_i", ylabel="P(neuron fires)",
             title="Stochastic neuron: P = 1 / (1 + exp(−4h/T))")
    ax_p.legend()
    z = np.linspace(-6, 6, 601)
    pal = sns.color_palette(PALETTE, 3)
    ax_a.plot(z, sigmoid(z), color=pal[0], lw=2, label="sigmoid σ(z) = 1/(1 + e^(−z))")
    ax_a.plot(z, np.tanh(z), color=pal[1], lw=2, ls="--", label="tanh z")
    ax_a.plot(z, np.maximum(z, 0) / 6, color=pal[2], lw=2, ls=":", label="ReLU max(0, z) / 6")
    ax_a.set(xlabel="weighted input z = w·x + b", ylabel="activation",
             title="Feedforward activations", ylim=(-1.1, 1.1))
    ax_a.legend()
    fig.tight_layout()
    return fig


def capacity_figure(summary: pd.DataFrame, cover: pd.DataFrame) -> plt.Figure:
    """Fraction of separable dichotomies vs α against Cover, and the perceptron's epochs."""
    fig, (ax_f, ax_e) = plt.subplots(1, 2, figsize=(11.0, 4.2))
    pal = sns.color_palette(PALETTE)
    n = int(summary["n_inputs"].iloc[0])
    trials = int(summary["trials"].iloc[0])
    ax_f.plot(cover["alpha"], cover["probability"], color="black", lw=2,
              label=f"Cover C(P, N)/2^P, N = {n}")
    ax_f.errorbar(summary["alpha"], summary["separable_fraction"], yerr=summary["separable_se"],
                  fmt="o", ms=5, capsize=3, color=pal[0],
                  label=f"separable by LP ({trials} trials, ± binomial s.e.)")
    ax_f.errorbar(summary["alpha"], summary["converged_fraction"],
                  yerr=summary["converged_se"], fmt="s", ms=4, capsize=3, color=pal[1],
                  label="perceptron converged within its budget")
    ax_f.axvline(2.0, color="0.5", ls=":", label="α = 2: half separable")
    ax_f.set(xlabel="load α = P/N", ylabel="fraction of dichotomies", ylim=(-0.03, 1.03),
             title="Capacity of the perceptron")
    ax_f.legend(loc="lower left", fontsize=8)
    ok = summary.dropna(subset=["mean_epochs_converged"])
    ax_e.plot(ok["alpha"], ok["mean_epochs_converged"], marker="o", color=pal[2])
    ax_e.set_yscale("log")
    ax_e.axvline(2.0, color="0.5", ls=":")
    ax_e.set(xlabel="load α = P/N", ylabel="mean epochs to converge",
             title="Learning slows down towards α = 2")
    fig.tight_layout()
    return fig


def gardner_stability_figure(summary: pd.DataFrame, theory: pd.DataFrame) -> plt.Figure:
    """κ_max against α: median with its quartiles and 10–90 % range (where κ_max > 0) and
    Gardner's κ(α) (``theory``: columns alpha, kappa)."""
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    pal = sns.color_palette(PALETTE)
    n, trials = int(summary["n_inputs"].iloc[0]), int(summary["trials"].iloc[0])
    ax.plot(theory["alpha"], theory["kappa"], color="black", lw=2,
            label="Gardner κ(α), N → ∞")
    s = summary[summary["median"] > 0]
    for lo, hi, width, what in (("q10", "q90", 1.0, "10–90 %"), ("q25", "q75", 2.5, "quartiles")):
        low = s[lo].clip(lower=0.0)
        ax.vlines(s["alpha"], low, s[hi], color=pal[0], lw=width, alpha=0.5,
                  label=f"{what} of trials")
    ax.plot(s["alpha"], s["median"], "o", ms=6, color=pal[0],
            label=f"median κ_max, N = {n}, {trials} trials (QP)")
    ax.axvline(2.0, color="0.5", ls=":", label="α = 2: κ_max → 0 (Cover)")
    ax.set(xlabel=ALPHA_LABEL, ylabel="largest stability κ_max", ylim=(0, None),
           xlim=(0, summary["alpha"].max() * 1.05), title="Perceptron capacity with a margin")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def gardner_fractions_figure(fractions: pd.DataFrame, cover: pd.DataFrame) -> plt.Figure:
    """Fraction of dichotomies with κ_max ≥ κ against α, one colour per κ, with Gardner's
    α_c(κ) (dashed) and, at κ = 0, Cover's C(P, N)/2^P (``cover``: alpha, probability)."""
    fig, ax = plt.subplots(figsize=(6.4, 4.4))
    kappas = sorted(fractions["kappa"].unique())
    colors = dict(zip(kappas, sns.color_palette(PALETTE, len(kappas)), strict=True))
    n, trials = int(fractions["n_inputs"].iloc[0]), int(fractions["trials"].iloc[0])
    if 0.0 in colors:
        ax.plot(cover["alpha"], cover["probability"], color=colors[0.0], lw=1,
                label=f"Cover C(P, N)/2^P, N = {n}")
    for kappa, g in fractions.groupby("kappa"):
        c = colors[kappa]
        ax.errorbar(g["alpha"], g["fraction"], yerr=g["fraction_se"], fmt="o-", ms=4,
                    capsize=2, color=c, label=f"κ = {kappa:g}")
        ax.axvline(g["alpha_c"].iloc[0], color=c, ls="--", lw=1)
    ax.set(xlabel=ALPHA_LABEL, ylabel="fraction with κ_max ≥ κ", ylim=(-0.03, 1.03),
           title=f"Separable with margin κ ({trials} trials; dashed: Gardner α_c(κ))")
    ax.legend(fontsize=8)
    fig.tight_layout()
    return fig


def _region_panel(ax, data, predict, title):
    feats = ["weight_g", "sweetness"]
    names = sorted(data["fruit"].unique())
    colors = fruit_colors(names)
    lo, hi = data[feats].min().to_numpy(), data[feats].max().to_numpy()
    gx, gy = np.meshgrid(np.linspace(lo[0], hi[0], 250), np.linspace(lo[1], hi[1], 250))
    pred = predict(np.column_stack([gx.ravel(), gy.ravel()]))
    codes = np.searchsorted(names, pred).reshape(gx.shape)
    cmap = matplotlib.colors.ListedColormap([colors[n] for n in names])
    ax.pcolormesh(gx, gy, codes, cmap=cmap, alpha=0.25, shading="auto", vmin=-0.5,
                  vmax=len(names) - 0.5, rasterized=True)
    sns.scatterplot(data=data, x="weight_g", y="sweetness", hue="fruit", style="fruit",
                    hue_order=names, palette=colors, ax=ax, s=18, edgecolor="none")
    ax.set(xlabel=LABELS["weight_g"], ylabel=LABELS["sweetness"], title=title)


def mlp_regions_figure(data: pd.DataFrame, perceptron: pd.Series, net) -> plt.Figure:
    """Decision regions on the same non-separable fruits: perceptron vs multilayer network."""
    from statnn.fruit import RIPE, UNRIPE

    fig, axes = plt.subplots(1, 2, figsize=(11.0, 4.6))
    w = np.array([perceptron["w_weight_g"], perceptron["w_sweetness"]])
    pos, neg = perceptron["positive"], ({RIPE, UNRIPE} - {perceptron["positive"]}).pop()

    def perceptron_predict(x):
        return np.where(x @ w + perceptron["bias"] > 0, pos, neg)

    def mlp_predict(x):
        return np.where(net.predict(x) == 1, RIPE, UNRIPE)

    x = data[["weight_g", "sweetness"]].to_numpy()
    truth = data["fruit"].to_numpy()
    sep = "separable" if perceptron["separable_lp"] else "not separable (LP)"
    _region_panel(axes[0], data, perceptron_predict,
                  f"Perceptron: accuracy {np.mean(perceptron_predict(x) == truth):.0%}\n"
                  f"data {sep}, {perceptron['stop_reason']}")
    sizes = "-".join(str(s) for s in net.layer_sizes)
    _region_panel(axes[1], data, mlp_predict,
                  f"Multilayer network {sizes} ({net.activation}): "
                  f"accuracy {np.mean(mlp_predict(x) == truth):.0%}")
    fig.tight_layout()
    return fig


def mlp_training_figure(history: pd.DataFrame) -> plt.Figure:
    """Cross-entropy loss and training accuracy per epoch."""
    fig, (ax_l, ax_a) = plt.subplots(1, 2, figsize=(10.0, 3.8))
    pal = sns.color_palette(PALETTE)
    ax_l.plot(history["epoch"], history["loss"], color=pal[0])
    ax_l.set(xlabel="epoch", ylabel="cross-entropy loss", yscale="log", title="Training loss")
    ax_a.plot(history["epoch"], history["accuracy"], color=pal[2])
    ax_a.set(xlabel="epoch", ylabel="training accuracy", ylim=(0.4, 1.02),
             title="Training accuracy")
    fig.tight_layout()
    return fig


def finite_size_figure(table: pd.DataFrame, theory: pd.DataFrame, alpha_c: float) -> plt.Figure:
    """T = 0 retrieval overlap vs α for several N (mean ± s.e.) against AGS theory."""
    sizes = sorted(table["n_neurons"].unique())
    colors = dict(zip(sizes, sns.color_palette("viridis", len(sizes)), strict=True))
    fig, ax = plt.subplots(figsize=(6.6, 4.4))
    ax.plot(theory["alpha"], theory["overlap"], color="black", lw=2,
            label="replica-symmetric theory (N → ∞)")
    ax.axvline(alpha_c, color="0.5", ls=":", label=f"α_c = {alpha_c:.3f}")
    for n in sizes:
        g = table[table["n_neurons"] == n].groupby("alpha")["overlap"]
        mean, se = g.mean(), g.std(ddof=1).fillna(0.0) / np.sqrt(g.count())
        ax.errorbar(mean.index, mean.to_numpy(), yerr=se.to_numpy(), marker="o", ms=4,
                    capsize=2, color=colors[n], label=f"N = {n}")
    ax.set(xlabel=ALPHA_LABEL, ylabel="final overlap m at T = 0", ylim=(-0.05, 1.05),
           title="Finite-size effects: the drop sharpens towards α_c")
    ax.legend(loc="lower left", fontsize=8)
    fig.tight_layout()
    return fig


def finite_size_scaling_figure(critical: pd.DataFrame, fit: Mapping, rs_alpha_c: float,
                               rsb_alpha_c: float) -> plt.Figure:
    """α_c(N) ± s.e. against N^(−ω) with the weighted fit α_c(∞) + a N^(−ω) (line, ±1 s.e.
    band from the parameter covariance), α_c(∞) at 0, and the RS and one-step RSB values."""
    omega = float(fit["exponent"])
    x = critical["n_neurons"].to_numpy(float) ** -omega
    a0, a1 = float(fit["alpha_c_infinity"]), float(fit["slope"])
    v0, v1 = float(fit["alpha_c_infinity_se"]) ** 2, float(fit["slope_se"]) ** 2
    cov = float(fit["covariance"])
    grid = np.linspace(0.0, 1.05 * x.max(), 200)
    band = np.sqrt(np.maximum(v0 + 2 * grid * cov + grid**2 * v1, 0.0))
    pal = sns.color_palette(PALETTE)
    fig, ax = plt.subplots(figsize=(6.6, 4.4))
    ax.fill_between(grid, a0 + a1 * grid - band, a0 + a1 * grid + band, color=pal[0],
                    alpha=0.2, lw=0)
    ax.plot(grid, a0 + a1 * grid, color=pal[0],
            label=f"fit α_c(∞) + a N^(−{omega:g}): α_c(∞) = {a0:.4f} ± {np.sqrt(v0):.4f}")
    ax.errorbar(x, critical["alpha_c"], yerr=critical["alpha_c_se"], fmt="o", color="black",
                capsize=3, ms=5, label="α_c(N): retrieval probability ½")
    for xi, n in zip(x, critical["n_neurons"], strict=True):
        ax.annotate(f"N = {int(n)}", (xi, 0), xycoords=("data", "axes fraction"),
                    xytext=(0, 4), textcoords="offset points", ha="center", fontsize=7,
                    rotation=90, va="bottom")
    ax.axhline(rs_alpha_c, color=pal[2], ls="--", lw=1,
               label=f"replica symmetric {rs_alpha_c:.4f}")
    ax.axhline(rsb_alpha_c, color=pal[3], ls=":", lw=1.5,
               label=f"one-step RSB {rsb_alpha_c:.4f}")
    ax.set(xlabel=f"N^(−{omega:g})", ylabel="storage capacity α_c at T = 0",
           xlim=(0.0, grid[-1]), title="Finite-size scaling of the storage capacity")
    ax.legend(loc="upper left", fontsize=8)
    fig.tight_layout()
    return fig
