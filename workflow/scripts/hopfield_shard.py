"""One shard of the Hopfield grid: every temperature and replica at one load alpha."""

from statnn.hopfield import n_patterns, patterns_from_table, retrieval_shard
from statnn.io import read_table, write_table
from statnn.pipeline import setup_logging, timed

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
p = sm.params
h = p.hopfield
table = read_table(sm.input.patterns, columns=("replica", "pattern", "bits"),
                   config=p.patterns, seed=p.seed)
count = n_patterns(p.alpha, h["n_neurons"])
patterns = [patterns_from_table(table, r, count) for r in range(h["replicas"])]
with timed(f"alpha = {p.alpha}: P = {count}, {len(h['temperature'])} T x {h['replicas']} "
           f"replicas x {h['sweeps']} sweeps"):
    df = retrieval_shard(patterns, p.alpha, h["temperature"], h["sweeps"], h["cue_noise"],
                         p.seed, kernel=h["kernel"], n_threads=sm.threads)
write_table(df, sm.output.table, config=h | {"alpha": p.alpha}, seed=p.seed)
