"""The report: self-contained, computed from the run's own tables, and clean in a browser."""

import html
import json
import os
import re
import shutil

import pandas as pd
import pytest

from statnn.report import (
    Comparison,
    Figure,
    cover_comparisons,
    critical_load_comparison,
    curie_weiss_comparison,
    render_report,
)
from statnn.theory import critical_load, curie_weiss_magnetization

from .conftest import TINY_CONFIG, run_snakemake

pytestmark = pytest.mark.workflow


def test_report_is_self_contained(tiny_run):
    page = (tiny_run / "report.html").read_text()
    for section in ("The neuron model", "Sorting fruits", "What a perceptron can learn",
                    "Spin glasses", "Associative memory", "Measured vs expected", "Provenance"):
        assert section in page
    # nothing is fetched: every src is a data URI, no scripts, no links to the network
    assert all(src.startswith("data:image/png;base64,")
               for src in re.findall(r'src="([^"]*)"', page))
    assert "<script" not in page and "http://" not in page.replace("http-equiv", "")
    assert "https://" not in page
    assert page.count("<figure") == 13
    assert "Content-Security-Policy" in page


def test_measured_values_come_from_the_run(tiny_run):
    """Every row of the table is recomputed from the tables the run wrote."""
    from statnn.io import read_table

    grid = read_table(tiny_run / "hopfield/grid.parquet")
    cw = curie_weiss_comparison(grid)
    sub = grid[(grid.alpha == grid.alpha.min()) & (grid.temperature == 0.5)]
    assert cw.measured == pytest.approx(sub["overlap_time_mean"].mean())
    assert cw.expected == pytest.approx(curie_weiss_magnetization(0.5))
    page = html.unescape((tiny_run / "report.html").read_text())
    assert f"{cw.measured:.4g}" in page
    cap = read_table(tiny_run / "capacity/capacity.parquet")
    rows = cover_comparisons(cap)
    assert rows[0].measured == pytest.approx(cap[cap.n_patterns == 20]["separable"].mean())
    assert f"{rows[0].measured:.4g}" in page


def test_comparisons_on_hand_made_tables():
    grid = pd.DataFrame({
        "n_neurons": 100, "temperature": 0.0, "replica": 0,
        "alpha": [0.05, 0.1, 0.15, 0.2], "overlap": [1.0, 0.9, 0.3, 0.1],
        "overlap_time_mean": [1.0, 0.9, 0.3, 0.1],
    })
    c = critical_load_comparison(grid)
    assert c.measured == pytest.approx(0.1 + 0.4 / 0.6 * 0.05)
    assert c.expected == pytest.approx(critical_load(0.0))
    assert Comparison("x", 1.0, 0.5, 0.25, "s").z == pytest.approx(2.0)


def test_config_text_cannot_inject_markup(tmp_path):
    png = tmp_path / "f.png"
    png.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * 8 + (100).to_bytes(4, "big") * 2)
    evil = "<script>alert(1)</script>"
    page = render_report(
        {"neuron_model": Figure("neuron_model", evil, png, evil)},
        [Comparison(evil, 1.0, 1.0, None, evil, evil)],
        {"results": evil, "seed": 1},
        {"note": evil},
        pd.DataFrame({"stage": [evil], "jobs": [1], "seconds": [1.0]}),
    )
    assert "<script>" not in page
    assert page.count("&lt;script&gt;") >= 6


def test_snakemake_native_report(tiny_run, tmp_path):
    out = tmp_path / "native.zip"
    proc = run_snakemake(tiny_run.parent, "--report", str(out), config=TINY_CONFIG)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert out.stat().st_size > 10_000


def _dry_run_jobs(workdir, config):
    proc = run_snakemake(workdir, "-n", config=config)
    assert proc.returncode == 0, proc.stderr[-3000:]
    text = proc.stdout + proc.stderr
    stats = text[text.index("Job stats:"):]
    rows = re.findall(r"^(\w+)\s+(\d+)$", stats.split("\n\n")[0], flags=re.M)
    return {name for name, _ in rows if name != "total"}


def test_changing_one_value_reruns_only_what_depends_on_it(tiny_run):
    cfg = json.loads(json.dumps(TINY_CONFIG))
    cfg["energy_descent"]["sweeps"] = 5
    assert _dry_run_jobs(tiny_run.parent, cfg) == {
        "energy_descent", "figure_energy_descent", "report_html", "all"
    }
    cfg = json.loads(json.dumps(TINY_CONFIG))
    cfg["hopfield"]["temperature"] = [0.0, 0.5, 1.4]
    jobs = _dry_run_jobs(tiny_run.parent, cfg)
    assert "hopfield_shard" in jobs and "theory_retrieval" in jobs
    assert not jobs & {"fruit_dataset", "perceptron", "capacity", "spin_glass", "mlp",
                       "stored_patterns", "energy_descent"}


def _browser_paths():
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not (chromium and driver):
        if os.environ.get("CI"):
            pytest.fail("CI must provide Debian's chromium and chromium-driver (see .ci/run)")
        pytest.skip("Debian's chromium and chromium-driver are not installed")
    return chromium, driver


def test_report_in_a_headless_browser(tiny_run, tmp_path):
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

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
