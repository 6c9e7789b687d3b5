"""Random ±1 patterns for every replica of the Hopfield grid -> datasets/patterns.parquet."""

from statnn.hopfield import patterns_table
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
p, seed = sm.params.cfg, sm.params.seed  # n_neurons, replicas, count (for the largest load)
with timed(f"{p['count']} patterns x {p['replicas']} replicas at N = {p['n_neurons']}"):
    table = patterns_table(p["n_neurons"], p["count"], p["replicas"], seed)
write_table(table, sm.output.table, config=p, seed=seed)
