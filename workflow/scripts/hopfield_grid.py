"""Gather the shards into hopfield/grid.parquet, one row per (N, alpha, T, replica)."""

import pandas as pd

from statnn.io import read_table, write_table
from statnn.pipeline import setup_logging

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
h, seed = sm.params.cfg, sm.params.seed
frames = [read_table(f, columns=("n_neurons", "alpha", "temperature", "replica", "overlap"),
                     expect=sm.config) for f in sm.input.shards]
grid = pd.concat(frames, ignore_index=True).sort_values(
    ["n_neurons", "alpha", "temperature", "replica"], ignore_index=True
)
write_table(grid, sm.output.table, config=h, seed=seed)
log.info("grid: %d rows from %d shards", len(grid), len(frames))
