"""Energy per neuron along T = 0 trajectories for symmetric and asymmetric couplings."""

from statnn.hopfield import energy_descent
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
d, seed = sm.params.cfg, sm.params.seed
with timed("energy descent"):
    df = energy_descent(d["n_neurons"], d["alpha"], d["sweeps"], d["runs"], d["dilution"], seed)
write_table(df, sm.output.table, config=d, seed=seed)
