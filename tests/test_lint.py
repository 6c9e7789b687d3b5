"""The repository stays clean under ruff, snakefmt and snakemake --lint."""

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


def test_snakemake_lint_clean(tmp_path):
    """Linted from a temporary working directory: the test leaves no .snakemake/ behind."""
    proc = _run(sys.executable, "-m", "snakemake", "-s", str(REPO / "Snakefile"), "-d",
                str(tmp_path), "--lint")
    assert proc.returncode == 0, proc.stdout + proc.stderr
