"""The report: self-contained, computed from the run's own tables, true for any config,
escaped, and clean in a browser."""

import html
import json
import math
import os
import re
import shutil

import pandas as pd
import pytest
import yaml

from statnn.io import read_table
from statnn.report import (
    ACTIVATION_FORMULAS,
    FIGURES,
    Comparison,
    Figure,
    Prose,
    caption_text,
    cover_comparisons,
    critical_load_comparison,
    curie_weiss_comparison,
    describe,
    fruit_contrast,
    fruit_means,
    learning_comparisons,
    network_sentence,
    render_report,
    unexplained,
)
from statnn.report.compare import largest_of_chance

from .conftest import REPO, TINY_CONFIG, merge_config, run_snakemake, skip_unless_ci

pytestmark = pytest.mark.workflow


def _curie_weiss(t):
    """m = tanh(m/T) by fixed-point iteration from m = 1 (independent of statnn.theory)."""
    m = 1.0
    for _ in range(10_000):
        m = math.tanh(m / t)
    return m


def test_report_is_self_contained(tiny_run):
    page = (tiny_run / "report.html").read_text()
    for section in ("The neuron model", "Sorting fruits", "What a perceptron can learn",
                    "Spin glasses", "Associative memory", "Sequences from asymmetric couplings",
                    "Measured vs expected", "Provenance"):
        assert section in page
    # nothing is fetched: every src is a data URI, no scripts, no links to the network
    assert all(src.startswith("data:image/png;base64,")
               for src in re.findall(r'src="([^"]*)"', page))
    assert "<script" not in page and "http://" not in page.replace("http-equiv", "")
    assert "https://" not in page
    assert page.count("<figure") == 18
    assert "Content-Security-Policy" in page


def test_measured_values_come_from_the_run(tiny_run):
    """Rows are computed from the tables the run wrote, theory from its theory tables."""
    grid = read_table(tiny_run / "hopfield/grid.parquet")
    curves = read_table(tiny_run / "theory/curves.parquet")
    retrieval = read_table(tiny_run / "theory/retrieval.parquet")
    cw = curie_weiss_comparison(grid, curves, retrieval)
    sub = grid[(grid.alpha == grid.alpha.min()) & (grid.temperature == 0.5)]
    assert cw.measured == pytest.approx(sub["overlap_time_mean"].mean())
    assert cw.expected == pytest.approx(_curie_weiss(0.5), abs=1e-9)  # m = tanh(2m)
    assert cw.kind == "theory"
    page = html.unescape((tiny_run / "report.html").read_text())
    assert f"{cw.measured:.4g}" in page
    cap = read_table(tiny_run / "capacity/capacity.parquet")
    rows = cover_comparisons(cap)
    assert rows[0].measured == pytest.approx(cap[cap.n_patterns == 20]["separable"].mean())
    assert rows[0].expected == pytest.approx(0.5, abs=1e-12)  # Cover: half at P = 2N
    assert f"{rows[0].measured:.4g}" in page


def test_report_prose_is_drawn_from_the_run(tiny_run):
    """The fruit sentences state the sample means of the run's own fruit table."""
    fruit = read_table(tiny_run / "datasets/fruit.parquet")
    page = html.unescape((tiny_run / "report.html").read_text())
    for name in ("separable", "overlapping"):
        data = fruit[fruit["dataset"] == name]
        w = data.groupby("fruit")["weight_g"].mean()
        heavier = "heavier" if w["apple"] > w["orange"] else "lighter"
        assert f"In '{name}', apple samples are {heavier} than orange samples" in page
        assert f"mean {w['apple']:.1f} g against {w['orange']:.1f} g" in page
    assert "sigmoid units (σ(z) = 1/(1 + e^(−z)))" in page  # the default activation
    assert "Apples are heavier" not in page


