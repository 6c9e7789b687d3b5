"""Train the perceptron(s) of one fruit dataset; write the model and per-epoch history."""

from statnn.fruit import FEATURES
from statnn.io import read_table, write_table
from statnn.perceptron import fit_fruit_perceptrons
from statnn.pipeline import setup_logging, timed

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
p = sm.params
name = sm.wildcards.dataset
fruit = read_table(sm.input.fruit, columns=("dataset", "fruit", *FEATURES), expect=sm.config)
data = fruit[fruit["dataset"] == name]
with timed(f"perceptron on {name}"):
    models, history = fit_fruit_perceptrons(
        data,
        FEATURES,
        max_epochs=p.perceptron["max_epochs"],
        shuffle=p.perceptron["shuffle"],
        seed=p.seed,
    )
for r in models.itertuples():
    log.info(
        "%s vs %s: LP says %s; perceptron %s after %d epochs (%d mistakes), accuracy %.3f",
        r.positive, r.negative, "separable" if r.separable_lp else "NOT separable",
        r.stop_reason, r.epochs, r.total_mistakes, r.train_accuracy,
    )
models.insert(0, "dataset", name)
history.insert(0, "dataset", name)
spec = {**p.fruit["datasets"], **p.fruit.get("bands", {})}[name]
meta = {"fruit": spec, "perceptron": p.perceptron, "dataset": name}
write_table(models, sm.output.model, config=meta, seed=p.seed)
write_table(history, sm.output.history, config=meta, seed=p.seed)
