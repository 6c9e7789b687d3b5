"""The seed's stochastic neuron at several temperatures, and the activation functions."""

from statnn.plots import neuron_model_figure, save_figure, use_style

sm = snakemake  # noqa: F821
use_style(sm.input.style)
save_figure(neuron_model_figure(), sm.output)
