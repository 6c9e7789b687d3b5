"""SK spin glass in equilibrium: parallel tempering over sizes and disorder samples."""

from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.progress import track
from statnn.spin_glass import equilibrium_tables

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
sk, seed = sm.params.cfg, sm.params.seed
sizes = len(set(sk["n_neurons"])) if isinstance(sk["n_neurons"], list) else 1
with timed(f"SK parallel tempering, N = {sk['n_neurons']}, {sk['samples']} samples"), \
        track("SK", sizes * sk["samples"], "samples"):
    tables = equilibrium_tables(sk["n_neurons"], sk["temperature"], sk["samples"],
                                sk["sweeps"], seed)
for name, df in tables.items():
    write_table(df, sm.output[name], config=sk, seed=seed)
