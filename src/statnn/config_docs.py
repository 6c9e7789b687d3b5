"""config/README.md, generated from the config schema so that the two cannot drift.

    python -m statnn.config_docs > config/README.md     # write it
    python -m statnn.config_docs --check                 # exit 1 if config/README.md is stale

One table per top-level section: every key (``<name>`` for user-chosen names, ``[]`` for list
items), what the schema allows (``statnn.config.allowed``), its value in config/config.yaml
and the schema's description. Keys are walked generically (properties, ``$ref``,
``additionalProperties`` and object ``items``), so new sections need no change here.
"""

from __future__ import annotations

import sys
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import yaml

from statnn.config import _resolve, allowed, load_schema

REPO = Path(__file__).resolve().parents[2]
SCHEMA = REPO / "workflow" / "schemas" / "config.schema.yaml"
DEFAULTS = REPO / "config" / "config.yaml"
TARGET = REPO / "config" / "README.md"
COMMAND = "python -m statnn.config_docs > config/README.md"
MISSING = object()


def keys(node: Mapping, root: Mapping, path: tuple = ()) -> Iterator[tuple[tuple, Mapping, bool]]:
    """(key path, resolved sub-schema, required) for every key below ``node``, depth first."""
    node = _resolve(node, root)
    required = set(node.get("required", []))
    children = [(name, sub, name in required) for name, sub in node.get("properties", {}).items()]
    extra = node.get("additionalProperties")
    if isinstance(extra, Mapping):
        children.append(("<name>", extra, False))
    for name, sub, req in children:
        sub = _resolve(sub, root)
        yield (*path, name), sub, req
        yield from keys(sub, root, (*path, name))
    items = node.get("items")
    if isinstance(items, Mapping) and _resolve(items, root).get("type") == "object":
        yield from keys(items, root, (*path[:-1], f"{path[-1]}[]") if path else ("[]",))


def default(config: Any, path: tuple) -> Any:
    """The value at ``path`` in the default config (MISSING below a ``<name>`` or absent)."""
    for part in path:
        if not isinstance(config, Mapping) or part not in config:
            return MISSING
        config = config[part]
    return config


def _cell(text: str) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def _value(value: Any, limit: int = 60) -> str:
    if value is MISSING:
        return ""
    if isinstance(value, Mapping):
        return "(mapping)"
    text = yaml.safe_dump(value, default_flow_style=True, width=10_000).strip()
    text = text.removesuffix("...").strip()
    return f"`{text if len(text) <= limit else text[: limit - 3] + '...'}`"


def render(schema: Mapping, defaults: Mapping) -> str:
    """The whole config/README.md text."""
    lines = [
        "# Config keys",
        "",
        "Generated from `workflow/schemas/config.schema.yaml` by",
        f"`{COMMAND}`; do not edit by hand",
        "(`tests/test_config_docs.py` fails when this file is stale). Values are those of",
        "`config/config.yaml`; `config/publication.yaml` overrides some of them key by key.",
        "`<name>` stands for a name you choose, `[]` for each item of a list. A run with an",
        "unknown key, a wrong type or a value outside its range stops before any job starts.",
    ]
    if schema.get("description"):
        lines += ["", f"Schema: {schema['description']}."]
    section = None
    for path, sub, required in keys(schema, schema):
        if path[0] != section:
            section = path[0]
            top = _resolve(schema["properties"][section], schema)
            lines += ["", f"## `{section}`", ""]
            if top.get("description"):
                lines += [top["description"], ""]
            lines += ["| key | allowed | default | description |", "|---|---|---|---|"]
            if sub.get("type") == "object":
                continue  # the heading and its paragraph are the section's row
        key = ".".join(path)
        desc = sub.get("description", "")
        if not required and path[-1] != "<name>" and len(path) > 1:
            desc = f"{desc} (optional)".strip()
        lines.append(f"| `{_cell(key)}` | {_cell(allowed(sub, schema))} | "
                     f"{_cell(_value(default(defaults, path)))} | {_cell(desc)} |")
    return "\n".join(lines) + "\n"


def undocumented(schema: Mapping) -> list[str]:
    """Keys whose schema has no description."""
    return [".".join(p) for p, sub, _ in keys(schema, schema) if not sub.get("description")]


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    text = render(load_schema(SCHEMA), yaml.safe_load(DEFAULTS.read_text()))
    if argv == ["--check"]:
        current = TARGET.read_text() if TARGET.is_file() else ""
        if current != text:
            print(f"{TARGET} is stale: run `{COMMAND}`", file=sys.stderr)
            return 1
        return 0
    if argv:
        print("usage: python -m statnn.config_docs [--check]", file=sys.stderr)
        return 2
    sys.stdout.write(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
