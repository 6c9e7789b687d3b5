"""Draw the fruit datasets of the config into datasets/fruit.parquet."""

from statnn.fruit import all_fruit
from statnn.io import write_table
from statnn.pipeline import setup_logging, timed

log = setup_logging(snakemake.log[0])  # noqa: F821
p = snakemake.params  # noqa: F821
with timed("fruit datasets"):
    df = all_fruit(p.fruit, p.seed)
    write_table(df, snakemake.output.table, config=p.fruit, seed=p.seed)  # noqa: F821
log.info("wrote %d samples to %s", len(df), snakemake.output.table)  # noqa: F821
