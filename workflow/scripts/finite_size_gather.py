"""Gather the finite-size shards into finite_size/retrieval.parquet."""

import pandas as pd

from statnn.io import read_table, write_table
from statnn.pipeline import setup_logging

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
f, seed = sm.params.cfg, sm.params.seed
columns = ("n_neurons", "alpha", "replica", "overlap", "sweeps_run", "hit_cap")
frames = [read_table(path, columns=columns, expect=sm.config) for path in sm.input.shards]
table = pd.concat(frames, ignore_index=True).sort_values(
    ["n_neurons", "alpha", "replica"], ignore_index=True
)
write_table(table, sm.output.table, config=f, seed=seed)
log.info("finite size: %d rows for N = %s; %d runs hit the cap of %d sweeps", len(table),
         f["n_neurons"], int(table["hit_cap"].sum()), f["max_sweeps"])
