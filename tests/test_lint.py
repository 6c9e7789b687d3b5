"""The repository stays clean under ruff, snakefmt and snakemake --lint."""

import re
import shutil
import subprocess
import sys

import pytest

from .conftest import REPO, skip_unless_ci


def _run(*cmd):
    return subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, timeout=300)


@pytest.mark.parametrize("cmd", [("ruff", "check", "--no-cache", "."),
                                 ("snakefmt", "--check", ".")])
def test_linter_clean(cmd):
    if shutil.which(cmd[0]) is None:
        skip_unless_ci(f"{cmd[0]} not installed (test extra: pip install -e '.[test]')")
    proc = _run(*cmd)
    assert proc.returncode == 0, proc.stdout + proc.stderr


#: The one lint accepted: rules declare no conda environment or container, on purpose (no conda
#: registry or container runtime is reachable where the pipeline is tested, and an untested
#: software path is not shipped; README "What is tested"). Any other lint fails the test.
NO_SOFTWARE_STACK = "Specify a conda environment or container for each rule."


def test_snakemake_lint_clean(tmp_path):
    """Linted from a temporary working directory: the test leaves no .snakemake/ behind."""
    proc = _run(sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d",
                str(tmp_path), "--lint")
    out = proc.stdout + proc.stderr
    titles = re.findall(r"^\s+\* (.+?):$", out, re.M)
    rules = re.findall(r"^Lints for (.+?)(?: \(line|:)", out, re.M)
    assert set(titles) <= {NO_SOFTWARE_STACK}, out
    assert all(r.startswith("rule ") for r in rules), out  # no workflow-level lints
    assert len(titles) == len(rules), out  # each linted rule has only that lint
    assert proc.returncode == 0 or titles, out
