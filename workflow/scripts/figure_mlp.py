"""Perceptron vs multilayer network on the same non-separable fruits; training curves."""

from statnn.io import read_table
from statnn.mlp import network_from_table
from statnn.plots import mlp_regions_figure, mlp_training_figure, save_figure, use_style

sm = snakemake  # noqa: F821
out = sm.output
use_style(sm.input.style)
fruit = read_table(sm.input.fruit, columns=("dataset", "fruit", "weight_g", "sweetness"),
                   expect=sm.config)
data = fruit[fruit["dataset"] == sm.params.dataset]
perceptron = read_table(sm.input.perceptron, expect=sm.config).iloc[0]
net = network_from_table(read_table(sm.input.network, expect=sm.config))
save_figure(mlp_regions_figure(data, perceptron, net), [out.regions_png, out.regions_svg])
history = read_table(sm.input.history, expect=sm.config)
save_figure(mlp_training_figure(history), [out.training_png, out.training_svg])
