"""Reliability: extreme but valid inputs, corrupt inputs, bad configs, kills, determinism.

A pipeline physicists trust never produces a silently wrong figure and never loses finished
work. The end-to-end tests run a *copy* of the repository (Snakefile, workflow/, config/,
src/) with ``PYTHONPATH`` pointing at the copy's ``src``, so they can edit engine modules
without touching the real sources, and so concurrent edits of the real tree cannot change
code between two runs that are compared.
"""

from __future__ import annotations

import ast
import hashlib
import math
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml

from statnn.io import (
    TableError,
    read_table,
    table_provenance,
    temp_files,
    value_name,
    write_table,
)

from .conftest import TINY_CONFIG, merge_config

REPO = Path(__file__).resolve().parents[1]
TREE_PARTS = ("Snakefile", "workflow", "config", "src")


# ==========================================================================================
# helpers: a private copy of the repository and a Snakemake runner for it
# ==========================================================================================


def copy_tree(dest: Path) -> Path:
    """Copy the workflow and the engine sources to ``dest`` (no caches, no results)."""
    dest.mkdir(parents=True, exist_ok=True)
    ignore = shutil.ignore_patterns("__pycache__", "*.egg-info", "*.pyc")
    for part in TREE_PARTS:
        src = REPO / part
        if src.is_dir():
            shutil.copytree(src, dest / part, ignore=ignore)
        else:
            shutil.copy2(src, dest / part)
    return dest


def snakemake_cmd(tree: Path, workdir: Path, *args: str, configfiles=()) -> list[str]:
    cmd = [sys.executable, "-m", "snakemake", "-s", str(tree / "Snakefile"), "-d", str(workdir),
           *args]
    if configfiles:  # last: --configfile takes every following word
        cmd += ["--configfile", *map(str, configfiles)]
    return cmd


def snakemake_env(tree: Path, workdir: Path, numba_cache: Path | None = None) -> dict:
    path = os.pathsep.join(p for p in (str(tree / "src"), os.environ.get("PYTHONPATH")) if p)
    cache = numba_cache or workdir / ".numba-cache"
    return dict(os.environ, PYTHONPATH=path, NUMBA_CACHE_DIR=str(cache))


def run(tree, workdir, *args, configfiles=(), numba_cache=None, timeout=600):
    workdir.mkdir(parents=True, exist_ok=True)
    return subprocess.run(
        snakemake_cmd(tree, workdir, *args, configfiles=configfiles), cwd=workdir,
        env=snakemake_env(tree, workdir, numba_cache), capture_output=True, text=True,
        timeout=timeout,
    )


def output(proc) -> str:
    return proc.stdout + proc.stderr


def snapshot(root: Path) -> dict[str, tuple[str, int]]:
    """Every file under ``root``: (sha256 of its bytes, mtime in ns)."""
    return {
        p.relative_to(root).as_posix(): (hashlib.sha256(p.read_bytes()).hexdigest(),
                                         p.stat().st_mtime_ns)
        for p in sorted(root.rglob("*")) if p.is_file()
    }


def scheduled_rules(text: str) -> set[str]:
    """Rules in the 'Job stats' table of a dry run (empty when nothing is to be done)."""
    if "Nothing to be done" in text:
        return set()
    block = text.split("Job stats:", 1)[1].split("total", 1)[0]
    return {m[1] for m in re.finditer(r"^(\w+)\s+\d+\s*$", block, re.M)} - {"job"}


def rule_graph(tree, workdir, configfiles) -> dict[str, set[str]]:
    """rule -> the rules that consume its outputs (from ``snakemake --rulegraph``)."""
    proc = run(tree, workdir, "--rulegraph", configfiles=configfiles)
    assert proc.returncode == 0, output(proc)[-3000:]
    names = dict(re.findall(r"^\s*(\d+)\[label = \"(\w+)\"", proc.stdout, re.M))
    graph: dict[str, set[str]] = {name: set() for name in names.values()}
    for a, b in re.findall(r"^\s*(\d+) -> (\d+)", proc.stdout, re.M):
        graph[names[a]].add(names[b])
    return graph


def descendants(graph, roots) -> set[str]:
    seen, todo = set(), list(roots)
    while todo:
        for child in graph.get(todo.pop(), ()):
            if child not in seen:
                seen.add(child)
                todo.append(child)
    return seen


def recorded_jobs(tree, workdir, configfiles) -> dict[str, dict]:
    """rule -> {"outputs", "inputs", "logs"} as recorded by a finished run."""
    proc = run(tree, workdir, "--detailed-summary", configfiles=configfiles)
    assert proc.returncode == 0, output(proc)[-3000:]
    rules: dict[str, dict] = {}
    lines = [ln for ln in proc.stdout.splitlines() if "\t" in ln]
    header = lines[0].split("\t")
    for line in lines[1:]:
        row = dict(zip(header, line.split("\t"), strict=False))
        entry = rules.setdefault(row["rule"], {"outputs": set(), "inputs": set(), "logs": set()})
        entry["outputs"].add(row["output_file"])
        entry["inputs"].update(x for x in row["input-file(s)"].split(",") if x and x != "-")
        entry["logs"].add(row["log-file(s)"])
    return rules


