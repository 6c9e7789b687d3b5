"""Datasets: fruit samples (and, in later stages, stored patterns)."""


rule fruit_dataset:
    input:
        code=engine("fruit", "rng"),
    output:
        table=result("datasets/fruit.parquet"),
    log:
        result("logs/fruit_dataset.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=500,
        runtime=5,
    params:
        fruit=config["fruit"],
        seed=config["seed"],
        names=", ".join(FRUIT_DATASETS),
    message:
        "Drawing fruit samples for datasets {params.names}"
    script:
        "../scripts/fruit_dataset.py"
