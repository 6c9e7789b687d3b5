"""kappa_max against alpha (median and spread) with Gardner's curve."""

import numpy as np
import pandas as pd

from statnn.capacity import GARDNER_COLUMNS, stability_summary
from statnn.io import read_table
from statnn.plots import gardner_stability_figure, save_figure, use_style
from statnn.theory import gardner_stability

sm = snakemake  # noqa: F821
use_style(sm.input.style)
table = read_table(sm.input.gardner, columns=GARDNER_COLUMNS, expect=sm.config)
alpha = np.linspace(min(0.2, table["alpha"].min()), 2.0, 200)
theory = pd.DataFrame({"alpha": alpha, "kappa": [gardner_stability(a) for a in alpha]})
save_figure(gardner_stability_figure(stability_summary(table), theory), sm.output)
