"""The two sequence figures (one job: one matplotlib start): overlaps m_mu(t) of both models
as lines and heat maps; recalled fraction against load per N and T with the theory alpha_c,
and dwell time against delay."""

from statnn.io import read_table
from statnn.plots import save_figure, use_style
from statnn.sequence_plots import sequence_capacity_figure, sequence_overlaps_figure
from statnn.theory import SEQUENCE_CRITICAL_LOAD

sm = snakemake  # noqa: F821
inp, out = sm.input, sm.output
use_style(inp.style)
traj = read_table(inp.trajectories, expect=sm.config,
                  columns=("model", "temperature", "replica", "time", "pattern", "overlap"))
save_figure(sequence_overlaps_figure(traj), [out.overlaps_png, out.overlaps_svg])
capacity = read_table(inp.capacity, expect=sm.config,
                      columns=("n_neurons", "alpha", "temperature", "recalled"))
critical = read_table(inp.critical, expect=sm.config,
                      columns=("n_neurons", "temperature", "alpha_c", "alpha_c_se"))
dwell = read_table(inp.dwell, expect=sm.config,
                   columns=("temperature", "delay", "dwell_mean", "dwell_se"))
fig = sequence_capacity_figure(capacity, critical, dwell, SEQUENCE_CRITICAL_LOAD)
save_figure(fig, [out.capacity_png, out.capacity_svg])
