"""Storage capacity by finite-size scaling: α_c(N) from retrieval probabilities, N → ∞.

A run *retrieves* when its T = 0 fixed point has overlap m = (1/N) Σ_i ξ¹_i S_i ≥ m_r with
the cued pattern (``finite_size.retrieval_overlap``, default 0.9: the AGS retrieval state
has m ≥ 0.967 up to α_c, the spin-glass states reached above it have m well below). At each
load the retrieval probability p_N(α) is the fraction of replicas that retrieve; α_c(N) is
the load where p_N crosses ½:

- p_N is first made non-increasing in α by weighted isotonic regression (pool adjacent
  violators, weights = runs per load), so the crossing is unique;
- α_c(N) is the linear interpolation between the two bracketing loads,
  α_k + (p_k − ½)(α_{k+1} − α_k)/(p_k − p_{k+1}); NaN when ½ is not bracketed;
- its standard error is the standard deviation of α_c over bootstrap resamples of the
  replicas (a replica carries its runs at every load: its patterns are nested), seeded by
  (seed, "bootstrap", N), and never below Δα/(2√R), the binomial error 1/(2√R) of p at ½
  through the steepest slope 1/Δα that the bracketing loads resolve (R replicas).

The limit N → ∞ is a weighted least-squares fit of α_c(N) = α_c(∞) + a N^(−ω) with weights
1/se², ω fixed (``finite_size.scaling_exponent``, default ½); the parameter covariance is
(Xᵀ W X)⁻¹, scaled by χ²/dof when that exceeds 1 (the errors then understate the scatter).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from statnn import rng as rng_mod


def retrieval_probability(table: pd.DataFrame, retrieval_overlap: float) -> pd.DataFrame:
    """Per (n_neurons, alpha): ``runs``, ``retrieved`` (final overlap ≥ m_r), ``probability``."""
    hit = table.assign(retrieved=table["overlap"] >= retrieval_overlap)
    out = hit.groupby(["n_neurons", "alpha"], as_index=False).agg(
        runs=("retrieved", "size"), retrieved=("retrieved", "sum"))
    out["probability"] = out["retrieved"] / out["runs"]
    return out


def decreasing_fit(values: object, weights: object = None) -> np.ndarray:
    """The non-increasing sequence closest to ``values`` in weighted least squares (pool
    adjacent violators)."""
    y = np.asarray(values, dtype=float)
    w = np.ones_like(y) if weights is None else np.asarray(weights, dtype=float)
    blocks: list[list[float]] = []  # [mean, weight, length]
    for yi, wi in zip(y, w, strict=True):
        blocks.append([yi, wi, 1])
        while len(blocks) > 1 and blocks[-2][0] < blocks[-1][0]:
            m2, w2, n2 = blocks.pop()
            m1, w1, n1 = blocks.pop()
            blocks.append([(m1 * w1 + m2 * w2) / (w1 + w2), w1 + w2, n1 + n2])
    return np.concatenate([np.full(int(n), m) for m, _, n in blocks]) if blocks else y


def crossing_load(alphas: object, probabilities: object, weights: object = None,
                  level: float = 0.5) -> tuple[float, float]:
    """(α where the non-increasing fit of p(α) crosses ``level``, width of the bracket).

    Linear interpolation between the last load with p ≥ level and the next; (NaN, NaN) when
    p never falls below ``level`` or starts below it.
    """
    a = np.asarray(alphas, dtype=float)
    order = np.argsort(a)
    a = a[order]
    p = decreasing_fit(np.asarray(probabilities, dtype=float)[order],
                       None if weights is None else np.asarray(weights, dtype=float)[order])
    below = np.flatnonzero(p < level)
    if below.size == 0 or below[0] == 0:
        return math.nan, math.nan
    k = below[0] - 1
    alpha = a[k] + (p[k] - level) * (a[k + 1] - a[k]) / (p[k] - p[k + 1])
    return float(alpha), float(a[k + 1] - a[k])


def crossing_with_error(alphas: object, hits: object, rng: np.random.Generator,
                        resamples: int) -> dict[str, float]:
    """α where the fraction of replicas that succeed crosses ½, and its standard error.

    ``hits`` (loads, replicas) of 0/1, one column per replica at every load (sorted
    ``alphas``). The error is the bootstrap standard deviation over ``resamples`` resamples
    of the replicas drawn from ``rng``, never below the resolution Δα/(2√R) (module
    docstring).
    """
    alphas, hits = np.asarray(alphas, dtype=float), np.asarray(hits, dtype=float)
    n_rep = hits.shape[1]
    alpha_c, width = crossing_load(alphas, hits.mean(axis=1))
    boot = np.array([crossing_load(alphas, hits[:, rng.integers(0, n_rep, n_rep)].mean(axis=1))[0]
                     for _ in range(resamples)])
    ok = np.isfinite(boot)
    boot_se = float(np.std(boot[ok], ddof=1)) if ok.sum() > 1 else math.nan
    floor = width / (2.0 * math.sqrt(n_rep)) if math.isfinite(width) else math.nan
    return {
        "alpha_c": alpha_c, "alpha_c_se": max(boot_se, floor), "bootstrap_se": boot_se,
        "resolution_se": floor, "replicas": n_rep, "bootstrap_bracketed": float(ok.mean()),
    }


def critical_load(table: pd.DataFrame, retrieval_overlap: float, resamples: int,
                  seed: int) -> dict[str, float]:
    """α_c and its bootstrap standard error for one network size (module docstring).

    ``table``: rows (alpha, replica, overlap) of one N, every replica at every load.
    """
    n = int(table["n_neurons"].iloc[0])
    grid = (table.assign(hit=table["overlap"] >= retrieval_overlap)
            .pivot(index="alpha", columns="replica", values="hit").sort_index())
    if grid.isna().any().any():
        raise ValueError(f"N = {n}: every replica needs a run at every load")
    rng = rng_mod.generator(seed, "bootstrap", n)
    return {"n_neurons": n,
            **crossing_with_error(grid.index.to_numpy(float), grid.to_numpy(float), rng,
                                  resamples)}


def critical_loads(table: pd.DataFrame, retrieval_overlap: float, resamples: int,
                   seed: int) -> pd.DataFrame:
    """``critical_load`` for every N of a finite-size table, one row per N (ascending)."""
    rows = [critical_load(sub, retrieval_overlap, resamples, seed)
            for _, sub in table.groupby("n_neurons", sort=True)]
    return pd.DataFrame(rows)


def extrapolate(n_neurons: object, alpha_c: object, alpha_c_se: object,
                exponent: float = 0.5) -> dict[str, float]:
    """Weighted least squares α_c(N) = α_c(∞) + a N^(−ω) (module docstring).

    Returns α_c(∞), its standard error, the slope a and its error, their covariance, ω, χ²,
    the degrees of freedom and the scale factor √max(1, χ²/dof) applied to the errors.
    """
    n = np.asarray(n_neurons, dtype=float)
    y = np.asarray(alpha_c, dtype=float)
    se = np.asarray(alpha_c_se, dtype=float)
    ok = np.isfinite(y) & np.isfinite(se) & (se > 0)
    if ok.sum() < 2:
        raise ValueError(f"need α_c with a positive error at >= 2 sizes, got {int(ok.sum())}")
    x = n[ok] ** -float(exponent)
    X = np.column_stack([np.ones_like(x), x])
    w = 1.0 / se[ok] ** 2
    cov = np.linalg.inv(X.T @ (w[:, None] * X))
    beta = cov @ (X.T @ (w * y[ok]))
    chi2 = float(np.sum(w * (y[ok] - X @ beta) ** 2))
    dof = int(ok.sum()) - 2
    scale = math.sqrt(max(1.0, chi2 / dof)) if dof > 0 else 1.0
    cov = cov * scale**2
    return {
        "alpha_c_infinity": float(beta[0]), "alpha_c_infinity_se": float(math.sqrt(cov[0, 0])),
        "slope": float(beta[1]), "slope_se": float(math.sqrt(cov[1, 1])),
        "covariance": float(cov[0, 1]), "exponent": float(exponent), "chi2": chi2,
        "dof": dof, "error_scale": scale, "sizes": int(ok.sum()),
    }