def rule_scripts(tree: Path) -> dict[str, str]:
    """rule -> its script's file name, from the rule files."""
    out = {}
    for smk in sorted((tree / "workflow" / "rules").glob("*.smk")):
        for name, body in re.findall(r"^rule (\w+):\n(.*?)(?=^rule |\Z)", smk.read_text(),
                                     re.M | re.S):
            script = re.search(r"^\s+script:\s*\n\s+\"([^\"]+)\"", body, re.M)
            if script:
                out[name] = Path(script[1]).name
    return out


def _resolve(package: Path, parts: list[str]) -> list[Path]:
    """Files run by importing statnn.<parts>: each parent package's __init__, then the module
    (a.py or the package a/__init__.py); stops at the first part that is not a module."""
    files, here = [package / "__init__.py"], package
    for part in parts:
        if (here / f"{part}.py").exists():
            files.append(here / f"{part}.py")
            break
        if not (here / part / "__init__.py").exists():
            break
        here = here / part
        files.append(here / "__init__.py")
    return files


def statnn_imports(path: Path, package: Path) -> set[Path]:
    """Files of the statnn package that a Python file imports directly (anywhere in it)."""
    found: set[Path] = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            for alias in node.names:
                parts = alias.name.split(".")
                if parts[0] == "statnn":
                    found.update(_resolve(package, parts[1:]))
        elif isinstance(node, ast.ImportFrom):
            if node.level:  # relative import inside statnn
                base = path.parent
                for _ in range(node.level - 1):
                    base = base.parent
                parts = [*base.relative_to(package).parts, *(node.module or "").split(".")]
                parts = [q for q in parts if q]
            elif node.module and node.module.split(".")[0] == "statnn":
                parts = node.module.split(".")[1:]
            else:
                continue
            found.update(_resolve(package, parts))
            for alias in node.names:  # from statnn.a import b: b may be a module
                found.update(_resolve(package, [*parts, alias.name])[len(parts) + 1:])
    return found


def import_closure(script: Path, package: Path) -> set[str]:
    """Every statnn file the script runs, transitively, relative to the package directory."""
    todo, seen = list(statnn_imports(script, package)), set()
    while todo:
        path = todo.pop()
        if path in seen:
            continue
        seen.add(path)
        todo += statnn_imports(path, package)
    return {p.relative_to(package).as_posix() for p in seen}


# ==========================================================================================
# unit level: extreme but valid inputs to the engine
# ==========================================================================================

BETAS = [0.0, 1e-300, 1e-10, 1.0, 1e10, 1e300, 1.7e308, math.inf]
FIELDS = [-1.7e308, -1e300, -1.0, -1e-300, -0.0, 0.0, 1e-300, 1.0, 1e300, 1.7e308]


def test_update_probability_never_overflows_or_gives_nan():
    from statnn.neurons import update_probability

    h = np.array(FIELDS)
    with warnings.catch_warnings(), np.errstate(all="raise", under="ignore"):
        warnings.simplefilter("error")
        for beta in BETAS:
            p = update_probability(h, beta)
            assert np.all(np.isfinite(p)) and np.all((p >= 0) & (p <= 1)), (beta, p)
            assert np.all(np.diff(p) >= 0), (beta, p)  # monotone in h
            if beta == 0.0:
                assert np.all(p == 0.5)
            if beta >= 1e300:  # T = 1e-300 and below: the step function of T = 0
                assert p[2] == 0.0 and p[-3] == 1.0 and p[4] == p[5] == 0.5
    with pytest.raises(ValueError, match="beta"):
        update_probability(h, math.nan)


def _hebbian(n, p, seed=0):
    from statnn.couplings import hebbian_couplings, random_patterns
    from statnn.rng import generator

    xi = random_patterns(p, n, generator(seed, "reliability", n, p))
    return xi, hebbian_couplings(xi)


@pytest.mark.parametrize("n", [2, 3, 5])
@pytest.mark.parametrize("temperature", [0.0, 5e-324, 1e-300, 1e-10, 0.5, 1000.0])
def test_glauber_at_extreme_temperatures_and_tiny_networks(n, temperature):
    """T = 0 exactly, T = 1e-300 (β = 1e300) and below, N = 2, 3, P = 1: finite, no NaN."""
    from statnn.dynamics import glauber

    xi, J = _hebbian(n, 1)
    start = np.array([1, -1] * n, dtype=np.int8)[:n]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        res = glauber(J, start, temperature, 20, seed=3, record_every=1, patterns=xi)
    assert set(np.unique(res.spins)) <= {-1, 1}
    for arr in (res.energy, res.overlaps, res.final_overlaps, res.time_averaged_overlap):
        assert np.all(np.isfinite(arr)) and arr.dtype.kind == "f"
    assert np.all(np.abs(res.overlaps) <= 1)
    if temperature <= 1e-300:  # effectively T = 0: E never increases (symmetric J)
        assert np.all(np.diff(res.energy) <= 1e-12), res.energy
    assert 0.0 <= res.flip_rate <= 1.0


