"""Synchronous sequence recall over the loads and temperatures for one network size N."""

import pandas as pd

from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.sequences import capacity_runs

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
c, seed = sm.params.cfg, sm.params.seed  # the capacity runs' slice, n_neurons = this N
n = c["n_neurons"]
rows = []
with timed(f"N = {n}: {len(c['alpha'])} loads x {len(c['temperature'])} temperatures x "
           f"{c['replicas']} replicas, {c['cycles']} cycles each"):
    for k, alpha in enumerate(c["alpha"]):
        rows += capacity_runs(n, alpha, c["temperature"], c["replicas"], c["cycles"],
                              c["recall_overlap"], seed)
        log.info("alpha = %g done (%d of %d loads)", alpha, k + 1, len(c["alpha"]))
write_table(pd.DataFrame(rows), sm.output.table, config=c, seed=seed)
