"""Hopfield retrieval over the (alpha, T) grid, energy descent, and the SK spin glass."""


rule hopfield_shard:
    input:
        patterns=rules.stored_patterns.output.table,
        code=engine(
            "hopfield", "dynamics", "couplings", "observables", "rng", "pipeline"
        ),
    output:
        table=result("hopfield/shards/alpha-{shard}.parquet"),
    log:
        result("logs/hopfield/alpha-{shard}.log"),
    benchmark:
        result("benchmarks/hopfield/alpha-{shard}.tsv")
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        alpha=lambda w: config["hopfield"]["alpha"][int(w.shard)],
        n_temperatures=len(config["hopfield"]["temperature"]),
        hopfield=config["hopfield"],
        patterns=patterns_provenance(),
        seed=config["seed"],
    message:
        "Hopfield retrieval at alpha = {params.alpha} over {params.n_temperatures} temperatures"
    script:
        "../scripts/hopfield_shard.py"


rule hopfield_grid:
    input:
        shards=expand(rules.hopfield_shard.output.table, shard=SHARDS),
        code=engine("pipeline"),
    output:
        table=report(
            result("hopfield/grid.parquet"),
            caption="../report/tables.rst",
            category="Tables",
        ),
    log:
        result("logs/hopfield/grid.log"),
    benchmark:
        result("benchmarks/hopfield/grid.tsv")
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        hopfield=config["hopfield"],
        seed=config["seed"],
        n_shards=len(SHARDS),
    message:
        "Gathering {params.n_shards} shards into the grid table"
    script:
        "../scripts/hopfield_grid.py"


rule energy_descent:
    input:
        code=engine(
            "hopfield", "dynamics", "couplings", "observables", "rng", "pipeline"
        ),
    output:
        table=result("hopfield/energy_descent.parquet"),
    log:
        result("logs/hopfield/energy_descent.log"),
    benchmark:
        result("benchmarks/hopfield/energy_descent.tsv")
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        descent=config["energy_descent"],
        seed=config["seed"],
    message:
        "Energy along T = 0 trajectories, symmetric vs asymmetric couplings"
    script:
        "../scripts/energy_descent.py"


rule spin_glass:
    input:
        code=engine(
            "hopfield", "dynamics", "couplings", "observables", "rng", "pipeline"
        ),
    output:
        table=report(
            result("spin_glass/sk.parquet"),
            caption="../report/tables.rst",
            category="Tables",
        ),
    log:
        result("logs/spin_glass.log"),
    benchmark:
        result("benchmarks/spin_glass.tsv")
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        sk=config["spin_glass"],
        seed=config["seed"],
    message:
        "Annealing {params.sk[samples]} SK samples of N = {params.sk[n_neurons]}"
    script:
        "../scripts/spin_glass.py"


rule finite_size_shard:
    input:
        code=engine(
            "hopfield", "dynamics", "couplings", "observables", "rng", "pipeline"
        ),
    output:
        table=result("finite_size/shards/N-{n}.parquet"),
    log:
        result("logs/finite_size/N-{n}.log"),
    benchmark:
        result("benchmarks/finite_size/N-{n}.tsv")
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=lambda w: 1000 + int(w.n) // 5,
        runtime=30,
    params:
        finite=config["finite_size"],
        seed=config["seed"],
    message:
        "Finite-size retrieval at T = 0 for N = {wildcards.n}"
    script:
        "../scripts/finite_size_shard.py"


rule finite_size:
    input:
        shards=expand(
            rules.finite_size_shard.output.table, n=config["finite_size"]["n_neurons"]
        ),
        code=engine("pipeline"),
    output:
        table=report(
            result("finite_size/retrieval.parquet"),
            caption="../report/tables.rst",
            category="Tables",
        ),
    log:
        result("logs/finite_size/gather.log"),
    benchmark:
        result("benchmarks/finite_size/gather.tsv")
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        finite=config["finite_size"],
        sizes=config["finite_size"]["n_neurons"],
        seed=config["seed"],
    message:
        "Gathering finite-size retrieval for N = {params.sizes}"
    script:
        "../scripts/finite_size_gather.py"
