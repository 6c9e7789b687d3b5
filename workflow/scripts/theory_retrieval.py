"""AGS replica-symmetric theory for the Hopfield grid: the overlap at every grid point, the
T_M and T_g lines, and the curves the figures and the report draw (AGS against load at the
lowest T and against T at the smallest load, Curie–Weiss, alpha_c)."""

import numpy as np
import pandas as pd

from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.theory import (
    load_curve,
    retrieval_line,
    retrieval_table,
    spin_glass_temperature,
    temperature_curves,
)

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
cfg, seed = sm.params.cfg, sm.params.seed
alpha, temperature = cfg["alpha"], cfg["temperature"]
with timed(f"AGS theory on {len(alpha)} x {len(temperature)} grid"):
    table = retrieval_table(alpha, temperature)
write_table(table, sm.output.retrieval, config=cfg, seed=seed)
tm = retrieval_line().assign(line="retrieval T_M")
alphas = np.linspace(0.0, max(alpha), 200)
tg = pd.DataFrame({"alpha": alphas, "temperature": spin_glass_temperature(alphas),
                   "line": "spin glass T_g"})
write_table(pd.concat([tm, tg], ignore_index=True), sm.output.lines, config=cfg, seed=seed)
with timed("AGS and Curie-Weiss curves"):
    curves = pd.concat([load_curve(alpha, min(temperature)),
                        temperature_curves(min(alpha), temperature)], ignore_index=True)
write_table(curves, sm.output.curves, config=cfg, seed=seed)
