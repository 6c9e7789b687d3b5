"""Sweeps that grow (issue 13): extending a grid computes only the new points, speed-only keys
rerun nothing, the tables equal a run from scratch, and a refused input stops the run before
any output is deleted. On a copy of the tiny run (tests/conftest.py)."""

from __future__ import annotations

import copy
import hashlib
import re
import shutil
from pathlib import Path

import pandas as pd
import pytest

from statnn.io import read_table, table_provenance, write_table
from statnn.sources import code_digest
from statnn.sweeps import cached_points, refused_inputs

from .conftest import TINY_CONFIG, run_snakemake

#: Rules that simulate or draw random data: what an extension may schedule only for new points.
SIMULATIONS = {"hopfield_shard", "finite_size_shard", "capacity", "spin_glass",
               "energy_descent", "mlp", "perceptron", "fruit_dataset"}
#: The Hopfield grid and its theory: what the grown runs ask for (figures and the report
#: would only add time; tests/test_workflow.py runs them).
TARGETS = ("results/hopfield/grid.parquet", "results/theory/retrieval.parquet")


def jobs_of(text: str) -> dict[str, int]:
    """Jobs per rule in the 'Job stats' table of a dry run (empty when nothing is to do)."""
    if "Nothing to be done" in text:
        return {}
    block = text.split("Job stats:", 1)[1].split("total", 1)[0]
    return {m[1]: int(m[2]) for m in re.finditer(r"^(\w+)\s+(\d+)\s*$", block, re.M)}


def scheduled_outputs(text: str) -> set[str]:
    """Outputs named by the dry run's 'Missing output files' / 'output:' lines."""
    return set(re.findall(r"results/[\w./-]+\.parquet", text))


def tables(results: Path) -> dict[str, str]:
    """sha256 of every table under ``results`` (the cache excluded)."""
    return {p.relative_to(results).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(results.rglob("*.parquet")) if "cache" not in p.parts}


def every_file(results: Path) -> dict[str, str]:
    return {p.relative_to(results).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(results.rglob("*")) if p.is_file()}


def extended(**changes) -> dict:
    """The tiny config with ``section={key: value}`` changes."""
    config = copy.deepcopy(TINY_CONFIG)
    for section, keys in changes.items():
        config[section] = {**config[section], **keys}
    return config


def output(proc) -> str:
    return proc.stdout + proc.stderr


@pytest.fixture(scope="module")
def grown(tiny_run, tmp_path_factory):
    """A copy of the finished tiny run, grown by one load and one temperature of the Hopfield
    grid; returns (workdir, the dry run's text, the config)."""
    work = tmp_path_factory.mktemp("grown") / "work"
    shutil.copytree(tiny_run.parent, work, symlinks=True)
    assert jobs_of(output(run_snakemake(work, "-n", *TARGETS, config=TINY_CONFIG))) == {}
    h = TINY_CONFIG["hopfield"]
    config = extended(hopfield={"alpha": [*h["alpha"], 0.2],
                                "temperature": [*h["temperature"], 1.0]})
    dry = run_snakemake(work, "-n", *TARGETS, config=config)
    assert dry.returncode == 0, output(dry)[-3000:]
    proc = run_snakemake(work, "--cores", "2", *TARGETS, config=config)
    assert proc.returncode == 0, output(proc)[-4000:]
    return work, output(dry), config


@pytest.mark.workflow
def test_a_new_load_and_temperature_compute_only_the_new_points(grown):
    work, dry, config = grown
    jobs = jobs_of(dry)
    # one shard per load: the two old ones rerun (their temperatures grew), one is new;
    # no other simulation is scheduled
    assert {r: n for r, n in jobs.items() if r in SIMULATIONS} == {"hopfield_shard": 3}, jobs
    assert "results/hopfield/shards/alpha-0.2.parquet" in scheduled_outputs(dry)
    logs = work / "results/logs/hopfield"
    replicas = config["hopfield"]["replicas"]
    # old loads: 3 temperatures x 2 replicas reused, the new temperature computed
    for name in ("alpha-0.05", "alpha-0.3"):
        text = (logs / f"{name}.log").read_text()
        assert f"computed {replicas} points, reused {3 * replicas}" in text, text
    text = (logs / "alpha-0.2.log").read_text()
    assert f"computed {4 * replicas} points, reused 0" in text, text
    grid = read_table(work / "results/hopfield/grid.parquet")
    assert len(grid) == 3 * 4 * replicas
    assert sorted(grid["alpha"].unique()) == [0.05, 0.2, 0.3]


