"""Fraction of random dichotomies with kappa_max >= kappa against alpha, for several kappa."""

import numpy as np
import pandas as pd

from statnn.capacity import GARDNER_COLUMNS, margin_fraction_summary
from statnn.io import read_table
from statnn.plots import gardner_fractions_figure, save_figure, use_style
from statnn.theory import cover_separable_probability

sm = snakemake  # noqa: F821
use_style(sm.input.style)
table = read_table(sm.input.gardner, columns=GARDNER_COLUMNS, expect=sm.config)
n = int(table["n_inputs"].iloc[0])
p = np.arange(1, int(np.ceil(table["alpha"].max() * n * 1.05)) + 1)
cover = pd.DataFrame({"alpha": p / n,
                      "probability": [cover_separable_probability(int(k), n) for k in p]})
fractions = margin_fraction_summary(table, sm.params.kappa)
save_figure(gardner_fractions_figure(fractions, cover), sm.output)
