from pathlib import Path

import pytest
import yaml

from statnn.config import ConfigError, coerce_command_line_strings, load_schema, validate_config

REPO = Path(__file__).resolve().parents[1]
SCHEMA = load_schema(REPO / "workflow" / "schemas" / "config.schema.yaml")
DEFAULT = yaml.safe_load((REPO / "config" / "config.yaml").read_text())


def test_default_config_is_valid():
    validate_config(DEFAULT, SCHEMA)


@pytest.mark.parametrize(
    ("patch", "pattern"),
    [
        ({"bogus": 1}, r"unknown config key 'bogus'"),
        ({"perceptron": {"max_epochs": 10, "shuffle": True, "extra": 1}},
         r"unknown config key 'perceptron.extra'"),
        ({"perceptron": {"max_epochs": "ten", "shuffle": True}},
         r"'perceptron.max_epochs'.*not of type 'integer'"),
        ({"perceptron": {"max_epochs": -5, "shuffle": True}},
         r"'perceptron.max_epochs' = -5.*>= 1"),
        ({"seed": float("nan")}, r"'seed' = nan.*not finite"),
        ({"fruit": {"datasets": {"d": {"apple": {
            "n_samples": -1, "weight_mean_g": 1, "weight_sd_g": 1,
            "sweetness_mean": 5, "sweetness_sd": 1}, "orange": {
            "n_samples": 1, "weight_mean_g": 1, "weight_sd_g": 1,
            "sweetness_mean": 5, "sweetness_sd": 1}}}}},
         r"'fruit.datasets.d.apple.n_samples' = -1.*>= 1"),
    ],
)
def test_bad_values_name_the_key(patch, pattern):
    with pytest.raises(ConfigError, match=pattern):
        validate_config(DEFAULT | patch, SCHEMA)


def test_command_line_strings_are_coerced_by_schema_type():
    cfg = DEFAULT | {"perceptron": {"max_epochs": "12", "shuffle": "false"}}
    out = coerce_command_line_strings(cfg, SCHEMA)
    assert out["perceptron"] == {"max_epochs": 12, "shuffle": False}
    assert out["results"] == DEFAULT["results"]
    bad = coerce_command_line_strings(DEFAULT | {"perceptron": {"max_epochs": "x"}}, SCHEMA)
    assert bad["perceptron"]["max_epochs"] == "x"
