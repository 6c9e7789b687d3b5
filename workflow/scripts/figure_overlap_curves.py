"""Overlap vs alpha at the lowest T and vs T at the smallest alpha, against theory."""

import numpy as np
import pandas as pd

from statnn.io import read_table
from statnn.plots import (
    overlap_vs_alpha_figure,
    overlap_vs_temperature_figure,
    save_figure,
    use_style,
)
from statnn.theory import curie_weiss_magnetization, retrieval_table

sm = snakemake  # noqa: F821
out = sm.output
use_style(sm.input.style)
grid = read_table(sm.input.grid, expect=sm.config, columns=("alpha", "temperature", "overlap",
                                          "overlap_time_mean"))
t0, a0 = grid["temperature"].min(), grid["alpha"].min()
alphas = np.linspace(0.0, grid["alpha"].max() * 1.05, 300)[1:]
fig = overlap_vs_alpha_figure(grid, retrieval_table(alphas, [t0]))
save_figure(fig, [out.alpha_png, out.alpha_svg])
temps = np.linspace(0.0, grid["temperature"].max() * 1.05, 300)
cw = pd.DataFrame({"temperature": temps,
                   "overlap": [curie_weiss_magnetization(t) for t in temps]})
fig = overlap_vs_temperature_figure(grid, cw, retrieval_table([a0], temps))
save_figure(fig, [out.temperature_png, out.temperature_svg])
