"""Config fuzzing: every bad value stops validation with one message naming the key.

The Snakefile runs ``coerce_command_line_strings`` and then ``validate_config`` before any
job starts; these tests do the same on the default config with one key broken at a time
(wrong type, out of range, NaN/inf, empty or oversized lists, repeated values, unknown,
missing or ill-named keys) and check the ``ConfigError`` message: one line, naming the
broken key (or the entry below it that is wrong) and saying what is allowed.
"""

from __future__ import annotations

import copy
import math
import re
import string
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from statnn.config import (
    ConfigError,
    coerce_command_line_strings,
    load_schema,
    schema_for_path,
    validate_config,
)

from .conftest import merge_config

REPO = Path(__file__).resolve().parents[1]
SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
DEFAULT = yaml.safe_load((REPO / "config" / "config.yaml").read_text())
FUZZ = settings(max_examples=400, deadline=None, database=None,  # no .hypothesis/ left behind
               suppress_health_check=[HealthCheck.too_slow])
KEY_IN_MESSAGE = re.compile(r"config key '([^']*)'")


def _key_path(path) -> str:
    out = ""
    for part in path:
        out += f"[{part}]" if isinstance(part, int) else (f".{part}" if out else str(part))
    return out


def _slots(value, path=()):
    """Every (path, schema) of the default config: mappings, lists and scalars."""
    out = [(path, schema_for_path(SCHEMA, list(path)))] if path else []
    if isinstance(value, dict):
        for k, v in value.items():
            out += _slots(v, (*path, k))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            out += _slots(v, (*path, i))
    return out


SLOTS = _slots(DEFAULT)
# Lists whose items are config slots of their own; their paths end in an index.
NUMERIC = [(p, s) for p, s in SLOTS if s.get("type") in ("integer", "number")]


def _validate(cfg):
    """What the Snakefile does: coerce command-line strings, then validate."""
    validate_config(coerce_command_line_strings(cfg, SCHEMA), SCHEMA)


def _set(cfg, path, value):
    node = cfg
    for part in path[:-1]:
        node = node[part]
    node[path[-1]] = value


def _get(cfg, path):
    node = cfg
    for part in path:
        node = node[part]
    return node


def _assert_names(err: ConfigError, path) -> None:
    """One line that names ``path`` (or a key below it) and says what is allowed."""
    msg = str(err)
    assert "\n" not in msg and len(msg) < 600, msg
    named = KEY_IN_MESSAGE.search(msg)
    assert named, msg
    key, want = named.group(1), _key_path(path)
    assert key == want or key.startswith((want + ".", want + "[")), (want, msg)
    assert "allowed" in msg, msg


# ------------------------------------------------------------------------------------------
# strategies for values that the schema must refuse
# ------------------------------------------------------------------------------------------

# Strings YAML reads back as strings (not true/false/null/numbers), as a user's typo would be.
WORDS = st.text(string.ascii_letters, min_size=1, max_size=10).filter(
    lambda s: isinstance(yaml.safe_load(s), str)
)
NON_FINITE = st.sampled_from([math.nan, math.inf, -math.inf])
SMALL_JSON = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | WORDS,
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(WORDS, inner, max_size=3),
    max_leaves=6,
)


def _not(kind):
    """Values of every JSON type except ``kind``."""
    options = {
        "integer": st.integers(-10**6, 10**6),
        "number": st.floats(allow_nan=False, allow_infinity=False),
        "boolean": st.booleans(),
        "string": WORDS,
        "null": st.none(),
        "array": st.lists(st.integers(0, 3), max_size=3),
        "object": st.dictionaries(WORDS, st.integers(0, 3), max_size=2),
    }
    if kind == "integer":  # every float is refused, 40.0 included
        options["number"] = st.floats()
        del options["integer"]
    elif kind == "number":
        del options["integer"], options["number"]
        options["non_finite"] = NON_FINITE
    else:
        del options[kind]
    return st.one_of(*options.values())


