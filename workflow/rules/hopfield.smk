"""Hopfield retrieval over the (alpha, T) grid, energy descent, and the SK spin glass."""


rule hopfield_shard:
    input:
        code=engine("hopfield_shard"),
    output:
        table=result("hopfield/shards/alpha-{alpha}.parquet"),
    log:
        result("logs/hopfield/alpha-{alpha}.log"),
    benchmark:
        result("benchmarks/hopfield/alpha-{alpha}.tsv")
    wildcard_constraints:
        alpha="|".join(re.escape(a) for a in HOPFIELD_ALPHAS),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        cfg=table_config("hopfield_shard"),
        seed=config["seed"],
    message:
        "Hopfield retrieval at alpha = {params.cfg[alpha]} over the temperatures"
    script:
        "../scripts/hopfield_shard.py"


rule hopfield_grid:
    input:
        shards=expand(rules.hopfield_shard.output.table, alpha=HOPFIELD_ALPHAS),
        code=engine("hopfield_grid"),
    output:
        table=report_table("hopfield/grid.parquet"),
    log:
        result("logs/hopfield/grid.log"),
    benchmark:
        result("benchmarks/hopfield/grid.tsv")
    threads: 1
    resources:
        mem_mb=2000,
        runtime=5,
    params:
        cfg=table_config("hopfield_grid"),
        seed=config["seed"],
    message:
        "Gathering the shards into the grid table"
    script:
        "../scripts/hopfield_grid.py"


rule energy_descent:
    input:
        code=engine("energy_descent"),
    output:
        table=result("hopfield/energy_descent.parquet"),
    log:
        result("logs/hopfield/energy_descent.log"),
    benchmark:
        result("benchmarks/hopfield/energy_descent.tsv")
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        cfg=table_config("energy_descent"),
        seed=config["seed"],
    message:
        "Energy along T = 0 trajectories, symmetric vs asymmetric couplings"
    script:
        "../scripts/energy_descent.py"


rule spin_glass:
    input:
        code=engine("spin_glass"),
    output:
        equilibrium=report_table("spin_glass/equilibrium.parquet"),
        swaps=report_table("spin_glass/swaps.parquet"),
        overlap_distribution=report_table("spin_glass/overlap_distribution.parquet"),
        binder=report_table("spin_glass/binder.parquet"),
        ground_state=report_table("spin_glass/ground_state.parquet"),
        extrapolation=report_table("spin_glass/extrapolation.parquet"),
    log:
        result("logs/spin_glass.log"),
    benchmark:
        result("benchmarks/spin_glass.tsv")
    threads: 1
    resources:
        mem_mb=2000,
        runtime=30,
    params:
        cfg=table_config("spin_glass"),
        seed=config["seed"],
    message:
        "Parallel tempering of {params.cfg[samples]} SK samples per N in {params.cfg[n_neurons]}"
    script:
        "../scripts/spin_glass.py"


rule finite_size_shard:
    input:
        code=engine("finite_size_shard"),
    output:
        table=result("finite_size/shards/N-{n}.parquet"),
    log:
        result("logs/finite_size/N-{n}.log"),
    benchmark:
        result("benchmarks/finite_size/N-{n}.tsv")
    threads: 1
    resources:
        mem_mb=lambda w: 1000 + int(w.n) // 5,
        runtime=30,
    params:
        cfg=table_config("finite_size_shard"),
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
        code=engine("finite_size_gather"),
    output:
        table=report_table("finite_size/retrieval.parquet"),
    log:
        result("logs/finite_size/gather.log"),
    benchmark:
        result("benchmarks/finite_size/gather.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=table_config("finite_size"),
        seed=config["seed"],
    message:
        "Gathering finite-size retrieval for N = {params.cfg[n_neurons]}"
    script:
        "../scripts/finite_size_gather.py"


rule finite_size_scaling:
    input:
        table=rules.finite_size.output.table,
        code=engine("finite_size_scaling"),
    output:
        critical=report_table("finite_size/critical_load.parquet"),
        extrapolation=report_table("finite_size/extrapolation.parquet"),
    log:
        result("logs/finite_size/scaling.log"),
    benchmark:
        result("benchmarks/finite_size/scaling.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=table_config("finite_size_scaling"),
        seed=config["seed"],
    message:
        "alpha_c(N) for N = {params.cfg[n_neurons]} and its extrapolation to N -> infinity"
    script:
        "../scripts/finite_size_scaling.py"
