"""Config validation with one clear message naming the offending key and its allowed range.

``validate_config`` is what the Snakefile runs before any job starts: the JSON schema
(types, ranges, unknown keys), then finiteness, then the rules that tie keys together
(``check_consistency``). Every failure is a ``ConfigError`` whose message is one line:

    config key 'hopfield.temperature[1]' = -0.1 is invalid: -0.1 is less than the minimum
    of 0; allowed: number >= 0 and <= 1000

Types are strict: a boolean is not a number, and an integer key takes only integers
(``sweeps: 40.0`` or ``replicas: true`` are refused, not silently converted).
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from statnn.loads import n_patterns


class ConfigError(ValueError):
    """The experiment config is invalid; the message names the key."""


# --------------------------------------------------------------------------------------
# strict types: bool is not a number, 40.0 is not an integer, nan/inf are not numbers
# --------------------------------------------------------------------------------------


def _is_integer(_checker, value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(_checker, value) -> bool:
    if isinstance(value, bool):
        return False
    return isinstance(value, int) or (isinstance(value, float) and math.isfinite(value))


_TYPE_CHECKER = jsonschema.Draft202012Validator.TYPE_CHECKER.redefine_many(
    {"integer": _is_integer, "number": _is_number}
)
_Validator = jsonschema.validators.extend(
    jsonschema.Draft202012Validator, type_checker=_TYPE_CHECKER
)

# Jobs are sized to seconds-minutes (docs/conventions.md, "Engineering rules"); a config
# whose single job would run for hours or days is refused up front. Update attempts per
# simulation job: 10^11 is about an hour at the measured 2-6 x 10^7 attempts/s. Perceptron
# multiply-adds per capacity job: 10^12 is about half an hour (the default's 5 x 10^9 take 7 s).
MAX_ATTEMPTS_PER_JOB = 10**11
MAX_WORK_PER_JOB = {"update attempts": MAX_ATTEMPTS_PER_JOB, "perceptron multiply-adds": 10**12,
                    "sequence multiply-adds": 10**12}
# Largest config-sized dense array one job may hold: 10^8 numbers (0.8 GB in float64). This
# bounds the N x N couplings (SK, energy descent, the cached-field Hebbian kernel), the
# stored patterns P x N, a dichotomy P x n_inputs and the network's weights and activations.
MAX_MATRIX_VALUES = 10**8


# --------------------------------------------------------------------------------------
# describing keys, values and what is allowed
# --------------------------------------------------------------------------------------


def _key_path(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out or "<config>"


def _short(value: Any, limit: int = 60) -> str:
    """repr of a config value, shortened so that a message stays one readable line."""
    text = repr(value).replace("\n", " ")
    if len(text) <= limit:
        return text
    if isinstance(value, list):
        return f"{text[: limit - 6]}, ...] ({_count(len(value), 'item')})"
    if isinstance(value, dict):
        return f"{text[: limit - 6]}, ...}} ({_count(len(value), 'entry')})"
    return text[: limit - 3] + "..."


def _count(n: int, noun: str) -> str:
    plural = "entries" if noun == "entry" else noun + "s"
    return f"{n} {noun if n == 1 else plural}"


def _resolve(schema: Mapping, root: Mapping) -> Mapping:
    """``schema`` with a local ``$ref`` replaced by its target (sibling keywords kept)."""
    ref = schema.get("$ref", "") if isinstance(schema, Mapping) else ""
    if not ref.startswith("#/"):
        return schema if isinstance(schema, Mapping) else {}
    node: Any = root
    for part in ref[2:].split("/"):
        node = node[part]
    merged = dict(_resolve(node, root))
    merged.update({k: v for k, v in schema.items() if k != "$ref"})
    return merged


def _schema_at(schema: Mapping, key: Any) -> Mapping:
    """Sub-schema for one key (properties, else additionalProperties / items)."""
    if isinstance(key, int):
        items = schema.get("items", {})
        return items if isinstance(items, Mapping) else {}
    sub = schema.get("properties", {}).get(key)
    if sub is None:
        sub = schema.get("additionalProperties", {})
    return sub if isinstance(sub, Mapping) else {}


def schema_for_path(schema: Mapping, path) -> Mapping:
    """The (resolved) sub-schema that governs the config value at ``path``."""
    root = schema
    node = _resolve(schema, root)
    for part in path:
        node = _resolve(_schema_at(node, part), root)
    return node


_TYPE_NAMES = {
    "integer": "integer", "number": "number", "boolean": "true or false",
    "string": "string", "array": "list", "object": "mapping",
}


def allowed(schema: Mapping, root: Mapping | None = None) -> str:
    """What a schema allows, in words: 'integer >= 1 and <= 1000', "one of 'a', 'b'", ..."""
    root = schema if root is None else root
    schema = _resolve(schema, root)
    if "enum" in schema:
        return "one of " + ", ".join(repr(v) for v in schema["enum"])
    kind = schema.get("type", "")
    words = _TYPE_NAMES.get(kind, str(kind) or "any value")
    if kind in ("integer", "number"):
        bounds = [f"{sym} {schema[name]}" for name, sym in (
            ("minimum", ">="), ("exclusiveMinimum", ">"),
            ("maximum", "<="), ("exclusiveMaximum", "<"),
        ) if name in schema]
        return " ".join([words, " and ".join(bounds)]).strip()
    if kind == "string":
        parts = [words]
        if "minLength" in schema:
            parts.append(f"of at least {schema['minLength']} character(s)")
        if "pattern" in schema:
            parts.append(f"matching {schema['pattern']}")
        return " ".join(parts)
    if kind == "array":
        lo, hi = schema.get("minItems", 0), schema.get("maxItems")
        size = f"{lo} to {hi}" if hi is not None else f"at least {lo}"
        distinct = "distinct " if schema.get("uniqueItems") else ""
        items = schema.get("items")
        each = f", each {allowed(items, root)}" if isinstance(items, Mapping) else ""
        return f"a list of {size} {distinct}items{each}"
    if kind == "object":
        props = sorted(schema.get("properties", {}))
        if props:
            return "a mapping with keys " + ", ".join(props)
        lo = schema.get("minProperties")
        return "a mapping of names to settings" + (f" (at least {lo})" if lo else "")
    return words


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "empty (null)"
    if isinstance(value, float) and not math.isfinite(value):
        return "not a finite number"
    return {int: "an integer", float: "a number with a decimal point", str: "a string",
            list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def _reason(error: jsonschema.ValidationError) -> str:
    """Why the value is refused, without echoing a possibly huge instance."""
    v, value, arg = error.validator, error.instance, error.validator_value
    if v == "type":
        if isinstance(value, float) and not math.isfinite(value):
            return f"{value!r} is not finite"
        return f"{_short(value, 30)} is not of type {arg!r} ({_kind(value)})"
    if v in ("minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum"):
        return error.message
    if v == "minItems":
        return "empty list" if not value else f"{_count(len(value), 'item')}, fewer than {arg}"
    if v == "maxItems":
        return f"{_count(len(value), 'item')}, more than {arg}"
    if v == "uniqueItems":
        return "repeated values"
    if v == "minProperties":
        return "empty" if not value else f"{_count(len(value), 'entry')}, fewer than {arg}"
    if v == "enum":
        return "not one of the choices"
    if v == "pattern":
        return f"does not match {arg}"
    if v == "minLength":
        return "empty string" if not value else f"shorter than {arg} characters"
    return _short(error.message, 120)


def _describe(error: jsonschema.ValidationError, root: Mapping) -> str:
    """One line: the key, the offending value and what is allowed."""
    path = list(error.absolute_path)
    key = _key_path(path)
    schema_path = list(error.absolute_schema_path)
    v = error.validator
    if v == "additionalProperties":
        given = error.instance if isinstance(error.instance, dict) else {}
        known = sorted(error.schema.get("properties", {}))
        extra = sorted(set(given) - set(known), key=str)
        where = f"under '{key}'" if path else "at top level"
        names = ", ".join(f"'{_key_path([*path, e])}'" for e in extra)
        hint = ""
        close = difflib.get_close_matches(str(extra[0]), known, n=1) if extra else []
        if close:
            hint = f" (did you mean '{_key_path([*path, close[0]])}'?)"
        return (f"unknown config key {names} {where}{hint}; "
                f"allowed keys: {', '.join(known)}")
    if "propertyNames" in schema_path:
        name = error.instance
        return (f"config key '{_key_path([*path, name])}' has an invalid name; "
                f"allowed: names {allowed(error.schema, root)}".replace("names string ", "names "))
    if v == "required":
        given = error.instance if isinstance(error.instance, dict) else {}
        missing = [k for k in error.validator_value if k not in given]
        sub = schema_for_path(root, [*path, missing[0]])
        return (f"config key '{_key_path([*path, missing[0]])}' is missing (required); "
                f"allowed: {allowed(sub, root)}")
    sub = schema_for_path(root, path)
    return (f"config key '{key}' = {_short(error.instance)} is invalid: {_reason(error)}; "
            f"allowed: {allowed(sub, root)}")


def _first_non_finite(value: Any, path: list) -> list | None:
    if isinstance(value, float) and not math.isfinite(value):
        return path
    if isinstance(value, Mapping):
        items = value.items()
    elif isinstance(value, list):
        items = enumerate(value)
    else:
        return None
    for k, v in items:
        found = _first_non_finite(v, [*path, k])
        if found is not None:
            return found
    return None


def _get(config: Mapping, path: list) -> Any:
    node: Any = config
    for part in path:
        node = node[part]
    return node


# --------------------------------------------------------------------------------------
# command-line strings
# --------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------
# validation
# --------------------------------------------------------------------------------------


def _relevance(error: jsonschema.ValidationError):
    """Prefer the deepest error (the most specific key), then the schema's own order."""
    return (len(error.absolute_path), -len(error.absolute_schema_path))


