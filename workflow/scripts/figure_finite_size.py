"""Retrieval at T = 0 vs alpha for several N against the theory's alpha_c."""

import numpy as np

from statnn.io import read_table
from statnn.plots import finite_size_figure, save_figure, use_style
from statnn.theory import critical_load, retrieval_table

sm = snakemake  # noqa: F821
use_style(sm.input.style)
table = read_table(sm.input.table, expect=sm.config, columns=("n_neurons", "alpha", "overlap"))
alphas = np.linspace(0.0, table["alpha"].max() * 1.05, 300)[1:]
fig = finite_size_figure(table, retrieval_table(alphas, [0.0]), critical_load(0.0))
save_figure(fig, sm.output)
