"""Gather the Gardner shards into capacity/gardner.parquet."""

import pandas as pd

from statnn.capacity import GARDNER_COLUMNS, stability_summary
from statnn.io import read_table, write_table
from statnn.pipeline import setup_logging

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
g, seed = sm.params.cfg, sm.params.seed
frames = [read_table(p, columns=GARDNER_COLUMNS, expect=sm.config) for p in sm.input.shards]
table = pd.concat(frames, ignore_index=True).sort_values(["alpha", "trial"], ignore_index=True)
write_table(table, sm.output.table, config=g, seed=seed)
for r in stability_summary(table).itertuples():
    log.info("alpha = %g: median kappa_max %.4f (Gardner %.4f), separable %.2f; AdaTron "
             "converged on %.0f%% of those, largest difference from the QP %.1e", r.alpha,
             r.median, r.theory, r.separable, 100 * r.adatron_converged, r.adatron_difference)
