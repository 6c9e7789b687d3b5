"""One shard of the Hopfield grid: every temperature and replica at one load alpha."""

from statnn.hopfield import patterns_from_table, retrieval_shard
from statnn.io import read_table, write_table
from statnn.loads import n_patterns
from statnn.pipeline import setup_logging, timed
from statnn.progress import track

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
h, seed = sm.params.cfg, sm.params.seed  # the hopfield section, alpha = this shard's load
table = read_table(sm.input.patterns, columns=("replica", "pattern", "bits"), expect=sm.config)
count = n_patterns(h["alpha"], h["n_neurons"])
patterns = [patterns_from_table(table, r, count) for r in range(h["replicas"])]
with timed(f"alpha = {h['alpha']}: P = {count}, {len(h['temperature'])} T x {h['replicas']} "
           f"replicas x {h['sweeps']} sweeps"), \
        track(f"alpha = {h['alpha']}", len(h["temperature"]) * h["replicas"], "runs"):
    df = retrieval_shard(patterns, h["alpha"], h["temperature"], h["sweeps"], h["cue_noise"],
                         seed, kernel=h["kernel"], n_threads=sm.threads)
write_table(df, sm.output.table, config=h, seed=seed)