@pytest.mark.workflow
def test_grown_tables_equal_a_run_of_the_final_config_from_scratch(grown, tiny_run, tmp_path):
    work, _, config = grown
    mine = tables(work / "results")
    scratch = tmp_path / "scratch"
    proc = run_snakemake(scratch, "--cores", "2", *TARGETS, config=config)
    assert proc.returncode == 0, output(proc)[-4000:]
    ref = tables(scratch / "results")
    assert ref and [k for k in ref if ref[k] != mine.get(k)] == []
    # the other tables (no Hopfield key in their slices) are the tiny run's, byte for byte
    tiny = tables(tiny_run)
    assert {k: v for k, v in mine.items() if k not in ref} == \
        {k: v for k, v in tiny.items() if k not in ref}


@pytest.mark.workflow
def test_changing_the_kernel_schedules_nothing(grown):
    work, _, config = grown
    speed = copy.deepcopy(config)
    speed["hopfield"]["kernel"] = "overlaps"
    speed["finite_size"] = {**speed["finite_size"], "kernel": "cached_fields"}
    targets = (*TARGETS, "results/finite_size/retrieval.parquet")
    proc = run_snakemake(work, "-n", *targets, config=speed)
    assert proc.returncode == 0 and jobs_of(output(proc)) == {}, output(proc)[-3000:]


@pytest.mark.workflow
def test_removing_values_computes_nothing(grown, tmp_path):
    src, _, config = grown
    work = tmp_path / "work"
    shutil.copytree(src, work, symlinks=True)
    fewer = extended(hopfield={"alpha": config["hopfield"]["alpha"][1:],
                               "temperature": config["hopfield"]["temperature"][1:]})
    proc = run_snakemake(work, "--cores", "2", *TARGETS, config=fewer)
    assert proc.returncode == 0, output(proc)[-4000:]
    replicas = config["hopfield"]["replicas"]
    for name in ("alpha-0.3", "alpha-0.2"):  # rerun for their shorter lists, from the cache
        text = (work / f"results/logs/hopfield/{name}.log").read_text()
        assert f"computed 0 points, reused {3 * replicas}" in text, text
    grid = read_table(work / "results/hopfield/grid.parquet")
    assert sorted(grid["alpha"].unique()) == [0.2, 0.3] and len(grid) == 2 * 3 * replicas


