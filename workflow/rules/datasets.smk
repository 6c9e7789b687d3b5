"""Datasets: fruit samples and the stored patterns of the Hopfield grid."""


rule fruit_dataset:
    input:
        code=engine("fruit_dataset"),
    output:
        table=result("datasets/fruit.parquet"),
    log:
        result("logs/fruit_dataset.log"),
    benchmark:
        result("benchmarks/fruit_dataset.tsv")
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        cfg=table_config("fruit_dataset"),
        seed=config["seed"],
        names=", ".join(FRUIT_DATASETS),
    message:
        "Drawing fruit samples for datasets {params.names}"
    script:
        "../scripts/fruit_dataset.py"


rule stored_patterns:
    input:
        code=engine("stored_patterns"),
    output:
        table=result("datasets/patterns.parquet"),
    log:
        result("logs/stored_patterns.log"),
    benchmark:
        result("benchmarks/stored_patterns.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=table_config("stored_patterns"),
        seed=config["seed"],
    message:
        "Drawing {params.cfg[count]} random patterns x {params.cfg[replicas]} replicas, "
        "N = {params.cfg[n_neurons]}"
    script:
        "../scripts/stored_patterns.py"
