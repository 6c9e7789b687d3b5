"""Synthetic fruit samples: weight (grams) and sweetness (1–10) per named fruit class.

Each class is a 2-D Gaussian blob, sweetness clipped to the scale [1, 10] and weight to at
least 1 g. Apples are heavier and less sweet, oranges lighter and sweeter; the class
parameters come from the config, so the same generator makes separable, overlapping and
multiclass datasets.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from statnn import rng as rng_mod

FEATURES = ("weight_g", "sweetness")
SWEETNESS_RANGE = (1.0, 10.0)
MIN_WEIGHT_G = 1.0


@dataclass(frozen=True)
class FruitClass:
    """Gaussian class: N(weight_mean_g, weight_sd_g²) × N(sweetness_mean, sweetness_sd²)."""

    name: str
    n_samples: int
    weight_mean_g: float
    weight_sd_g: float
    sweetness_mean: float
    sweetness_sd: float

    def __post_init__(self) -> None:
        if self.n_samples < 1:
            raise ValueError(f"{self.name}.n_samples must be >= 1, got {self.n_samples}")
        for key in ("weight_sd_g", "sweetness_sd"):
            value = getattr(self, key)
            if not np.isfinite(value) or value < 0:
                raise ValueError(f"{self.name}.{key} must be finite and >= 0, got {value}")
        if not np.isfinite(self.weight_mean_g) or self.weight_mean_g <= 0:
            raise ValueError(f"{self.name}.weight_mean_g must be > 0, got {self.weight_mean_g}")
        lo, hi = SWEETNESS_RANGE
        if not lo <= self.sweetness_mean <= hi:
            raise ValueError(
                f"{self.name}.sweetness_mean must be in [{lo}, {hi}], got {self.sweetness_mean}"
            )

    @classmethod
    def from_config(cls, name: str, spec: Mapping[str, float]) -> FruitClass:
        return cls(name=name, **{k: spec[k] for k in cls.__dataclass_fields__ if k != "name"})


def fruit_samples(fruit: FruitClass, rng: np.random.Generator) -> pd.DataFrame:
    """Draw ``fruit.n_samples`` samples of one class (columns fruit, weight_g, sweetness)."""
    weight = rng.normal(fruit.weight_mean_g, fruit.weight_sd_g, fruit.n_samples)
    sweetness = rng.normal(fruit.sweetness_mean, fruit.sweetness_sd, fruit.n_samples)
    return pd.DataFrame(
        {
            "fruit": fruit.name,
            "weight_g": np.maximum(weight, MIN_WEIGHT_G),
            "sweetness": np.clip(sweetness, *SWEETNESS_RANGE),
        }
    )


def fruit_dataset(
    name: str, classes: Mapping[str, Mapping[str, float]], seed: int
) -> pd.DataFrame:
    """All classes of one named dataset; each class has its own stream (seed, name, class)."""
    if len(classes) < 2:
        raise ValueError(f"fruit.datasets.{name} needs at least 2 fruit classes")
    frames = []
    for cls_name, spec in classes.items():
        fruit = FruitClass.from_config(cls_name, spec)
        frames.append(fruit_samples(fruit, rng_mod.generator(seed, "fruit", name, cls_name)))
    df = pd.concat(frames, ignore_index=True)
    df.insert(0, "dataset", name)
    return df


def fruit_datasets(datasets: Mapping[str, Mapping], seed: int) -> pd.DataFrame:
    """Every dataset of the config in one table, with a ``dataset`` column."""
    if not datasets:
        raise ValueError("fruit.datasets must define at least one dataset")
    df = pd.concat(
        [fruit_dataset(name, spec, seed) for name, spec in datasets.items()], ignore_index=True
    )
    df["fruit"] = df["fruit"].astype(str)
    df["sample"] = df.groupby("dataset").cumcount()
    return df
