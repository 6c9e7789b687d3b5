"""The one-page HTML report (results/report.html) and the list of its figures.

- ``contents``: the page's sections and figures (the one list of the run's figures);
- ``compare``: measured vs expected, from the run's tables and its theory tables;
- ``prose``: the sentences that depend on the experiment, from the config and the tables;
- ``page``: rendering with jinja2 (autoescape) into one self-contained page, provenance.
"""

from statnn.report.compare import (
    KINDS,
    SIGMA_LIMIT,
    Comparison,
    comparison_table,
    cover_comparisons,
    critical_load_comparison,
    curie_weiss_comparison,
    gardner_comparisons,
    learning_comparisons,
    retrieval_overlap_comparison,
    sequence_comparisons,
    spin_glass_comparisons,
    unexplained,
)
from statnn.report.contents import FIGURES, SECTIONS, FigureEntry
from statnn.report.page import (
    Figure,
    caption_text,
    equation_png,
    git_commit,
    package_versions,
    render_report,
    stage_times,
)
from statnn.report.prose import (
    ACTIVATION_FORMULAS,
    Prose,
    describe,
    fruit_contrast,
    fruit_means,
    network_sentence,
)

__all__ = [
    "ACTIVATION_FORMULAS",
    "FIGURES",
    "KINDS",
    "SECTIONS",
    "SIGMA_LIMIT",
    "Comparison",
    "Figure",
    "FigureEntry",
    "Prose",
    "caption_text",
    "comparison_table",
    "cover_comparisons",
    "critical_load_comparison",
    "curie_weiss_comparison",
    "describe",
    "equation_png",
    "fruit_contrast",
    "fruit_means",
    "gardner_comparisons",
    "git_commit",
    "learning_comparisons",
    "network_sentence",
    "package_versions",
    "render_report",
    "retrieval_overlap_comparison",
    "sequence_comparisons",
    "spin_glass_comparisons",
    "stage_times",
    "unexplained",
]
