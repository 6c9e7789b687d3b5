"""Pattern sequences from asymmetric couplings: trajectories, dwell times, capacity."""


rule sequence_dynamics:
    input:
        code=engine("sequence_dynamics"),
    output:
        trajectories=report_table("sequences/trajectories.parquet"),
        dwell=report_table("sequences/dwell.parquet"),
    log:
        result("logs/sequences/dynamics.log"),
    benchmark:
        result("benchmarks/sequences/dynamics.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        cfg=table_config("sequence_dynamics"),
        seed=config["seed"],
    message:
        "Sequence trajectories and dwell times at N = {params.cfg[n_neurons]}"
    script:
        "../scripts/sequence_dynamics.py"


rule sequence_shard:
    input:
        code=engine("sequence_shard"),
    output:
        table=result("sequences/shards/N-{n}.parquet"),
    log:
        result("logs/sequences/N-{n}.log"),
    benchmark:
        result("benchmarks/sequences/N-{n}.tsv")
    threads: 1
    resources:
        mem_mb=lambda w: 1000 + int(w.n) // 2,
        runtime=30,
    params:
        cfg=table_config("sequence_shard"),
        seed=config["seed"],
    message:
        "Synchronous sequence recall for N = {wildcards.n}"
    script:
        "../scripts/sequence_shard.py"


rule sequence_capacity:
    input:
        shards=expand(
            rules.sequence_shard.output.table,
            n=config["sequences"]["capacity"]["n_neurons"],
        ),
        code=engine("sequence_capacity"),
    output:
        table=report_table("sequences/capacity.parquet"),
        critical=report_table("sequences/critical_load.parquet"),
    log:
        result("logs/sequences/capacity.log"),
    benchmark:
        result("benchmarks/sequences/capacity.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=table_config("sequence_capacity"),
        seed=config["seed"],
    message:
        "Sequence capacity alpha_c(N, T) for N = {params.cfg[n_neurons]}"
    script:
        "../scripts/sequence_capacity.py"


rule figure_sequences:
    input:
        trajectories=rules.sequence_dynamics.output.trajectories,
        dwell=rules.sequence_dynamics.output.dwell,
        capacity=rules.sequence_capacity.output.table,
        critical=rules.sequence_capacity.output.critical,
        style=STYLE,
        code=engine("figure_sequences"),
    output:
        overlaps_png=figure("sequence_overlaps"),
        overlaps_svg=figure("sequence_overlaps", "svg"),
        capacity_png=figure("sequence_capacity"),
        capacity_svg=figure("sequence_capacity", "svg"),
    log:
        result("logs/figures/sequences.log"),
    benchmark:
        result("benchmarks/figures/sequences.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting pattern overlaps against time, the sequence capacity and dwell times"
    script:
        "../scripts/figure_sequences.py"