def test_activity_form_and_annealing_at_extreme_temperatures():
    from statnn.couplings import sherrington_kirkpatrick_couplings
    from statnn.dynamics import anneal, glauber_activity
    from statnn.neurons import ising_thresholds
    from statnn.rng import generator

    _, J = _hebbian(3, 1)
    for T in (0.0, 1e-300, 1000.0):
        res = glauber_activity(J, [1, 0, 1], ising_thresholds(J), T, 10, seed=1)
        assert set(np.unique(res.activities)) <= {0, 1}
    for n in (2, 3):
        sk = sherrington_kirkpatrick_couplings(n, generator(0, "sk-extreme", n))
        out = anneal(sk, np.ones(n, dtype=np.int8), [1000.0, 1.0, 1e-300, 0.0], 4, seed=2)
        for arr in (out.energy_per_neuron, out.ea_overlap, out.flip_rate):
            assert np.all(np.isfinite(arr))


@pytest.mark.parametrize("n", [2, 3])
def test_retrieval_shard_with_one_pattern_in_a_tiny_network(n):
    from statnn.hopfield import n_patterns, retrieval_shard

    alpha = 1e-9  # P = round(alpha N) = 0 -> at least one pattern
    assert n_patterns(alpha, n) == 1
    xi, _ = _hebbian(n, 1)
    df = retrieval_shard([xi, -xi], alpha, [0.0, 1e-300, 1000.0], 5, 0.5, 11)
    assert len(df) == 6 and (df["n_patterns"] == 1).all()
    numeric = df.select_dtypes("number")
    assert np.isfinite(numeric.to_numpy(float)).all(), df
    assert (df["overlap"].abs() <= 1).all()


def test_theory_is_finite_at_extreme_temperatures():
    from statnn.theory import curie_weiss_magnetization, retrieval_table

    table = retrieval_table([1e-9, 0.05, 1.0], [0.0, 1e-300, 1e-10, 1000.0])
    assert np.isfinite(table["overlap"]).all()
    assert ((table["overlap"] >= 0) & (table["overlap"] <= 1)).all()
    at = table.set_index(["alpha", "temperature"])["overlap"]
    assert abs(at[(0.05, 1e-300)] - at[(0.05, 0.0)]) < 1e-9
    assert curie_weiss_magnetization(1e-300) == pytest.approx(1.0)
    assert curie_weiss_magnetization(1000.0) == 0.0


# ==========================================================================================
# unit level: a corrupt, truncated, foreign or half-written Parquet file is refused
# ==========================================================================================


def _table():
    rng = np.random.default_rng(0)
    return pd.DataFrame({
        "alpha": np.repeat([0.05, 0.1], 50), "overlap": rng.normal(size=100),
        "replica": np.arange(100), "fruit": [f"f{i % 3}" for i in range(100)],
        "bits": [bytes([i]) * 4 for i in range(100)], "ok": np.arange(100) % 2 == 0,
    })


