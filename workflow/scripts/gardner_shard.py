"""Gardner: kappa_max of random dichotomies at one load, by the QP and by AdaTron."""

from statnn.capacity import gardner_table
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
g, seed = sm.params.cfg, sm.params.seed  # the gardner slice, alpha = this job's load
with timed(f"gardner: N = {g['n_inputs']}, alpha = {g['alpha']}, {g['trials']} trials"):
    table = gardner_table(g["n_inputs"], g["alpha"], g["trials"], seed,
                          max_sweeps=g["adatron_sweeps"])
sep = table["kappa_max"] > 0
conv = sep & table["adatron_converged"]
diff = (table["kappa_max"] - table["kappa_adatron"])[conv].abs()
log.info("alpha = %g (P = %d): %d/%d separable, median kappa_max %.4f; AdaTron converged on "
         "%d, largest |kappa_QP - kappa_AdaTron| there %.2e", g["alpha"],
         table["n_patterns"].iloc[0], sep.sum(), len(table), table["kappa_max"].median(),
         conv.sum(), diff.max() if len(diff) else float("nan"))
write_table(table, sm.output.table, config=g, seed=seed)
