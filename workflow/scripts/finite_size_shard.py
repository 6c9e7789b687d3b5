"""Finite-size study: T = 0 runs to a fixed point over the loads for one network size N."""

from statnn.hopfield import finite_size_retrieval
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.progress import track

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
f, seed = sm.params.cfg, sm.params.seed  # the finite_size runs' slice, n_neurons = this N
n = f["n_neurons"]
with timed(f"N = {n}: {len(f['alpha'])} loads x {f['replicas']} replicas, "
           f"at most {f['max_sweeps']} sweeps each"), \
        track(f"N = {n}", len(f["alpha"]) * f["replicas"], "runs"):
    df = finite_size_retrieval(n, f["alpha"], f["replicas"], f["max_sweeps"], f["cue_noise"],
                               seed, kernel=f["kernel"], n_threads=sm.threads)
write_table(df, sm.output.table, config=f, seed=seed)
