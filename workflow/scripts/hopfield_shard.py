"""One shard of the Hopfield grid: every temperature and replica at one load alpha. Points
already in the shard's cache (an earlier run with fewer temperatures or replicas) are reused,
the others computed (statnn.sweeps)."""

from statnn.hopfield import retrieval_points
from statnn.io import write_table
from statnn.pipeline import setup_logging
from statnn.progress import track
from statnn.sources import code_digest
from statnn.sweeps import cache_dir, cached_points

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
h, seed = sm.params.cfg, sm.params.seed  # the hopfield rows' keys, alpha = this shard's load
n, alpha = h["n_neurons"], h["alpha"]
kernel = sm.config["hopfield"]["kernel"]  # speed only: no param, changing it reruns nothing
key = {"seed": seed, "n_neurons": n, "alpha": alpha, "sweeps": h["sweeps"],
       "cue_noise": h["cue_noise"], "code": code_digest(sm.input.code)}
points = [(float(T), r) for r in range(h["replicas"]) for T in h["temperature"]]


def compute(missing):
    with track(f"alpha = {alpha}", len(missing), "runs"):
        return retrieval_points(n, alpha, missing, h["sweeps"], h["cue_noise"], seed,
                                kernel=kernel, n_threads=sm.threads)


df, _, _ = cached_points(cache_dir(sm.config, "hopfield"), key, ("temperature", "replica"),
                         points, compute)
write_table(df, sm.output.table, config=h, seed=seed)
