"""Train the multilayer network on a non-separable fruit dataset; write weights and history."""

import numpy as np

from statnn.fruit import FEATURES, RIPE
from statnn.io import read_table, write_table
from statnn.mlp import network_table, train_mlp
from statnn.pipeline import setup_logging, timed

sm = snakemake  # noqa: F821
log = setup_logging(sm.log[0])
m, seed = sm.params.cfg, sm.params.seed
fruit = read_table(sm.input.fruit, columns=("dataset", "fruit", *FEATURES), expect=sm.config)
data = fruit[fruit["dataset"] == m["dataset"]]
x = data[list(FEATURES)].to_numpy(float)
y = (data["fruit"].to_numpy() == RIPE).astype(int)
sizes = [x.shape[1], *m["hidden_layers"], 1]
with timed(f"MLP {sizes} ({m['activation']}) for {m['epochs']} epochs"):
    net, history = train_mlp(x, y, sizes, m["activation"], m["epochs"], m["batch_size"],
                             m["learning_rate"], seed, momentum=m["momentum"])
log.info("final loss %.4f, training accuracy %.4f (%d of %d ripe)", history["loss"].iloc[-1],
         history["accuracy"].iloc[-1], int(np.sum(y)), len(y))
history.insert(0, "dataset", m["dataset"])
write_table(network_table(net), sm.output.network, config=m, seed=seed)
write_table(history, sm.output.history, config=m, seed=seed)
