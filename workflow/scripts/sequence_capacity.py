"""Gather the sequence-capacity shards; alpha_c(N, T) where the recalled fraction crosses 1/2."""

import pandas as pd

from statnn.io import read_table, write_table
from statnn.pipeline import setup_logging
from statnn.sequences import critical_loads

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
c, seed = sm.params.cfg, sm.params.seed  # the whole sequences.capacity section
columns = ("n_neurons", "alpha", "temperature", "replica", "recalled", "min_overlap")
frames = [read_table(path, columns=columns, expect=sm.config) for path in sm.input.shards]
table = pd.concat(frames, ignore_index=True).sort_values(
    ["n_neurons", "temperature", "alpha", "replica"], ignore_index=True)
log.info("sequence capacity: %d runs for N = %s, %d recalled", len(table), c["n_neurons"],
         int(table["recalled"].sum()))
critical = critical_loads(table, c["bootstrap"], seed)
for row in critical.itertuples():
    log.info("N = %d, T = %g: alpha_c = %.4f +- %.4f", row.n_neurons, row.temperature,
             row.alpha_c, row.alpha_c_se)
write_table(table, sm.output.table, config=c, seed=seed)
write_table(critical, sm.output.critical, config=c, seed=seed)
