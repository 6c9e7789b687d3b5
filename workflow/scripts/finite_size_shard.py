"""Finite-size study: T = 0 runs to a fixed point over the loads for one network size N.
Points already in the size's cache (an earlier run with fewer loads or replicas) are reused,
the others computed (statnn.sweeps)."""

from statnn.hopfield import finite_size_points
from statnn.io import write_table
from statnn.pipeline import setup_logging
from statnn.progress import track
from statnn.sources import code_digest
from statnn.sweeps import cache_dir, cached_points

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
f, seed = sm.params.cfg, sm.params.seed  # the finite_size runs' slice, n_neurons = this N
n = f["n_neurons"]
kernel = sm.config["finite_size"]["kernel"]  # speed only: no param, changing it reruns nothing
key = {"seed": seed, "n_neurons": n, "max_sweeps": f["max_sweeps"],
       "cue_noise": f["cue_noise"], "code": code_digest(sm.input.code)}
points = [(float(a), r) for a in f["alpha"] for r in range(f["replicas"])]


def compute(missing):
    with track(f"N = {n}", len(missing), "runs"):
        return finite_size_points(n, missing, f["max_sweeps"], f["cue_noise"], seed,
                                  kernel=kernel, n_threads=sm.threads)


df, _, _ = cached_points(cache_dir(sm.config, "finite_size"), key, ("alpha", "replica"),
                         points, compute)
write_table(df, sm.output.table, config=f, seed=seed)
