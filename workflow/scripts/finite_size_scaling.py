"""alpha_c(N) from the finite-size runs and its extrapolation to N -> infinity."""

import pandas as pd

from statnn.finite_size import critical_loads, extrapolate
from statnn.io import read_table, write_table
from statnn.pipeline import setup_logging

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
f, seed = sm.params.cfg, sm.params.seed
runs = read_table(sm.input.table, expect=sm.config,
                  columns=("n_neurons", "alpha", "replica", "overlap"))
critical = critical_loads(runs, f["retrieval_overlap"], f["bootstrap"], seed)
for row in critical.itertuples():
    log.info("N = %d: alpha_c = %.4f +- %.4f", row.n_neurons, row.alpha_c, row.alpha_c_se)
fit = extrapolate(critical["n_neurons"], critical["alpha_c"], critical["alpha_c_se"],
                  f["scaling_exponent"])
log.info("alpha_c(inf) = %.4f +- %.4f (chi2 = %.2f, dof = %d)", fit["alpha_c_infinity"],
         fit["alpha_c_infinity_se"], fit["chi2"], fit["dof"])
write_table(critical, sm.output.critical, config=f, seed=seed)
write_table(pd.DataFrame([fit]), sm.output.extrapolation, config=f, seed=seed)
