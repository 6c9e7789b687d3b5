"""AGS retrieval overlap at T = 0 along the finite-size loads, and alpha_c(0)."""

from statnn.io import write_table
from statnn.pipeline import setup_logging, timed
from statnn.theory import load_curve

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
cfg, seed = sm.params.cfg, sm.params.seed
with timed(f"AGS overlap at T = 0 up to alpha = {max(cfg['alpha'])}"):
    curve = load_curve(cfg["alpha"], 0.0)
write_table(curve, sm.output.table, config=cfg, seed=seed)
