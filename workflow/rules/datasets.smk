"""Datasets: fruit samples (the Hopfield jobs draw their stored patterns themselves)."""


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
