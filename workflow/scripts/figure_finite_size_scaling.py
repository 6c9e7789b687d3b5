"""alpha_c(N) against N^(-omega) with the fit, the RS and the one-step RSB capacity."""

from statnn.io import read_table
from statnn.plots import finite_size_scaling_figure, save_figure, use_style
from statnn.theory import ONE_STEP_RSB_CRITICAL_LOAD

sm = snakemake  # noqa: F821
use_style(sm.input.style)
critical = read_table(sm.input.critical, expect=sm.config,
                      columns=("n_neurons", "alpha_c", "alpha_c_se"))
fit = read_table(sm.input.extrapolation, expect=sm.config).iloc[0]
theory = read_table(sm.input.theory, expect=sm.config, columns=("curve", "alpha"))
rs = theory.loc[theory["curve"] == "critical_load", "alpha"].iloc[0]
fig = finite_size_scaling_figure(critical, fit, rs, ONE_STEP_RSB_CRITICAL_LOAD)
save_figure(fig, sm.output)
