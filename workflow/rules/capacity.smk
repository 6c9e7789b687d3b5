"""What a perceptron can and cannot learn: Cover capacity and a multilayer network."""


rule capacity:
    input:
        code=engine("capacity"),
    output:
        table=report_table("capacity/capacity.parquet"),
    log:
        result("logs/capacity.log"),
    benchmark:
        result("benchmarks/capacity.tsv")
    threads: 2
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        cfg=table_config("capacity"),
        seed=config["seed"],
    message:
        "Cover capacity: {params.cfg[trials]} random dichotomies per load at N = {params.cfg[n_inputs]}"
    script:
        "../scripts/capacity.py"


rule mlp:
    input:
        fruit=rules.fruit_dataset.output.table,
        code=engine("mlp"),
    output:
        network=result("mlp/network.parquet"),
        history=result("mlp/history.parquet"),
    log:
        result("logs/mlp.log"),
    benchmark:
        result("benchmarks/mlp.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        cfg=table_config("mlp"),
        seed=config["seed"],
    message:
        "Training a multilayer network on fruit dataset {params.cfg[dataset]}"
    script:
        "../scripts/mlp.py"