def test_every_single_bit_flip_is_refused_or_harmless(tmp_path):
    """Flipping any bit of a table either raises TableError or leaves the data intact."""
    df = _table()
    path = write_table(df, tmp_path / "t.parquet", config={"k": 1}, seed=5)
    data = path.read_bytes()
    bad = tmp_path / "bad.parquet"
    positions = np.random.default_rng(1).choice(len(data) * 8, size=1500, replace=False)
    refused = 0
    for bit in positions:
        flipped = bytearray(data)
        flipped[bit // 8] ^= 1 << (bit % 8)
        bad.write_bytes(flipped)
        try:
            out = read_table(bad, config={"k": 1}, seed=5)
        except TableError as err:
            assert "bad.parquet" in str(err)
            refused += 1
            continue
        pd.testing.assert_frame_equal(out, df)  # never silently different numbers
    assert refused > 1000


def test_every_truncation_is_refused(tmp_path):
    path = write_table(_table(), tmp_path / "t.parquet", config={"k": 1}, seed=5)
    data = path.read_bytes()
    cut = tmp_path / "cut.parquet"
    for size in sorted({*range(0, 64), *range(64, len(data), 97), len(data) - 1}):
        cut.write_bytes(data[:size])
        with pytest.raises(TableError, match="cut.parquet"):
            read_table(cut)


def test_foreign_table_message_says_what_differs(tmp_path):
    path = write_table(_table(), tmp_path / "t.parquet",
                       config={"n_neurons": 1000, "alpha": [0.1], "sweeps": 40}, seed=5)
    with pytest.raises(TableError, match=r"different config \(n_neurons: stored 1000, "
                                         r"expected 120\)") as err:
        read_table(path, config={"n_neurons": 120, "alpha": [0.1], "sweeps": 40}, seed=5)
    assert len(str(err.value)) < 300
    with pytest.raises(TableError, match="seed 5, expected 6"):
        read_table(path, seed=6)


def test_expect_checks_the_contract_of_each_results_table(tmp_path):
    from statnn.io import expected_provenance

    config = {**TINY_CONFIG, "results": str(tmp_path / "res")}
    config["hopfield"] = dict(TINY_CONFIG["hopfield"])
    grid = tmp_path / "res" / "hopfield" / "grid.parquet"
    write_table(_table(), grid, config=config["hopfield"], seed=config["seed"])
    read_table(grid, expect=config)
    other = {**config, "hopfield": {**config["hopfield"], "sweeps": 99}}
    with pytest.raises(TableError, match="sweeps: stored 8, expected 99"):
        read_table(grid, expect=other)
    with pytest.raises(TableError, match="seed"):
        read_table(grid, expect={**config, "seed": 8})
    shard = expected_provenance(tmp_path / "res/hopfield/shards/alpha-0.3.parquet", config)
    assert shard == (config["hopfield"] | {"alpha": 0.3}, 7)
    assert expected_provenance(tmp_path / "elsewhere.parquet", config) == (None, 7)


def test_a_killed_writer_leaves_nothing_that_survives_the_next_write(tmp_path):
    target = tmp_path / "shards" / "alpha-000.parquet"
    target.parent.mkdir()
    stale = target.parent / ".alpha-000.parquet.0123abcd.tmp"
    stale.write_bytes(b"half a parquet file")
    other = target.parent / ".alpha-001.parquet.0123abcd.tmp"  # another target's: kept
    other.write_bytes(b"x")
    assert temp_files(target) == [stale]
    write_table(_table(), target, config={}, seed=0)
    assert not stale.exists() and other.exists() and temp_files(target) == []
    pd.testing.assert_frame_equal(read_table(target), _table())


def test_a_failed_write_keeps_the_previous_table_and_leaves_no_temp(tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    target = write_table(_table(), tmp_path / "t.parquet", config={"v": 1}, seed=0)
    before = target.read_bytes()

    def broken(table, where, **kwargs):
        where.write(b"PAR1 partial")
        raise OSError("disk full")

    monkeypatch.setattr(pq, "write_table", broken)
    with pytest.raises(OSError, match="disk full"):
        write_table(_table().head(3), target, config={"v": 2}, seed=0)
    assert target.read_bytes() == before and temp_files(target) == []


def test_tables_get_the_usual_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = write_table(_table(), tmp_path / "t.parquet", config={}, seed=0)
    finally:
        os.umask(old)
    assert path.stat().st_mode & 0o777 == 0o644  # readable by the group, like any result


def test_every_script_checks_what_it_reads():
    """Each read_table call in a workflow script says which config the table must come from
    (``expect=snakemake.config`` or an explicit ``config=``), so a table from another
    experiment is refused rather than plotted."""
    unchecked = []
    for script in sorted((REPO / "workflow" / "scripts").glob("*.py")):
        for node in ast.walk(ast.parse(script.read_text())):
            if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "read_table":
                keys = {k.arg for k in node.keywords}
                if not keys & {"expect", "config"}:
                    unchecked.append(f"{script.name}:{node.lineno}")
    assert not unchecked, unchecked


# ==========================================================================================
# end to end: a private copy of the repository, one tiny run
# ==========================================================================================


@pytest.fixture(scope="module")
def tree(tmp_path_factory):
    root = tmp_path_factory.mktemp("reliability")
    copy_tree(root / "tree")
    (root / "tiny.yaml").write_text(yaml.safe_dump(TINY_CONFIG))
    return root


@pytest.fixture(scope="module")
def tree_run(tree):
    """The tiny config run to completion in the private copy: (tree, workdir, configfiles)."""
    work = tree / "tiny-run"
    cfg = [tree / "tiny.yaml"]
    proc = run(tree / "tree", work, "--cores", "2", configfiles=cfg)
    assert proc.returncode == 0, output(proc)[-6000:]
    return tree / "tree", work, cfg


def clone_workdir(src: Path, dest: Path) -> Path:
    """A copy of a finished working directory (results and Snakemake's records, mtimes kept)."""
    shutil.copytree(src, dest, symlinks=True)
    return dest


BAD_CONFIGS = [
    # (config file text or None, --config words, key named, what the message says)
    ("hopfield:\n  temperature: [0.5, -0.1]\n", (), "hopfield.temperature[1]", ">= 0"),
    ("hopfield:\n  temperature: [.nan]\n", (), "hopfield.temperature[0]", "not finite"),
    (None, ("hopfield={alpha: [0.0]}",), "hopfield.alpha[0]", "> 0"),
    ("hopfield:\n  n_neurons: 0\n", (), "hopfield.n_neurons", ">= 2"),
    ("capacity:\n  alpha: []\n", (), "capacity.alpha", "empty list"),
    (None, ("hopfield={sweeps: 1000000000}",), "hopfield.sweeps", "<= 100000"),
    ("hopfield:\n  replicas: true\n", (), "hopfield.replicas", "boolean"),
    ("hopfield:\n  temprature: [0.1]\n", (), "hopfield.temprature", "did you mean"),
    (None, ("seed=-1",), "seed", ">= 0"),
]


@pytest.mark.workflow
@pytest.mark.parametrize(("text", "words", "key", "says"), BAD_CONFIGS,
                         ids=[c[2] for c in BAD_CONFIGS])
def test_bad_config_stops_with_one_message_before_any_job(tree_run, tmp_path, text, words,
                                                          key, says):
    tree, work, cfg = tree_run
    before = snapshot(work / "results")
    args = ["--cores", "2"]
    configfiles = list(cfg)
    if text is not None:
        (tmp_path / "bad.yaml").write_text(text)
        configfiles.append(tmp_path / "bad.yaml")
    if words:
        args += ["--config", *words]
    proc = run(tree, work, *args, configfiles=configfiles)
    out = output(proc)
    assert proc.returncode != 0, out[-3000:]
    lines = [ln for ln in out.splitlines() if "invalid config:" in ln]
    assert len(lines) == 1, out[-3000:]
    assert f"'{key}'" in lines[0] and says in lines[0] and "allowed" in lines[0], lines[0]
    assert "Traceback" not in out and "statnn/config.py" not in out, out[-3000:]
    assert "Building DAG" not in out and "Select jobs" not in out
    assert snapshot(work / "results") == before


@pytest.mark.workflow
def test_every_rule_lists_the_engine_modules_its_script_uses(tree_run):
    """A rule's `code` inputs cover every statnn module its script imports, transitively."""
    tree, work, cfg = tree_run
    package = tree / "src" / "statnn"
    jobs = recorded_jobs(tree, work, cfg)
    scripts = rule_scripts(tree)
    missing = {}
    for rule, script in scripts.items():
        if rule not in jobs:
            continue
        declared = {Path(f).relative_to(package).as_posix() for f in jobs[rule]["inputs"]
                    if Path(f).is_relative_to(package) and f.endswith(".py")}
        used = import_closure(tree / "workflow" / "scripts" / script, package)
        if used - declared:
            missing[rule] = sorted(used - declared)
    assert not missing, f"modules used but not listed as inputs (edits won't rerun): {missing}"


@pytest.fixture(scope="module")
def graph(tree_run):
    return rule_graph(*tree_run)


def _dry(tree, work, cfg) -> set[str]:
    proc = run(tree, work, "-n", configfiles=cfg)
    assert proc.returncode == 0, output(proc)[-3000:]
    return scheduled_rules(output(proc))


def _users_and_consumers(tree, graph, module) -> set[str]:
    """Rules whose script uses ``module`` (transitively), and every rule downstream."""
    package = tree / "src" / "statnn"
    users = {r for r, s in rule_scripts(tree).items()
             if r in graph and module in import_closure(tree / "workflow" / "scripts" / s,
                                                          package)}
    assert users, f"no rule uses {module}"
    return users | descendants(graph, users)


@pytest.mark.workflow
@pytest.mark.parametrize("module", ["theory.py", "rng.py", "dynamics/core.py"])
def test_editing_an_engine_module_reruns_exactly_its_users(tree_run, graph, module):
    """A content change reruns the rules using the module and what consumes their outputs,
    nothing else; restoring the content reruns nothing again."""
    tree, work, cfg = tree_run
    source = tree / "src" / "statnn" / module
    original = source.read_bytes()
    expected = _users_and_consumers(tree, graph, module)
    try:
        source.write_bytes(original + b"\n# an edit that changes the file's content\n")
        scheduled = _dry(tree, work, cfg)
        assert scheduled == expected, (sorted(scheduled - expected), sorted(expected - scheduled))
    finally:
        source.write_bytes(original)


@pytest.mark.workflow
def test_touching_or_restoring_a_module_reruns_nothing(tree_run):
    """Snakemake 9 records checksums of inputs under 1 MB and trusts a newer mtime only if
    the content changed: `touch` on a module, or an edit undone, reruns nothing."""
    tree, work, cfg = tree_run
    source = tree / "src" / "statnn" / "theory.py"
    original = source.read_bytes()
    assert _dry(tree, work, cfg) == set()
    os.utime(source)  # now: newer than every output
    assert _dry(tree, work, cfg) == set(), "touching a module (same content) reran rules"
    source.write_bytes(original + b"# edit\n")
    source.write_bytes(original)
    assert _dry(tree, work, cfg) == set(), "an edit undone reran rules"


@pytest.mark.workflow
def test_every_table_matches_its_provenance_contract(tree_run):
    """Each Parquet file records the config slice ``statnn.io.CONTRACTS`` says it does."""
    from statnn.io import expected_provenance

    tree, work, cfg = tree_run
    config = yaml.safe_load((tree / "config" / "config.yaml").read_text())
    merge_config(config, yaml.safe_load(cfg[0].read_text()))
    config["results"] = str(work / config["results"])
    tables = sorted(p for p in (work / "results").rglob("*.parquet")
                    if p.parent.parent.name != "cache")  # the point caches record their keys
    assert len(tables) > 10
    for path in tables:
        want, seed = expected_provenance(path, config)
        assert want is not None, f"{path}: no contract in statnn.io.CONTRACTS"
        read_table(path, expect=config)  # the check the consumers make



def _foreign(path: Path) -> None:
    """Rewrite a table as if made by another config (same data), keeping its mtime."""
    st = path.stat()
    prov = table_provenance(path)
    write_table(read_table(path), path, config={"another experiment": prov["config"]},
                seed=prov["seed"])
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))


