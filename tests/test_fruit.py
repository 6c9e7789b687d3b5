from pathlib import Path

import numpy as np
import pytest
import yaml

from statnn.fruit import (
    FEATURES,
    FruitClass,
    all_fruit,
    fruit_dataset,
    fruit_datasets,
    ripe_band_dataset,
    ripeness_score,
)
from statnn.separability import is_linearly_separable

APPLE = {"n_samples": 500, "weight_mean_g": 180, "weight_sd_g": 10, "sweetness_mean": 4.0,
         "sweetness_sd": 0.5}
ORANGE = {"n_samples": 400, "weight_mean_g": 140, "weight_sd_g": 10, "sweetness_mean": 9.5,
          "sweetness_sd": 2.0}


def test_columns_counts_and_class_statistics():
    df = fruit_dataset("d", {"apple": APPLE, "orange": ORANGE}, 1)
    assert list(df.columns[:4]) == ["dataset", "fruit", "weight_g", "sweetness"]
    counts = df["fruit"].value_counts()
    assert counts["apple"] == 500 and counts["orange"] == 400
    apples = df[df["fruit"] == "apple"]
    # mean within 5 standard errors
    assert abs(apples["weight_g"].mean() - 180) < 5 * 10 / np.sqrt(500)
    assert abs(apples["sweetness"].mean() - 4.0) < 5 * 0.5 / np.sqrt(500)


def test_sweetness_is_clipped_to_its_scale():
    df = fruit_dataset("d", {"apple": APPLE, "orange": ORANGE}, 2)
    assert df["sweetness"].between(1, 10).all()
    assert (df["sweetness"] == 10).any()  # orange mean 9.5, sd 2 -> many clipped
    assert (df["weight_g"] > 0).all()


def test_streams_depend_on_seed_and_names_not_order():
    a = fruit_datasets({"x": {"apple": APPLE, "orange": ORANGE}}, 3)
    b = fruit_datasets({"x": {"orange": ORANGE, "apple": APPLE}}, 3)
    key = ["fruit", "weight_g", "sweetness"]
    assert a.sort_values(key)[key].reset_index(drop=True).equals(
        b.sort_values(key)[key].reset_index(drop=True)
    )
    c = fruit_datasets({"x": {"apple": APPLE, "orange": ORANGE}}, 4)
    assert not np.allclose(a["weight_g"], c["weight_g"])


def test_bad_class_parameters_name_the_key():
    with pytest.raises(ValueError, match="apple.n_samples"):
        FruitClass.from_config("apple", APPLE | {"n_samples": 0})
    with pytest.raises(ValueError, match="apple.weight_sd_g"):
        FruitClass.from_config("apple", APPLE | {"weight_sd_g": -1})
    with pytest.raises(ValueError, match="at least 2"):
        fruit_dataset("d", {"apple": APPLE}, 1)


# ------------------------------------------------------------------ the default config

DEFAULT = yaml.safe_load((Path(__file__).resolve().parents[1] / "config/config.yaml").read_text())


@pytest.fixture(scope="module")
def default_fruit():
    return all_fruit(DEFAULT["fruit"], DEFAULT["seed"])


def test_default_apples_are_heavier_and_less_sweet_than_oranges(default_fruit):
    """The seed's claim, in the data the default run generates: in every dataset with both
    fruits, apples weigh more on average and are less sweet than oranges."""
    checked = 0
    for name, df in default_fruit.groupby("dataset"):
        means = df.groupby("fruit")[["weight_g", "sweetness"]].mean()
        if not {"apple", "orange"} <= set(means.index):
            continue
        checked += 1
        assert means.loc["apple", "weight_g"] > means.loc["orange", "weight_g"], name
        assert means.loc["apple", "sweetness"] < means.loc["orange", "sweetness"], name
    assert checked == 3


def test_default_classes_follow_their_config(default_fruit):
    """Every class: its configured count, and means within 5 standard errors of the
    configured means (clipping moves them by far less at these parameters)."""
    for name, classes in DEFAULT["fruit"]["datasets"].items():
        for fruit, spec in classes.items():
            sub = default_fruit[(default_fruit["dataset"] == name)
                                & (default_fruit["fruit"] == fruit)]
            n = spec["n_samples"]
            assert len(sub) == n, (name, fruit)
            for col, mean, sd in (("weight_g", "weight_mean_g", "weight_sd_g"),
                                  ("sweetness", "sweetness_mean", "sweetness_sd")):
                se = spec[sd] / np.sqrt(n)
                assert abs(sub[col].mean() - spec[mean]) < 5 * se, (name, fruit, col)


def test_default_separable_set_is_separable_and_overlapping_is_not(default_fruit):
    for name, separable in (("separable", True), ("overlapping", False)):
        df = default_fruit[default_fruit["dataset"] == name]
        x = df[list(FEATURES)].to_numpy(float)
        y = np.where(df["fruit"] == "apple", 1.0, -1.0)
        assert is_linearly_separable(x, y) is separable


# ------------------------------------------------------------------ the ripe band


def test_ripeness_score_on_known_points():
    """u, v = features scaled to [0, 1]; diagonal t = (u + v)/2, annulus
    t = √2 · distance from the box centre (0 at the centre, 1 at a corner)."""
    w_range, s_range = (100.0, 200.0), (2.0, 10.0)
    w = np.array([100.0, 200.0, 150.0, 200.0, 125.0])
    s = np.array([2.0, 10.0, 6.0, 2.0, 4.0])
    np.testing.assert_allclose(ripeness_score(w, s, w_range, s_range, "diagonal"),
                               [0.0, 1.0, 0.5, 0.5, 0.25])
    np.testing.assert_allclose(ripeness_score(w, s, w_range, s_range, "annulus"),
                               [1.0, 1.0, 0.0, 1.0, np.sqrt(2) * np.hypot(0.25, 0.25)])


@pytest.mark.parametrize("shape", ["diagonal", "annulus"])
def test_ripe_means_inside_the_band(shape):
    spec = {"n_samples": 500, "weight_range_g": (100.0, 250.0), "sweetness_range": (1.0, 10.0),
            "band": (0.35, 0.6), "shape": shape}
    df = ripe_band_dataset("rb", seed=2, **spec)
    assert df["weight_g"].between(100, 250).all() and df["sweetness"].between(1, 10).all()
    u = (df["weight_g"] - 100.0) / 150.0
    v = (df["sweetness"] - 1.0) / 9.0
    t = (u + v) / 2 if shape == "diagonal" else np.sqrt(2 * ((u - 0.5) ** 2 + (v - 0.5) ** 2))
    ripe = (t >= 0.35) & (t <= 0.6)
    np.testing.assert_array_equal(df["fruit"] == "ripe", ripe)
    assert 0.1 < ripe.mean() < 0.9