def test_comparisons_on_hand_made_tables():
    curves = pd.DataFrame({"curve": ["ags_vs_alpha", "critical_load"], "alpha": [0.1, 0.1234],
                           "temperature": [0.0, 0.0], "overlap": [0.99, 0.95]})
    fit = pd.DataFrame({"alpha_c_infinity": [0.141], "alpha_c_infinity_se": [0.002],
                        "exponent": [0.5], "chi2": [2.88], "dof": [2],
                        "error_scale": [1.2]})
    sizes = pd.DataFrame({"n_neurons": [500, 1000, 2000, 4000]})
    c = critical_load_comparison(fit, sizes, curves)
    assert (c.measured, c.uncertainty) == (0.141, 0.002)  # the extrapolation, not a crossing
    assert c.expected == 0.1234  # read from the theory table, not recomputed
    assert c.z == pytest.approx((0.141 - 0.1234) / 0.002)
    assert "N = 500, 1,000, 2,000, 4,000" in c.note and "0.1382" in c.note
    assert "(χ²/dof = 2.88/2, error scaled by √(χ²/dof) = 1.20)" in c.note
    assert critical_load_comparison(fit, sizes, curves.assign(temperature=0.1)) is None
    assert Comparison("x", 1.0, 0.5, 0.25, "s").z == pytest.approx(2.0)
    with pytest.raises(ValueError, match="kind"):
        Comparison("x", 1.0, 0.5, None, "s", kind="guess")


def _model(separable, converged, mistakes, bound, accuracy=1.0):
    return pd.DataFrame([{"separable_lp": separable, "converged": converged,
                          "total_mistakes": mistakes, "novikoff_bound": bound,
                          "train_accuracy": accuracy}])


def test_bounds_and_targets_are_labelled_as_such(tmp_path):
    models = {"sep": _model(True, True, 3, 40.0), "band": _model(False, False, 90, math.inf, 0.6)}
    history = pd.DataFrame({"epoch": [1, 2], "accuracy": [0.7, 0.95]})
    rows = learning_comparisons(models, history, "band")
    assert [(r.quantity, r.kind, r.expected) for r in rows] == [
        ("Perceptron mistakes on 'sep'", "bound", 40.0),
        ("Multilayer network training accuracy on 'band'", "target", 1.0),
    ]
    page = render_report({}, rows, {"seed": 1}, {}, pd.DataFrame(columns=["stage"]))
    cells = re.findall(r'<tr class="(\w+) ([\w-]+)"><td>[^<]*</td><td>([^<]*)</td>'
                       r"<td>[^<]*</td><td>[^<]*</td><td>([^<]*)</td>", page)
    assert cells == [("bound", "bound-met", "upper bound", "≤ 40"),
                     ("target", "target", "target", "1 (target)")]


def _fruit(apple_weight, orange_weight, apple_sweet, orange_sweet):
    rows = []
    for fruit, w, s in (("apple", apple_weight, apple_sweet),
                        ("orange", orange_weight, orange_sweet)):
        rows += [{"dataset": "d", "fruit": fruit, "weight_g": w + dw, "sweetness": s + ds}
                 for dw, ds in ((-1.0, -0.5), (1.0, 0.5))]
    return pd.DataFrame(rows)


def test_fruit_sentence_follows_the_samples():
    default = fruit_contrast("d", fruit_means(_fruit(180, 140, 4.0, 7.0)))
    assert default == ("In 'd', apple samples are heavier than orange samples (mean 180.0 g "
                       "against 140.0 g) and less sweet (mean sweetness 4.00 against 7.00).")
    swapped = fruit_contrast("d", fruit_means(_fruit(130, 170, 8.0, 3.0)))
    assert swapped == ("In 'd', apple samples are lighter than orange samples (mean 130.0 g "
                       "against 170.0 g) and sweeter (mean sweetness 8.00 against 3.00).")
    same = fruit_contrast("d", fruit_means(_fruit(150, 150, 5.0, 5.0)))
    assert "as heavy as orange samples" in same and "and as sweet" in same
    with pytest.raises(ValueError, match="3 fruits"):
        fruit_contrast("d", fruit_means(pd.concat([_fruit(1, 2, 3, 4), _fruit(1, 2, 3, 4)
                                                   .assign(fruit="lemon").head(1)])))