def _levels(jobs, consumers) -> dict[str, int]:
    """0 for consumers nobody else forced consumes, else 1 + the highest level above them."""
    feeds = {r: {s for s in consumers if jobs[r]["outputs"] & jobs[s]["inputs"]}
             for r in consumers}
    level: dict[str, int] = {}

    def of(rule):
        if rule not in level:
            level[rule] = 1 + max((of(s) for s in feeds[rule]), default=-1)
        return level[rule]

    for r in consumers:
        of(r)
    return level


@pytest.mark.workflow
def test_every_reader_refuses_a_table_from_another_config(tree_run, tmp_path):
    """Replace every table by one that says it came from another config, then force each
    rule that reads tables: the run must stop before any job, naming every table its jobs
    read, and write no output. (Rounds from the last consumers upward.)"""
    tree, work, cfg = tree_run
    jobs = recorded_jobs(tree, work, cfg)
    clone = clone_workdir(work, tmp_path / "work")
    tables = sorted((clone / "results").rglob("*.parquet"))
    for path in tables:
        _foreign(path)
    consumers = {r for r, j in jobs.items()
                 if any(f.endswith(".parquet") and f.startswith("results/") for f in j["inputs"])}
    assert {"hopfield_grid", "figure_phase_diagram", "report_html"} <= consumers
    levels = _levels(jobs, consumers)
    for level in sorted(set(levels.values())):
        rules = sorted(r for r in consumers if levels[r] == level)
        targets = sorted(set().union(*(jobs[r]["outputs"] for r in rules)))
        before = {t: (clone / t).read_bytes() for t in targets if (clone / t).exists()}
        proc = run(tree, clone, "--cores", "2", "--keep-going", "--force", *targets,
                   configfiles=cfg)
        out = output(proc)
        assert proc.returncode != 0, out[-3000:]
        # the check before any job starts names every table these jobs would read
        assert "refusing to start" in out, out[-3000:]
        for rule in rules:
            for f in jobs[rule]["inputs"]:
                if f.endswith(".parquet") and f.startswith("results/"):
                    assert f"{f}: made from a different config" in out, (rule, f)
        for t in targets:  # nothing new written: absent (Snakemake clears it) or unchanged
            assert not (clone / t).exists() or (clone / t).read_bytes() == before.get(t), t


