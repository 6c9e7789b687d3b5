"""The one-page HTML report: figures, equations, measured vs expected, provenance.

The page is self-contained: figures and equations are embedded as PNG data URIs (equations
pre-rendered by matplotlib's mathtext), there is no script and no external resource, and
every piece of text that comes from a config or a table is HTML-escaped.
"""

from __future__ import annotations

import base64
import html
import io
import math
import platform
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

import numpy as np
import pandas as pd
import yaml

from statnn import __version__
from statnn.theory import (
    PARISI_GROUND_STATE_ENERGY,
    cover_separable_probability,
    critical_load,
    curie_weiss_magnetization,
    retrieval_overlap,
    sk_replica_symmetric,
)

FIGURE_TITLES = {
    "neuron_model": "The stochastic neuron and feedforward activations",
    "fruit_boundary": "Fruits and the perceptron's decision line",
    "perceptron_learning_curve": "Perceptron learning curve",
    "fruit_decision_regions": "One perceptron per fruit",
    "capacity": "Capacity of the perceptron against Cover's theorem",
    "mlp_decision_regions": "Perceptron vs multilayer network on non-separable fruits",
    "mlp_training": "Training the multilayer network",
    "spin_glass": "Sherrington–Kirkpatrick spin glass",
    "energy_descent": "Energy descent at T = 0",
    "phase_diagram": "Phase diagram of the Hopfield network",
    "overlap_vs_alpha": "Retrieval against load at T = 0",
    "overlap_vs_temperature": "Retrieval against temperature at small load",
    "finite_size": "Finite-size effects in retrieval",
}

PACKAGES = ("numpy", "scipy", "pandas", "pyarrow", "numba", "matplotlib", "seaborn", "snakemake")


@dataclass(frozen=True)
class Figure:
    """A figure of the report: its PNG file and its caption text."""

    key: str
    title: str
    png: Path
    caption: str


@dataclass(frozen=True)
class Comparison:
    """One row of the measured-vs-expected table."""

    quantity: str
    measured: float
    expected: float
    uncertainty: float | None  # standard error of the measured value, if known
    source: str
    note: str = ""

    @property
    def deviation(self) -> float:
        return self.measured - self.expected

    @property
    def z(self) -> float | None:
        """Deviation in standard errors (None where no error estimate exists)."""
        if self.uncertainty is None or not self.uncertainty > 0:
            return None
        return self.deviation / self.uncertainty


# --- measured vs expected ------------------------------------------------------------------


def _se(values: pd.Series) -> float:
    """Standard error of the mean (0 for a single value)."""
    n = len(values)
    return float(values.std(ddof=1) / math.sqrt(n)) if n > 1 else 0.0


def curie_weiss_comparison(grid: pd.DataFrame, target_t: float = 0.5) -> Comparison | None:
    """Time-averaged overlap at the smallest α and the grid T nearest ``target_t`` (< 1)."""
    a0 = grid["alpha"].min()
    sub = grid[(grid["alpha"] == a0) & (grid["temperature"] > 0) & (grid["temperature"] < 1)]
    if sub.empty:
        return None
    t = sub["temperature"].unique()[np.argmin(np.abs(sub["temperature"].unique() - target_t))]
    vals = sub[sub["temperature"] == t]["overlap_time_mean"]
    n = int(grid["n_neurons"].iloc[0])
    return Comparison(
        f"Overlap at T = {t:g}, α = {a0:g} (Curie–Weiss m = tanh(m/T))",
        float(vals.mean()), curie_weiss_magnetization(float(t)), _se(vals),
        "hopfield/grid.parquet",
        f"α → 0 limit; AGS at this α gives {retrieval_overlap(float(a0), float(t)):.4f}; N = {n}",
    )


