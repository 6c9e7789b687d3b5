"""Phase diagram: final overlap over (alpha, T) with T_M and T_g on top."""

from statnn.io import read_table
from statnn.plots import phase_diagram_figure, save_figure, use_style

sm = snakemake  # noqa: F821
use_style(sm.input.style)
grid = read_table(sm.input.grid, columns=("n_neurons", "alpha", "temperature", "overlap"),
                  expect=sm.config)
lines = read_table(sm.input.lines, columns=("alpha", "temperature", "line"), expect=sm.config)
save_figure(phase_diagram_figure(grid, lines), sm.output)
