"""Random dichotomies at each load: LP separability, perceptron convergence, Cover's curve.
Points already in the cache (an earlier run with fewer loads or trials) are reused, the others
computed (statnn.sweeps)."""

from statnn.capacity import capacity_points
from statnn.io import write_table
from statnn.loads import check_alpha
from statnn.pipeline import setup_logging, timed
from statnn.progress import track
from statnn.sources import code_digest
from statnn.sweeps import cache_dir, cached_points

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
c, seed = sm.params.cfg, sm.params.seed
key = {"seed": seed, "n_inputs": c["n_inputs"], "max_epochs": c["max_epochs"],
       "code": code_digest(sm.input.code)}
points = [(check_alpha(a), t) for a in c["alpha"] for t in range(c["trials"])]


def compute(missing):
    with track("capacity", len(missing), "trials"):
        return capacity_points(c["n_inputs"], missing, seed, max_epochs=c["max_epochs"],
                               n_jobs=sm.threads)


with timed(f"capacity: N = {c['n_inputs']}, {len(c['alpha'])} loads x {c['trials']} trials"):
    table, _, _ = cached_points(cache_dir(sm.config, "capacity"), key, ("alpha", "trial"),
                                points, compute)
write_table(table, sm.output.table, config=c, seed=seed)
