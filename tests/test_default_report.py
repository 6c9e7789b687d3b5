"""The default config's report compares like with like: no row of its measured-vs-expected
table lies beyond 3 standard errors without naming its measured cause (issue 12).

The run of the default config (``default_run`` in conftest, shared with the reliability
tests); the rows are read from the table the report writes next to the page.
"""

import pytest

from statnn.io import read_table
from statnn.report import SIGMA_LIMIT

pytestmark = pytest.mark.workflow


def test_every_row_of_the_default_report_agrees_or_names_its_cause(default_run):
    rows = read_table(default_run / "report" / "comparisons.parquet")
    theory = rows[rows["kind"] == "theory"]
    assert len(theory) >= 8, rows["quantity"].tolist()  # α_c, SK e∞ and identities, Cover, ...
    assert theory["uncertainty"].gt(0).all(), theory[["quantity", "uncertainty"]]
    beyond = theory[theory["z"].abs() > SIGMA_LIMIT]
    uncaused = beyond[beyond["cause"].str.strip() == ""]
    assert uncaused.empty, uncaused[["quantity", "measured", "expected", "z"]].to_string()
    bounds = rows[rows["kind"] == "bound"]
    assert (bounds["measured"] <= bounds["expected"]).all(), bounds.to_string()
    assert set(rows["verdict"]) <= {"agrees", "explained", "bound met", "target"}
    html = (default_run / "report.html").read_text(encoding="utf-8")
    assert "unexplained</strong>" not in html
    assert html.count("<td>agrees</td>") == (rows["verdict"] == "agrees").sum()
