"""End-to-end: the pipeline on a tiny config, its data contracts, and bad configs."""

import struct

import pandas as pd
import pytest

from statnn.io import read_table, table_provenance

from .conftest import TINY_CONFIG, run_snakemake

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
    "datasets/patterns.parquet": ["replica", "pattern", "bits"],
    "hopfield/grid.parquet": [
        "n_neurons", "n_patterns", "alpha", "temperature", "replica", "overlap",
        "overlap_time_mean", "energy_per_neuron", "flip_rate",
    ],
    "theory/retrieval.parquet": ["alpha", "temperature", "overlap"],
    "theory/phase_lines.parquet": ["alpha", "temperature", "line"],
    "hopfield/energy_descent.parquet": ["couplings", "run", "sweep", "energy_per_neuron"],
    "spin_glass/sk.parquet": ["temperature", "energy_per_spin", "ea_overlap"],
    "capacity/capacity.parquet": [
        "n_inputs", "n_patterns", "alpha", "trial", "separable", "converged", "epochs",
        "cover_probability",
    ],
    "perceptron/ripe_band/model.parquet": ["separable_lp", "converged"],
    "mlp/network.parquet": ["layer", "weights", "biases"],
    "mlp/history.parquet": ["epoch", "loss", "accuracy"],
    "finite_size/retrieval.parquet": ["n_neurons", "alpha", "replica", "overlap"],
}
FIGURES = [
    "fruit_boundary", "perceptron_learning_curve", "fruit_decision_regions", "phase_diagram",
    "overlap_vs_alpha", "overlap_vs_temperature", "energy_descent", "spin_glass",
    "neuron_model", "capacity", "mlp_decision_regions", "mlp_training", "finite_size",
]


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


@pytest.mark.parametrize("name", FIGURES)
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


def test_same_tables_whatever_the_core_count(tiny_run, tmp_path):
    proc = run_snakemake(tmp_path, "--cores", "1", config=TINY_CONFIG)
    assert proc.returncode == 0, proc.stderr[-3000:]
    for name in CONTRACTS:
        assert (tmp_path / "results" / name).read_bytes() == (tiny_run / name).read_bytes(), name


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