def critical_load_comparison(grid: pd.DataFrame) -> Comparison | None:
    """α where the mean T = 0 overlap first falls below ½ (interpolated) vs α_c = 0.138."""
    cold = grid[grid["temperature"] == 0.0]
    if cold.empty:
        return None
    mean = cold.groupby("alpha")["overlap"].mean().sort_index()
    below = np.flatnonzero(mean.to_numpy() < 0.5)
    if below.size == 0 or below[0] == 0:
        return None
    i = below[0]
    a = mean.index.to_numpy()
    m = mean.to_numpy()
    crossing = a[i - 1] + (0.5 - m[i - 1]) * (a[i] - a[i - 1]) / (m[i] - m[i - 1])
    n = int(grid["n_neurons"].iloc[0])
    return Comparison(
        "Storage capacity α_c at T = 0 (mean overlap crosses ½)", float(crossing),
        critical_load(0.0), float(a[i] - a[i - 1]) / 2, "hopfield/grid.parquet",
        f"N = {n}: finite size shifts the crossing upward; uncertainty = half the α spacing",
    )


def retrieval_overlap_comparison(grid: pd.DataFrame) -> Comparison | None:
    """T = 0 overlap at the largest grid α below α_c against the AGS retrieval overlap."""
    ac = critical_load(0.0)
    cold = grid[(grid["temperature"] == 0.0) & (grid["alpha"] < ac)]
    if cold.empty:
        return None
    a = cold["alpha"].max()
    vals = cold[cold["alpha"] == a]["overlap"]
    return Comparison(
        f"Retrieval overlap at T = 0, α = {a:g}", float(vals.mean()),
        retrieval_overlap(float(a), 0.0), _se(vals), "hopfield/grid.parquet",
        f"theory m at α_c = {critical_load(0.0):.4f} is {retrieval_overlap(ac - 1e-9, 0.0):.3f}",
    )


def cover_comparisons(capacity: pd.DataFrame) -> list[Comparison]:
    """Separable fraction at α = 2 (Cover: ½) and the largest deviation over all loads."""
    rows = []
    n = int(capacity["n_inputs"].iloc[0])
    stats = capacity.groupby(["alpha", "n_patterns"])["separable"].agg(["mean", "count"])
    stats = stats.reset_index()
    stats["cover"] = [cover_separable_probability(int(p), n) for p in stats["n_patterns"]]
    stats["se"] = np.sqrt(stats["cover"] * (1 - stats["cover"]) / stats["count"])
    at2 = stats[stats["n_patterns"] == 2 * n]
    if not at2.empty:
        r = at2.iloc[0]
        rows.append(Comparison(
            f"Separable fraction at α = 2 (P = {2 * n}, N = {n})", float(r["mean"]), 0.5,
            float(r["se"]), "capacity/capacity.parquet",
            f"{int(r['count'])} random dichotomies; binomial standard error",
        ))
    informative = stats[stats["se"] > 0]
    if not informative.empty:
        z = (informative["mean"] - informative["cover"]) / informative["se"]
        r = informative.loc[z.abs().idxmax()]
        rows.append(Comparison(
            f"Largest deviation from Cover's curve (α = {r['alpha']:g})", float(r["mean"]),
            float(r["cover"]), float(r["se"]), "capacity/capacity.parquet",
            f"worst of {len(informative)} loads with 0 < C(P, N)/2^P < 1",
        ))
    return rows


def spin_glass_comparisons(sk: pd.DataFrame) -> list[Comparison]:
    """SK energy at the lowest T against Parisi, and at the highest T against −β/2."""
    rows = []
    n = int(sk["n_neurons"].iloc[0])
    cold_t, hot_t = sk["temperature"].min(), sk["temperature"].max()
    cold = sk[sk["temperature"] == cold_t]["energy_per_spin"]
    rows.append(Comparison(
        f"SK energy per spin at T = {cold_t:g}", float(cold.mean()), PARISI_GROUND_STATE_ENERGY,
        _se(cold), "spin_glass/sk.parquet",
        f"Parisi ground state (T = 0, N → ∞); annealed N = {n} stays slightly above",
    ))
    if hot_t > 1:
        hot = sk[sk["temperature"] == hot_t]["energy_per_spin"]
        rows.append(Comparison(
            f"SK energy per spin at T = {hot_t:g}", float(hot.mean()),
            sk_replica_symmetric(float(hot_t))[1], _se(hot), "spin_glass/sk.parquet",
            "paramagnet: exactly −1/(2T) for N → ∞",
        ))
    return rows


