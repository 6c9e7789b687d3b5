"""SK spin glass in equilibrium: parallel tempering over sizes and disorder samples. Samples
already in the cache (an earlier run with fewer sizes or samples, the same ladder) are reused,
the others computed (statnn.sweeps); the temperatures of the ladder are coupled by the swaps,
so another ladder computes everything."""

import numpy as np

from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.progress import track
from statnn.sources import code_digest
from statnn.spin_glass import averages_from_table, samples_table, tables_from_averages
from statnn.sweeps import cache_dir, cached_points

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
sk, seed = sm.params.cfg, sm.params.seed
ladder = np.unique(np.asarray(sk["temperature"], dtype=np.float64))
sizes = sorted({int(n) for n in sk["n_neurons"]})
key = {"seed": seed, "temperature": ladder.tolist(), "sweeps": sk["sweeps"],
       "code": code_digest(sm.input.code)}
points = [(n, s) for n in sizes for s in range(sk["samples"])]


def compute(missing):
    with track("SK", len(missing), "samples"):
        return samples_table(missing, ladder, sk["sweeps"], seed)


with timed(f"SK parallel tempering, N = {sizes}, {sk['samples']} samples"):
    rows, _, _ = cached_points(cache_dir(sm.config, "spin_glass"), key, ("n_neurons", "sample"),
                               points, compute)
tables = tables_from_averages(
    ladder, [averages_from_table(rows[rows["n_neurons"] == n], ladder) for n in sizes])
for name, df in tables.items():
    write_table(df, sm.output[name], config=sk, seed=seed)
