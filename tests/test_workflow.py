"""End-to-end: the pipeline on a tiny config, its data contracts, and bad configs."""

import math
import re
import struct

import numpy as np
import pandas as pd
import pytest

from statnn.io import read_table, table_provenance
from statnn.pipeline import imported_sources
from statnn.report import FIGURES

from .conftest import REPO, TINY_CONFIG, run_snakemake

pytestmark = pytest.mark.workflow

CONTRACTS = {
    "datasets/fruit.parquet": ["fruit", "weight_g", "sweetness"],
    "perceptron/separable/model.parquet": [
        "dataset", "positive", "separable_lp", "converged", "stop_reason", "epochs",
        "w_weight_g", "w_sweetness", "bias",
    ],
    "perceptron/separable/history.parquet": ["epoch", "mistakes"],
    "perceptron/overlapping/model.parquet": ["separable_lp", "converged", "stop_reason"],
    "perceptron/multiclass/model.parquet": ["positive", "w_weight_g", "w_sweetness", "bias"],
    "hopfield/grid.parquet": [
        "n_neurons", "n_patterns", "alpha", "temperature", "replica", "overlap",
        "overlap_time_mean", "energy_per_neuron", "flip_rate",
    ],
    "theory/retrieval.parquet": ["alpha", "temperature", "overlap"],
    "theory/phase_lines.parquet": ["alpha", "temperature", "line"],
    "theory/curves.parquet": ["curve", "alpha", "temperature", "overlap"],
    "theory/finite_size.parquet": ["curve", "alpha", "temperature", "overlap"],
    "hopfield/energy_descent.parquet": ["couplings", "run", "sweep", "energy_per_neuron"],
    "spin_glass/equilibrium.parquet": ["n_neurons", "temperature", "energy_per_spin",
                                       "energy_se", "q2", "q2_se", "identity",
                                       "identity_se", "energy_drift", "energy_drift_se",
                                       "q2_drift", "q2_drift_se"],
    "spin_glass/swaps.parquet": ["n_neurons", "temperature_low", "temperature_high",
                                 "acceptance"],
    "spin_glass/overlap_distribution.parquet": ["n_neurons", "temperature", "q", "density"],
    "spin_glass/binder.parquet": ["n_neurons", "temperature", "binder", "binder_se"],
    "spin_glass/ground_state.parquet": ["n_neurons", "energy_per_spin", "energy_se",
                                        "agreement"],
    "spin_glass/extrapolation.parquet": ["energy_infinity", "energy_infinity_se"],
    "capacity/capacity.parquet": [
        "n_inputs", "n_patterns", "alpha", "trial", "separable", "converged", "epochs",
        "cover_probability",
    ],
    "capacity/gardner.parquet": [
        "n_inputs", "n_patterns", "alpha", "trial", "kappa_max", "kappa_adatron",
        "adatron_sweeps", "adatron_converged",
    ],
    "perceptron/ripe_band/model.parquet": ["separable_lp", "converged"],
    "mlp/network.parquet": ["layer", "weights", "biases"],
    "mlp/history.parquet": ["epoch", "loss", "accuracy"],
    "finite_size/retrieval.parquet": [
        "n_neurons", "alpha", "replica", "overlap", "sweeps_run", "hit_cap",
    ],
    "finite_size/critical_load.parquet": ["n_neurons", "alpha_c", "alpha_c_se"],
    "finite_size/extrapolation.parquet": [
        "alpha_c_infinity", "alpha_c_infinity_se", "slope", "slope_se", "covariance",
        "exponent", "chi2", "dof",
    ],
    "report/comparisons.parquet": ["quantity", "kind", "measured", "uncertainty", "expected",
                                   "z", "verdict", "cause", "source", "note"],
    "sequences/trajectories.parquet": [
        "model", "n_neurons", "alpha", "temperature", "replica", "time", "pattern", "overlap",
    ],
    "sequences/dwell.parquet": ["temperature", "delay", "replica", "dwell_mean", "transitions",
                                "forward_fraction"],
    "sequences/capacity.parquet": ["n_neurons", "alpha", "temperature", "replica", "recalled"],
    "sequences/critical_load.parquet": ["n_neurons", "temperature", "alpha_c", "alpha_c_se"],
}
@pytest.mark.parametrize("name", list(CONTRACTS))
def test_parquet_contracts(tiny_run, name):
    df = read_table(tiny_run / name, columns=CONTRACTS[name])
    assert len(df) > 0
    prov = table_provenance(tiny_run / name)
    assert prov["seed"] == TINY_CONFIG["seed"] and prov["statnn_version"]