@pytest.mark.workflow
def test_corrupt_truncated_and_foreign_inputs_are_refused(tree_run, tmp_path):
    tree, work, cfg = tree_run
    jobs = recorded_jobs(tree, work, cfg)
    clone = clone_workdir(work, tmp_path / "work")
    res = clone / "results"
    keep = snapshot(res)

    # 1. a Hopfield shard truncated in place (its mtime kept, so only a forced rerun reads
    # it) and a data page of capacity.parquet damaged: the run refuses them before any job.
    shard, capacity = (res / "hopfield/shards/alpha-0.05.parquet",
                       res / "capacity/capacity.parquet")
    for path, damage in ((shard, lambda b: b[: len(b) // 2]),
                         (capacity, lambda b: b[:40] + bytes([b[40] ^ 0xFF]) + b[41:])):
        st = path.stat()
        path.write_bytes(damage(path.read_bytes()))
        os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))
    targets = sorted(jobs["hopfield_grid"]["outputs"] | jobs["figure_capacity"]["outputs"])
    proc = run(tree, clone, "--cores", "2", "--keep-going", "--force", *targets,
               configfiles=cfg)
    out = output(proc)
    assert proc.returncode != 0
    assert "results/hopfield/shards/alpha-0.05.parquet: not a readable Parquet file" in out, \
        out[-3000:]
    assert "results/capacity/capacity.parquet: corrupt" in out, out[-3000:]
    assert "delete it and rerun snakemake" in out
    for t in targets:  # checked before any job started: nothing deleted
        assert keep[t[len("results/"):]][0] == _sha(clone / t)
    after = snapshot(res)
    for name in ("hopfield/grid.parquet", "report.html", "figures/phase_diagram.png"):
        assert after[name] == keep[name], name  # downstream results untouched

    # 2. a shard replaced by one from another experiment (newer, as a copy would be):
    # Snakemake would rerun its readers by itself; the run refuses it first.
    other = clone_workdir(work, tmp_path / "work2")
    src = other / "results/hopfield/shards/alpha-0.05.parquet"
    prov = table_provenance(src)
    write_table(read_table(src), src, config=prov["config"] | {"n_neurons": 4000},
                seed=prov["seed"])
    grid_before = snapshot(other / "results")["hopfield/grid.parquet"]
    proc = run(tree, other, "--cores", "2", "results/hopfield/grid.parquet", configfiles=cfg)
    out = output(proc)
    assert proc.returncode != 0
    assert re.search(r"results/hopfield/shards/alpha-0.05.parquet: made from a different config "
                     r"\(n_neurons: stored 4000, expected 120\)", out), out[-3000:]
    assert snapshot(other / "results")["hopfield/grid.parquet"] == grid_before


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.mark.workflow
def test_extreme_but_valid_config_runs_end_to_end(tree_run, tmp_path):
    """T = 0 and T = 1e-300, N = 3 with P = 1, N = 2 spin glass: finite tables and figures."""
    tree, work, cfg = tree_run
    extreme = {
        "hopfield": {"n_neurons": 3, "alpha": [0.1, 1.0], "temperature": [0.0, 1e-300, 1000.0],
                     "replicas": 2, "sweeps": 3, "cue_noise": 0.5},
        "spin_glass": {"n_neurons": [2, 3], "temperature": [1000.0, 0.01],
                       "sweeps": 4, "samples": 2},
        "energy_descent": {"n_neurons": 2, "alpha": 1.0, "sweeps": 2, "runs": 1,
                           "dilution": 0.0},
    }
    (tmp_path / "extreme.yaml").write_text(yaml.safe_dump(extreme))
    outs = ["results/hopfield/grid.parquet", "results/theory/retrieval.parquet",
            "results/spin_glass/equilibrium.parquet", "results/hopfield/energy_descent.parquet",
            "results/figures/phase_diagram.png", "results/figures/overlap_vs_temperature.png"]
    proc = run(tree, tmp_path / "work", "--cores", "2", *outs,
               configfiles=[*cfg, tmp_path / "extreme.yaml"],
               numba_cache=work / ".numba-cache")
    assert proc.returncode == 0, output(proc)[-4000:]
    res = tmp_path / "work" / "results"
    grid = read_table(res / "hopfield/grid.parquet")
    assert sorted(grid["n_patterns"].unique()) == [1, 3]  # P = round(0.3) -> 1, and P = N
    for name in outs[:4]:
        df = read_table(tmp_path / "work" / name)
        values = df.select_dtypes("number").to_numpy(float)
        assert np.isfinite(values).all(), (name, df)
    assert grid["overlap"].abs().max() <= 1
    t0 = grid[grid["temperature"] == 0.0]
    assert (t0["overlap"].abs() > 0).all()