def test_network_sentence_follows_the_config():
    history = pd.DataFrame({"accuracy": [0.5, 0.875]})
    perceptron = pd.Series({"separable_lp": False, "train_accuracy": 0.625})
    mlp = {"dataset": "band", "hidden_layers": [16], "activation": "tanh", "epochs": 7}
    text = network_sentence(mlp, perceptron, history)
    assert text == (
        "On 'band', where no line separates the fruits (linear program), the perceptron "
        "classifies 62.5% of the training samples correctly; a network with 1 hidden layer of "
        "16 tanh units (tanh(z) = (e^z − e^(−z))/(e^z + e^(−z))), trained by backpropagation "
        "for 7 epochs, classifies 87.5% of them correctly.")
    relu = network_sentence(mlp | {"activation": "relu", "hidden_layers": [4, 3]}, None, history)
    assert "2 hidden layers of 4 and 3 relu units (relu(z) = max(0, z))" in relu
    assert "sigmoid" not in text + relu
    from statnn.mlp import ACTIVATIONS

    assert set(ACTIVATION_FORMULAS) == set(ACTIVATIONS)


def test_describe_reads_alpha_c_and_the_grid():
    config = {"fruit": {"datasets": {"d": {"apple": {}, "orange": {}}}},
              "mlp": {"dataset": "nope", "hidden_layers": [2], "activation": "sigmoid",
                      "epochs": 1},
              "hopfield": {"n_neurons": 77, "alpha": [0.2, 0.1], "temperature": [0.3, 0.0],
                           "replicas": 2, "sweeps": 9}}
    lines = pd.DataFrame({"alpha": [0.0, 0.1111, 0.0, 0.25], "temperature": [1.0, 0.0, 1.0, 1.5],
                          "line": ["T_M", "T_M", "T_g", "T_g"]})
    prose = describe(config, _fruit(130, 170, 8.0, 3.0), {},
                     pd.DataFrame({"accuracy": [1.0]}), lines)
    assert prose.alpha_c == 0.1111
    assert prose.fruit_sentences == [fruit_contrast("d", prose.fruit_means)]
    assert "N = 77 neurons, 2 loads α from 0.1 to 0.2" in prose.memory
    page = render_report({}, [], config | {"seed": 1}, {}, pd.DataFrame(columns=["stage"]),
                         prose)
    assert "α<sub>c</sub> = 0.1111" in page and "lighter than orange" in page


def test_config_text_cannot_inject_markup(tmp_path):
    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + (100).to_bytes(4, "big") * 2)
    evil = "<script>alert(1)</script>"
    caption = caption_text('Made from {{ snakemake.config["results"] }}.', {"results": evil})
    fruit = pd.DataFrame({"dataset": evil, "fruit": [evil, "orange"], "weight_g": [1.0, 2.0],
                          "sweetness": [1.0, 2.0]})
    prose = Prose(fruit_sentences=[fruit_contrast(evil, fruit_means(fruit))],
                  fruit_means=fruit_means(fruit), network=evil, memory=evil)
    page = render_report(
        {"neuron_model": Figure("neuron_model", evil, png, caption)},
        [Comparison(evil, 1.0, 1.0, None, evil, evil)],
        {"results": evil, "seed": 1},
        {"note": evil},
        pd.DataFrame({"stage": [evil], "jobs": [1], "seconds": [1.0]}),
        prose,
    )
    assert "<script>" not in page
    assert page.count("&lt;script&gt;") >= 15


