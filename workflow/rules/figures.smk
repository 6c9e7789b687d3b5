"""Figures: thin rules over statnn.plots; the shared style file is an input of each."""


rule figure_fruit_boundary:
    input:
        fruit=rules.fruit_dataset.output.table,
        models=expand(rules.perceptron.output.model, dataset=binary_datasets()),
        style=STYLE,
        code=engine("plots"),
    output:
        multiext(result("figures/fruit_boundary"), ".png", ".svg"),
    log:
        result("logs/figures/fruit_boundary.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        datasets=binary_datasets(),
    message:
        "Plotting fruit scatter with learned decision lines"
    script:
        "../scripts/figure_fruit_boundary.py"


rule figure_learning_curve:
    input:
        models=expand(rules.perceptron.output.model, dataset=binary_datasets()),
        histories=expand(rules.perceptron.output.history, dataset=binary_datasets()),
        style=STYLE,
        code=engine("plots"),
    output:
        multiext(result("figures/perceptron_learning_curve"), ".png", ".svg"),
    log:
        result("logs/figures/perceptron_learning_curve.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        datasets=binary_datasets(),
    message:
        "Plotting perceptron mistakes per epoch"
    script:
        "../scripts/figure_learning_curve.py"


rule figure_decision_regions:
    input:
        fruit=rules.fruit_dataset.output.table,
        models=expand(rules.perceptron.output.model, dataset=multiclass_datasets()),
        style=STYLE,
        code=engine("plots", "perceptron"),
    output:
        multiext(result("figures/fruit_decision_regions"), ".png", ".svg"),
    log:
        result("logs/figures/fruit_decision_regions.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        datasets=multiclass_datasets(),
    message:
        "Plotting decision regions of one-per-class perceptrons"
    script:
        "../scripts/figure_decision_regions.py"
