"""Replica-symmetric theory on the simulation grid, and the phase lines."""


rule theory_retrieval:
    input:
        code=engine("theory", "pipeline"),
    output:
        retrieval=report(
            result("theory/retrieval.parquet"),
            caption="../report/tables.rst",
            category="Tables",
        ),
        lines=result("theory/phase_lines.parquet"),
    log:
        result("logs/theory_retrieval.log"),
    benchmark:
        result("benchmarks/theory_retrieval.tsv")
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=10,
    params:
        alpha=config["hopfield"]["alpha"],
        temperature=config["hopfield"]["temperature"],
        seed=config["seed"],
    message:
        "Amit-Gutfreund-Sompolinsky theory on the (alpha, T) grid and phase lines"
    script:
        "../scripts/theory_retrieval.py"
