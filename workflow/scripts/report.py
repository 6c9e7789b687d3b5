"""Assemble results/report.html from the figures, tables and benchmark records of the run."""

from pathlib import Path

import statnn
from statnn.io import read_table, run_slice, write_table
from statnn.lock import lock_summary
from statnn.pipeline import setup_logging
from statnn.report import (
    FIGURES,
    Figure,
    caption_text,
    comparison_table,
    cover_comparisons,
    critical_load_comparison,
    curie_weiss_comparison,
    describe,
    gardner_comparisons,
    git_commit,
    learning_comparisons,
    package_versions,
    render_report,
    retrieval_overlap_comparison,
    sequence_comparisons,
    spin_glass_comparisons,
    stage_times,
    unexplained,
)

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
p, inp = sm.params, sm.input
config = p.config  # the whole config: the page shows it, so any change reruns the report
figures = {
    name: Figure(name, FIGURES[name].title, Path(png), caption_text(Path(rst).read_text(),
                                                                    config).strip())
    for name, png, rst in zip(p.figures, inp.figures, inp.captions, strict=True)
}


def table(path):
    return read_table(path, expect=config)


grid, curves, retrieval = table(inp.grid), table(inp.curves), table(inp.retrieval)
models = {d: table(f) for d, f in zip(p.datasets, inp.models, strict=True)}
mlp_history = table(inp.mlp_history)
comparisons = [
    c
    for c in (
        curie_weiss_comparison(grid, curves, retrieval),
        critical_load_comparison(table(inp.extrapolation), table(inp.critical), curves),
        retrieval_overlap_comparison(grid, curves, retrieval),
    )
    if c is not None
]
comparisons += sequence_comparisons(table(inp.seq_critical), table(inp.seq_capacity),
                                    table(inp.seq_dwell))
comparisons += cover_comparisons(table(inp.capacity))
comparisons += gardner_comparisons(table(inp.gardner))
comparisons += spin_glass_comparisons(table(inp.sk_equilibrium), table(inp.sk_extrapolation))
comparisons += learning_comparisons(models, mlp_history, config["mlp"]["dataset"])
write_table(comparison_table(comparisons), sm.output.comparisons,
            config=run_slice(config), seed=config["seed"])
for row in unexplained(comparisons):
    log.warning("unexplained: %s measured %.6g, expected %.6g (%s s.e.)", row.quantity,
                row.measured, row.expected, "no" if row.z is None else f"{row.z:+.1f}")
prose = describe(config, table(inp.fruit), models, mlp_history, table(inp.lines))
provenance = {
    "statnn git commit": git_commit(Path(statnn.__file__).resolve().parents[2]),
    **{f"{k} version": v for k, v in package_versions().items()},
    "dependency lock": lock_summary(Path(statnn.__file__).resolve().parents[2]),
    "seed": config["seed"],
    "results directory": config["results"],
}
html = render_report(figures, comparisons, config, provenance, stage_times(p.benchmarks), prose)
Path(sm.output.html).write_text(html, encoding="utf-8")
log.info("report: %d figures, %d comparisons, %.1f MB", len(figures), len(comparisons),
         len(html) / 1e6)
