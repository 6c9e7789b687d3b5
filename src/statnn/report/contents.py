"""What the report shows: its sections and its figures, in page order.

``FIGURES`` is the one list of the run's figures: the workflow draws exactly these (each as
``figures/<name>.png`` and ``.svg``, captioned by ``workflow/report/<name>.rst``), flags
them for Snakemake's own report under their section's title, and the HTML page shows them
in this order within their sections.
"""

from __future__ import annotations

from typing import NamedTuple

#: Section anchors and titles of the page, in order (also the categories of
#: Snakemake's report).
SECTIONS: dict[str, str] = {
    "neuron": "1. The neuron model",
    "fruit": "2. Sorting fruits with a perceptron",
    "capacity": "3. What a perceptron can learn",
    "spin-glass": "4. Spin glasses",
    "memory": "5. Associative memory",
    "sequences": "6. Sequences from asymmetric couplings",
    "measured": "7. Measured vs expected",
    "provenance": "8. Provenance",
}


class FigureEntry(NamedTuple):
    """A figure's section (a key of ``SECTIONS``) and its title on the page."""

    section: str
    title: str


FIGURES: dict[str, FigureEntry] = {
    "neuron_model": FigureEntry("neuron", "The stochastic neuron and feedforward activations"),
    "fruit_boundary": FigureEntry("fruit", "Fruits and the perceptron's decision line"),
    "perceptron_learning_curve": FigureEntry("fruit", "Perceptron learning curve"),
    "fruit_decision_regions": FigureEntry("fruit", "One perceptron per fruit"),
    "capacity": FigureEntry("capacity", "Capacity of the perceptron against Cover's theorem"),
    "gardner_stability": FigureEntry("capacity", "Largest stability κ_max against Gardner"),
    "gardner_fractions": FigureEntry("capacity", "Separable with a margin κ"),
    "mlp_decision_regions": FigureEntry(
        "capacity", "Perceptron vs multilayer network on non-separable fruits"
    ),
    "mlp_training": FigureEntry("capacity", "Training the multilayer network"),
    "spin_glass": FigureEntry("spin-glass", "Sherrington–Kirkpatrick spin glass"),
    "energy_descent": FigureEntry("memory", "Energy descent at T = 0"),
    "phase_diagram": FigureEntry("memory", "Phase diagram of the Hopfield network"),
    "overlap_vs_alpha": FigureEntry("memory", "Retrieval against load at the lowest temperature"),
    "overlap_vs_temperature": FigureEntry(
        "memory", "Retrieval against temperature at the smallest load"
    ),
    "finite_size": FigureEntry("memory", "Finite-size effects in retrieval"),
    "finite_size_scaling": FigureEntry("memory", "Storage capacity by finite-size scaling"),
    "sequence_overlaps": FigureEntry("sequences", "A cycle of patterns, step by step and with "
                                                  "slow synapses"),
    "sequence_capacity": FigureEntry("sequences", "Sequence capacity and dwell time"),
}