def test_a_row_beyond_three_standard_errors_must_name_its_cause(tmp_path):
    inside = Comparison("inside", 1.29, 1.0, 0.1, "s")  # 2.9 s.e.
    beyond = Comparison("beyond", 1.31, 1.0, 0.1, "s")  # 3.1 s.e.
    caused = Comparison("caused", 0.69, 1.0, 0.1, "s", cause="finite N: measured 0.70")
    no_error = Comparison("no error", 1.0, 1.0, None, "s")
    over = Comparison("over", 11.0, 10.0, None, "s", kind="bound")
    under = Comparison("under", 10.0, 10.0, None, "s", kind="bound")
    goal = Comparison("goal", 0.5, 1.0, None, "s", kind="target")
    rows = [inside, beyond, caused, no_error, over, under, goal]
    assert [r.verdict for r in rows] == ["agrees", "unexplained", "explained", "unexplained",
                                         "bound violated", "bound met", "target"]
    assert unexplained(rows) == [beyond, no_error, over]
    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + (100).to_bytes(4, "big") * 2)
    times = pd.DataFrame({"stage": ["x"], "jobs": [1], "seconds": [1.0]})
    page = render_report({}, rows, {"seed": 1}, {}, times)
    assert "3 rows unexplained</strong>" in page
    assert '<tr class="theory unexplained">' in page and "cause:</em> finite N" in page
    assert "unexplained</strong>" not in render_report({}, [inside, caused, under], {"seed": 1},
                                                       {}, times)


def test_curie_weiss_row_is_explained_only_by_an_agreeing_finite_load_theory():
    """α > 0 lowers m below Curie–Weiss: the row is explained when AGS at the grid's α agrees
    with the measurement, and unexplained when it does not."""
    curves = pd.DataFrame({"curve": ["curie_weiss"], "alpha": [0.0], "temperature": [0.5],
                           "overlap": [0.9575]})

    def row(values, ags):
        grid = pd.DataFrame({"alpha": 0.02, "temperature": 0.5, "n_neurons": 1000,
                             "overlap_time_mean": values})
        retrieval = pd.DataFrame({"alpha": [0.02], "temperature": [0.5], "overlap": [ags]})
        return curie_weiss_comparison(grid, curves, retrieval)

    values = [0.940, 0.941, 0.939, 0.940]  # mean 0.94, s.e. 0.00041: 42 s.e. below CW
    explained = row(values, ags=0.9402)
    assert explained.z == pytest.approx((0.94 - 0.9575) / (0.000816497 / 2), rel=1e-5)
    assert explained.verdict == "explained" and "AGS at α = 0.02 gives 0.9402" in explained.cause
    assert row(values, ags=0.9500).verdict == "unexplained"  # 24 s.e. from AGS as well
    assert row([0.957, 0.958, 0.957, 0.958], ags=0.957).cause == ""  # agrees: nothing to explain


def test_largest_of_k_deviations_by_chance():
    # one normal deviation beyond 3: erfc(3/√2) = 0.0026998 (tables); the largest of 12
    assert largest_of_chance(3.0, 1) == pytest.approx(0.0026998, abs=1e-7)
    assert largest_of_chance(3.0, 12) == pytest.approx(1 - (1 - 0.0026998) ** 12, rel=1e-5)
    assert largest_of_chance(2.0, 5) == pytest.approx(1 - 0.9544997 ** 5, rel=1e-6)


def test_cover_worst_row_is_explained_by_look_elsewhere_only_when_chance_allows():
    def table(successes):
        rows = []
        for a, k in zip((1.0, 1.5, 2.0, 2.5), successes, strict=True):
            p = (0.9, 0.7, 0.5, 0.3)[[1.0, 1.5, 2.0, 2.5].index(a)]
            rows += [{"n_inputs": 10, "n_patterns": int(10 * a), "alpha": a, "trial": t,
                      "separable": t < k, "cover_probability": p} for t in range(100)]
        return pd.DataFrame(rows)

    # 62/100 against 0.5: 2.4 s.e. — agrees, and names no cause
    agrees = cover_comparisons(table([90, 70, 62, 30]))[1]
    assert agrees.verdict == "agrees" and agrees.cause == ""
    # 64/100 against 0.5: 2.8 s.e. at α = 2, 3.05 s.e. at α = 1.5 (84 vs 70, se 0.0458):
    # four loads, P(max ≥ 3.05) = 0.009 ≥ 0.0027 — explained as the largest of four
    worst = cover_comparisons(table([90, 84, 64, 30]))[1]
    assert worst.z == pytest.approx((0.84 - 0.7) / math.sqrt(0.21 / 100))
    assert worst.verdict == "explained" and "largest of 4" in worst.cause
    # 90/100 against 0.7: 4.4 s.e.; P(max of 4 ≥ 4.4) ≈ 4e-5 — not chance
    assert cover_comparisons(table([90, 90, 50, 30]))[1].verdict == "unexplained"


