"""Replica-symmetric theory: the grid, the phase lines and the curves figures and report read."""


rule theory_retrieval:
    input:
        code=engine("theory_retrieval"),
    output:
        retrieval=report_table("theory/retrieval.parquet"),
        lines=result("theory/phase_lines.parquet"),
        curves=result("theory/curves.parquet"),
    log:
        result("logs/theory_retrieval.log"),
    benchmark:
        result("benchmarks/theory_retrieval.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        cfg=table_config("theory_retrieval"),
        seed=config["seed"],
    message:
        "Amit-Gutfreund-Sompolinsky theory on the (alpha, T) grid, phase lines and curves"
    script:
        "../scripts/theory_retrieval.py"


rule theory_finite_size:
    input:
        code=engine("theory_finite_size"),
    output:
        table=result("theory/finite_size.parquet"),
    log:
        result("logs/theory_finite_size.log"),
    benchmark:
        result("benchmarks/theory_finite_size.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        cfg=table_config("theory_finite_size"),
        seed=config["seed"],
    message:
        "Amit-Gutfreund-Sompolinsky overlap at T = 0 along the finite-size loads"
    script:
        "../scripts/theory_finite_size.py"
