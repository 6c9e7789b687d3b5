"""Mistakes per epoch of the perceptron on each two-class dataset."""

from statnn.io import read_table
from statnn.plots import learning_curve_figure, save_figure, use_style

sm = snakemake  # noqa: F821
use_style(sm.input.style)
names = sm.params.datasets
models = {n: read_table(f, expect=sm.config) for n, f in zip(names, sm.input.models, strict=True)}
hist = {n: read_table(f, expect=sm.config, columns=("epoch", "mistakes")) for n, f in
        zip(names, sm.input.histories, strict=True)}
save_figure(learning_curve_figure(hist, models), sm.output)
