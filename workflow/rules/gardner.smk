"""Gardner capacity: the largest stability kappa_max of random dichotomies, one job per load
(addressed by its value: adding a load computes only that load), gathered into one table.
"""

#: The loads as they appear in the shard paths (repr of the float: 0.961 -> "0.961").
GARDNER_LOADS = [repr(float(a)) for a in config["gardner"]["alpha"]]


rule gardner_shard:
    input:
        code=engine("gardner_shard"),
    output:
        table=result("capacity/gardner/alpha-{alpha}.parquet"),
    log:
        result("logs/gardner/alpha-{alpha}.log"),
    benchmark:
        result("benchmarks/gardner/alpha-{alpha}.tsv")
    wildcard_constraints:
        alpha=r"[0-9.e+-]+",
    threads: 1
    resources:
        mem_mb=1000,
        runtime=60,
    params:
        cfg=table_config("gardner_shard"),
        seed=config["seed"],
    message:
        "Gardner: kappa_max of {params.cfg[trials]} dichotomies at alpha = {wildcards.alpha}"
    script:
        "../scripts/gardner_shard.py"


rule gardner:
    input:
        shards=expand(rules.gardner_shard.output.table, alpha=GARDNER_LOADS),
        code=engine("gardner_gather"),
    output:
        table=report_table("capacity/gardner.parquet"),
    log:
        result("logs/gardner/gather.log"),
    benchmark:
        result("benchmarks/gardner/gather.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        cfg=table_config("gardner"),
        seed=config["seed"],
    message:
        "Gathering kappa_max for alpha = {params.cfg[alpha]}"
    script:
        "../scripts/gardner_gather.py"


rule figure_gardner_stability:
    input:
        gardner=rules.gardner.output.table,
        style=STYLE,
        code=engine("figure_gardner_stability"),
    output:
        png=figure("gardner_stability"),
        svg=figure("gardner_stability", "svg"),
    log:
        result("logs/figures/gardner_stability.log"),
    benchmark:
        result("benchmarks/figures/gardner_stability.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting kappa_max against alpha with Gardner's curve"
    script:
        "../scripts/figure_gardner_stability.py"


rule figure_gardner_fractions:
    input:
        gardner=rules.gardner.output.table,
        style=STYLE,
        code=engine("figure_gardner_fractions"),
    output:
        png=figure("gardner_fractions"),
        svg=figure("gardner_fractions", "svg"),
    log:
        result("logs/figures/gardner_fractions.log"),
    benchmark:
        result("benchmarks/figures/gardner_fractions.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        kappa=config["gardner"]["kappa"],
    message:
        "Plotting the fraction of dichotomies with kappa_max >= kappa"
    script:
        "../scripts/figure_gardner_fractions.py"
