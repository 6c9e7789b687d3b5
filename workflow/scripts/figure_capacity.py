"""Separable fraction of random dichotomies vs alpha against Cover, and epochs to converge."""

import numpy as np
import pandas as pd

from statnn.capacity import separable_fraction_summary
from statnn.io import read_table
from statnn.plots import capacity_figure, save_figure, use_style
from statnn.theory import cover_separable_probability

sm = snakemake  # noqa: F821
use_style(sm.input.style)
table = read_table(sm.input.capacity, columns=("n_inputs", "n_patterns", "alpha", "trial",
                                               "separable"), expect=sm.config)
summary = separable_fraction_summary(table)
n = int(table["n_inputs"].iloc[0])
p = np.arange(1, int(np.ceil(table["alpha"].max() * n * 1.05)) + 1)
cover = pd.DataFrame({"alpha": p / n,
                      "probability": [cover_separable_probability(int(k), n) for k in p]})
save_figure(capacity_figure(summary, cover), sm.output)