# ==========================================================================================
# end to end: killed in the middle of the simulation stage, then rerun
# ==========================================================================================

KILL_CONFIG = {
    "hopfield": {"n_neurons": 600, "alpha": [0.02, 0.05, 0.08, 0.11, 0.14, 0.17],
                 "temperature": [0.0, 0.4, 0.8, 1.2], "replicas": 2, "sweeps": 400,
                 "cue_noise": 0.1},
}


@pytest.mark.workflow
def test_a_run_killed_mid_simulation_resumes_to_identical_tables(tree_run, tmp_path):
    """SIGKILL to Snakemake and its jobs while the Hopfield shards run. The rerun needs
    ``--unlock`` (the lock survives a kill) and ``--rerun-incomplete`` (outputs of jobs
    killed after writing are marked incomplete); then it completes, its tables are
    byte-identical to an uninterrupted run and no temporary file survives."""
    tree, work, cfg = tree_run
    (tmp_path / "kill.yaml").write_text(yaml.safe_dump(KILL_CONFIG))
    configfiles = [*cfg, tmp_path / "kill.yaml"]
    target = "results/hopfield/grid.parquet"
    cache = work / ".numba-cache"

    killed = tmp_path / "killed"
    killed.mkdir()
    proc = subprocess.Popen(
        snakemake_cmd(tree, killed, "--cores", "2", target, configfiles=configfiles),
        cwd=killed, env=snakemake_env(tree, killed, cache), stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL, start_new_session=True,
    )
    shards = killed / "results" / "hopfield" / "shards"
    deadline = time.time() + 300
    try:
        while not list(shards.glob("alpha-*.parquet")):
            assert proc.poll() is None, "snakemake ended before the first shard"
            assert time.time() < deadline, "no shard after 300 s"
            time.sleep(0.02)
    finally:
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait()
    done = sorted(p.name for p in shards.glob("alpha-*.parquet"))
    assert 0 < len(done) < len(KILL_CONFIG["hopfield"]["alpha"]), done  # killed mid-stage
    assert not (killed / target).exists()
    # as if the kill had hit a job while it wrote its table:
    n_shards = len(KILL_CONFIG["hopfield"]["alpha"])
    names = {f"alpha-{value_name(a)}.parquet" for a in KILL_CONFIG["hopfield"]["alpha"]}
    missing = sorted(names - set(done))[0]
    (shards / f".{missing}.5ca1ab1e.tmp").write_bytes(b"PAR1 half-written")

    again = run(tree, killed, "--cores", "2", target, configfiles=configfiles,
                numba_cache=cache)
    assert again.returncode != 0
    assert "--unlock" in output(again) or "--rerun-incomplete" in output(again)
    unlock = run(tree, killed, "--unlock", configfiles=configfiles)
    assert unlock.returncode == 0, output(unlock)[-2000:]
    resumed = run(tree, killed, "--cores", "2", "--rerun-incomplete", target,
                  configfiles=configfiles, numba_cache=cache)
    assert resumed.returncode == 0, output(resumed)[-4000:]

    clean = run(tree, tmp_path / "clean", "--cores", "2", target, configfiles=configfiles,
                numba_cache=cache)
    assert clean.returncode == 0, output(clean)[-4000:]
    mine = {p.relative_to(killed).as_posix(): p.read_bytes()
            for p in (killed / "results").rglob("*.parquet")}
    ref = {p.relative_to(tmp_path / "clean").as_posix(): p.read_bytes()
           for p in (tmp_path / "clean" / "results").rglob("*.parquet")}
    assert sorted(mine) == sorted(ref) and len(ref) == 2 * n_shards + 1  # + caches, grid
    assert all(mine[k] == ref[k] for k in ref), [k for k in ref if mine[k] != ref[k]]
    assert not [p for p in (killed / "results").rglob("*") if p.name.endswith(".tmp")]
    assert not list((killed / ".snakemake" / "incomplete").iterdir())


