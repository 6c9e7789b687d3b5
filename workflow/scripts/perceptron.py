"""Train the perceptron(s) of one fruit dataset; write the model and per-epoch history."""

from statnn.fruit import FEATURES
from statnn.io import read_table, write_table
from statnn.perceptron import fit_fruit_perceptrons
from statnn.pipeline import setup_logging, timed

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
cfg, seed = sm.params.cfg, sm.params.seed  # {"fruit": its spec, "perceptron", "dataset"}
name = cfg["dataset"]
fruit = read_table(sm.input.fruit, columns=("dataset", "fruit", *FEATURES), expect=sm.config)
data = fruit[fruit["dataset"] == name]
with timed(f"perceptron on {name}"):
    models, history = fit_fruit_perceptrons(
        data,
        FEATURES,
        max_epochs=cfg["perceptron"]["max_epochs"],
        shuffle=cfg["perceptron"]["shuffle"],
        seed=seed,
    )
for r in models.itertuples():
    log.info(
        "%s vs %s: LP says %s; perceptron %s after %d epochs (%d mistakes), accuracy %.3f",
        r.positive, r.negative, "separable" if r.separable_lp else "NOT separable",
        r.stop_reason, r.epochs, r.total_mistakes, r.train_accuracy,
    )
models.insert(0, "dataset", name)
history.insert(0, "dataset", name)
write_table(models, sm.output.model, config=cfg, seed=seed)
write_table(history, sm.output.history, config=cfg, seed=seed)
