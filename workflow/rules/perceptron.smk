"""Rosenblatt perceptrons on the fruit datasets, with an exact LP separability check."""


rule perceptron:
    input:
        fruit=rules.fruit_dataset.output.table,
        code=engine("perceptron"),
    output:
        model=result("perceptron/{dataset}/model.parquet"),
        history=result("perceptron/{dataset}/history.parquet"),
    log:
        result("logs/perceptron/{dataset}.log"),
    benchmark:
        result("benchmarks/perceptron/{dataset}.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        cfg=table_config("perceptron"),
        seed=config["seed"],
    message:
        "Training perceptron(s) on fruit dataset {wildcards.dataset}"
    script:
        "../scripts/perceptron.py"
