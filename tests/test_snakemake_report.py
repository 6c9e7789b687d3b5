"""`snakemake --report` builds from a finished run, with the workflow description and the
labels of the figures and tables."""

from __future__ import annotations

import zipfile

import pytest
import yaml

from statnn.report import FIGURES

from .conftest import REPO, TINY_CONFIG, run_snakemake


@pytest.mark.workflow
def test_snakemake_report_builds_with_description_and_labels(tiny_run, tmp_path):
    workdir = tiny_run.parent
    out = tmp_path / "report.zip"
    proc = run_snakemake(workdir, "--report", str(out), config=TINY_CONFIG, timeout=600)
    assert proc.returncode == 0, proc.stdout[-3000:] + proc.stderr[-3000:]
    with zipfile.ZipFile(out) as z:
        text = "\n".join(z.read(n).decode("utf-8", "replace") for n in z.namelist()
                         if n.endswith((".html", ".js", ".json")))
    description = (REPO / "workflow" / "report" / "workflow.rst").read_text()
    assert description.split("\n")[0].rstrip(".") in text  # the workflow description
    assert f"seed {TINY_CONFIG['seed']}" in text  # rendered with the run's config
    for title in (FIGURES["phase_diagram"].title, FIGURES["capacity"].title):
        assert title in text, title  # figure labels
    for label in ('"stage"', '"table"', "binder", "spin_glass"):
        assert label in text, label  # table labels
    assert yaml.safe_load((REPO / ".snakemake-workflow-catalog.yml").read_text())["usage"]