def learning_comparisons(models: Mapping[str, pd.DataFrame], mlp_history: pd.DataFrame,
                         mlp_dataset: str) -> list[Comparison]:
    """Perceptron mistakes within Novikoff's bound; MLP accuracy where no line suffices."""
    rows = []
    for name, model in models.items():
        m = model.iloc[0]
        if m["separable_lp"] and m["converged"] and np.isfinite(m["novikoff_bound"]):
            rows.append(Comparison(
                f"Perceptron mistakes on '{name}' (≤ Novikoff bound)", float(m["total_mistakes"]),
                float(m["novikoff_bound"]), None, f"perceptron/{name}/model.parquet",
                "an upper bound: the deviation must be negative",
            ))
    band = models.get(mlp_dataset)
    if band is not None:
        b = band.iloc[0]
        rows.append(Comparison(
            f"Multilayer network training accuracy on '{mlp_dataset}'",
            float(mlp_history["accuracy"].iloc[-1]), 1.0, None, "mlp/history.parquet",
            f"LP: {'separable' if b['separable_lp'] else 'no line separates these fruits'}; "
            f"perceptron reached {b['train_accuracy']:.1%}",
        ))
    return rows


# --- provenance ----------------------------------------------------------------------------


def package_versions() -> dict[str, str]:
    versions = {"python": platform.python_version(), "statnn": __version__}
    for name in PACKAGES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    return versions


def git_commit(repo: str | Path) -> str:
    """The checked-out commit of ``repo`` (with '+dirty' for local changes), or 'unknown'."""
    try:
        head = subprocess.run(["git", "rev-parse", "HEAD"], cwd=repo, capture_output=True,
                              text=True, timeout=10, check=True).stdout.strip()
        dirty = subprocess.run(["git", "status", "--porcelain", "--untracked-files=no"],
                               cwd=repo, capture_output=True, text=True, timeout=10).stdout
    except (OSError, subprocess.SubprocessError):
        return "unknown (not a git checkout)"
    return head + ("+dirty" if dirty.strip() else "")


def stage_times(benchmark_dir: str | Path) -> pd.DataFrame:
    """Wall time of every job from Snakemake's ``benchmark:`` files, summed per stage."""
    rows = []
    root = Path(benchmark_dir)
    for path in sorted(root.rglob("*.tsv")):
        try:
            seconds = float(pd.read_csv(path, sep="\t")["s"].iloc[0])
        except (OSError, KeyError, IndexError, ValueError, pd.errors.ParserError):
            continue
        rel = path.relative_to(root).with_suffix("")
        rows.append({"stage": rel.parts[0] if len(rel.parts) > 1 else rel.name,
                     "job": str(rel), "seconds": seconds})
    if not rows:
        return pd.DataFrame(columns=["stage", "jobs", "seconds"])
    df = pd.DataFrame(rows)
    return (df.groupby("stage", sort=False)
              .agg(jobs=("job", "count"), seconds=("seconds", "sum")).reset_index())


# --- rendering -----------------------------------------------------------------------------


def _data_uri(png: bytes) -> str:
    return "data:image/png;base64," + base64.b64encode(png).decode("ascii")