def test_fruit_table_follows_the_config(tiny_run):
    df = read_table(tiny_run / "datasets/fruit.parquet")
    sizes = df.groupby(["dataset", "fruit"]).size()
    assert sizes[("separable", "apple")] == 25
    assert sizes[("multiclass", "lemon")] == 50  # from the default config, not overridden


def test_perceptron_outcomes(tiny_run):
    sep = read_table(tiny_run / "perceptron/separable/model.parquet").iloc[0]
    assert sep["separable_lp"] and sep["converged"] and sep["stop_reason"] == "converged"
    ovl = read_table(tiny_run / "perceptron/overlapping/model.parquet").iloc[0]
    assert not ovl["separable_lp"] and not ovl["converged"]
    assert ovl["stop_reason"] == "max_epochs" and ovl["epochs"] == 50


def _png_size(path):
    head = path.read_bytes()[:24]
    assert head[:8] == b"\x89PNG\r\n\x1a\n", f"{path} is not a PNG"
    return struct.unpack(">II", head[16:24])


@pytest.mark.parametrize("name", list(FIGURES))
def test_figures_are_non_empty_images(tiny_run, name):
    width, height = _png_size(tiny_run / "figures" / f"{name}.png")
    assert width > 200 and height > 200
    svg = (tiny_run / "figures" / f"{name}.svg").read_text()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and len(svg) > 5000


def test_grid_covers_the_configured_grid(tiny_run):
    h = TINY_CONFIG["hopfield"]
    grid = read_table(tiny_run / "hopfield/grid.parquet")
    assert len(grid) == len(h["alpha"]) * len(h["temperature"]) * h["replicas"]
    assert sorted(grid["alpha"].unique()) == h["alpha"]
    assert list(grid["n_patterns"].unique()) == [6, 36]
    theory = read_table(tiny_run / "theory/retrieval.parquet")
    assert len(theory) == len(h["alpha"]) * len(h["temperature"])
    assert theory.set_index(["alpha", "temperature"]).loc[(0.3, 0.0), "overlap"] == 0.0
    assert theory.set_index(["alpha", "temperature"]).loc[(0.05, 0.0), "overlap"] > 0.99


def _ags_overlap_at_zero_temperature(alpha):
    """AGS m at T = 0 by iterating m = erf(m/√(2αr)), r = 1/(1 − C)², C = √(2/(παr))
    exp(−m²/(2αr)) from m = 1 (Amit, Gutfreund & Sompolinsky 1987); independent of
    statnn.theory. 0 where the iteration loses the retrieval state."""
    m, r = 1.0, 1.0
    for _ in range(20_000):
        s2 = alpha * r
        c = math.sqrt(2 / (math.pi * s2)) * math.exp(-m * m / (2 * s2))
        m, r = math.erf(m / math.sqrt(2 * s2)), (1 / (1 - c) ** 2 if c < 1 else 1e9)
        if m < 1e-6:
            return 0.0
    return m


def test_finite_size_tables_follow_the_runs(tiny_run):
    """Every run stopped at a fixed point or at the cap; α_c(N) lies in the bracket where
    the retrieved fraction crosses ½; α_c(∞) is numpy's weighted straight line through
    (N^(−ω), α_c(N)) at 0."""
    f = TINY_CONFIG["finite_size"]
    runs = read_table(tiny_run / "finite_size/retrieval.parquet")
    assert set(runs["n_neurons"]) == set(f["n_neurons"])
    assert len(runs) == len(f["n_neurons"]) * len(f["alpha"]) * f["replicas"]
    assert runs["sweeps_run"].between(1, f["max_sweeps"]).all()
    assert (runs.loc[runs["hit_cap"], "sweeps_run"] == f["max_sweeps"]).all()
    crit = read_table(tiny_run / "finite_size/critical_load.parquet")
    assert list(crit["n_neurons"]) == sorted(f["n_neurons"])
    m_r = table_provenance(tiny_run / "finite_size/critical_load.parquet")["config"][
        "retrieval_overlap"]
    for row in crit.itertuples():
        p = (runs[runs["n_neurons"] == row.n_neurons].assign(ok=lambda d: d.overlap >= m_r)
             .groupby("alpha")["ok"].mean())
        above = p[p >= 0.5].index.max()
        below = p[(p < 0.5) & (p.index > above)].index.min()
        assert above <= row.alpha_c <= below and row.alpha_c_se > 0, row
    fit = read_table(tiny_run / "finite_size/extrapolation.parquet").iloc[0]
    x = crit["n_neurons"].to_numpy(float) ** -fit["exponent"]
    slope, intercept = np.polyfit(x, crit["alpha_c"], 1, w=1 / crit["alpha_c_se"])
    assert fit["alpha_c_infinity"] == pytest.approx(intercept, rel=1e-9)
    assert fit["slope"] == pytest.approx(slope, rel=1e-9)


