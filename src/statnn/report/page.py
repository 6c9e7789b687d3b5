"""Rendering the page with jinja2 (autoescape), and the run's provenance.

The page is self-contained: figures and equations are PNG data URIs (equations pre-rendered
by matplotlib's mathtext), the Content-Security-Policy allows nothing else, there is no
script, and jinja2 escapes every value put into the template (text from the config, the
tables, the captions).
"""

from __future__ import annotations

import base64
import io
import math
import platform
import subprocess
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from importlib import metadata
from pathlib import Path
from types import SimpleNamespace

import jinja2
import pandas as pd
import yaml

from statnn import __version__
from statnn.report.compare import KINDS, SIGMA_LIMIT, Comparison, unexplained
from statnn.report.contents import FIGURES, SECTIONS
from statnn.report.prose import Prose
from statnn.theory import SEQUENCE_CRITICAL_LOAD

PACKAGES = ("numpy", "scipy", "pandas", "pyarrow", "numba", "matplotlib", "seaborn", "snakemake",
            "jinja2")

#: Equations of the page: key -> (mathtext, alt text).
EQUATIONS = {
    "field": (r"h_i = \sum_j J_{ij}\, n_j - \theta_i", "h_i = sum_j J_ij n_j - theta_i"),
    "update": (r"P(n_i = 1) = \frac{1}{1 + e^{-4\beta h_i}},\quad \beta = 1/T",
               "P(n_i = 1) = 1 / (1 + exp(-4 beta h_i))"),
    "energy": (r"E = -\frac{1}{2}\sum_{i \neq j} J_{ij} S_i S_j - \sum_i H_i S_i",
               "E = -1/2 sum J_ij S_i S_j - sum H_i S_i"),
    "cover": (r"C(P, N) = 2 \sum_{k=0}^{N-1} \binom{P-1}{k}",
              "C(P,N) = 2 sum_{k<N} binom(P-1, k)"),
    "sequence": (r"J_{ij} = \frac{1}{N}\sum_{\mu=1}^{P} \xi_i^{\mu+1} \xi_j^\mu"
                 r"\quad (\xi^{P+1} = \xi^1)",
                 "J_ij = (1/N) sum_mu xi_i^(mu+1) xi_j^mu, cyclic"),
    "slow": (r"h_i(t) = \sum_j J^{s}_{ij} S_j(t) + \lambda \sum_j J_{ij} \bar{S}_j(t),"
             r"\quad \bar{S}(t) = S(t - \tau)",
             "h_i = sum_j Js_ij S_j(t) + lambda sum_j J_ij Sbar_j(t), Sbar(t) = S(t - tau)"),
    "hebb": (r"J_{ij} = \frac{1}{N}\sum_{\mu=1}^{P} \xi_i^\mu \xi_j^\mu,"
             r"\quad m_\mu = \frac{1}{N}\sum_i \xi_i^\mu S_i",
             "J_ij = (1/N) sum_mu xi_i xi_j, m_mu = (1/N) sum_i xi_i S_i"),
}

