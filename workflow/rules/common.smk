"""Config validation and path helpers shared by every stage."""

import os
import re
from pathlib import Path

# numba's on-disk cache (cache=True kernels) must be writable on every node: keep it in the
# working directory unless the user points NUMBA_CACHE_DIR elsewhere. Set before statnn is
# imported, which keys it by the sources (statnn.sources): .snakemake/numba-cache/statnn-<digest>
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path.cwd() / ".snakemake" / "numba-cache"))

from statnn.config import (
    ConfigError,
    coerce_command_line_strings,
    load_schema,
    validate_config,
)
from statnn.io import expected_provenance, value_name
from statnn.pipeline import imported_sources
from statnn.report import FIGURES, SECTIONS
from statnn.sweeps import refused_inputs

SCHEMA = load_schema(workflow.source_path("../schemas/config.schema.yaml"))
config.update(coerce_command_line_strings(config, SCHEMA))
try:
    validate_config(config, SCHEMA)
except ConfigError as err:
    raise WorkflowError(f"invalid config: {err}") from None

RESULTS = config["results"].rstrip("/")
SRC = Path(workflow.basedir) / "src"
SCRIPTS = Path(workflow.basedir) / "workflow" / "scripts"
STYLE = str(Path(workflow.basedir) / "workflow" / "statnn.mplstyle")
FRUIT_DATASETS = [*config["fruit"]["datasets"], *config["fruit"].get("bands", {})]
# Hopfield shards are named by their load (alpha-0.1375), never by list position: adding a
# load adds one shard and leaves the others alone (docs/sweeps.md).
HOPFIELD_ALPHAS = [value_name(a) for a in config["hopfield"]["alpha"]]


def result(path):
    """A path under the config's results directory."""
    return f"{RESULTS}/{path}"


def engine(script):
    """The engine sources that workflow/scripts/<script>.py runs: the src/statnn modules it
    imports, what those import, and so on (packages and their submodules included). As a
    rule's inputs, editing one reruns exactly the rules that run it."""
    return [str(path) for path in imported_sources(SCRIPTS / f"{script}.py", SRC)]


def table_config(rule):
    """A param for the named rule, per job: the config slice that the job's tables record,
    from statnn.io.CONTRACTS (the slice's one definition). The job computes from it, and a
    change of it (and of nothing else in the config) reruns the job. A function of the
    wildcards only: Snakemake ignores params made from a job's input or output in reruns.
    """

    def config_slice(wildcards):
        outputs = getattr(rules, rule).output
        tables = [
            o.apply_wildcards(wildcards) for o in outputs if o.endswith(".parquet")
        ]
        slices = [expected_provenance(path, config)[0] for path in tables]
        if not slices or None in slices or any(s != slices[0] for s in slices):
            raise WorkflowError(
                f"{rule}: outputs {tables} need one contract in CONTRACTS"
            )
        return slices[0]

    return config_slice


def report_table(path):
    """A table under the results directory, flagged for Snakemake's report and labelled
    with its stage and name (e.g. spin_glass / binder)."""
    stage, _, name = path.removesuffix(".parquet").rpartition("/")
    return report(
        result(path),
        caption="../report/tables.rst",
        category="Tables",
        labels={"stage": stage or "-", "table": name},
    )


def figure(name, ext="png"):
    """results/figures/<name>.<ext> of a figure in statnn.report.FIGURES; the PNG flagged
    for Snakemake's report with workflow/report/<name>.rst, in its section of the page.
    """
    path = result(f"figures/{name}.{ext}")
    if ext != "png":
        return path
    section = SECTIONS[FIGURES[name].section]
    return report(
        path,
        caption=f"../report/{name}.rst",
        category=section,
        labels={"figure": FIGURES[name].title},
    )


def multiclass_datasets():
    return [n for n, c in config["fruit"]["datasets"].items() if len(c) > 2]


def binary_datasets():
    return [n for n, c in config["fruit"]["datasets"].items() if len(c) == 2]


def report_figures():
    """The figures of statnn.report.FIGURES, in page order, that this config draws: the
    fruit figures need datasets of two fruits, resp. of three or more."""
    drawn = {
        "fruit_boundary": binary_datasets(),
        "perceptron_learning_curve": binary_datasets(),
        "fruit_decision_regions": multiclass_datasets(),
    }
    return [name for name in FIGURES if drawn.get(name, True)]


def all_outputs():
    outs = [result("report.html"), result("datasets/fruit.parquet")]
    outs += expand(result("perceptron/{dataset}/model.parquet"), dataset=FRUIT_DATASETS)
    outs += [result("capacity/capacity.parquet"), result("mlp/network.parquet")]
    outs += [result("hopfield/grid.parquet"), result("theory/retrieval.parquet")]
    outs += [
        result("hopfield/energy_descent.parquet"),
        result("spin_glass/equilibrium.parquet"),
    ]
    outs += [result("capacity/gardner.parquet")]
    outs += [
        result("sequences/trajectories.parquet"),
        result("sequences/capacity.parquet"),
        result("sequences/critical_load.parquet"),
    ]
    outs += [
        result(f"figures/{n}.{e}") for n in report_figures() for e in ("png", "svg")
    ]
    return outs


def check_inputs_before_any_job():
    """Stop the run, naming each file, if a table that a scheduled job reads (and no
    scheduled job makes) is corrupt, truncated or made by another config. Runs before
    Snakemake deletes any job's old outputs, so a refused input loses no result."""
    jobs = list(workflow.dag.needrun_jobs())
    made = {str(f) for job in jobs for f in job.output}
    read = {str(f) for job in jobs for f in job.input} - made
    problems = refused_inputs(read, config)
    if problems:
        raise WorkflowError(
            "refusing to start: no job ran, no output was deleted. Inputs refused:\n  "
            + "\n  ".join(problems)
        )


onstart:
    check_inputs_before_any_job()
