"""Config validation and path helpers shared by every stage."""

import ast
import os
from pathlib import Path

from statnn.hopfield import n_patterns
from statnn.config import (
    ConfigError,
    coerce_command_line_strings,
    load_schema,
    validate_config,
)

SCHEMA = load_schema(workflow.source_path("../schemas/config.schema.yaml"))
config.update(coerce_command_line_strings(config, SCHEMA))
try:
    validate_config(config, SCHEMA)
except ConfigError as err:
    raise WorkflowError(f"invalid config: {err}") from None

RESULTS = config["results"].rstrip("/")
# numba's on-disk cache (cache=True kernels) must be writable on every node: keep it in the
# working directory unless the user points NUMBA_CACHE_DIR elsewhere.
os.environ.setdefault("NUMBA_CACHE_DIR", str(Path.cwd() / ".snakemake" / "numba-cache"))
ENGINE = Path(workflow.basedir) / "src" / "statnn"
STYLE = str(Path(workflow.basedir) / "workflow" / "statnn.mplstyle")
ENV = "../envs/statnn.yaml"
FRUIT_DATASETS = [*config["fruit"]["datasets"], *config["fruit"].get("bands", {})]
SHARDS = [f"{i:03d}" for i in range(len(config["hopfield"]["alpha"]))]


REPORT_FIGURES = [
    "neuron_model",
    "fruit_boundary",
    "perceptron_learning_curve",
    "fruit_decision_regions",
    "capacity",
    "mlp_decision_regions",
    "mlp_training",
    "spin_glass",
    "energy_descent",
    "phase_diagram",
    "overlap_vs_alpha",
    "overlap_vs_temperature",
    "finite_size",
]


def result(path):
    """A path under the config's results directory."""
    return f"{RESULTS}/{path}"


def _statnn_imports(name):
    """The statnn modules that src/statnn/<name>.py imports (anywhere in the file)."""
    found = set()
    for node in ast.walk(ast.parse((ENGINE / f"{name}.py").read_text())):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            parts = node.module.split(".")
            if parts[0] == "statnn":
                found.update(parts[1:2] or [alias.name for alias in node.names])
        elif isinstance(node, ast.Import):
            found.update(
                alias.name.split(".")[1]
                for alias in node.names
                if alias.name.startswith("statnn.")
            )
    return {m for m in found if (ENGINE / f"{m}.py").exists()}


def engine(*modules):
    """Engine sources of a step: the modules its script imports, what those import in turn
    (transitively), __init__ and io. Editing one reruns exactly the steps using it."""
    todo, used = ["__init__", "io", *modules], set()
    while todo:
        name = todo.pop()
        if name not in used:
            used.add(name)
            todo.extend(_statnn_imports(name))
    return [str(ENGINE / f"{m}.py") for m in sorted(used)]


def multiclass_datasets():
    return [n for n, c in config["fruit"]["datasets"].items() if len(c) > 2]


def binary_datasets():
    return [n for n, c in config["fruit"]["datasets"].items() if len(c) == 2]


def max_patterns():
    """Patterns stored per replica: enough for the largest load of the grid."""
    h = config["hopfield"]
    return max(n_patterns(a, h["n_neurons"]) for a in h["alpha"])


def patterns_provenance():
    """The config slice recorded in (and checked against) datasets/patterns.parquet."""
    h = config["hopfield"]
    return {
        "n_neurons": h["n_neurons"],
        "replicas": h["replicas"],
        "count": max_patterns(),
    }


def figures(*names):
    return [result(f"figures/{n}.{ext}") for n in names for ext in ("png", "svg")]


def all_outputs():
    outs = [result("report.html"), result("datasets/fruit.parquet")]
    outs += expand(result("perceptron/{dataset}/model.parquet"), dataset=FRUIT_DATASETS)
    if binary_datasets():
        outs += figures("fruit_boundary", "perceptron_learning_curve")
    if multiclass_datasets():
        outs += figures("fruit_decision_regions")
    outs += [result("capacity/capacity.parquet"), result("mlp/network.parquet")]
    outs += figures("neuron_model", "capacity", "mlp_decision_regions", "mlp_training")
    outs += [result("hopfield/grid.parquet"), result("theory/retrieval.parquet")]
    outs += [result("hopfield/energy_descent.parquet"), result("spin_glass/sk.parquet")]
    outs += figures(
        "phase_diagram",
        "overlap_vs_alpha",
        "overlap_vs_temperature",
        "energy_descent",
        "spin_glass",
        "finite_size",
    )
    return outs
