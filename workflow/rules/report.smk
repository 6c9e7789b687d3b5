"""The one-page HTML report (results/report.html), built from the run's own outputs."""


rule report_html:
    input:
        figures=[result(f"figures/{name}.png") for name in report_figures()],
        captions=[
            workflow.source_path(f"../report/{name}.rst") for name in report_figures()
        ],
        fruit=rules.fruit_dataset.output.table,
        grid=rules.hopfield_grid.output.table,
        retrieval=rules.theory_retrieval.output.retrieval,
        curves=rules.theory_retrieval.output.curves,
        lines=rules.theory_retrieval.output.lines,
        capacity=rules.capacity.output.table,
        gardner=rules.gardner.output.table,
        critical=rules.finite_size_scaling.output.critical,
        extrapolation=rules.finite_size_scaling.output.extrapolation,
        sk_equilibrium=rules.spin_glass.output.equilibrium,
        sk_extrapolation=rules.spin_glass.output.extrapolation,
        models=expand(rules.perceptron.output.model, dataset=FRUIT_DATASETS),
        mlp_history=rules.mlp.output.history,
        seq_critical=rules.sequence_capacity.output.critical,
        seq_capacity=rules.sequence_capacity.output.table,
        seq_dwell=rules.sequence_dynamics.output.dwell,
        code=engine("report"),
    output:
        html=result("report.html"),
        comparisons=report_table("report/comparisons.parquet"),
    log:
        result("logs/report.log"),
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        config=config,
        figures=report_figures(),
        datasets=FRUIT_DATASETS,
        benchmarks=result("benchmarks"),
    message:
        "Writing the self-contained report {output.html}"
    script:
        "../scripts/report.py"