PAGE = """\
{%- macro equation(key) -%}
<div class="eq"><img src="{{ equations[key].src }}" alt="{{ equations[key].alt }}"></div>
{%- endmacro -%}
{%- macro figures_of(section) -%}
{%- for f in figures if f.section == section %}
<figure id="fig-{{ f.key }}"><img src="{{ f.src }}" width="{{ f.width }}" alt="{{ f.title }}">\
<figcaption><b>{{ f.title }}.</b> {{ f.caption }}</figcaption></figure>
{%- endfor %}
{%- endmacro -%}
{%- macro table(header, rows) -%}
<table><tr>{% for h in header %}<th>{{ h }}</th>{% endfor %}</tr>
{%- for row in rows %}<tr>{% for v in row %}<td>{{ v }}</td>{% endfor %}</tr>{% endfor %}\
</table>
{%- endmacro -%}
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; \
style-src 'unsafe-inline'">
<title>statnn report</title>
<style>
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
tr.unexplained,tr.bound-violated{background:#fde2e2}.alarm{color:#a00}
</style></head><body>
<h1>Statistical mechanics of neural networks — statnn report</h1>
<p>statnn {{ version }}; regenerate with <code>snakemake --cores all</code>.</p>
<nav><ol>{% for key, title in sections.items() %}<li><a href="#{{ key }}">{{ title }}</a></li>\
{% endfor %}</ol></nav>

<section id="neuron"><h2>{{ sections["neuron"] }}</h2>
<p>A neuron i is active (n<sub>i</sub> = 1) or silent (n<sub>i</sub> = 0), or in spin language
S<sub>i</sub> = 2n<sub>i</sub> − 1. Its local field and stochastic update rule (seed Eqs. 1–2)
are</p>
{{ equation("field") }}{{ equation("update") }}
<p>With θ<sub>i</sub> = ½ Σ<sub>j</sub> J<sub>ij</sub> this is Glauber dynamics of the Ising
model. For symmetric couplings T = 0 dynamics never increases the energy (seed Eq. 3 with its
sign corrected)</p>
{{ equation("energy") }}{{ figures_of("neuron") }}
</section>

<section id="fruit"><h2>{{ sections["fruit"] }}</h2>
{%- if prose.fruit_sentences %}
<p>{% for s in prose.fruit_sentences %}{{ s }}{% if not loop.last %} {% endif %}{% endfor %}</p>
{%- endif %}
<p>The perceptron classifies by the sign of w<sub>1</sub>x<sub>1</sub> + w<sub>2</sub>x<sub>2</sub>
+ b and learns only from mistakes (w ← w + y x, b ← b + y); a linear program decides
separability exactly.</p>
{%- if fruit_means %}
{{ table(["dataset", "fruit", "samples", "mean weight (g)", "mean sweetness"], fruit_means) }}
{%- endif %}
{{ figures_of("fruit") }}
</section>

<section id="capacity"><h2>{{ sections["capacity"] }}</h2>
<p>Cover's theorem counts the dichotomies of P points in general position in N dimensions
that a plane through the origin realises:</p>
{{ equation("cover") }}
<p>so half of all 2<sup>P</sup> labelings are separable at P = 2N. Gardner (1988) asked how
safely: the largest stability κ<sub>max</sub> = max<sub>w</sub> min<sub>μ</sub>
y<sup>μ</sup> w·ξ<sup>μ</sup>/|w| of a separable dichotomy, computed exactly as a
hard-margin quadratic program and checked against the AdaTron learning rule, falls to zero
at α = 2; a margin κ is possible up to α<sub>c</sub>(κ) = 1/∫<sub>−κ</sub><sup>∞</sup>Dt
(t + κ)<sup>2</sup>, which is 0.961 at κ = ½ and 0.520 at κ = 1. A multilayer network
trained by backpropagation is not limited to a line.{% if prose.network %} {{ prose.network }}\
{% endif %}</p>
{{ figures_of("capacity") }}
</section>

<section id="spin-glass"><h2>{{ sections["spin-glass"] }}</h2>
<p>Sherrington–Kirkpatrick couplings J<sub>ij</sub> = J<sub>ji</sub> ~ N(0, 1/N) freeze below
T = 1 into a spin glass; the Edwards–Anderson order parameter q = (1/N) Σ<sub>i</sub>
S<sub>i</sub><sup>a</sup>S<sub>i</sub><sup>b</sup> between two replicas measures it. Parallel
tempering (replica exchange along a temperature ladder) samples the equilibrium of each size;
the exact identity [⟨E⟩]/N = −(β/2)(1 − [⟨q²⟩]) of Gaussian couplings checks it, and the
ground-state energies extrapolate as N<sup>−2/3</sup> to N → ∞.</p>
{{ figures_of("spin-glass") }}
</section>

<section id="memory"><h2>{{ sections["memory"] }}</h2>
<p>Hebbian couplings store P = αN random patterns:</p>
{{ equation("hebb") }}
<p>From a noisy cue the network retrieves the pattern (m ≈ 1) below the retrieval line
T<sub>M</sub>(α) of the Amit–Gutfreund–Sompolinsky theory\
{%- if prose.alpha_c is not none %}, which ends at T = 0 at
α<sub>c</sub> = {{ "%.4f"|format(prose.alpha_c) }}{% endif %}.
{%- if prose.memory %} {{ prose.memory }}{% endif %}</p>
{{ figures_of("memory") }}
</section>

<section id="sequences"><h2>{{ sections["sequences"] }}</h2>
<p>Feedback loops with asymmetric couplings make the network step through a cycle of
patterns ξ<sup>0</sup> → ξ<sup>1</sup> → … → ξ<sup>0</sup> instead of settling:</p>
{{ equation("sequence") }}
<p>With synchronous updates (every neuron from the previous step's field, Eq. 2) the state moves
one pattern per step, up to a load α<sub>c</sub> ≈ {{ sequence_alpha_c }} at T = 0 (During,
Coolen &amp; Sherrington 1998). With asynchronous updates, a symmetric Hebbian term
J<sup>s</sup> and the asymmetric term acting through a state delayed by τ sweeps
(Sompolinsky &amp; Kanter 1986)</p>
{{ equation("slow") }}
<p>the network dwells about τ sweeps in each pattern and then moves on, a rhythm like a
central pattern generator.</p>
{{ figures_of("sequences") }}
</section>

<section id="measured"><h2>{{ sections["measured"] }}</h2>
<p>Computed from this run's own tables; deviation = measured − expected. The kind says what
“expected” is: a theory value, an upper bound (the deviation must be ≤ 0) or a target of
training (not a prediction). A theory row more than {{ sigma_limit|int }} standard errors
away must name its measured cause; the verdict says whether it does.</p>
{%- if n_unexplained %}
<p class="alarm"><strong>{{ n_unexplained }} row{{ "s" if n_unexplained > 1 }} unexplained</strong>:
a deviation beyond {{ sigma_limit|int }} standard errors (or a violated bound) with no measured
cause. Do not trust {{ "these values" if n_unexplained > 1 else "this value" }}.</p>
{%- endif %}
<table class="cmp"><tr><th>quantity</th><th>kind</th><th>measured</th><th>± s.e.</th>\
<th>expected</th><th>deviation</th><th>deviation / s.e.</th><th>verdict</th><th>from</th>\
<th>note</th></tr>
{%- for r in comparisons %}
<tr class="{{ r.kind }} {{ r.verdict_class }}"><td>{{ r.quantity }}</td>\
<td>{{ r.kind_label }}</td><td>{{ r.measured }}</td><td>{{ r.uncertainty }}</td>\
<td>{{ r.expected }}</td><td>{{ r.deviation }}</td><td>{{ r.z }}</td>\
<td>{{ r.verdict }}</td><td><code>{{ r.source }}</code></td><td>{{ r.note }}\
{%- if r.cause %}<br><em>cause:</em> {{ r.cause }}{% endif %}</td></tr>
{%- endfor %}
</table>
</section>

<section id="provenance"><h2>{{ sections["provenance"] }}</h2>
<p>Master seed: <code>{{ seed }}</code>; every job derives its random stream from the seed
and its grid coordinates.</p>
<table>{% for k, v in provenance.items() %}<tr><th>{{ k }}</th><td>{{ v }}</td></tr>\
{% endfor %}</table>
<h3>Time per stage</h3>
{% if times %}{{ table(times_header, times) }}{% else %}<p>No benchmark records found.</p>\
{% endif %}
<h3>Configuration</h3><pre>{{ config_yaml }}</pre>
</section>
</body></html>
"""