def test_every_figure_has_a_caption_and_a_section():
    """FIGURES, the one list of figures, matches the caption files one to one."""
    not_figures = {"tables", "workflow"}  # the tables' caption, the workflow description
    captions = {p.stem for p in (REPO / "workflow" / "report").glob("*.rst")} - not_figures
    assert captions == set(FIGURES)
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    for name in FIGURES:
        text = caption_text((REPO / "workflow" / "report" / f"{name}.rst").read_text(), config)
        assert "{{" not in text and len(text) > 100, name


def test_captions_follow_the_config():
    config = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
    merge_config(config, {"mlp": {"activation": "tanh", "hidden_layers": [5, 6, 7]}})
    text = caption_text((REPO / "workflow/report/mlp_decision_regions.rst").read_text(), config)
    assert "hidden layers of 5, 6, 7 tanh units" in text and "sigmoid" not in text


def test_report_follows_another_config(tiny_run, tmp_path):
    """Oranges heavier and less sweet than apples, a tanh network: the page says so. (A copy
    of the tiny run: only the jobs that depend on the changed keys run.)"""
    work = shutil.copytree(tiny_run.parent, tmp_path / "work", symlinks=True)
    cfg = _changed(
        fruit={"datasets": {"separable": {"apple": {"weight_mean_g": 130, "sweetness_mean": 8.0},
                                          "orange": {"weight_mean_g": 175,
                                                     "sweetness_mean": 3.0}}}},
        mlp={"activation": "tanh"},
    )
    proc = run_snakemake(work, "--cores", "2", config=cfg)
    assert proc.returncode == 0, proc.stderr[-3000:]
    page = html.unescape((work / "results" / "report.html").read_text())
    sentence = re.search(r"In 'separable', apple samples are (\w+) than orange samples "
                         r"\(mean [\d.]+ g against [\d.]+ g\) and ([\w ]+) \(", page)
    assert sentence and sentence.groups() == ("lighter", "sweeter"), sentence
    assert "In 'overlapping', apple samples are heavier than orange samples" in page
    assert "8 and 8 tanh units (tanh(z) =" in page and "sigmoid units" not in page


def test_snakemake_native_report(tiny_run, tmp_path):
    out = tmp_path / "native.zip"
    proc = run_snakemake(tiny_run.parent, "--report", str(out), config=TINY_CONFIG)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert out.stat().st_size > 10_000


def _dry_run_jobs(workdir, config):
    proc = run_snakemake(workdir, "-n", config=config)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = proc.stdout + proc.stderr
    if "Nothing to be done" in text:
        return set()
    stats = text[text.index("Job stats:"):]
    rows = re.findall(r"^(\w+)\s+(\d+)$", stats.split("\n\n")[0], flags=re.M)
    return {name for name, _ in rows if name != "total"}


def _changed(**patch):
    cfg = json.loads(json.dumps(TINY_CONFIG))
    merge_config(cfg, patch)
    return cfg


