"""Datasets: fruit samples (and, in later stages, stored patterns)."""


rule fruit_dataset:
    input:
        code=engine("fruit", "rng", "pipeline"),
    output:
        table=result("datasets/fruit.parquet"),
    log:
        result("logs/fruit_dataset.log"),
    benchmark:
        result("benchmarks/fruit_dataset.tsv")
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


rule stored_patterns:
    input:
        code=engine("hopfield", "couplings", "rng", "pipeline"),
    output:
        table=result("datasets/patterns.parquet"),
    log:
        result("logs/stored_patterns.log"),
    benchmark:
        result("benchmarks/stored_patterns.tsv")
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        n=config["hopfield"]["n_neurons"],
        n_patterns=max_patterns(),
        replicas=config["hopfield"]["replicas"],
        seed=config["seed"],
    message:
        "Drawing {params.n_patterns} random patterns x {params.replicas} replicas, N = {params.n}"
    script:
        "../scripts/stored_patterns.py"
