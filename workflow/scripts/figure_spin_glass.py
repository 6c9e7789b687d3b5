"""SK in equilibrium: P(q), Binder ratio, e0(N) with its extrapolation, the identity."""

from statnn.io import read_table
from statnn.plots import save_figure, spin_glass_figure, use_style
from statnn.theory import PARISI_GROUND_STATE_ENERGY

sm = snakemake  # noqa: F821
use_style(sm.input.style)
inp, cfg = sm.input, sm.config
eq = read_table(inp.equilibrium, columns=("n_neurons", "temperature", "energy_per_spin",
                                          "energy_se", "identity", "identity_se"), expect=cfg)
dist = read_table(inp.overlap_distribution, columns=("n_neurons", "temperature", "q",
                                                     "density"), expect=cfg)
binder = read_table(inp.binder, columns=("n_neurons", "temperature", "binder", "binder_se"),
                    expect=cfg)
ground = read_table(inp.ground_state, columns=("n_neurons", "energy_per_spin", "energy_se"),
                    expect=cfg)
fit = read_table(inp.extrapolation, columns=("energy_infinity", "energy_infinity_se", "slope"),
                 expect=cfg).iloc[0]
save_figure(spin_glass_figure(eq, dist, binder, ground, fit, PARISI_GROUND_STATE_ENERGY),
            sm.output)