_ENV = jinja2.Environment(autoescape=True, undefined=jinja2.StrictUndefined,
                          keep_trailing_newline=True)
_CAPTIONS = jinja2.Environment(undefined=jinja2.StrictUndefined)  # text, escaped by PAGE


@dataclass(frozen=True)
class Figure:
    """A figure of the report: its PNG file and its caption text."""

    key: str
    title: str
    png: Path
    caption: str


def caption_text(template: str, config: Mapping) -> str:
    """A caption file (workflow/report/<name>.rst) as plain text: rendered as Snakemake's
    report renders it, with ``snakemake.config`` (the page escapes the result)."""
    return _CAPTIONS.from_string(template).render(snakemake=SimpleNamespace(config=config))


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


@lru_cache(maxsize=1)
def _equations() -> dict[str, dict[str, str]]:
    return {k: {"src": _data_uri(equation_png(tex)), "alt": alt}
            for k, (tex, alt) in EQUATIONS.items()}


def _png_size(png: bytes) -> tuple[int, int]:
    """(width, height) in pixels from a PNG header."""
    if png[:8] != b"\x89PNG\r\n\x1a\n":
        raise ValueError("not a PNG file")
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


def _fmt(x: float | None, digits: int = 4) -> str:
    if x is None or (isinstance(x, float) and not math.isfinite(x)):
        return "—"
    return f"{x:.{digits}g}"


