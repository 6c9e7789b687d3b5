"""SK spin glass annealed from high to low T: energy per spin and EA order parameter."""

from statnn.hopfield import sk_annealing
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
sk, seed = sm.params.cfg, sm.params.seed
with timed(f"SK annealing, N = {sk['n_neurons']}, {sk['samples']} samples"):
    df = sk_annealing(sk["n_neurons"], sk["temperature"], sk["sweeps"], sk["samples"], seed)
write_table(df, sm.output.table, config=sk, seed=seed)