def test_theory_tables_hold_the_curves_the_figures_draw(tiny_run):
    """theory/curves.parquet and theory/finite_size.parquet against literature values and
    an independent solution of the saddle-point equations."""
    h, f = TINY_CONFIG["hopfield"], TINY_CONFIG["finite_size"]
    curves = read_table(tiny_run / "theory/curves.parquet")
    assert set(curves["curve"]) == {"ags_vs_alpha", "ags_vs_temperature", "curie_weiss",
                                    "critical_load"}
    critical = curves[curves["curve"] == "critical_load"].iloc[0]
    # AGS 1987: alpha_c = 0.138 at T = 0, where the overlap jumps from 0.967 to 0
    assert critical["temperature"] == min(h["temperature"]) == 0.0
    assert critical["alpha"] == pytest.approx(0.1379, abs=2e-4)
    assert critical["overlap"] == pytest.approx(0.967, abs=1e-3)
    load = curves[curves["curve"] == "ags_vs_alpha"]
    assert load["alpha"].max() == pytest.approx(1.05 * max(h["alpha"]))
    assert (load["temperature"] == 0.0).all() and len(load) >= 300
    assert set(h["alpha"]) <= set(load["alpha"])  # the simulated loads themselves
    for a in (0.05, 0.1, 0.13, 0.2):
        near = load.iloc[(load["alpha"] - a).abs().argmin()]
        assert near["overlap"] == pytest.approx(
            _ags_overlap_at_zero_temperature(near["alpha"]), abs=1e-6)
    cw = curves[curves["curve"] == "curie_weiss"]
    assert set(h["temperature"]) <= set(cw["temperature"]) and (cw["alpha"] == 0).all()
    for t, m in cw[["temperature", "overlap"]].itertuples(index=False):
        if t == 0:
            assert m == 1.0
        elif t < 0.98:  # the non-zero root of m = tanh(m/T)
            assert m > 0 and math.tanh(m / t) == pytest.approx(m, abs=1e-9), (t, m)
        elif t > 1.0:
            assert m == 0.0
    along_t = curves[curves["curve"] == "ags_vs_temperature"]
    assert (along_t["alpha"] == min(h["alpha"])).all()
    finite = read_table(tiny_run / "theory/finite_size.parquet")
    fs_load = finite[finite["curve"] == "ags_vs_alpha"]
    assert fs_load["alpha"].max() == pytest.approx(1.05 * max(f["alpha"]))
    assert finite[finite["curve"] == "critical_load"]["alpha"].iloc[0] == critical["alpha"]


def test_figures_and_report_read_the_theory_tables(tiny_run):
    """The DAG shows what the figures compare with: the theory rules feed them."""
    proc = run_snakemake(tiny_run.parent, "--rulegraph", config=TINY_CONFIG)
    assert proc.returncode == 0, proc.stderr[-3000:]
    names = dict(re.findall(r"^\s*(\d+)\[label = \"(\w+)\"", proc.stdout, re.M))
    edges = {(names[a], names[b]) for a, b in re.findall(r"^\s*(\d+) -> (\d+)", proc.stdout,
                                                         re.M)}
    for consumer in ("figure_phase_diagram", "figure_overlap_curves", "report_html"):
        assert ("theory_retrieval", consumer) in edges, consumer
    assert ("theory_finite_size", "figure_finite_size") in edges
    for consumer in ("figure_finite_size_scaling", "report_html"):
        assert ("finite_size_scaling", consumer) in edges, consumer
    scripts = REPO / "workflow" / "scripts"
    for script in ("figure_phase_diagram", "figure_overlap_curves", "figure_finite_size",
                   "report"):
        used = {p.name for p in imported_sources(scripts / f"{script}.py", REPO / "src")}
        recompute = "theory.py" in used and script != "report"  # report: SK and Parisi only
        assert not recompute, f"{script} recomputes theory instead of reading its tables"


