"""Energy vs sweeps at T = 0: symmetric vs asymmetric couplings."""

from statnn.io import read_table
from statnn.plots import energy_descent_figure, save_figure, use_style

sm = snakemake  # noqa: F821
use_style(sm.input.style)
descent = read_table(sm.input.descent, expect=sm.config, columns=("couplings", "run", "sweep",
                                                "energy_per_neuron"))
save_figure(energy_descent_figure(descent), sm.output)