def equation_png(tex: str, fontsize: int = 15, dpi: int = 150) -> bytes:
    """A mathtext equation rendered to PNG bytes (no TeX installation, no network)."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib import mathtext

    buf = io.BytesIO()
    prop = matplotlib.font_manager.FontProperties(size=fontsize)
    mathtext.math_to_image(f"${tex}$", buf, prop=prop, dpi=dpi, format="png")
    return buf.getvalue()


def _equation(tex: str, alt: str) -> str:
    return (f'<div class="eq"><img src="{_data_uri(equation_png(tex))}" '
            f'alt="{html.escape(alt)}"></div>')


def _png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _figure(fig: Figure, dpi: float = 150.0) -> str:
    """An embedded figure shown at its physical size (``dpi`` of the PNG, 96 CSS px/inch)."""
    png = fig.png.read_bytes()
    width = round(_png_size(png)[0] * 96 / dpi)
    return (
        f'<figure id="fig-{html.escape(fig.key)}"><img src="{_data_uri(png)}" '
        f'width="{width}" alt="{html.escape(fig.title)}"><figcaption><b>'
        f"{html.escape(fig.title)}.</b> {html.escape(fig.caption)}</figcaption></figure>"
    )


def _fmt(x: float | None, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:.{digits}g}"


def comparison_table(rows: Sequence[Comparison]) -> str:
    head = ("<tr><th>quantity</th><th>measured</th><th>± s.e.</th><th>expected</th>"
            "<th>deviation</th><th>deviation / s.e.</th><th>from</th><th>note</th></tr>")
    body = "".join(
        f"<tr><td>{html.escape(r.quantity)}</td><td>{_fmt(r.measured)}</td>"
        f"<td>{_fmt(r.uncertainty, 2)}</td><td>{_fmt(r.expected)}</td>"
        f"<td>{r.deviation:+.3g}</td><td>{_fmt(r.z, 2)}</td>"
        f"<td><code>{html.escape(r.source)}</code></td><td>{html.escape(r.note)}</td></tr>"
        for r in rows
    )
    return f'<table class="cmp">{head}{body}</table>'


def _dict_table(d: Mapping[str, object]) -> str:
    rows = "".join(f"<tr><th>{html.escape(str(k))}</th><td>{html.escape(str(v))}</td></tr>"
                   for k, v in d.items())
    return f"<table>{rows}</table>"


def _frame_table(df: pd.DataFrame) -> str:
    head = "".join(f"<th>{html.escape(str(c))}</th>" for c in df.columns)
    body = "".join(
        "<tr>" + "".join(f"<td>{html.escape(_fmt(v) if isinstance(v, float) else str(v))}</td>"
                         for v in row) + "</tr>"
        for row in df.itertuples(index=False)
    )
    return f"<table><tr>{head}</tr>{body}</table>"


CSS = """
body{font-family:Georgia,'DejaVu Serif',serif;max-width:62rem;margin:2rem auto;padding:0 1rem;
line-height:1.45;color:#222}
h1,h2,h3{font-family:'DejaVu Sans',Helvetica,Arial,sans-serif}
figure{margin:1.5rem 0;text-align:center}figure img{max-width:100%;height:auto}
figcaption{text-align:left;font-size:.92rem;color:#333;margin-top:.4rem}
.eq{text-align:center;margin:.6rem 0}.eq img{max-height:3.2rem}
table{border-collapse:collapse;margin:1rem 0;font-size:.88rem}
td,th{border:1px solid #bbb;padding:.25rem .45rem;vertical-align:top;text-align:left}
pre{background:#f6f6f6;padding:.8rem;overflow-x:auto;font-size:.82rem}
nav ol{columns:2}
"""

SECTIONS = (
    ("neuron", "1. The neuron model"),
    ("fruit", "2. Sorting fruits with a perceptron"),
    ("capacity", "3. What a perceptron can learn"),
    ("spin-glass", "4. Spin glasses"),
    ("memory", "5. Associative memory"),
    ("measured", "6. Measured vs expected"),
    ("provenance", "7. Provenance"),
)


def render_report(
    figures: Mapping[str, Figure],
    comparisons: Sequence[Comparison],
    config: Mapping,
    provenance: Mapping[str, str],
    times: pd.DataFrame,
) -> str:
    """The whole page as a string. ``figures`` keyed by figure name (missing ones skipped)."""

    def figs(*keys):
        return "".join(_figure(figures[k]) for k in keys if k in figures)

    seed = config.get("seed", "?")
    parts = {
        "neuron": (
            "<p>A neuron i is active (n<sub>i</sub> = 1) or silent (n<sub>i</sub> = 0), or in "
            "spin language S<sub>i</sub> = 2n<sub>i</sub> − 1. Its local field and stochastic "
            "update rule (seed Eqs. 1–2) are</p>"
            + _equation(r"h_i = \sum_j J_{ij}\, n_j - \theta_i", "h_i = sum_j J_ij n_j - theta_i")
            + _equation(r"P(n_i = 1) = \frac{1}{1 + e^{-4\beta h_i}},\quad \beta = 1/T",
                        "P(n_i = 1) = 1 / (1 + exp(-4 beta h_i))")
            + "<p>With θ<sub>i</sub> = ½ Σ<sub>j</sub> J<sub>ij</sub> this is Glauber dynamics "
            "of the Ising model. For symmetric couplings T = 0 dynamics never increases the "
            "energy (seed Eq. 3 with its sign corrected)</p>"
            + _equation(r"E = -\frac{1}{2}\sum_{i \neq j} J_{ij} S_i S_j - \sum_i H_i S_i",
                        "E = -1/2 sum J_ij S_i S_j - sum H_i S_i")
            + figs("neuron_model")
        ),
        "fruit": (
            "<p>Apples are heavier and less sweet, oranges lighter and sweeter. The "
            "perceptron classifies by the sign of w<sub>1</sub>x<sub>1</sub> + "
            "w<sub>2</sub>x<sub>2</sub> + b and learns only from mistakes "
            "(w ← w + y x, b ← b + y); a linear program decides separability exactly.</p>"
            + figs("fruit_boundary", "perceptron_learning_curve", "fruit_decision_regions")
        ),
        "capacity": (
            "<p>Cover's theorem counts the dichotomies of P points in general position in N "
            "dimensions that a plane through the origin realises:</p>"
            + _equation(r"C(P, N) = 2 \sum_{k=0}^{N-1} \binom{P-1}{k}",
                        "C(P,N) = 2 sum_{k<N} binom(P-1, k)")
            + "<p>so half of all 2<sup>P</sup> labelings are separable at P = 2N. What no line "
            "separates, a network with hidden sigmoid layers σ(z) = 1/(1 + e<sup>−z</sup>) "
            "trained by backpropagation can.</p>"
            + figs("capacity", "mlp_decision_regions", "mlp_training")
        ),
        "spin-glass": (
            "<p>Sherrington–Kirkpatrick couplings J<sub>ij</sub> = J<sub>ji</sub> ~ "
            "N(0, 1/N) freeze below T = 1 into a spin glass; the Edwards–Anderson order "
            "parameter q = (1/N) Σ<sub>i</sub> S<sub>i</sub><sup>a</sup>S<sub>i</sub><sup>b</sup>"
            " between two replicas measures it.</p>" + figs("spin_glass")
        ),
        "memory": (
            "<p>Hebbian couplings store P = αN random patterns:</p>"
            + _equation(r"J_{ij} = \frac{1}{N}\sum_{\mu=1}^{P} \xi_i^\mu \xi_j^\mu,"
                        r"\quad m_\mu = \frac{1}{N}\sum_i \xi_i^\mu S_i",
                        "J_ij = (1/N) sum_mu xi_i xi_j, m_mu = (1/N) sum_i xi_i S_i")
            + "<p>From a noisy cue the network retrieves the pattern (m ≈ 1) below the "
            "retrieval line T<sub>M</sub>(α) of the Amit–Gutfreund–Sompolinsky theory, which "
            "ends at α<sub>c</sub> ≈ 0.138.</p>"
            + figs("energy_descent", "phase_diagram", "overlap_vs_alpha",
                   "overlap_vs_temperature", "finite_size")
        ),
        "measured": (
            "<p>Computed from this run's own tables; deviation = measured − expected.</p>"
            + comparison_table(comparisons)
        ),
        "provenance": (
            f"<p>Master seed: <code>{html.escape(str(seed))}</code>; every job derives its "
            "random stream from the seed and its grid coordinates.</p>"
            + _dict_table(provenance)
            + "<h3>Time per stage</h3>"
            + (_frame_table(times) if len(times) else "<p>No benchmark records found.</p>")
            + "<h3>Configuration</h3><pre>"
            + html.escape(yaml.safe_dump(dict(config), sort_keys=False, allow_unicode=True))
            + "</pre>"
        ),
    }
    nav = "".join(f'<li><a href="#{k}">{html.escape(t)}</a></li>' for k, t in SECTIONS)
    body = "".join(f'<section id="{k}"><h2>{html.escape(t)}</h2>{parts[k]}</section>'
                   for k, t in SECTIONS)
    return (
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
        "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
        "img-src data:; style-src 'unsafe-inline'\">"
        "<title>statnn report</title>"
        f"<style>{CSS}</style></head><body>"
        "<h1>Statistical mechanics of neural networks — statnn report</h1>"
        f"<p>statnn {html.escape(__version__)}; regenerate with <code>snakemake --cores all"
        "</code>.</p>"
        f"<nav><ol>{nav}</ol></nav>{body}</body></html>\n"
    )
