"""Retrieval at T = 0 vs alpha for several N against the theory's overlap and alpha_c."""

from statnn.io import read_table
from statnn.plots import finite_size_figure, save_figure, use_style

sm = snakemake  # noqa: F821
use_style(sm.input.style)
table = read_table(sm.input.table, expect=sm.config, columns=("n_neurons", "alpha", "overlap"))
theory = read_table(sm.input.theory, expect=sm.config,
                    columns=("curve", "alpha", "temperature", "overlap"))
critical = theory[theory["curve"] == "critical_load"].iloc[0]
fig = finite_size_figure(table, theory[theory["curve"] == "ags_vs_alpha"], critical["alpha"])
save_figure(fig, sm.output)
