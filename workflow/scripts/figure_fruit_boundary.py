"""Scatter of weight vs sweetness by fruit with each learned decision line."""

from statnn.io import read_table
from statnn.plots import fruit_boundary_figure, save_figure, use_style

sm = snakemake  # noqa: F821
use_style(sm.input.style)
fruit = read_table(sm.input.fruit, columns=("dataset", "fruit", "weight_g", "sweetness"),
                   expect=sm.config)
models = {n: read_table(f, expect=sm.config)
          for n, f in zip(sm.params.datasets, sm.input.models, strict=True)}
save_figure(fruit_boundary_figure(fruit, models), sm.output)