def _comparison_row(c: Comparison) -> dict[str, str]:
    """Display strings of a row; "expected" says ≤ for a bound and "target" for a target."""
    expected = {"theory": "{}", "bound": "≤ {}", "target": "{} (target)"}[c.kind]
    return {
        "kind": c.kind, "kind_label": KINDS[c.kind], "quantity": c.quantity,
        "measured": _fmt(c.measured), "uncertainty": _fmt(c.uncertainty, 2),
        "expected": expected.format(_fmt(c.expected)), "deviation": f"{c.deviation:+.3g}",
        "z": _fmt(c.z, 2), "source": c.source, "note": c.note, "cause": c.cause,
        "verdict": c.verdict, "verdict_class": c.verdict.replace(" ", "-"),
    }


def _cells(df: pd.DataFrame) -> list[list[str]]:
    return [[_fmt(v) if isinstance(v, float) else str(v) for v in row]
            for row in df.itertuples(index=False)]


def render_report(
    figures: Mapping[str, Figure],
    comparisons: Sequence[Comparison],
    config: Mapping,
    provenance: Mapping[str, object],
    times: pd.DataFrame,
    prose: Prose | None = None,
    dpi: float = 150.0,
) -> str:
    """The whole page as a string. ``figures`` keyed by figure name (those absent are left
    out; shown in ``FIGURES`` order), each at its physical size (``dpi`` of the PNG, 96 CSS
    px per inch). ``prose``: the experiment-specific text (``describe``)."""
    prose = prose or Prose()
    shown = []
    for key, entry in FIGURES.items():
        if key in figures:
            fig = figures[key]
            png = fig.png.read_bytes()
            shown.append({"key": key, "section": entry.section, "title": fig.title,
                          "caption": fig.caption, "src": _data_uri(png),
                          "width": round(_png_size(png)[0] * 96 / dpi)})
    means = [[r.dataset, r.fruit, str(r.samples), f"{r.mean_weight_g:.1f}",
              f"{r.mean_sweetness:.2f}"] for r in prose.fruit_means.itertuples(index=False)]
    return _ENV.from_string(PAGE).render(
        version=__version__, sections=SECTIONS, equations=_equations(), figures=shown,
        sequence_alpha_c=SEQUENCE_CRITICAL_LOAD,
        prose=prose, fruit_means=means,
        comparisons=[_comparison_row(c) for c in comparisons],
        n_unexplained=len(unexplained(comparisons)), sigma_limit=SIGMA_LIMIT,
        seed=config.get("seed", "?"), provenance={str(k): str(v) for k, v in provenance.items()},
        times_header=list(times.columns), times=_cells(times),
        config_yaml=yaml.safe_dump(dict(config), sort_keys=False, allow_unicode=True),
    )
