"""Figures: thin rules over statnn.plots; the shared style file is an input of each."""


rule figure_fruit_boundary:
    input:
        fruit=rules.fruit_dataset.output.table,
        models=expand(rules.perceptron.output.model, dataset=binary_datasets()),
        style=STYLE,
        code=engine("figure_fruit_boundary"),
    output:
        png=figure("fruit_boundary"),
        svg=figure("fruit_boundary", "svg"),
    log:
        result("logs/figures/fruit_boundary.log"),
    benchmark:
        result("benchmarks/figures/fruit_boundary.tsv")
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
        code=engine("figure_learning_curve"),
    output:
        png=figure("perceptron_learning_curve"),
        svg=figure("perceptron_learning_curve", "svg"),
    log:
        result("logs/figures/perceptron_learning_curve.log"),
    benchmark:
        result("benchmarks/figures/perceptron_learning_curve.tsv")
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
        code=engine("figure_decision_regions"),
    output:
        png=figure("fruit_decision_regions"),
        svg=figure("fruit_decision_regions", "svg"),
    log:
        result("logs/figures/fruit_decision_regions.log"),
    benchmark:
        result("benchmarks/figures/fruit_decision_regions.tsv")
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
        code=engine("figure_phase_diagram"),
    output:
        png=figure("phase_diagram"),
        svg=figure("phase_diagram", "svg"),
    log:
        result("logs/figures/phase_diagram.log"),
    benchmark:
        result("benchmarks/figures/phase_diagram.tsv")
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
        curves=rules.theory_retrieval.output.curves,
        style=STYLE,
        code=engine("figure_overlap_curves"),
    output:
        alpha_png=figure("overlap_vs_alpha"),
        alpha_svg=figure("overlap_vs_alpha", "svg"),
        temperature_png=figure("overlap_vs_temperature"),
        temperature_svg=figure("overlap_vs_temperature", "svg"),
    log:
        result("logs/figures/overlap_curves.log"),
    benchmark:
        result("benchmarks/figures/overlap_curves.tsv")
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
        code=engine("figure_energy_descent"),
    output:
        png=figure("energy_descent"),
        svg=figure("energy_descent", "svg"),
    log:
        result("logs/figures/energy_descent.log"),
    benchmark:
        result("benchmarks/figures/energy_descent.tsv")
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
        equilibrium=rules.spin_glass.output.equilibrium,
        overlap_distribution=rules.spin_glass.output.overlap_distribution,
        binder=rules.spin_glass.output.binder,
        ground_state=rules.spin_glass.output.ground_state,
        extrapolation=rules.spin_glass.output.extrapolation,
        style=STYLE,
        code=engine("figure_spin_glass"),
    output:
        png=figure("spin_glass"),
        svg=figure("spin_glass", "svg"),
    log:
        result("logs/figures/spin_glass.log"),
    benchmark:
        result("benchmarks/figures/spin_glass.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting SK P(q), Binder ratio, ground state and the equilibrium identity"
    script:
        "../scripts/figure_spin_glass.py"


rule figure_neuron_model:
    input:
        style=STYLE,
        code=engine("figure_neuron_model"),
    output:
        png=figure("neuron_model"),
        svg=figure("neuron_model", "svg"),
    log:
        result("logs/figures/neuron_model.log"),
    benchmark:
        result("benchmarks/figures/neuron_model.tsv")
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
        code=engine("figure_capacity"),
    output:
        png=figure("capacity"),
        svg=figure("capacity", "svg"),
    log:
        result("logs/figures/capacity.log"),
    benchmark:
        result("benchmarks/figures/capacity.tsv")
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
        code=engine("figure_mlp"),
    output:
        regions_png=figure("mlp_decision_regions"),
        regions_svg=figure("mlp_decision_regions", "svg"),
        training_png=figure("mlp_training"),
        training_svg=figure("mlp_training", "svg"),
    log:
        result("logs/figures/mlp.log"),
    benchmark:
        result("benchmarks/figures/mlp.tsv")
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


rule figure_finite_size:
    input:
        table=rules.finite_size.output.table,
        theory=rules.theory_finite_size.output.table,
        style=STYLE,
        code=engine("figure_finite_size"),
    output:
        png=figure("finite_size"),
        svg=figure("finite_size", "svg"),
    log:
        result("logs/figures/finite_size.log"),
    benchmark:
        result("benchmarks/figures/finite_size.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting finite-size retrieval against theory"
    script:
        "../scripts/figure_finite_size.py"


rule figure_finite_size_scaling:
    input:
        critical=rules.finite_size_scaling.output.critical,
        extrapolation=rules.finite_size_scaling.output.extrapolation,
        theory=rules.theory_finite_size.output.table,
        style=STYLE,
        code=engine("figure_finite_size_scaling"),
    output:
        png=figure("finite_size_scaling"),
        svg=figure("finite_size_scaling", "svg"),
    log:
        result("logs/figures/finite_size_scaling.log"),
    benchmark:
        result("benchmarks/figures/finite_size_scaling.tsv")
    threads: 1
    resources:
        mem_mb=1000,
        runtime=5,
    message:
        "Plotting alpha_c(N) and its extrapolation to N -> infinity"
    script:
        "../scripts/figure_finite_size_scaling.py"
