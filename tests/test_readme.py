"""The README tells the truth: its examples run and print what it shows, and what it says
about them holds against independent values; its config messages are the validator's; its
Layout lists every rule file, engine module and document; its links resolve.
"""

from __future__ import annotations

import contextlib
import copy
import io
import math
import re
from pathlib import Path

import numpy as np
import pytest
import yaml

from statnn import config as config_mod
from statnn import theory

from .conftest import merge_config

REPO = Path(__file__).resolve().parents[1]
README = (REPO / "README.md").read_text()
FENCE = re.compile(r"^```(\w*)\n(.*?)^```$", re.S | re.M)


def section(title: str, text: str = README) -> str:
    """The text under the heading ``title`` up to the next heading of the same level."""
    match = re.search(rf"^(#+) {re.escape(title)}\n", text, re.M)
    assert match, f"README has no section {title!r}"
    level = len(match[1])
    rest = text[match.end():]
    end = re.search(rf"^#{{1,{level}}} ", rest, re.M)
    return rest[: end.start()] if end else rest


def blocks(text: str) -> list[tuple[str, str]]:
    """(language, body) of every fenced block in ``text``."""
    return [(m[1], m[2]) for m in FENCE.finditer(text)]


# ------------------------------------------------------------------------------------------
# "Using the engine from Python or a notebook": run every example, compare its output
# ------------------------------------------------------------------------------------------

USAGE = section("Using the engine from Python or a notebook")
EXAMPLES = {
    "hopfield": "A Hopfield network at temperature T",
    "theory": "The Amit–Gutfreund–Sompolinsky overlap and other reference values",
    "perceptron": "A perceptron sorting fruit",
}


def run_example(name: str) -> tuple[dict, list[str], str]:
    """Execute the example's python block in a fresh namespace; (namespace, printed lines,
    the text block the README shows after it)."""
    text = section(EXAMPLES[name], USAGE)
    fenced = blocks(text)
    assert [lang for lang, _ in fenced] == ["python", "text"], fenced
    (_, code), (_, shown) = fenced
    namespace: dict = {"__name__": "__main__"}
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, f"README.md: {EXAMPLES[name]}", "exec"), namespace)
    return namespace, out.getvalue().splitlines(), shown


def test_every_example_of_the_section_is_run():
    python = [body for lang, body in blocks(USAGE) if lang == "python"]
    assert len(python) == len(EXAMPLES), "a python block of the section is not tested here"


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_example_prints_what_the_readme_shows(name):
    _, printed, shown = run_example(name)
    assert printed == shown.splitlines()


def test_hopfield_example_agrees_with_ags_and_forgets_above_tg():
    """README: within 0.01 of the AGS overlap where retrieval exists; overlap of order
    1/√N above T_g = 1 + √α."""
    ns, printed, _ = run_example("hopfield")
    n, alpha = ns["N"], ns["P"] / ns["N"]
    rows = [re.fullmatch(r"T = ([\d.]+): overlap (-?[\d.]+), AGS theory ([\d.]+)", line)
            for line in printed]
    assert all(rows), printed
    t_g = 1.0 + math.sqrt(alpha)
    retrieving = [r for r in rows if float(r[3]) > 0.5]
    forgetting = [r for r in rows if float(r[1]) > t_g]
    assert len(retrieving) >= 2 and len(forgetting) >= 1
    for r in retrieving:
        assert abs(float(r[2]) - float(r[3])) <= 0.01, r[0]
    for r in forgetting:
        assert float(r[3]) == 0.0 and abs(float(r[2])) <= 3 / math.sqrt(n), r[0]
    # the prose's numbers
    assert f"T_M({alpha:g}) ≈ {theory.retrieval_temperature(alpha):.2f}" in USAGE
    assert f"T_g = 1 + √α ≈ {t_g:.2f}" in USAGE


def test_theory_example_matches_the_literature():
    _, printed, _ = run_example("theory")
    text = "\n".join(printed)
    a_c, m_c = (float(v) for v in re.search(r"alpha_c = ([\d.]+), overlap there ([\d.]+)",
                                           text).groups())
    assert a_c == pytest.approx(0.138, abs=5e-4)  # Amit, Gutfreund & Sompolinsky 1987
    assert m_c == pytest.approx(0.967, abs=1e-3)
    t_m, t_g = (float(v) for v in re.search(r"T_M = ([\d.]+), .*T_g = ([\d.]+)", text).groups())
    assert t_g == pytest.approx(1 + math.sqrt(0.05), abs=5e-4)
    assert 0 < t_m < 1  # the retrieval line lies below the Curie-Weiss T_c = 1
    m_cw = float(re.search(r"at T = 0.5: m = ([\d.]+)", text)[1])
    assert m_cw == pytest.approx(math.tanh(m_cw / 0.5), abs=1e-4) and m_cw > 0.5
    cover = float(re.search(r"dimensions, ([\d.]+) of their", text)[1])
    count = 2 * sum(math.comb(99, k) for k in range(50))  # Cover 1965, P = 100, N = 50
    assert cover == count / 2**100 == 0.5