def _out_of_range(schema):
    """Numbers just or far outside [minimum, maximum] (respecting exclusive bounds)."""
    integer = schema["type"] == "integer"
    outs = []
    if "minimum" in schema or "exclusiveMinimum" in schema:
        lo = schema.get("minimum", schema.get("exclusiveMinimum"))
        strict = "exclusiveMinimum" in schema
        if integer:
            outs.append(st.integers(max_value=lo if strict else lo - 1, min_value=-10**12))
        else:
            outs.append(st.floats(max_value=lo, allow_nan=False, min_value=-1e300).filter(
                lambda x, lo=lo, strict=strict: x <= lo if strict else x < lo))
    if "maximum" in schema or "exclusiveMaximum" in schema:
        hi = schema.get("maximum", schema.get("exclusiveMaximum"))
        strict = "exclusiveMaximum" in schema
        if integer:
            outs.append(st.integers(min_value=hi if strict else hi + 1, max_value=10**15))
        else:
            outs.append(st.floats(min_value=hi, allow_nan=False, max_value=1e300).filter(
                lambda x, hi=hi, strict=strict: x >= hi if strict else x > hi))
    return st.one_of(*outs)


def _valid_number(schema, i):
    """The i-th of many distinct valid numbers for a numeric schema."""
    lo = schema.get("minimum", schema.get("exclusiveMinimum", 0))
    hi = schema.get("maximum", schema.get("exclusiveMaximum", lo + 10**6))
    if schema["type"] == "integer":
        return lo + i % (hi - lo + 1)
    return lo + (hi - lo) * (i + 1) / (10**4 + 2)


def _bad_values(schema, value):
    """(strategy of replacement values, path suffix the message must name) for one slot."""
    kind = schema.get("type")
    if "enum" in schema:
        return st.one_of(WORDS.filter(lambda s: s not in schema["enum"]), _not("string")), ()
    if kind in ("integer", "number"):
        return st.one_of(_not(kind), _out_of_range(schema)), ()
    if kind == "boolean":
        return _not("boolean"), ()
    if kind == "string":
        bad = [_not("string")]
        if "pattern" in schema:
            bad.append(st.sampled_from(["", "a b", "res$ults", "x;rm -rf", "*", "\u00e9t\u00e9"]))
        return st.one_of(*bad), ()
    if kind == "array":
        item = schema.get("items", {})
        bad = [_not("array")]
        if schema.get("minItems", 0) >= 1:
            bad.append(st.just([]))
        if "maxItems" in schema and item.get("type") in ("integer", "number"):
            n = schema["maxItems"] + 1
            bad.append(st.just([_valid_number(item, i) for i in range(n)]))
        if schema.get("uniqueItems") and value:
            bad.append(st.just([value[0], *value]))
        return st.one_of(*bad), ()
    if kind == "object":
        return _not("object"), ()
    raise AssertionError(f"no strategy for schema {schema}")


# ------------------------------------------------------------------------------------------
# the schema itself: every key typed, every number and list bounded
# ------------------------------------------------------------------------------------------


def _walk_schema(node, path="<config>"):
    node = schema_for_path(node, [])  # resolve a top-level $ref
    yield path, node
    for key, sub in node.get("properties", {}).items():
        yield from _walk_schema(_resolved(sub), f"{path}.{key}")
    extra = node.get("additionalProperties")
    if isinstance(extra, dict):
        yield from _walk_schema(_resolved(extra), f"{path}.<name>")
    items = node.get("items")
    if isinstance(items, dict):
        yield from _walk_schema(_resolved(items), f"{path}[]")


def _resolved(sub):
    ref = sub.get("$ref")
    if not ref:
        return sub
    target = SCHEMA
    for part in ref[2:].split("/"):
        target = target[part]
    return {**target, **{k: v for k, v in sub.items() if k != "$ref"}}


def test_every_key_is_typed_and_bounded():
    """Types everywhere; numbers with both bounds; lists with a size range; no open maps."""
    for path, node in _walk_schema(SCHEMA):
        kind = node.get("type")
        assert kind or "enum" in node, f"{path}: untyped"
        if kind in ("integer", "number"):
            assert {"minimum", "exclusiveMinimum"} & set(node), f"{path}: no lower bound"
            assert {"maximum", "exclusiveMaximum"} & set(node), f"{path}: no upper bound"
        if kind == "array":
            assert "minItems" in node and "maxItems" in node, f"{path}: unbounded list"
            assert isinstance(node.get("items"), dict), f"{path}: untyped items"
        if kind == "object":
            assert "additionalProperties" in node, f"{path}: unknown keys would be accepted"