def test_changing_one_value_reruns_only_what_depends_on_it(tiny_run):
    """A job reruns when its own config slice (statnn.io.CONTRACTS) changes, and only then."""
    workdir = tiny_run.parent
    jobs = _dry_run_jobs(workdir, _changed(energy_descent={"sweeps": 5}))
    assert jobs == {"energy_descent", "figure_energy_descent", "report_html", "all"}
    jobs = _dry_run_jobs(workdir, _changed(hopfield={"temperature": [0.0, 0.5, 1.4]}))
    assert "hopfield_shard" in jobs and "theory_retrieval" in jobs
    assert not jobs & {"fruit_dataset", "perceptron", "capacity", "spin_glass", "mlp",
                       "energy_descent", "theory_finite_size"}
    # sweeps are not in the theory's slice (alpha, temperature)
    jobs = _dry_run_jobs(workdir, _changed(hopfield={"sweeps": 9}))
    assert {"hopfield_shard", "hopfield_grid", "figure_phase_diagram", "report_html"} <= jobs
    assert not jobs & {"theory_retrieval", "theory_finite_size"}
    jobs = _dry_run_jobs(workdir, _changed(finite_size={"alpha": [0.05, 0.15, 0.2]}))
    assert jobs == {"theory_finite_size", "finite_size_shard", "finite_size",
                    "finite_size_scaling", "figure_finite_size",
                    "figure_finite_size_scaling", "report_html", "all"}
    # the retrieval criterion is the analysis's: the runs are kept
    jobs = _dry_run_jobs(workdir, _changed(finite_size={"retrieval_overlap": 0.8}))
    assert jobs == {"finite_size_scaling", "figure_finite_size_scaling", "report_html", "all"}
    jobs = _dry_run_jobs(workdir, _changed(mlp={"activation": "tanh"}))
    assert jobs == {"mlp", "figure_mlp", "report_html", "all"}
    # sequences: the bootstrap is the analysis's (the shards are kept); the asymmetric
    # strength is the dynamics job's only
    jobs = _dry_run_jobs(workdir, _changed(sequences={"capacity": {"bootstrap": 30}}))
    assert jobs == {"sequence_capacity", "figure_sequences", "report_html", "all"}
    jobs = _dry_run_jobs(workdir, _changed(sequences={"strength": 3.0}))
    assert jobs == {"sequence_dynamics", "figure_sequences", "report_html", "all"}
    assert _dry_run_jobs(workdir, TINY_CONFIG) == set()


def _browser_paths():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        skip_unless_ci("Debian's chromium and chromium-driver are not installed (see .ci/run)")
    return chromium, driver


def test_report_in_a_headless_browser(tiny_run, tmp_path):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        skip_unless_ci("selenium is not installed (pip install -e '.[test]')")
    chromium, driver_path = _browser_paths()
    os.environ.setdefault("SE_OFFLINE", "true")  # selenium must never download a driver
    opts = webdriver.ChromeOptions()
    opts.binary_location = chromium
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic",
                "--no-first-run", "--disable-background-networking",
                "--disable-component-update", "--disable-sync", "--window-size=1280,1600",
                f"--user-data-dir={tmp_path / 'profile'}"):
        opts.add_argument(arg)
    opts.set_capability("goog:loggingPrefs", {"browser": "ALL", "performance": "ALL"})
    driver = webdriver.Chrome(options=opts, service=Service(executable_path=driver_path))
    try:
        driver.get_log("performance")  # drop what the browser's start page loaded
        driver.get((tiny_run / "report.html").as_uri())
        images = driver.execute_script(
            "return Array.from(document.images).map("
            "i => [i.complete, i.naturalWidth, i.naturalHeight, i.alt]);"
        )
        assert len(images) >= 13
        bad = [alt for done, w, h, alt in images if not (done and w > 0 and h > 0)]
        assert not bad, f"images that did not decode: {bad}"
        errors = [e for e in driver.get_log("browser") if e["level"] == "SEVERE"]
        assert not errors, errors
        report_uri = (tiny_run / "report.html").as_uri()
        requests = []  # (document that asked, url)
        for entry in driver.get_log("performance"):
            msg = json.loads(entry["message"])["message"]
            if msg["method"] == "Network.requestWillBeSent":
                p = msg["params"]
                requests.append((p.get("documentURL", ""), p["request"]["url"]))
        from_report = [url for doc, url in requests if doc == report_uri]
        assert report_uri in from_report, "the performance log missed the report itself"
        assert all(u.startswith(("file:", "data:")) for u in from_report), from_report
        # the browser's own start page loads chrome:// resources; nothing may go to a network
        network = [u for _, u in requests if re.match(r"(https?|wss?|ftp)://", u)]
        assert not network, f"network requests: {network}"
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(1280, min(int(height) + 100, 16000))
        shot = tiny_run / "report-screenshot.png"
        driver.save_screenshot(str(shot))
        assert shot.stat().st_size > 50_000
    finally:
        driver.quit()