@pytest.mark.workflow
def test_a_corrupt_or_foreign_shard_stops_the_run_before_anything_is_lost(grown, tmp_path):
    src, _, config = grown
    work = tmp_path / "work"
    shutil.copytree(src, work, symlinks=True)
    results = work / "results"
    shard = results / "hopfield/shards/alpha-0.3.parquet"
    shard.write_bytes(shard.read_bytes()[: shard.stat().st_size // 2])  # truncated, newer
    before = every_file(results)
    proc = run_snakemake(work, "--cores", "2", *TARGETS, config=config)
    out = output(proc)
    assert proc.returncode != 0
    assert "results/hopfield/shards/alpha-0.3.parquet: not a readable Parquet file" in out, \
        out[-3000:]
    assert every_file(results) == before  # grid, figures, report: nothing deleted or rewritten

    # a shard of another experiment (its provenance names another number of sweeps)
    other = results / "hopfield/shards/alpha-0.05.parquet"
    prov = table_provenance(src / "results/hopfield/shards/alpha-0.05.parquet")
    write_table(read_table(src / "results/hopfield/shards/alpha-0.05.parquet"), other,
                config=prov["config"] | {"sweeps": 99}, seed=prov["seed"])
    before = every_file(results)
    out = output(run_snakemake(work, "--cores", "2", *TARGETS, config=config))
    assert "alpha-0.05.parquet: made from a different config (sweeps: stored 99, " \
           "expected 8)" in out, out[-3000:]
    assert "alpha-0.3.parquet" in out  # every refused input is named, not only the first
    assert every_file(results) == before


# --------------------------------------------------------------------------- the cache alone


def _square(missing):
    return pd.DataFrame({"x": [float(x) for x, _ in missing], "k": [k for _, k in missing],
                         "y": [x * x + k for x, k in missing]})


def test_cache_computes_only_missing_points_and_returns_the_same_bytes(tmp_path):
    key = {"seed": 3, "what": "square"}
    calls = []

    def compute(missing):
        calls.append(list(missing))
        return _square(missing)

    first, n_new, n_old = cached_points(tmp_path, key, ("x", "k"),
                                        [(1.0, 0), (2.0, 0)], compute)
    assert (n_new, n_old) == (2, 0) and first["y"].tolist() == [1.0, 4.0]
    grown, n_new, n_old = cached_points(tmp_path, key, ("x", "k"),
                                        [(1.0, 0), (3.0, 0), (2.0, 0), (2.0, 1)], compute)
    assert (n_new, n_old) == (2, 2) and calls[-1] == [(3.0, 0), (2.0, 1)]
    assert grown["y"].tolist() == [1.0, 9.0, 4.0, 5.0]  # x^2 + k, in the order asked
    scratch, n_new, _ = cached_points(tmp_path / "fresh", key, ("x", "k"),
                                      [(1.0, 0), (3.0, 0), (2.0, 0), (2.0, 1)], _square)
    assert n_new == 4
    write_table(grown, tmp_path / "a.parquet", config={}, seed=0)
    write_table(scratch, tmp_path / "b.parquet", config={}, seed=0)
    assert (tmp_path / "a.parquet").read_bytes() == (tmp_path / "b.parquet").read_bytes()
    # another key (e.g. other engine code) shares nothing
    _, n_new, _ = cached_points(tmp_path, key | {"code": "x"}, ("x", "k"), [(1.0, 0)], compute)
    assert n_new == 1


def test_a_corrupt_cache_is_recomputed(tmp_path):
    key = {"seed": 1}
    cached_points(tmp_path, key, ("x", "k"), [(1.0, 0)], _square)
    (cache,) = tmp_path.glob("*.parquet")
    cache.write_bytes(cache.read_bytes()[:20])
    rows, n_new, n_old = cached_points(tmp_path, key, ("x", "k"), [(1.0, 0)], _square)
    assert (n_new, n_old) == (1, 0) and rows["y"].tolist() == [1.0]


def test_code_digest_follows_contents(tmp_path):
    a, b = tmp_path / "a.py", tmp_path / "b.py"
    a.write_text("x = 1\n")
    b.write_text("y = 2\n")
    before = code_digest([a, b])
    assert code_digest([b, a]) == before
    a.write_text("x = 2\n")
    assert code_digest([a, b]) != before


def test_refused_inputs_names_each_bad_table(tmp_path):
    config = {**TINY_CONFIG, "results": str(tmp_path)}
    grid = tmp_path / "hopfield/grid.parquet"
    write_table(pd.DataFrame({"a": [1]}), grid, config={"sweeps": 1}, seed=config["seed"])
    fruit = tmp_path / "datasets/fruit.parquet"
    write_table(pd.DataFrame({"a": [1]}), fruit, config=config["fruit"], seed=config["seed"])
    problems = refused_inputs([grid, fruit, tmp_path / "missing.parquet"], config)
    assert len(problems) == 1 and str(grid) in problems[0], problems


@pytest.mark.workflow
def test_finite_size_capacity_and_spin_glass_grow_by_their_new_points(tiny_run, tmp_path):
    """One more size and replica (finite size), load and trial count (capacity), size and
    sample (spin glass): each job computes only the new points and the tables equal a run
    of the final config from scratch."""
    work = tmp_path / "work"
    shutil.copytree(tiny_run.parent, work, symlinks=True)
    f, c, sk = TINY_CONFIG["finite_size"], TINY_CONFIG["capacity"], TINY_CONFIG["spin_glass"]
    config = extended(finite_size={"n_neurons": [*f["n_neurons"], 180], "replicas": 5},
                      capacity={"alpha": [*c["alpha"], 1.5], "trials": 25},
                      spin_glass={"n_neurons": [*sk["n_neurons"], 20], "samples": 3})
    targets = ("results/finite_size/retrieval.parquet", "results/capacity/capacity.parquet",
               "results/spin_glass/equilibrium.parquet")
    proc = run_snakemake(work, "--cores", "2", *targets, config=config)
    assert proc.returncode == 0, output(proc)[-4000:]
    logs = work / "results/logs"
    loads = len(f["alpha"])
    expected = {  # (computed, reused)
        "finite_size/N-60.log": (loads, 4 * loads), "finite_size/N-180.log": (5 * loads, 0),
        "capacity.log": (25 + 3 * 5, 3 * 20), "spin_glass.log": (3 + 2, 2 * 2),
    }
    for name, (new, old) in expected.items():
        text = (logs / name).read_text()
        assert f"computed {new} points, reused {old}" in text, (name, text)
    scratch = tmp_path / "scratch"
    proc = run_snakemake(scratch, "--cores", "2", *targets, config=config)
    assert proc.returncode == 0, output(proc)[-4000:]
    ref, mine = tables(scratch / "results"), tables(work / "results")
    assert len(ref) == 6 + 1 + 4 + 1  # spin glass, capacity, finite-size shards and table
    assert [k for k in ref if ref[k] != mine[k]] == []
