"""Shared fixtures: a tiny config and one pipeline run in a temporary directory."""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest
import yaml

REPO = Path(__file__).resolve().parents[1]
#: numba's cache for the pipelines the tests run from this repository: one for all of them
#: (each job keys it by the sources' digest, ``statnn.sources``), so that a kernel compiles
#: once per test session instead of once per working directory.
NUMBA_CACHE = Path(tempfile.gettempdir()) / f"statnn-tests-numba-{os.getuid()}"

TINY_CONFIG = {
    "seed": 7,
    "fruit": {
        "datasets": {
            "separable": {
                "apple": {"n_samples": 25},
                "orange": {"n_samples": 25},
            },
            "overlapping": {
                "apple": {"n_samples": 25},
                "orange": {"n_samples": 25},
            },
        }
    },
    "perceptron": {"max_epochs": 50},
    "hopfield": {
        "n_neurons": 120,
        "alpha": [0.05, 0.3],
        "temperature": [0.0, 0.5, 1.5],
        "replicas": 2,
        "sweeps": 8,
        "cue_noise": 0.1,
    },
    "finite_size": {
        "n_neurons": [60, 120, 240],
        "alpha": [0.05, 0.15, 0.3],
        "replicas": 4,
        "max_sweeps": 50,
        "cue_noise": 0.1,
        "bootstrap": 50,
    },
    "energy_descent": {"n_neurons": 60, "alpha": 0.1, "sweeps": 4, "runs": 2, "dilution": 0.5},
    "spin_glass": {"n_neurons": [12, 16], "temperature": [1.5, 0.5, 1.0], "sweeps": 40,
                   "samples": 2},
    "capacity": {"n_inputs": 10, "alpha": [1.0, 2.0, 3.0], "trials": 20, "max_epochs": 100},
    "gardner": {"n_inputs": 16, "alpha": [0.52, 0.961, 2.0], "trials": 8, "adatron_sweeps": 200},
    "mlp": {"epochs": 60},
    "sequences": {
        "n_neurons": 60, "alpha": 0.1, "steps": 10, "sweeps": 20, "dwell_delays": [2, 4],
        "dwell_sweeps": 30,
        "capacity": {"n_neurons": [40, 80], "alpha": [0.1, 0.3, 0.5], "temperature": [0.0, 0.3],
                     "replicas": 3, "bootstrap": 20},
    },
}


def pytest_addoption(parser):
    parser.addoption(
        "--start-slurm",
        action="store_true",
        help="let tests/test_slurm.py start a local single-node SLURM with .ci/start-slurm "
        "(installs slurm-wlm and munge as root) when none is running; also STATNN_START_SLURM=1",
    )


def start_slurm_requested(config) -> bool:
    """The opt-in to start SLURM: ``--start-slurm`` or STATNN_START_SLURM=1."""
    env = os.environ.get("STATNN_START_SLURM", "").strip().lower()
    return bool(config.getoption("--start-slurm")) or env in ("1", "true", "yes")


#: CI=true (any value but "", 0, false, no): nothing may skip, a missing tool fails.
IN_CI = os.environ.get("CI", "").strip().lower() not in ("", "0", "false", "no")


def skip_unless_ci(reason: str) -> None:
    """Skip the test for ``reason`` locally; under CI fail instead (nothing may skip there)."""
    if IN_CI:
        pytest.fail(f"CI is set, so this may not skip: {reason}")
    pytest.skip(reason)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    """Under CI a skip from anywhere (skipif, importorskip, pytest.skip) is a failure."""
    outcome = yield
    report = outcome.get_result()
    if IN_CI and report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = f"CI is set, so nothing may skip: {reason}"


def merge_config(node: dict, patch: dict) -> None:
    """Merge ``patch`` into ``node`` key by key, as Snakemake merges a --configfile."""
    for k, v in patch.items():
        if isinstance(v, dict) and isinstance(node.get(k), dict):
            merge_config(node[k], v)
        else:
            node[k] = v


def run_snakemake(workdir: Path, *args: str, config: dict | None = None, timeout=900):
    """Run the repository's Snakefile in ``workdir`` (optionally with a config file)."""
    cmd = [sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d", str(workdir)]
    if config is not None:
        cfg = workdir / "test-config.yaml"
        workdir.mkdir(parents=True, exist_ok=True)
        cfg.write_text(yaml.safe_dump(config))
        cmd += ["--configfile", str(cfg)]
    env = dict(os.environ, NUMBA_CACHE_DIR=str(NUMBA_CACHE))
    return subprocess.run(
        [*cmd, *args], capture_output=True, text=True, timeout=timeout, env=env, cwd=workdir
    )


@pytest.fixture(scope="session")
def tiny_run(tmp_path_factory):
    """One full pipeline run on the tiny config; returns the results directory."""
    workdir = tmp_path_factory.mktemp("tiny")
    proc = run_snakemake(workdir, "--cores", "2", config=TINY_CONFIG)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    return workdir / "results"


@pytest.fixture(scope="session")
def default_run(tmp_path_factory):
    """One full run of the default config (config/config.yaml, report included) on 2 cores,
    about 1.5 min; returns the results directory."""
    workdir = tmp_path_factory.mktemp("default")
    proc = run_snakemake(workdir, "--cores", "2", "--config", f"results={workdir / 'results'}")
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-6000:]
    return workdir / "results"


def bench_json_line(argv: list[str]) -> dict:
    """Run ``python -m statnn.bench ARGV`` in process; it must print exactly one JSON line."""
    import io
    import json
    from contextlib import redirect_stdout

    from statnn import bench

    out = io.StringIO()
    with redirect_stdout(out):
        bench.main(argv)
    lines = out.getvalue().strip().splitlines()
    assert len(lines) == 1, lines
    return json.loads(lines[0])
