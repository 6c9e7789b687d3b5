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


rule figure_phase_diagram:
    input:
        grid=rules.hopfield_grid.output.table,
        lines=rules.theory_retrieval.output.lines,
        style=STYLE,
        code=engine("plots"),
    output:
        multiext(result("figures/phase_diagram"), ".png", ".svg"),
    log:
        result("logs/figures/phase_diagram.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting the (alpha, T) phase diagram with theory lines"
    script:
        "../scripts/figure_phase_diagram.py"


rule figure_overlap_curves:
    input:
        grid=rules.hopfield_grid.output.table,
        style=STYLE,
        code=engine("plots", "theory"),
    output:
        alpha=multiext(result("figures/overlap_vs_alpha"), ".png", ".svg"),
        temperature=multiext(result("figures/overlap_vs_temperature"), ".png", ".svg"),
    log:
        result("logs/figures/overlap_curves.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting overlap vs alpha and vs T against theory"
    script:
        "../scripts/figure_overlap_curves.py"


rule figure_energy_descent:
    input:
        descent=rules.energy_descent.output.table,
        style=STYLE,
        code=engine("plots"),
    output:
        multiext(result("figures/energy_descent"), ".png", ".svg"),
    log:
        result("logs/figures/energy_descent.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting energy vs sweeps at T = 0"
    script:
        "../scripts/figure_energy_descent.py"


rule figure_spin_glass:
    input:
        sk=rules.spin_glass.output.table,
        style=STYLE,
        code=engine("plots", "theory"),
    output:
        multiext(result("figures/spin_glass"), ".png", ".svg"),
    log:
        result("logs/figures/spin_glass.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting SK energy and EA order vs T"
    script:
        "../scripts/figure_spin_glass.py"


rule figure_neuron_model:
    input:
        style=STYLE,
        code=engine("plots", "neurons", "mlp"),
    output:
        multiext(result("figures/neuron_model"), ".png", ".svg"),
    log:
        result("logs/figures/neuron_model.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting the stochastic neuron and the activation functions"
    script:
        "../scripts/figure_neuron_model.py"


rule figure_capacity:
    input:
        capacity=rules.capacity.output.table,
        style=STYLE,
        code=engine("plots", "capacity", "theory"),
    output:
        multiext(result("figures/capacity"), ".png", ".svg"),
    log:
        result("logs/figures/capacity.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting the separable fraction against Cover's curve"
    script:
        "../scripts/figure_capacity.py"


rule figure_mlp:
    input:
        fruit=rules.fruit_dataset.output.table,
        perceptron=result(f"perceptron/{config['mlp']['dataset']}/model.parquet"),
        network=rules.mlp.output.network,
        history=rules.mlp.output.history,
        style=STYLE,
        code=engine("plots", "mlp"),
    output:
        regions=multiext(result("figures/mlp_decision_regions"), ".png", ".svg"),
        training=multiext(result("figures/mlp_training"), ".png", ".svg"),
    log:
        result("logs/figures/mlp.log"),
    conda:
        ENV
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    params:
        dataset=config["mlp"]["dataset"],
    message:
        "Plotting perceptron vs multilayer network on non-separable fruits"
    script:
        "../scripts/figure_mlp.py"
