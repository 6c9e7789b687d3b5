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


# ------------------------------------------------------------------ a non-separable dataset

RIPE, UNRIPE = "ripe", "unripe"
BAND_SHAPES = ("diagonal", "annulus")


def _check_range(value: object, name: str, lo: float, hi: float) -> tuple[float, float]:
    try:
        a, b = (float(v) for v in value)  # type: ignore[union-attr]
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a pair [low, high], got {value!r}") from None
    if not (np.isfinite(a) and np.isfinite(b) and lo <= a < b <= hi):
        raise ValueError(f"{name} must satisfy {lo} <= low < high <= {hi}, got {value!r}")
    return a, b


def ripeness_score(
    weight_g: np.ndarray,
    sweetness: np.ndarray,
    weight_range_g: tuple[float, float],
    sweetness_range: tuple[float, float],
    shape: str = "diagonal",
) -> np.ndarray:
    """Score t ∈ [0, 1] whose band decides ripeness, from u, v = features scaled to [0, 1].

    With u = (w − w_lo)/(w_hi − w_lo) and v = (s − s_lo)/(s_hi − s_lo):
    ``diagonal``: t = (u + v)/2 (heavier and sweeter is riper);
    ``annulus``:  t = √2 · √((u − ½)² + (v − ½)²) (distance from the centre of the box).
    """
    if shape not in BAND_SHAPES:
        raise ValueError(f"shape must be one of {', '.join(BAND_SHAPES)}, got {shape!r}")
    u = (np.asarray(weight_g, float) - weight_range_g[0]) / np.ptp(weight_range_g)
    v = (np.asarray(sweetness, float) - sweetness_range[0]) / np.ptp(sweetness_range)
    if shape == "diagonal":
        return 0.5 * (u + v)
    return np.sqrt(2.0) * np.hypot(u - 0.5, v - 0.5)


def ripe_band_dataset(
    name: str,
    n_samples: int,
    weight_range_g: tuple[float, float],
    sweetness_range: tuple[float, float],
    band: tuple[float, float],
    seed: int,
    shape: str = "diagonal",
) -> pd.DataFrame:
    """Fruits uniform on the weight × sweetness box, "ripe" iff band[0] ≤ t ≤ band[1].

    t is ``ripeness_score`` (a diagonal band or an annulus), so the ripe fruits lie between
    two boundaries and the "unripe" ones on both sides: no straight line separates them
    (when both sides of the band are populated), while a network with a hidden layer can.
    Stream (seed, "fruit", name, "ripe_band"); columns dataset, fruit ("ripe"/"unripe"),
    weight_g, sweetness, sample.
    """
    if isinstance(n_samples, bool) or int(n_samples) != n_samples or n_samples < 1:
        raise ValueError(f"{name}.n_samples must be an integer >= 1, got {n_samples!r}")
    w_lo, w_hi = _check_range(weight_range_g, f"{name}.weight_range_g", MIN_WEIGHT_G, np.inf)
    s_lo, s_hi = _check_range(sweetness_range, f"{name}.sweetness_range", *SWEETNESS_RANGE)
    b_lo, b_hi = _check_range(band, f"{name}.band", 0.0, 1.0)
    if shape not in BAND_SHAPES:
        raise ValueError(f"{name}.shape must be one of {', '.join(BAND_SHAPES)}, got {shape!r}")
    rng = rng_mod.generator(seed, "fruit", name, "ripe_band")
    weight = rng.uniform(w_lo, w_hi, int(n_samples))
    sweetness = rng.uniform(s_lo, s_hi, int(n_samples))
    t = ripeness_score(weight, sweetness, (w_lo, w_hi), (s_lo, s_hi), shape)
    ripe = (t >= b_lo) & (t <= b_hi)
    return pd.DataFrame(
        {
            "dataset": name,
            "fruit": np.where(ripe, RIPE, UNRIPE),
            "weight_g": weight,
            "sweetness": sweetness,
            "sample": np.arange(int(n_samples)),
        }
    )


def ripe_band_datasets(bands: Mapping[str, Mapping], seed: int) -> pd.DataFrame:
    """Every band dataset of the config, e.g. ``{"ripe_band": {"n_samples": 400, ...}}``.

    Each spec holds the keyword arguments of ``ripe_band_dataset`` except name and seed.
    """
    if not bands:
        raise ValueError("fruit.bands must define at least one dataset")
    required = {"n_samples", "weight_range_g", "sweetness_range", "band"}
    allowed = required | {"shape"}
    frames = []
    for name, spec in bands.items():
        unknown, missing = sorted(set(spec) - allowed), sorted(required - set(spec))
        if unknown or missing:
            raise ValueError(
                f"fruit.bands.{name}: unknown key(s) [{', '.join(unknown)}], missing key(s) "
                f"[{', '.join(missing)}]; allowed: {', '.join(sorted(allowed))}"
            )
        frames.append(ripe_band_dataset(name, seed=seed, **spec))
    return pd.concat(frames, ignore_index=True)


def all_fruit(fruit_config: Mapping[str, Mapping], seed: int) -> pd.DataFrame:
    """Every dataset of the ``fruit`` config: Gaussian ``datasets`` and ripe ``bands``."""
    frames = [fruit_datasets(fruit_config["datasets"], seed)]
    if fruit_config.get("bands"):
        frames.append(ripe_band_datasets(fruit_config["bands"], seed))
    return pd.concat(frames, ignore_index=True)