# ==========================================================================================
# end to end: the default config, twice from scratch, 2 cores and 1 core
# ==========================================================================================


@pytest.mark.workflow
def test_default_config_gives_identical_tables_on_two_cores_and_one(tree_run, default_run,
                                                                       tmp_path):
    """Two clean runs of the default config sharing no results or Snakemake records: the
    session's ``default_run`` (2 cores, from the repository) and one here on 1 core from the
    private copy (tables only: figures and the report are omitted, reusing the tiny run's
    kernel cache). Every Parquet file is byte-identical."""
    tree, work, cfg = tree_run
    jobs = recorded_jobs(tree, work, cfg)
    drawing = sorted(r for r, j in jobs.items()
                     if not any(o.endswith(".parquet") for o in j["outputs"]))
    wd = tmp_path / "cores-1"
    wd.mkdir()
    with open(wd / "snakemake.out", "w") as log:
        rc = subprocess.run(snakemake_cmd(tree, wd, "--cores", "1", "--omit-from", *drawing),
                            cwd=wd, env=snakemake_env(tree, wd, work / ".numba-cache"),
                            stdout=log, stderr=subprocess.STDOUT, timeout=900).returncode
    assert rc == 0, (wd / "snakemake.out").read_text()[-4000:]
    assert not list((wd / "results").rglob("*.png"))
    one = {p.relative_to(wd / "results").as_posix(): p.read_bytes()
           for p in (wd / "results").rglob("*.parquet")}
    two = {p.relative_to(default_run).as_posix(): p.read_bytes()
           for p in default_run.rglob("*.parquet")}
    # the 2-core run also made the report, which writes its comparison table
    assert sorted(one) == sorted(set(two) - {"report/comparisons.parquet"}) and len(one) > 20
    differ = [k for k in one if one[k] != two[k]]
    assert not differ, differ
    grid = tmp_path / "cores-1" / "results" / "hopfield" / "grid.parquet"
    default = yaml.safe_load((tree / "config" / "config.yaml").read_text())
    assert table_provenance(grid)["seed"] == default["seed"]
