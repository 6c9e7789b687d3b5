"""Synchronous sequence recall over the loads and temperatures for one network size N.
Points already in the size's cache (an earlier run with fewer loads, temperatures or
replicas) are reused, the others computed (statnn.sweeps)."""

import pandas as pd

from statnn import progress
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.progress import track
from statnn.sequences import capacity_points
from statnn.sources import code_digest
from statnn.sweeps import cache_dir, cached_points

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
c, seed = sm.params.cfg, sm.params.seed  # the capacity runs' slice, n_neurons = this N
n = c["n_neurons"]
key = {"seed": seed, "n_neurons": n, "cycles": c["cycles"],
       "recall_overlap": c["recall_overlap"], "code": code_digest(sm.input.code)}
points = [(float(a), float(t), r) for a in c["alpha"] for t in c["temperature"]
          for r in range(c["replicas"])]


def compute(missing):
    rows = []
    with track(f"N = {n}", len(missing), "runs"):
        for alpha in dict.fromkeys(a for a, _, _ in missing):
            at = [(t, r) for a, t, r in missing if a == alpha]
            rows += capacity_points(n, alpha, at, c["cycles"], c["recall_overlap"], seed)
            progress.advance(len(at))
            log.info("alpha = %g: %d runs done", alpha, len(at))
    return pd.DataFrame(rows)


with timed(f"N = {n}: {len(c['alpha'])} loads x {len(c['temperature'])} temperatures x "
           f"{c['replicas']} replicas, {c['cycles']} cycles each"):
    table, _, _ = cached_points(cache_dir(sm.config, "sequences"), key,
                                ("alpha", "temperature", "replica"), points, compute)
write_table(table, sm.output.table, config=c, seed=seed)
