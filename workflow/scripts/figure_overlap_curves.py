"""Overlap vs alpha at the lowest T and vs T at the smallest alpha, against theory."""

from statnn.io import read_table
from statnn.plots import (
    overlap_vs_alpha_figure,
    overlap_vs_temperature_figure,
    save_figure,
    use_style,
)

sm = snakemake  # noqa: F821
out = sm.output
use_style(sm.input.style)
grid = read_table(sm.input.grid, expect=sm.config, columns=("alpha", "temperature", "overlap",
                                                            "overlap_time_mean"))
curves = read_table(sm.input.curves, expect=sm.config,
                    columns=("curve", "alpha", "temperature", "overlap"))
curve = dict(tuple(curves.groupby("curve")))
alpha_c = curve["critical_load"]["alpha"].iloc[0]  # at the lowest T, as the curve
fig = overlap_vs_alpha_figure(grid, curve["ags_vs_alpha"], alpha_c)
save_figure(fig, [out.alpha_png, out.alpha_svg])
fig = overlap_vs_temperature_figure(grid, curve["curie_weiss"], curve["ags_vs_temperature"])
save_figure(fig, [out.temperature_png, out.temperature_svg])
