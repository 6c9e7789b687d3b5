import numpy as np
import pytest

from statnn.fruit import FruitClass, fruit_dataset, fruit_datasets

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
