"""Random dichotomies at each load: LP separability, perceptron convergence, Cover's curve."""

from statnn.capacity import capacity_table
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.progress import track

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
c, seed = sm.params.cfg, sm.params.seed
with timed(f"capacity: N = {c['n_inputs']}, {len(c['alpha'])} loads x {c['trials']} trials"), \
        track("capacity", len(c["alpha"]) * c["trials"], "trials"):
    table = capacity_table(c["n_inputs"], c["alpha"], c["trials"], seed,
                           max_epochs=c["max_epochs"], n_jobs=sm.threads)
write_table(table, sm.output.table, config=c, seed=seed)
