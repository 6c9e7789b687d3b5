"""Random ±1 patterns for every replica of the Hopfield grid -> datasets/patterns.parquet."""

from statnn.hopfield import patterns_table
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
p = sm.params
with timed(f"{p.n_patterns} patterns x {p.replicas} replicas at N = {p.n}"):
    table = patterns_table(p.n, p.n_patterns, p.replicas, p.seed)
meta = {"n_neurons": p.n, "replicas": p.replicas, "count": p.n_patterns}
write_table(table, sm.output.table, config=meta, seed=p.seed)
