"""SK energy per spin and EA order vs T, with the Parisi ground-state energy."""

import numpy as np
import pandas as pd

from statnn.io import read_table
from statnn.plots import save_figure, spin_glass_figure, use_style
from statnn.theory import PARISI_GROUND_STATE_ENERGY, sk_replica_symmetric

sm = snakemake  # noqa: F821
use_style(sm.input.style)
sk = read_table(sm.input.sk, columns=("n_neurons", "temperature", "energy_per_spin",
                                      "ea_overlap"), expect=sm.config)
temps = np.linspace(0.02, sk["temperature"].max(), 200)
rs = pd.DataFrame([(t, *sk_replica_symmetric(t)) for t in temps],
                  columns=["temperature", "q", "energy"])
save_figure(spin_glass_figure(sk, rs, PARISI_GROUND_STATE_ENERGY), sm.output)
