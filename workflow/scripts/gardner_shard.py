"""Gardner: kappa_max of random dichotomies at one load, by the QP and by AdaTron. Trials
already in the load's cache (an earlier run with fewer trials) are reused, the others computed
(statnn.sweeps)."""

import pandas as pd

from statnn.capacity import GARDNER_COLUMNS, gardner_trial
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.sources import code_digest
from statnn.sweeps import cache_dir, cached_points

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
g, seed = sm.params.cfg, sm.params.seed  # the gardner slice, alpha = this job's load
key = {"seed": seed, "n_inputs": g["n_inputs"], "alpha": g["alpha"],
       "adatron_sweeps": g["adatron_sweeps"], "code": code_digest(sm.input.code)}


def compute(missing):
    return pd.DataFrame([gardner_trial(g["n_inputs"], g["alpha"], t, seed,
                                       max_sweeps=g["adatron_sweeps"]) for (t,) in missing],
                        columns=GARDNER_COLUMNS)


with timed(f"gardner: N = {g['n_inputs']}, alpha = {g['alpha']}, {g['trials']} trials"):
    table, _, _ = cached_points(cache_dir(sm.config, "gardner"), key, ("trial",),
                                [(t,) for t in range(g["trials"])], compute)
sep = table["kappa_max"] > 0
conv = sep & table["adatron_converged"]
diff = (table["kappa_max"] - table["kappa_adatron"])[conv].abs()
log.info("alpha = %g (P = %d): %d/%d separable, median kappa_max %.4f; AdaTron converged on "
         "%d, largest |kappa_QP - kappa_AdaTron| there %.2e", g["alpha"],
         table["n_patterns"].iloc[0], sep.sum(), len(table), table["kappa_max"].median(),
         conv.sum(), diff.max() if len(diff) else float("nan"))
write_table(table, sm.output.table, config=g, seed=seed)
