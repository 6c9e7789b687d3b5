import copy
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


# ------------------------------------------------------------------------------------------
# the cap on dense matrices: at most 10^8 numbers in one array (README, "Configuration")
# ------------------------------------------------------------------------------------------


def _with(**sections):
    cfg = copy.deepcopy(DEFAULT)
    for section, values in sections.items():
        cfg[section].update(values)
    return cfg


def _refused(cfg, key, says):
    with pytest.raises(ConfigError) as err:
        validate_config(cfg, SCHEMA)
    msg = str(err.value)
    assert msg.startswith(f"config key '{key}' = ") and says in msg and "\n" not in msg, msg
    return msg


@pytest.mark.parametrize("section", ["hopfield", "finite_size"])
def test_cached_fields_kernel_holds_at_most_ten_thousand_squared(section):
    """N x N couplings: 10000² = 10⁸ fits, 10001² does not; other kernels hold only P x N."""
    def sized(n, kernel):
        return _with(**{section: {"n_neurons": n if section == "hopfield" else [500, n],
                                  "kernel": kernel}})

    key = "hopfield.n_neurons" if section == "hopfield" else "finite_size.n_neurons[1]"
    validate_config(sized(10_000, "cached_fields"), SCHEMA)
    _refused(sized(10_001, "cached_fields"), key, "n_neurons <= 10000")
    _refused(sized(200_000, "cached_fields"), key, "n_neurons <= 10000")
    for kernel in ("auto", "overlaps"):
        validate_config(sized(10_001, kernel), SCHEMA)


def test_hopfield_patterns_hold_at_most_1e8_numbers():
    """P x N at N = 200000: P = 500 (alpha 0.0025) is 10⁸ exactly; P = 600 is over."""
    validate_config(_with(hopfield={"n_neurons": 200_000, "alpha": [0.0025]}), SCHEMA)
    _refused(_with(hopfield={"n_neurons": 200_000, "alpha": [0.0025, 0.003]}),
             "hopfield.alpha[1]", "alpha <= 0.0025 (P <= 500)")
    # the default loads (0.0125 ... 0.25) at N = 200000: already P = 2500 at the first
    _refused(_with(hopfield={"n_neurons": 200_000}), "hopfield.alpha[0]", "alpha <= 0.0025")


def test_finite_size_patterns_name_the_largest_size_that_fits():
    """At alpha = 0.2: N = 22361 holds round(4472.2) x 22361 = 99,998,392 <= 10⁸ numbers;
    N = 22362 holds 4472 x 22362 = 100,002,864 > 10⁸ (round(4472.4) = 4472)."""
    loads = [0.1, 0.2]
    validate_config(_with(finite_size={"n_neurons": [500, 22_361], "alpha": loads}), SCHEMA)
    msg = _refused(_with(finite_size={"n_neurons": [500, 22_362], "alpha": loads}),
                   "finite_size.n_neurons[1]", "n_neurons <= 22361 at max(finite_size.alpha)")
    assert "100,002,864 numbers" in msg


@pytest.mark.parametrize("section, wrap, key", [
    ("energy_descent", lambda n: n, "energy_descent.n_neurons"),
    ("spin_glass", lambda n: [32, n], "spin_glass.n_neurons[1]"),
])
def test_dense_float_couplings_hold_at_most_ten_thousand_squared(section, wrap, key):
    validate_config(_with(**{section: {"n_neurons": wrap(10_000)}}), SCHEMA)
    _refused(_with(**{section: {"n_neurons": wrap(10_001)}}), key, "<= 10000")


def test_mlp_activations_hold_at_most_1e8_numbers():
    """10⁶ samples x 100 units = 10⁸ fits; 101 units do not."""
    cfg = _with(mlp={"hidden_layers": [100]})
    cfg["fruit"]["bands"]["ripe_band"]["n_samples"] = 1_000_000
    validate_config(cfg, SCHEMA)
    cfg["mlp"]["hidden_layers"] = [8, 101]
    _refused(cfg, "mlp.hidden_layers", "every hidden layer <= 100 units")