def test_engine_sources_follow_imports_through_packages(tmp_path):
    """A script's engine sources: absolute, relative and function-level imports, packages
    and the submodules their __init__ imports; nothing else."""
    files = {
        "pkg/__init__.py": "",
        "pkg/a.py": "from pkg.b import f\nimport os\n",
        "pkg/b.py": "import math\n",
        "pkg/c.py": "",
        "pkg/lazy.py": "def f():\n    from pkg import c\n",
        "pkg/unused.py": "import pkg.a\n",
        "pkg/sub/__init__.py": "from .x import g\nfrom . import y\n",
        "pkg/sub/x.py": "from ..a import h\n",
        "pkg/sub/y.py": "",
        "pkg/sub/z.py": "import pkg.unused\n",
        "pkg/deep/__init__.py": "",
        "pkg/deep/leaf.py": "",
        "script.py": "from pkg.sub import g\nimport pkg.lazy\nimport pkg.deep.leaf as L\n",
    }
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    got = {p.relative_to(tmp_path).as_posix()
           for p in imported_sources(tmp_path / "script.py", tmp_path)}
    assert got == {"pkg/__init__.py", "pkg/sub/__init__.py", "pkg/sub/x.py", "pkg/sub/y.py",
                   "pkg/a.py", "pkg/b.py", "pkg/lazy.py", "pkg/c.py", "pkg/deep/__init__.py",
                   "pkg/deep/leaf.py"}


def test_capacity_and_mlp_outcomes(tiny_run):
    cap = read_table(tiny_run / "capacity/capacity.parquet")
    assert len(cap) == 3 * 20
    assert not (cap["converged"] & ~cap["separable"]).any()  # converged => separable
    frac = cap.groupby("alpha")["separable"].mean()
    assert frac[1.0] > frac[3.0]
    band = read_table(tiny_run / "perceptron/ripe_band/model.parquet").iloc[0]
    assert not band["separable_lp"] and not band["converged"]
    hist = read_table(tiny_run / "mlp/history.parquet")
    assert len(hist) == 60 and hist["loss"].iloc[-1] < hist["loss"].iloc[0]


def test_up_to_date_after_a_run(tiny_run):
    proc = run_snakemake(tiny_run.parent, "-n", config=TINY_CONFIG)
    assert proc.returncode == 0
    out = proc.stdout + proc.stderr
    assert "Nothing to be done" in out, out[-3000:]


@pytest.mark.parametrize(
    ("config", "key"),
    [
        ({"no_such_key": 1}, "no_such_key"),
        ({"perceptron": {"max_epochs": "many"}}, "perceptron.max_epochs"),
        ({"fruit": {"datasets": {"separable": {"apple": {"n_samples": -3}}}}},
         "fruit.datasets.separable.apple.n_samples"),
    ],
)
def test_bad_config_stops_naming_the_key_and_touches_nothing(tmp_path, config, key):
    existing = tmp_path / "results" / "datasets" / "fruit.parquet"
    existing.parent.mkdir(parents=True)
    existing.write_bytes(b"previous results")
    before = existing.stat().st_mtime_ns
    proc = run_snakemake(tmp_path, "--cores", "1", config=config)
    assert proc.returncode != 0
    out = proc.stdout + proc.stderr
    assert f"'{key}'" in out, out[-2000:]
    assert existing.read_bytes() == b"previous results"
    assert existing.stat().st_mtime_ns == before
    left = sorted(p.name for p in (tmp_path / "results").rglob("*"))
    assert left == ["datasets", "fruit.parquet"]


def test_another_results_directory_leaves_the_default_alone(tiny_run, tmp_path):
    proc = run_snakemake(
        tmp_path, "--cores", "1", "--until", "fruit_dataset",
        config=TINY_CONFIG | {"results": "results-other"},
    )
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert (tmp_path / "results-other" / "datasets" / "fruit.parquet").exists()
    assert not (tmp_path / "results").exists()
    pd.testing.assert_frame_equal(
        read_table(tmp_path / "results-other" / "datasets" / "fruit.parquet"),
        read_table(tiny_run / "datasets" / "fruit.parquet"),
    )
