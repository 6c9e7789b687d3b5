"""The report's sentences that depend on the experiment, drawn from the config and the tables.

Nothing here is written for the default config: which fruit is heavier or sweeter is read
from the samples, the network's layers and activation from ``mlp``, the accuracies from
the trained models, the loads from ``hopfield`` and α_c from the theory tables. The text is
plain (the page escapes it).
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

import pandas as pd

#: The hidden-layer activations of ``statnn.mlp`` (its ``ACTIVATIONS``), as formulas.
ACTIVATION_FORMULAS = {
    "sigmoid": "σ(z) = 1/(1 + e^(−z))",
    "tanh": "tanh(z) = (e^z − e^(−z))/(e^z + e^(−z))",
    "relu": "relu(z) = max(0, z)",
}


@dataclass(frozen=True)
class Prose:
    """Experiment-specific text and numbers of the page (empty: the general text only)."""

    fruit_sentences: Sequence[str] = ()
    fruit_means: pd.DataFrame = field(default_factory=pd.DataFrame)
    network: str = ""
    memory: str = ""
    alpha_c: float | None = None


def fruit_means(fruit: pd.DataFrame) -> pd.DataFrame:
    """Per dataset and fruit (in order of appearance): samples, mean weight, mean sweetness."""
    return (fruit.groupby(["dataset", "fruit"], sort=False)
            .agg(samples=("weight_g", "size"), mean_weight_g=("weight_g", "mean"),
                 mean_sweetness=("sweetness", "mean"))
            .reset_index())


def _than(x: float, y: float, more: str, less: str, same: str) -> str:
    return more if x > y else less if x < y else same


def fruit_contrast(dataset: str, means: pd.DataFrame) -> str:
    """How the two fruits of ``dataset`` differ on average, e.g. "In 'separable', apple
    samples are heavier than orange samples (mean 180.2 g against 139.9 g) and less sweet
    (mean sweetness 4.0 against 7.0)." ``means`` as from ``fruit_means`` (two rows)."""
    rows = means[means["dataset"] == dataset]
    if len(rows) != 2:
        raise ValueError(f"dataset {dataset!r} has {len(rows)} fruits, not 2")
    a, b = rows.iloc[0], rows.iloc[1]
    wa, wb, sa, sb = (float(a["mean_weight_g"]), float(b["mean_weight_g"]),
                      float(a["mean_sweetness"]), float(b["mean_sweetness"]))
    weight = _than(wa, wb, "heavier than", "lighter than", "as heavy as")
    sweet = _than(sa, sb, "sweeter", "less sweet", "as sweet")
    return (f"In '{dataset}', {a['fruit']} samples are {weight} {b['fruit']} samples (mean "
            f"{wa:.1f} g against {wb:.1f} g) and {sweet} (mean sweetness {sa:.2f} against "
            f"{sb:.2f}).")


def _layers(sizes: Sequence[int], activation: str) -> str:
    if not sizes:
        return "no hidden layer"
    counts = " and ".join(str(s) for s in sizes)
    plural = "s" if len(sizes) > 1 else ""
    return f"{len(sizes)} hidden layer{plural} of {counts} {activation} units"


def network_sentence(mlp: Mapping, perceptron: pd.Series | None,
                     history: pd.DataFrame) -> str:
    """What the perceptron and the multilayer network of config section ``mlp`` achieve on
    its dataset, with the network's layers and activation formula."""
    activation = mlp["activation"]
    formula = ACTIVATION_FORMULAS[activation]
    net = (f"a network with {_layers(mlp['hidden_layers'], activation)} ({formula}), "
           f"trained by backpropagation for {mlp['epochs']} epochs, classifies "
           f"{float(history['accuracy'].iloc[-1]):.1%} of them correctly")
    dataset = f"On '{mlp['dataset']}'"
    if perceptron is None:
        return f"{dataset}, {net}."
    lp = ("a line separates the fruits" if perceptron["separable_lp"]
          else "no line separates the fruits")
    return (f"{dataset}, where {lp} (linear program), the perceptron classifies "
            f"{float(perceptron['train_accuracy']):.1%} of the training samples correctly; "
            f"{net}.")


def memory_sentence(hopfield: Mapping) -> str:
    """The simulated grid of config section ``hopfield``."""
    a, t = hopfield["alpha"], hopfield["temperature"]
    return (f"This run: N = {hopfield['n_neurons']} neurons, {len(a)} loads α from {min(a):g} "
            f"to {max(a):g} and {len(t)} temperatures T from {min(t):g} to {max(t):g}, "
            f"{hopfield['replicas']} replicas of {hopfield['sweeps']} sweeps each.")


def critical_load_at_zero(lines: pd.DataFrame) -> float | None:
    """α_c(0): where the retrieval line of theory/phase_lines.parquet reaches T = 0."""
    end = lines.loc[lines["temperature"] == 0.0, "alpha"]
    return float(end.iloc[0]) if len(end) == 1 else None


def describe(config: Mapping, fruit: pd.DataFrame, models: Mapping[str, pd.DataFrame],
             mlp_history: pd.DataFrame, lines: pd.DataFrame) -> Prose:
    """The page's experiment-specific text from the run's config and tables."""
    means = fruit_means(fruit)
    two_fruit = [name for name, spec in config["fruit"]["datasets"].items() if len(spec) == 2]
    mlp = config["mlp"]
    model = models.get(mlp["dataset"])
    return Prose(
        fruit_sentences=[fruit_contrast(name, means) for name in two_fruit],
        fruit_means=means,
        network=network_sentence(mlp, None if model is None else model.iloc[0], mlp_history),
        memory=memory_sentence(config["hopfield"]),
        alpha_c=critical_load_at_zero(lines),
    )
