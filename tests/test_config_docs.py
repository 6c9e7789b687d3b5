"""config/README.md is generated from the config schema and current with it."""

from __future__ import annotations

import re

import yaml

from statnn import config_docs
from statnn.config import load_schema

from .conftest import REPO


def test_config_readme_is_current_with_the_schema():
    assert config_docs.main(["--check"]) == 0, (
        "config/README.md is stale: run `python -m statnn.config_docs > config/README.md`")


def test_every_schema_key_has_a_description():
    assert config_docs.undocumented(load_schema(config_docs.SCHEMA)) == []


def _leaves(node, path=()):
    if isinstance(node, dict):
        for k, v in node.items():
            yield from _leaves(v, (*path, str(k)))
    else:
        yield ".".join(path)


def test_every_key_of_the_shipped_configs_has_a_row():
    """Walked independently of the generator: each leaf key of config.yaml and
    publication.yaml matches a documented key (``<name>`` matching any one name)."""
    text = (REPO / "config" / "README.md").read_text()
    documented = re.findall(r"^\| `([^`]+)` \|", text, re.M)
    patterns = [re.compile("^" + re.escape(k).replace(re.escape("<name>"), r"[^.]+") + "$")
                for k in documented]
    for name in ("config.yaml", "publication.yaml"):
        config = yaml.safe_load((REPO / "config" / name).read_text())
        missing = [k for k in _leaves(config) if not any(p.match(k) for p in patterns)]
        assert not missing, (name, missing)


def test_a_new_section_is_documented_without_changes_to_the_generator():
    """Sections merged later (new stages) use $ref, named entries and lists of objects."""
    schema = {
        "$defs": {"n": {"type": "integer", "minimum": 2, "description": "Size N."}},
        "properties": {
            "gardner": {
                "type": "object", "description": "A new stage.", "required": ["n_inputs"],
                "properties": {
                    "n_inputs": {"$ref": "#/$defs/n"},
                    "kappa": {"type": "array", "items": {"type": "number", "minimum": 0},
                              "description": "Margins."},
                    "runs": {"type": "array", "description": "Runs.", "items": {
                        "type": "object", "description": "One run.",
                        "properties": {"seed": {"type": "integer", "description": "Its seed."}}}},
                    "named": {"type": "object", "description": "Named.", "additionalProperties": {
                        "type": "number", "description": "A value."}},
                },
            },
        },
    }
    text = config_docs.render(schema, {"gardner": {"n_inputs": 100, "kappa": [0, 0.5]}})
    rows = dict(re.findall(r"^\| `([^`]+)` \| (.*)$", text, re.M))
    assert set(rows) == {"gardner.n_inputs", "gardner.kappa", "gardner.runs",
                         "gardner.runs[].seed", "gardner.named", "gardner.named.<name>"}
    assert rows["gardner.n_inputs"] == "integer >= 2 | `100` | Size N. |"
    assert rows["gardner.kappa"].startswith("a list of at least 0 items, each number >= 0 | "
                                            "`[0, 0.5]` | Margins. (optional)")
    assert "## `gardner`" in text and "A new stage." in text
