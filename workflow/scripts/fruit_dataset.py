"""Draw the fruit datasets of the config into datasets/fruit.parquet."""

from statnn.fruit import all_fruit
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
fruit, seed = sm.params.cfg, sm.params.seed
with timed("fruit datasets"):
    df = all_fruit(fruit, seed)
    write_table(df, sm.output.table, config=fruit, seed=seed)
log.info("wrote %d samples to %s", len(df), sm.output.table)
