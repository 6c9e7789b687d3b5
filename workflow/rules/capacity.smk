"""What a perceptron can and cannot learn: Cover capacity and a multilayer network."""


rule capacity:
    input:
        code=engine(
            "capacity", "perceptron", "separability", "theory", "rng", "pipeline"
        ),
    output:
        table=report(
            result("capacity/capacity.parquet"),
            caption="../report/tables.rst",
            category="Tables",
        ),
    log:
        result("logs/capacity.log"),
    benchmark:
        result("benchmarks/capacity.tsv")
    conda:
        ENV
    threads: 2
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        c=config["capacity"],
        seed=config["seed"],
    message:
        "Cover capacity: {params.c[trials]} random dichotomies per load at N = {params.c[n_inputs]}"
    script:
        "../scripts/capacity.py"


rule mlp:
    input:
        fruit=rules.fruit_dataset.output.table,
        code=engine("mlp", "fruit", "rng", "pipeline"),
    output:
        network=result("mlp/network.parquet"),
        history=result("mlp/history.parquet"),
    log:
        result("logs/mlp.log"),
    benchmark:
        result("benchmarks/mlp.tsv")
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        mlp=config["mlp"],
        fruit=config["fruit"],
        seed=config["seed"],
    message:
        "Training a multilayer network on fruit dataset {params.mlp[dataset]}"
    script:
        "../scripts/mlp.py"
