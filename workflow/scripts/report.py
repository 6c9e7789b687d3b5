"""Assemble results/report.html from the figures, tables and benchmark records of the run."""

from pathlib import Path

import statnn
from statnn.io import read_table
from statnn.pipeline import setup_logging
from statnn.report import (
    FIGURE_TITLES,
    Figure,
    cover_comparisons,
    critical_load_comparison,
    curie_weiss_comparison,
    git_commit,
    learning_comparisons,
    package_versions,
    render_report,
    retrieval_overlap_comparison,
    spin_glass_comparisons,
    stage_times,
)

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
p = sm.params
figures = {
    name: Figure(name, FIGURE_TITLES.get(name, name), Path(png), Path(rst).read_text().strip())
    for name, png, rst in zip(p.figures, sm.input.figures, sm.input.captions, strict=True)
}
grid = read_table(sm.input.grid, expect=sm.config)
models = {d: read_table(f, expect=sm.config)
          for d, f in zip(p.datasets, sm.input.models, strict=True)}
comparisons = [
    c
    for c in (
        curie_weiss_comparison(grid),
        critical_load_comparison(grid),
        retrieval_overlap_comparison(grid),
    )
    if c is not None
]
comparisons += cover_comparisons(read_table(sm.input.capacity, expect=sm.config))
comparisons += spin_glass_comparisons(read_table(sm.input.sk, expect=sm.config))
comparisons += learning_comparisons(models, read_table(sm.input.mlp_history, expect=sm.config),
                                    p.config["mlp"]["dataset"])
provenance = {
    "statnn git commit": git_commit(Path(statnn.__file__).resolve().parents[2]),
    **{f"{k} version": v for k, v in package_versions().items()},
    "seed": p.config["seed"],
    "results directory": p.config["results"],
}
html = render_report(figures, comparisons, p.config, provenance, stage_times(p.benchmarks))
Path(sm.output.html).write_text(html, encoding="utf-8")
log.info("report: %d figures, %d comparisons, %.1f MB", len(figures), len(comparisons),
         len(html) / 1e6)