def test_default_config_and_its_extremes_are_valid():
    validate_config(DEFAULT, SCHEMA)
    cfg = copy.deepcopy(DEFAULT)
    cfg["hopfield"] |= {"n_neurons": 2, "alpha": [1e-9, 0.5, 1.0], "replicas": 1,
                        "temperature": [0.0, 1e-300, 5e-324, 1000.0], "cue_noise": 0.5}
    cfg["spin_glass"] |= {"n_neurons": [2, 3], "temperature": [0.01, 1000.0],
                          "sweeps": 4, "samples": 2}
    cfg["energy_descent"] |= {"n_neurons": 2, "alpha": 1.0, "dilution": 0.0}
    cfg["capacity"] |= {"n_inputs": 1, "alpha": [0.01, 100]}
    validate_config(cfg, SCHEMA)


@pytest.mark.parametrize("name", sorted(p.name for p in (REPO / "config").glob("*.yaml")))
def test_every_shipped_config_is_valid(name):
    """config/*.yaml, merged key by key over the default as --configfile does, validate."""
    cfg = copy.deepcopy(DEFAULT)
    merge_config(cfg, yaml.safe_load((REPO / "config" / name).read_text()) or {})
    _validate(cfg)


# ------------------------------------------------------------------------------------------
# fuzzing
# ------------------------------------------------------------------------------------------


@FUZZ
@given(data=st.data(), slot=st.sampled_from(SLOTS))
def test_a_bad_value_names_its_key(data, slot):
    path, schema = slot
    values, _ = _bad_values(schema, _get(DEFAULT, path))
    bad = data.draw(values, label="bad value")
    cfg = copy.deepcopy(DEFAULT)
    _set(cfg, path, bad)
    with pytest.raises(ConfigError) as err:
        _validate(cfg)
    if path == ("mlp", "dataset") and isinstance(bad, str):
        assert "not a fruit.bands dataset" in str(err.value)
    _assert_names(err.value, path)


MAPPINGS = [(p, s) for p, s in [((), SCHEMA), *SLOTS] if s.get("type") == "object"]


@FUZZ
@given(data=st.data(), slot=st.sampled_from(MAPPINGS), name=WORDS)
def test_an_unknown_or_ill_named_key_is_named(data, slot, name):
    path, schema = slot
    cfg = copy.deepcopy(DEFAULT)
    node = _get(cfg, path)
    if schema.get("additionalProperties") is False:
        name = name if name not in node else name + "_x"
        node[name] = data.draw(SMALL_JSON, label="value")
        with pytest.raises(ConfigError, match="unknown config key") as err:
            _validate(cfg)
        _assert_names(err.value, (*path, name))
        assert "allowed keys" in str(err.value)
    else:  # named entries (datasets, fruits): a name the pattern refuses, valid settings
        bad_name = data.draw(st.sampled_from(["1" + name, name + "/x", "_" + name, name + "!"]))
        node[bad_name] = copy.deepcopy(next(iter(node.values())))
        with pytest.raises(ConfigError, match="invalid name") as err:
            _validate(cfg)
        _assert_names(err.value, (*path, bad_name))


@FUZZ
@given(slot=st.sampled_from([(p, s) for p, s in MAPPINGS if s.get("required")]),
       data=st.data())
def test_a_missing_key_is_named(slot, data):
    path, schema = slot
    key = data.draw(st.sampled_from(schema["required"]))
    cfg = copy.deepcopy(DEFAULT)
    del _get(cfg, path)[key]
    with pytest.raises(ConfigError, match="is missing") as err:
        _validate(cfg)
    _assert_names(err.value, (*path, key))


LIST_ITEMS = [(p, s) for p, s in SLOTS if p and isinstance(p[-1], int)]


@FUZZ
@given(slot=st.sampled_from(LIST_ITEMS), data=st.data())
def test_a_bad_list_item_is_named_by_index(slot, data):
    path, schema = slot
    values, _ = _bad_values(schema, _get(DEFAULT, path))
    bad = data.draw(values)
    cfg = copy.deepcopy(DEFAULT)
    _set(cfg, path, bad)
    with pytest.raises(ConfigError) as err:
        _validate(cfg)
    _assert_names(err.value, path)
    assert f"'{_key_path(path)}'" in str(err.value)


@FUZZ
@given(slot=st.sampled_from(SLOTS), value=SMALL_JSON)
def test_arbitrary_values_only_ever_raise_config_error(slot, value):
    """Whatever lands in the config, validation ends in a pass or one ConfigError."""
    cfg = copy.deepcopy(DEFAULT)
    _set(cfg, slot[0], value)
    try:
        _validate(cfg)
    except ConfigError as err:
        assert "\n" not in str(err) and "allowed" in str(err), str(err)