def test_perceptron_example_learns_what_the_seed_says_about_fruit():
    """Converged within Novikoff's bound on LP-separable data; apples are heavier and less
    sweet, so the boundary weighs weight up and sweetness down; the line in grams and
    sweetness units classifies every training fruit."""
    ns, printed, _ = run_example("perceptron")
    head = re.fullmatch(r"(\w+) after (\d+) epochs, (\d+) mistakes \(Novikoff bound (\d+)\); "
                        r"linearly separable \(LP\): (\w+)", printed[0])
    assert head, printed[0]
    assert head[1] == "converged" and head[5] == "True"
    assert int(head[3]) <= int(head[4])
    data = ns["data"]
    means = data.groupby("fruit")[["weight_g", "sweetness"]].mean()
    assert means.loc["apple", "weight_g"] > means.loc["orange", "weight_g"]
    assert means.loc["apple", "sweetness"] < means.loc["orange", "sweetness"]
    w, b, x, y = ns["w"], ns["b"], ns["x"], ns["y"]
    assert w[0] > 0 and w[1] < 0
    assert np.array_equal(np.where(x @ w + b > 0, 1, -1), y)
    line = re.fullmatch(r"apple where ([\d.]+) weight_g ([+-][\d.]+) sweetness ([+-][\d.]+) > 0",
                        printed[1])
    assert line and [float(v) for v in line.groups()] == pytest.approx([*w, b], abs=5e-3)


# ------------------------------------------------------------------------------------------
# "Configuration": the messages shown are the validator's, the limits stated are its limits
# ------------------------------------------------------------------------------------------

CONFIGURATION = section("Configuration")
SCHEMA = config_mod.load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
DEFAULT = yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def shown_messages():
    """(--config argument, message) for every '$ snakemake ... --config' example."""
    out = []
    for lang, body in blocks(CONFIGURATION):
        lines = body.splitlines()
        if lang == "console" and lines and lines[0].startswith("$ snakemake"):
            arg = re.search(r"--config '([^']*)'", lines[0])[1]
            message = next(line for line in lines[1:] if line.startswith("invalid config: "))
            out.append((arg, message))
    return out


def test_configuration_shows_error_messages():
    assert len(shown_messages()) >= 2


@pytest.mark.parametrize(("arg", "message"), shown_messages())
def test_configuration_messages_are_the_validators(arg, message):
    """What the Snakefile does with --config 'key=value': merge, coerce, validate."""
    key, value = arg.split("=", 1)
    cfg = copy.deepcopy(DEFAULT)
    merge_config(cfg, {key: yaml.safe_load(value)})
    with pytest.raises(config_mod.ConfigError) as err:
        config_mod.validate_config(config_mod.coerce_command_line_strings(cfg, SCHEMA), SCHEMA)
    assert f"invalid config: {err.value}" == message


def test_configuration_states_the_validators_limits():
    assert "more than\n10¹¹ update attempts" in CONFIGURATION
    assert config_mod.MAX_ATTEMPTS_PER_JOB == 10**11
    assert "more than 10⁸ numbers" in CONFIGURATION
    assert config_mod.MAX_MATRIX_VALUES == 10**8
    assert "N ≤ 10,000 there" in CONFIGURATION
    assert math.isqrt(config_mod.MAX_MATRIX_VALUES) == 10_000


# ------------------------------------------------------------------------------------------
# "Layout": complete and accurate
# ------------------------------------------------------------------------------------------


def layout_entries() -> dict[str, list[str]]:
    """Top-level paths of the Layout block and, for each folder, the names listed under it."""
    (lang, body), = blocks(section("Layout"))
    entries: dict[str, list[str]] = {}
    parent = None
    for line in body.splitlines():
        if not line.strip() or line.startswith(" " * 4):  # a description's continuation
            continue
        name = re.split(r"\s{2,}", line.strip(), maxsplit=1)[0]
        if line.startswith("  "):
            assert parent is not None, line
            entries[parent].append(name)
        else:
            parent = name
            entries[name] = []
    return entries


def test_layout_lists_every_rule_file_module_and_document():
    entries = layout_entries()
    children = {
        "workflow/rules/": sorted(p.name for p in (REPO / "workflow" / "rules").glob("*.smk")),
        "src/statnn/": sorted(
            [p.name for p in (REPO / "src" / "statnn").glob("*.py") if p.name != "__init__.py"]
            + [p.name + "/" for p in (REPO / "src" / "statnn").iterdir()
               if (p / "__init__.py").is_file()]
        ),
        "docs/": sorted(p.name for p in (REPO / "docs").glob("*.md")),
    }
    for folder, names in children.items():
        assert sorted(entries.get(folder, [])) == names, folder


def test_layout_names_only_what_exists():
    for top, names in layout_entries().items():
        for path in [*top.split(", "), *(top + name for name in names)]:
            found = list(REPO.glob(path.rstrip("/"))) if "*" in path else [REPO / path]
            assert found and all(p.exists() for p in found), path


# ------------------------------------------------------------------------------------------
# the repository stands on its own
# ------------------------------------------------------------------------------------------

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]


@pytest.mark.parametrize("doc", DOCS, ids=lambda p: p.name)
def test_links_resolve(doc):
    text = doc.read_text()
    headings = {re.sub(r"[^\w\- ]", "", h.lower()).replace(" ", "-")
                for h in re.findall(r"^#+ (.*)$", text, re.M)}
    for target in re.findall(r"\]\(([^)\s]+)\)", text):
        if target.startswith(("http://", "https://")):
            continue
        if target.startswith("#"):
            assert target[1:] in headings, target
        else:
            assert (doc.parent / target.split("#")[0]).exists(), target


def test_nothing_refers_to_files_outside_the_repository():
    design = "DES" + "IGN.md"  # spelt in two parts so that this file does not match itself
    outside = ("../" + "shared", design)
    files = [p for folder in ("src", "workflow", "docs", "tests", "config")
             for p in (REPO / folder).rglob("*") if p.is_file() and p.suffix in
             {".py", ".smk", ".md", ".yaml", ".rst", ".txt"}]
    for path in [REPO / "README.md", REPO / "Snakefile", *files]:
        text = path.read_text(errors="replace")
        for ref in outside:
            assert ref not in text, f"{path.relative_to(REPO)} refers to {ref}"
