"""The one-page HTML report (results/report.html), built from the run's own outputs."""


rule report_html:
    input:
        figures=[result(f"figures/{name}.png") for name in REPORT_FIGURES],
        captions=[
            workflow.source_path(f"../report/{name}.rst") for name in REPORT_FIGURES
        ],
        grid=rules.hopfield_grid.output.table,
        capacity=rules.capacity.output.table,
        sk=rules.spin_glass.output.table,
        models=expand(rules.perceptron.output.model, dataset=FRUIT_DATASETS),
        mlp_history=rules.mlp.output.history,
        code=engine("report", "theory", "pipeline"),
    output:
        html=result("report.html"),
    log:
        result("logs/report.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=2000,
        runtime=10,
    params:
        config=config,
        figures=REPORT_FIGURES,
        datasets=FRUIT_DATASETS,
        benchmarks=result("benchmarks"),
    message:
        "Writing the self-contained report {output.html}"
    script:
        "../scripts/report.py"
