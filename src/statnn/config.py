"""Config validation with one clear message naming the offending key and its allowed range."""

from __future__ import annotations

import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml


class ConfigError(ValueError):
    """The experiment config is invalid; the message names the key."""


def _key_path(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<config>"


def _describe(error: jsonschema.ValidationError) -> str:
    """One line: the key, the offending value and what is allowed."""
    key = _key_path(error.absolute_path)
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    v = error.validator
    if v == "additionalProperties":
        allowed = sorted(schema.get("properties", {}))
        given = error.instance if isinstance(error.instance, dict) else {}
        extra = sorted(set(given) - set(allowed))
        where = f"under '{key}'" if error.absolute_path else "at top level"
        names = ", ".join(f"'{_key_path([*error.absolute_path, e])}'" for e in extra)
        return f"unknown config key {names} {where}; allowed keys: {', '.join(allowed)}"
    if v == "required":
        return f"config key '{key}' is missing a required entry: {error.message}"
    bounds = []
    for name, sym in (
        ("minimum", ">="),
        ("exclusiveMinimum", ">"),
        ("maximum", "<="),
        ("exclusiveMaximum", "<"),
        ("minItems", "at least items:"),
        ("maxItems", "at most items:"),
    ):
        if name in schema:
            bounds.append(f"{sym} {schema[name]}")
    allowed = f"; allowed: {schema.get('type', '')} {' and '.join(bounds)}".rstrip()
    return f"config key '{key}' = {error.instance!r} is invalid: {error.message}{allowed}"


def _reject_non_finite(value: Any, path: list) -> None:
    """NaN and infinity are never valid config numbers (JSON schema lets them through)."""
    if isinstance(value, float) and not math.isfinite(value):
        raise ConfigError(f"config key '{_key_path(path)}' = {value!r} is invalid: not finite")
    if isinstance(value, Mapping):
        for k, v in value.items():
            _reject_non_finite(v, [*path, k])
    elif isinstance(value, list):
        for i, v in enumerate(value):
            _reject_non_finite(v, [*path, i])


def _schema_at(schema: Mapping, key: Any) -> Mapping:
    """Sub-schema for one key (properties, else additionalProperties / items)."""
    if isinstance(key, int):
        items = schema.get("items", {})
        return items if isinstance(items, Mapping) else {}
    sub = schema.get("properties", {}).get(key)
    if sub is None:
        sub = schema.get("additionalProperties", {})
    return sub if isinstance(sub, Mapping) else {}


def _resolve(schema: Mapping, root: Mapping) -> Mapping:
    ref = schema.get("$ref", "")
    if ref.startswith("#/"):
        node: Any = root
        for part in ref[2:].split("/"):
            node = node[part]
        return node
    return schema


def coerce_command_line_strings(value: Any, schema: Mapping, root: Mapping | None = None) -> Any:
    """Parse strings where the schema expects numbers, booleans or lists.

    Snakemake reads nested ``--config key='{a: 1}'`` values as strings only; this turns
    them back into the YAML scalars they spell, so they validate like config-file values.
    Anything that does not parse is left as it is for validation to report.
    """
    root = schema if root is None else root
    schema = _resolve(schema, root)
    expected = schema.get("type")
    if isinstance(value, str) and expected in ("integer", "number", "boolean", "array"):
        try:
            parsed = yaml.safe_load(value)
        except yaml.YAMLError:
            return value
        if parsed is None or isinstance(parsed, str):
            return value
        return coerce_command_line_strings(parsed, schema, root)
    if isinstance(value, dict):
        return {k: coerce_command_line_strings(v, _schema_at(schema, k), root)
                for k, v in value.items()}
    if isinstance(value, list):
        return [coerce_command_line_strings(v, _schema_at(schema, i), root)
                for i, v in enumerate(value)]
    return value


def load_schema(path: str | Path) -> dict:
    with open(path) as fh:
        return yaml.safe_load(fh)


def validate_config(config: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
    """Raise ConfigError for the first problem found (deepest, most specific error).

    After the schema (types, ranges, unknown keys), the rules that tie keys together:
    see ``check_consistency``.
    """
    _reject_non_finite(dict(config), [])
    validator = jsonschema.Draft202012Validator(schema)
    errors = list(validator.iter_errors(dict(config)))
    if errors:
        best = jsonschema.exceptions.best_match(errors)
        raise ConfigError(_describe(best))
    check_consistency(config)


def _check_range_pair(value: list, key: str) -> None:
    if value[0] >= value[1]:
        raise ConfigError(f"config key '{key}' = {value!r} is invalid: low must be < high")


def check_consistency(config: Mapping[str, Any]) -> None:
    """Cross-key rules a JSON schema cannot state; each error names the key."""
    fruit = config.get("fruit", {})
    datasets, bands = fruit.get("datasets", {}), fruit.get("bands", {}) or {}
    for name in sorted(set(datasets) & set(bands)):
        raise ConfigError(f"config key 'fruit.bands.{name}' reuses the name of "
                          f"'fruit.datasets.{name}'; dataset names must be unique")
    for name, spec in bands.items():
        for key in ("weight_range_g", "sweetness_range", "band"):
            _check_range_pair(spec[key], f"fruit.bands.{name}.{key}")
    mlp = config.get("mlp")
    if mlp is not None and mlp["dataset"] not in bands:
        raise ConfigError(
            f"config key 'mlp.dataset' = {mlp['dataset']!r} is invalid: not a fruit.bands "
            f"dataset; allowed: {', '.join(sorted(bands)) or '(none defined)'}"
        )
    hop = config.get("hopfield")
    if hop is not None:
        n = hop["n_neurons"]
        for i, alpha in enumerate(hop["alpha"]):
            if round(alpha * n) > n:
                raise ConfigError(f"config key 'hopfield.alpha[{i}]' = {alpha} is invalid: "
                                  f"P = round(alpha N) > N = {n}; allowed: alpha <= 1")
