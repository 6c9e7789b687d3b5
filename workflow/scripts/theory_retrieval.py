"""AGS replica-symmetric retrieval overlap on the grid, plus the T_M and T_g lines."""

import numpy as np
import pandas as pd

from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.theory import retrieval_line, retrieval_table, spin_glass_temperature

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
p = sm.params
meta = {"alpha": p.alpha, "temperature": p.temperature}
with timed(f"AGS theory on {len(p.alpha)} x {len(p.temperature)} grid"):
    table = retrieval_table(p.alpha, p.temperature)
write_table(table, sm.output.retrieval, config=meta, seed=p.seed)
tm = retrieval_line().assign(line="retrieval T_M")
alphas = np.linspace(0.0, max(p.alpha), 200)
tg = pd.DataFrame({"alpha": alphas, "temperature": spin_glass_temperature(alphas),
                   "line": "spin glass T_g"})
write_table(pd.concat([tm, tg], ignore_index=True), sm.output.lines, config=meta, seed=p.seed)
