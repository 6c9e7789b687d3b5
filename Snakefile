"""statnn: the statistical mechanics of neural networks, one command from config to report.

snakemake --cores all                          # default config -> results/
snakemake --cores all --configfile config/X    # another experiment (set its `results`)
"""

from pathlib import Path

from snakemake.utils import min_version

min_version("9.0")


configfile: Path(workflow.basedir) / "config" / "config.yaml"


# The description on the first page of `snakemake --report`.
report: "workflow/report/workflow.rst"


include: "workflow/rules/common.smk"


wildcard_constraints:
    dataset="|".join(FRUIT_DATASETS),
    n=r"\d+",


include: "workflow/rules/datasets.smk"
include: "workflow/rules/perceptron.smk"
include: "workflow/rules/capacity.smk"
include: "workflow/rules/gardner.smk"
include: "workflow/rules/hopfield.smk"
include: "workflow/rules/theory.smk"
include: "workflow/rules/sequences.smk"
include: "workflow/rules/figures.smk"
include: "workflow/rules/report.smk"


rule all:
    default_target: True
    input:
        all_outputs(),