@FUZZ
@given(slot=st.sampled_from(NUMERIC), data=st.data())
def test_in_range_values_are_accepted(slot, data):
    """Any value inside a key's range passes, unless it makes one job absurdly large."""
    path, schema = slot
    lo = schema.get("minimum", schema.get("exclusiveMinimum"))
    hi = schema.get("maximum", schema.get("exclusiveMaximum"))
    if schema["type"] == "integer":
        value = data.draw(st.integers(lo, hi))
    else:
        value = data.draw(st.floats(lo, hi, exclude_min="exclusiveMinimum" in schema,
                                    exclude_max="exclusiveMaximum" in schema))
    cfg = copy.deepcopy(DEFAULT)
    parent = _get(cfg, path[:-1])
    if isinstance(path[-1], int) and value in parent:
        return  # would repeat a value of a list that must hold distinct values
    _set(cfg, path, value)
    if path[:2] == ("fruit", "bands"):
        return  # [low, high] pairs also need low < high: tested below
    try:
        _validate(cfg)
    except ConfigError as err:
        msg = str(err)
        assert any(size in msg for size in ("per job", "weights", "P x n_inputs",
                                            "numbers in one dense matrix")), msg
        _assert_names(err, path[:1])


# ------------------------------------------------------------------------------------------
# specific messages
# ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("patch", "key", "says"),
    [
        ({"hopfield": {"temperature": [0.5, -0.1]}}, "hopfield.temperature[1]", ">= 0"),
        ({"hopfield": {"temperature": [math.nan]}}, "hopfield.temperature[0]", "not finite"),
        ({"hopfield": {"temperature": []}}, "hopfield.temperature", "empty list"),
        ({"hopfield": {"alpha": [0.0]}}, "hopfield.alpha[0]", "> 0"),
        ({"hopfield": {"alpha": [1.5]}}, "hopfield.alpha[0]", "<= 1"),
        ({"hopfield": {"n_neurons": 0}}, "hopfield.n_neurons", ">= 2"),
        ({"hopfield": {"sweeps": 40.0}}, "hopfield.sweeps", "not of type 'integer'"),
        ({"hopfield": {"replicas": True}}, "hopfield.replicas", "a boolean"),
        ({"hopfield": {"sweeps": 10**9}}, "hopfield.sweeps", "<= 100000"),
        ({"hopfield": {"n_neurons": 100000, "sweeps": 100000, "alpha": [0.001]}},
         "hopfield.sweeps", "update attempts"),
        ({"hopfield": {"n_neurons": 200000, "kernel": "cached_fields"}}, "hopfield.n_neurons",
         "n_neurons <= 10000"),
        ({"finite_size": {"n_neurons": [500, 20000], "kernel": "cached_fields"}},
         "finite_size.n_neurons[1]", "n_neurons <= 10000"),
        ({"hopfield": {"temprature": [0.1]}}, "hopfield.temprature",
         "did you mean 'hopfield.temperature'"),
        ({"spin_glass": {"n_neurons": [64, 50000]}}, "spin_glass.n_neurons[1]", "<= 10000"),
        ({"spin_glass": {"temperature": [0.0, 1.0]}}, "spin_glass.temperature[0]", ">= 0.01"),
        ({"mlp": {"dataset": "separable"}}, "mlp.dataset", "ripe_band"),
        ({"mlp": {"activation": "softmax"}}, "mlp.activation", "'sigmoid'"),
        ({"fruit": {"bands": {"ripe_band": {"band": [0.6, 0.4]}}}},
         "fruit.bands.ripe_band.band", "low < high"),
        ({"perceptron": {"shuffle": "maybe"}}, "perceptron.shuffle", "true or false"),
        ({"results": "my results"}, "results", "matching"),
    ],
)
def test_specific_messages(patch, key, says):
    cfg = copy.deepcopy(DEFAULT)
    for section, value in patch.items():
        if isinstance(value, dict):
            merge_config(cfg[section], value)
        else:
            cfg[section] = value
    with pytest.raises(ConfigError) as err:
        _validate(cfg)
    msg = str(err.value)
    assert f"'{key}'" in msg and says in msg and "\n" not in msg, msg



def test_huge_lists_are_summarised_not_echoed():
    cfg = copy.deepcopy(DEFAULT)
    cfg["hopfield"]["temperature"] = [i / 10 for i in range(5000)]
    with pytest.raises(ConfigError, match=r"5000 items, more than 1000") as err:
        _validate(cfg)
    assert len(str(err.value)) < 400