def validate_config(config: Mapping[str, Any], schema: Mapping[str, Any]) -> None:
    """Raise ConfigError for the first problem found (deepest, most specific error).

    Order: the schema (types, ranges, unknown keys; bool is not a number, floats are not
    integers), then non-finite numbers anywhere, then ``check_consistency``.
    """
    if not isinstance(config, Mapping):
        raise ConfigError(f"the config must be a mapping of keys to values, got {_short(config)}")
    config = dict(config)
    errors = list(_Validator(schema).iter_errors(config))
    if errors:
        raise ConfigError(_describe(max(errors, key=_relevance), schema))
    bad = _first_non_finite(config, [])
    if bad is not None:
        raise ConfigError(
            f"config key '{_key_path(bad)}' = {_get(config, bad)!r} is invalid: not finite; "
            f"allowed: {allowed(schema_for_path(schema, bad), schema)}"
        )
    check_consistency(config)


def _check_range_pair(value: list, key: str) -> None:
    if value[0] >= value[1]:
        raise ConfigError(f"config key '{key}' = {value!r} is invalid: low must be < high; "
                          f"allowed: [low, high] with low < high")


def _check_job_size(section: str, key: str, value: int, work: int, formula: str,
                    unit: str = "update attempts", limit: int | None = None) -> None:
    """One job may do at most ``limit`` (default MAX_ATTEMPTS_PER_JOB) units of work."""
    limit = MAX_WORK_PER_JOB.get(unit, MAX_ATTEMPTS_PER_JOB) if limit is None else limit
    if work > limit:
        cap = max(1, limit // max(work // value, 1))
        raise ConfigError(
            f"config key '{section}.{key}' = {value} is invalid: one {section} job would do "
            f"{formula} = {work:.3g} {unit} (hours to days; jobs are sized to minutes); "
            f"allowed: at most {limit:.0e} {unit} per job, i.e. {section}.{key} <= {cap} "
            f"with the other {section} keys as given"
        )


def _check_dense(key: str, value: Any, what: str, numbers: int, fits: str) -> None:
    """One job may hold at most MAX_MATRIX_VALUES numbers in one dense array."""
    if numbers > MAX_MATRIX_VALUES:
        raise ConfigError(
            f"config key '{key}' = {_short(value)} is invalid: {what} would hold {numbers:,} "
            f"numbers; allowed: at most {MAX_MATRIX_VALUES:.0e} numbers in one dense matrix, "
            f"i.e. {fits}"
        )


def _largest_fitting(size, lo: int, hi: int) -> int:
    """Largest integer x in [lo, hi] with size(x) <= MAX_MATRIX_VALUES (size increasing)."""
    while lo < hi:
        mid = (lo + hi + 1) // 2
        lo, hi = (mid, hi) if size(mid) <= MAX_MATRIX_VALUES else (lo, mid - 1)
    return lo


def _check_cached_fields(section: str, key: str, n: int) -> None:
    """The cached-field kernel holds the N x N Hebbian couplings (counts N·J)."""
    _check_dense(key, n, f"kernel 'cached_fields' with the N x N couplings of N = {n}", n * n,
                 f"n_neurons <= {math.isqrt(MAX_MATRIX_VALUES)} with {section}.kernel "
                 f"'cached_fields' ('overlaps' holds only the P x N patterns)")


def check_consistency(config: Mapping[str, Any]) -> None:
    """Cross-key rules a JSON schema cannot state; each error names the key."""
    fruit = config.get("fruit", {})
    datasets, bands = fruit.get("datasets", {}), fruit.get("bands", {}) or {}
    for name in sorted(set(datasets) & set(bands)):
        raise ConfigError(f"config key 'fruit.bands.{name}' reuses the name of "
                          f"'fruit.datasets.{name}'; allowed: dataset names unique across "
                          f"fruit.datasets and fruit.bands")
    for name, spec in bands.items():
        for key in ("weight_range_g", "sweetness_range", "band"):
            _check_range_pair(spec[key], f"fruit.bands.{name}.{key}")
    mlp = config.get("mlp")
    if mlp is not None and mlp["dataset"] not in bands:
        raise ConfigError(
            f"config key 'mlp.dataset' = {mlp['dataset']!r} is invalid: not a fruit.bands "
            f"dataset; allowed: {', '.join(sorted(bands)) or '(none defined)'}"
        )
    if mlp is not None:
        sizes = [2, *mlp["hidden_layers"], 1]
        weights = sum(a * b for a, b in zip(sizes, sizes[1:], strict=False))
        if weights > MAX_MATRIX_VALUES:
            raise ConfigError(
                f"config key 'mlp.hidden_layers' = {_short(mlp['hidden_layers'])} is invalid: "
                f"{weights:.3g} weights; allowed: at most {MAX_MATRIX_VALUES:.0e} weights"
            )
        samples = bands[mlp["dataset"]]["n_samples"]
        _check_dense("mlp.hidden_layers", mlp["hidden_layers"],
                     f"a layer's activations on the {samples} samples of "
                     f"fruit.bands.{mlp['dataset']}", samples * max(sizes),
                     f"every hidden layer <= {MAX_MATRIX_VALUES // samples} units")
    hop = config.get("hopfield")
    if hop is not None:
        n = hop["n_neurons"]
        for i, alpha in enumerate(hop["alpha"]):
            if n_patterns(alpha, n) > n:
                raise ConfigError(f"config key 'hopfield.alpha[{i}]' = {alpha} is invalid: "
                                  f"P = round(alpha N) > N = {n}; allowed: alpha <= 1")
        if hop["kernel"] == "cached_fields":
            _check_cached_fields("hopfield", "hopfield.n_neurons", n)
        for i, alpha in enumerate(hop["alpha"]):
            p, cap = n_patterns(alpha, n), MAX_MATRIX_VALUES // n
            _check_dense(f"hopfield.alpha[{i}]", alpha, f"the P = {p} stored patterns of "
                         f"N = {n} neurons", p * n, f"alpha <= {cap / n:.6g} (P <= {cap}) "
                         f"at n_neurons = {n}")
        _check_job_size(
            "hopfield", "sweeps", hop["sweeps"],
            n * hop["sweeps"] * len(hop["temperature"]) * hop["replicas"],
            "n_neurons x sweeps x len(temperature) x replicas",
        )
    finite = config.get("finite_size")
    if finite is not None:
        top = max(finite["alpha"])
        for i, n in enumerate(finite["n_neurons"]):
            key = f"finite_size.n_neurons[{i}]"
            if finite["kernel"] == "cached_fields":
                _check_cached_fields("finite_size", key, n)
            p = n_patterns(top, n)
            if p * n > MAX_MATRIX_VALUES:
                n_max = _largest_fitting(lambda m: n_patterns(top, m) * m, 1, n)
                _check_dense(key, n, f"the P = {p} stored patterns at alpha = {top}", p * n,
                             f"n_neurons <= {n_max} at max(finite_size.alpha) = {top}")
        _check_job_size(
            "finite_size", "max_sweeps", finite["max_sweeps"],
            max(finite["n_neurons"]) * finite["max_sweeps"] * len(finite["alpha"])
            * finite["replicas"],
            "max(n_neurons) x max_sweeps x len(alpha) x replicas",
        )
    sk = config.get("spin_glass")
    if sk is not None:
        _check_job_size(
            "spin_glass", "sweeps", sk["sweeps"],
            2 * sum(sk["n_neurons"]) * sk["sweeps"] * len(sk["temperature"]) * sk["samples"],
            "2 replica sets x sum(n_neurons) x sweeps x len(temperature) x samples",
        )
    cap = config.get("capacity")
    if cap is not None:
        n = cap["n_inputs"]
        for i, alpha in enumerate(cap["alpha"]):
            values = n_patterns(alpha, n) * n
            if values > MAX_MATRIX_VALUES:
                raise ConfigError(
                    f"config key 'capacity.alpha[{i}]' = {alpha} is invalid: one dichotomy of "
                    f"P = {n_patterns(alpha, n)} points in n_inputs = {n} dimensions holds "
                    f"{values:.3g} numbers; allowed: P x n_inputs <= {MAX_MATRIX_VALUES:.0e}, "
                    f"i.e. alpha <= {MAX_MATRIX_VALUES / n / n:.4g} at this n_inputs"
                )
        steps = sum(n_patterns(a, n) * n for a in cap["alpha"])
        _check_job_size(
            "capacity", "trials", cap["trials"], cap["trials"] * steps * cap["max_epochs"],
            "trials x sum over alpha of (P x n_inputs) x max_epochs",
            unit="perceptron multiply-adds",
        )
    descent = config.get("energy_descent")
    if descent is not None:
        _check_job_size(
            "energy_descent", "sweeps", descent["sweeps"],
            3 * descent["n_neurons"] * descent["sweeps"] * descent["runs"],
            "3 coupling kinds x n_neurons x sweeps x runs",
        )
    _check_sequences(config.get("sequences"))


def _check_sequences(seq: Mapping[str, Any] | None) -> None:
    """Sequences stage: patterns held per capacity shard (all temperatures and replicas of a
    load at once) and the work of the largest shard and of the dynamics job."""
    if seq is None:
        return
    cap = seq["capacity"]
    runs = len(cap["temperature"]) * cap["replicas"]
    for i, n in enumerate(cap["n_neurons"]):
        p = n_patterns(max(cap["alpha"]), n)
        _check_dense(f"sequences.capacity.n_neurons[{i}]", n, f"the {runs} x P = {p} patterns "
                     f"of the runs at alpha = {max(cap['alpha'])}", runs * p * n,
                     "fewer temperatures x replicas, or a smaller n_neurons")
    n = max(cap["n_neurons"])
    work = sum(2 * n_patterns(a, n) ** 2 * n for a in cap["alpha"]) * runs * cap["cycles"]
    _check_job_size("sequences", "capacity.replicas", cap["replicas"], work,
                    "replicas x len(temperature) x cycles x sum over alpha of 2 P^2 N",
                    unit="sequence multiply-adds")
    runs = len(seq["temperature"]) * seq["replicas"]
    _check_job_size("sequences", "sweeps", seq["sweeps"] + seq["dwell_sweeps"],
                    seq["n_neurons"] * (seq["sweeps"] + seq["dwell_sweeps"]
                                        * len(seq["dwell_delays"])) * runs,
                    "n_neurons x (sweeps + dwell_sweeps x len(dwell_delays)) x "
                    "len(temperature) x replicas")
