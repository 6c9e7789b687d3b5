"""Cover and Gardner capacity of the perceptron, measured on random dichotomies.

P random patterns x^μ ∈ {±1}^N get random labels y^μ = ±1 (load α = P/N). Each dichotomy is
tested twice: exactly, by the feasibility LP y^μ (w·x^μ) ≥ 1 (a plane through the origin,
as in Cover's theorem), and by Rosenblatt's perceptron without bias, trained for at most
``max_epochs`` epochs. Cover's count of separable dichotomies of P points in general position
gives the probability

    P_sep(P, N) = C(P, N) / 2^P = 2^(1−P) Σ_{k=0}^{N−1} binom(P − 1, k),

which falls from 1 to 0 around α = 2, where it is exactly ½. Random ±1 patterns are in
general position with probability → 1 as N grows. The perceptron converges only on separable
dichotomies, so "converged ⇒ separable"; near α = 2 the time to converge diverges and a
finite epoch budget leaves some separable dichotomies unlearned.

Gardner's question is how safely they are separated: the largest stability
κ_max = max_w min_μ y^μ w·x^μ / |w| (``statnn.margin``: the hard-margin QP, checked against
AdaTron), whose N → ∞ limit at load α is the inverse of Gardner's α_c(κ) (``statnn.theory``);
the fraction with κ_max ≥ κ falls from 1 to 0 around α_c(κ), and κ = 0 is Cover's count.

Every trial draws from its own stream (seed, "capacity" or "gardner", N, α, trial), so tables
are identical whatever the number of workers or the order in which trials run.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor

import numpy as np
import pandas as pd

from statnn import progress
from statnn.loads import check_alpha, n_patterns
from statnn.margin import NOT_SEPARABLE, adatron, max_margin
from statnn.perceptron import train_perceptron
from statnn.rng import generator
from statnn.separability import is_linearly_separable
from statnn.theory import cover_separable_probability, gardner_capacity, gardner_stability
from statnn.validation import check_int

__all__ = [
    "capacity_table",
    "capacity_trial",
    "gardner_table",
    "gardner_trial",
    "margin_fraction_summary",
    "random_dichotomy",
    "separable_fraction_summary",
    "stability_summary",
    "trial_dichotomy",
]

logger = logging.getLogger("statnn")


COLUMNS = [
    "n_inputs",
    "n_patterns",
    "alpha",
    "alpha_effective",
    "trial",
    "separable",
    "converged",
    "epochs",
    "cover_probability",
]


# ----------------------------------------------------------------------------- validation


def _check_alphas(alphas: Iterable[object]) -> list[float]:
    message = f"alphas must be a non-empty sequence of distinct numbers > 0, got {alphas!r}"
    if isinstance(alphas, (str, bytes)):
        raise ValueError(message)
    try:
        values = list(alphas)
    except TypeError:
        values = [alphas]
    out = [check_alpha(a) for a in values]
    if not out or len(set(out)) != len(out):
        raise ValueError(message)
    return out


# ----------------------------------------------------------------------------- one trial


def random_dichotomy(
    n_inputs: int, n_patterns: int, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """P patterns x^μ ∈ {±1}^N (float array (P, N)) and labels y^μ ∈ {±1}, all i.i.d. fair."""
    n = check_int(n_inputs, "n_inputs", 1)
    p = check_int(n_patterns, "n_patterns", 1)
    x = 2.0 * rng.integers(0, 2, size=(p, n)) - 1.0
    y = 2.0 * rng.integers(0, 2, size=p) - 1.0
    return x, y


def trial_dichotomy(
    n_inputs: int, alpha: float, trial: int, seed: int
) -> tuple[np.ndarray, np.ndarray, int]:
    """The dichotomy of trial ``trial`` at (N, α) and the seed of its perceptron's epoch order.

    Both come from the stream (seed, "capacity", N, α, trial); shared by ``capacity_trial``
    and the benchmark so that both see the same dichotomies.
    """
    n = check_int(n_inputs, "n_inputs", 1)
    a = check_alpha(alpha)
    t = check_int(trial, "trial", 0)
    rng = generator(seed, "capacity", n, a, t)
    x, y = random_dichotomy(n, n_patterns(a, n), rng)
    return x, y, int(rng.integers(2**32))


def capacity_trial(
    n_inputs: int, alpha: float, trial: int, seed: int, max_epochs: int = 1000
) -> dict:
    """One random dichotomy at load α: LP separability, perceptron convergence, Cover's P_sep.

    Returns a dict with n_inputs, n_patterns (P = round(αN) ≥ 1), alpha (as requested),
    alpha_effective (P/N), trial, separable (LP, plane through the origin), converged
    (perceptron without bias within ``max_epochs``), epochs (epochs run) and
    cover_probability C(P, N)/2^P.
    """
    n = check_int(n_inputs, "n_inputs", 1)
    a = check_alpha(alpha)
    epochs_max = check_int(max_epochs, "max_epochs", 1)
    x, y, order_seed = trial_dichotomy(n, a, trial, seed)
    fit = train_perceptron(
        x, y, max_epochs=epochs_max, bias=False, shuffle=True, seed=order_seed, record=False
    )
    p = x.shape[0]
    return {
        "n_inputs": n,
        "n_patterns": p,
        "alpha": a,
        "alpha_effective": p / n,
        "trial": int(trial),
        "separable": is_linearly_separable(x, y, bias=False),
        "converged": bool(fit.converged),
        "epochs": int(fit.epochs),
        "cover_probability": cover_separable_probability(p, n),
    }


# ----------------------------------------------------------------------------- the table


def _trial_block(args: tuple[int, float, tuple[int, ...], int, int]) -> list[dict]:
    """The given trials at one α (a picklable unit of work for worker processes)."""
    n, a, trials, seed, max_epochs = args
    return [capacity_trial(n, a, t, seed, max_epochs) for t in trials]


def capacity_table(
    n_inputs: int,
    alphas: Iterable[float],
    trials: int,
    seed: int,
    max_epochs: int = 1000,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """``trials`` random dichotomies at each load α (see ``capacity_trial``).

    One row per (alpha, trial), ordered by α as given, then trial. ``n_jobs`` > 1 runs blocks
    of trials in that many worker processes; the table is identical for every ``n_jobs``
    (each trial's stream depends only on its coordinates). Progress is logged at INFO level
    on the "statnn" logger, one line per α.
    """
    a_values = _check_alphas(alphas)
    n_trials = check_int(trials, "trials", 1)
    points = [(a, t) for a in a_values for t in range(n_trials)]
    return capacity_points(n_inputs, points, seed, max_epochs=max_epochs, n_jobs=n_jobs)


def capacity_points(
    n_inputs: int,
    points: Iterable[tuple[float, int]],
    seed: int,
    max_epochs: int = 1000,
    n_jobs: int = 1,
) -> pd.DataFrame:
    """``capacity_table`` rows for the (α, trial) ``points`` only, ordered by α in order of
    first appearance, then trial."""
    n = check_int(n_inputs, "n_inputs", 1)
    check_int(seed, "seed", 0)
    epochs_max = check_int(max_epochs, "max_epochs", 1)
    jobs = check_int(n_jobs, "n_jobs", 1)
    trials_of: dict[float, list[int]] = {}
    for a, t in points:
        trials_of.setdefault(check_alpha(a), []).append(check_int(t, "trial", 0))

    tasks = []
    for a, ts in trials_of.items():
        # a few blocks per worker and α balance the load (cost peaks near α = 2)
        n_blocks = 1 if jobs == 1 else min(len(ts), 2 * jobs)
        edges = np.linspace(0, len(ts), n_blocks + 1).round().astype(int)
        tasks += [(n, a, tuple(ts[lo:hi]), int(seed), epochs_max)
                  for lo, hi in zip(edges[:-1], edges[1:], strict=True) if hi > lo]
    rows: list[dict] = []
    done: dict[float, int] = {}

    def collect(task, block: list[dict]) -> None:
        rows.extend(block)
        progress.advance(len(block))  # trials done
        a = task[1]
        done[a] = done.get(a, 0) + len(block)
        if done[a] == len(trials_of[a]):
            sep = np.mean([r["separable"] for r in rows if r["alpha"] == a])
            logger.info(
                "capacity N=%d alpha=%g: %d trials, separable fraction %.3f (%d/%d alphas)",
                n,
                a,
                done[a],
                sep,
                len(done),
                len(trials_of),
            )

    if jobs == 1:
        for task in tasks:
            collect(task, _trial_block(task))
    else:
        with ProcessPoolExecutor(max_workers=jobs) as pool:
            for task, block in zip(tasks, pool.map(_trial_block, tasks), strict=True):
                collect(task, block)
    # tasks are in coordinate order and map() keeps it; sort anyway to make it explicit
    order = {a: k for k, a in enumerate(trials_of)}
    rows.sort(key=lambda r: (order[r["alpha"]], r["trial"]))
    return pd.DataFrame(rows, columns=COLUMNS)


def separable_fraction_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per α: separable fraction f with binomial standard error √(f(1 − f)/n), and more.

    Columns: n_inputs, n_patterns, alpha, trials, separable_fraction, separable_se,
    converged_fraction, converged_se, mean_epochs_converged (mean epochs over converged
    trials; NaN if none converged), cover_probability (C(P, N)/2^P).
    """
    required = {"n_inputs", "n_patterns", "alpha", "separable", "converged", "epochs"}
    missing = sorted(required - set(table.columns))
    if missing:
        raise ValueError(f"table is missing capacity columns: {', '.join(missing)}")
    if table.empty:
        raise ValueError("table must have at least one row")
    rows = []
    for (n, p, a), g in table.groupby(["n_inputs", "n_patterns", "alpha"], sort=True):
        k = len(g)
        f_sep = float(g["separable"].mean())
        f_conv = float(g["converged"].mean())
        conv_epochs = g.loc[g["converged"].astype(bool), "epochs"]
        mean_epochs = float(conv_epochs.mean()) if len(conv_epochs) else math.nan
        rows.append(
            {
                "n_inputs": int(n),
                "n_patterns": int(p),
                "alpha": float(a),
                "trials": k,
                "separable_fraction": f_sep,
                "separable_se": math.sqrt(f_sep * (1.0 - f_sep) / k),
                "converged_fraction": f_conv,
                "converged_se": math.sqrt(f_conv * (1.0 - f_conv) / k),
                "mean_epochs_converged": mean_epochs,
                "cover_probability": cover_separable_probability(int(p), int(n)),
            }
        )
    return pd.DataFrame(rows)


# ----------------------------------------------------------------------------- Gardner


GARDNER_COLUMNS = ["n_inputs", "n_patterns", "alpha", "trial", "kappa_max", "kappa_adatron",
                   "adatron_sweeps", "adatron_converged"]


def gardner_trial(
    n_inputs: int, alpha: float, trial: int, seed: int, max_sweeps: int = 20_000
) -> dict:
    """κ_max of trial ``trial`` at (N, α): P = round(αN) random ±1 patterns and labels.

    The dichotomy comes from the stream (seed, "gardner", N, α, trial) only. Returns a row
    of ``GARDNER_COLUMNS``: kappa_max from the QP (−inf if not separable); kappa_adatron,
    the stability AdaTron reaches within ``max_sweeps`` sweeps (≤ kappa_max), its sweeps
    and whether it converged (−inf, 0, False where not run: not separable).
    """
    n = check_int(n_inputs, "n_inputs", 1)
    a = check_alpha(alpha)
    t = check_int(trial, "trial", 0)
    x, y = random_dichotomy(n, n_patterns(a, n), generator(seed, "gardner", n, a, t))
    _, kappa = max_margin(x, y, bias=False)
    kappa_ada, sweeps, converged = NOT_SEPARABLE, 0, False
    if kappa > 0:
        _, kappa_ada, sweeps, converged = adatron(x, y, max_sweeps=max_sweeps)
    return {"n_inputs": n, "n_patterns": x.shape[0], "alpha": a, "trial": t,
            "kappa_max": kappa, "kappa_adatron": kappa_ada, "adatron_sweeps": sweeps,
            "adatron_converged": converged}


def gardner_table(
    n_inputs: int, alpha: float, trials: int, seed: int, max_sweeps: int = 20_000
) -> pd.DataFrame:
    """``trials`` rows of ``gardner_trial`` at one (N, α), ordered by trial."""
    n_trials = check_int(trials, "trials", 1)
    sweeps = check_int(max_sweeps, "max_sweeps", 1)
    rows = [gardner_trial(n_inputs, alpha, t, seed, sweeps) for t in range(n_trials)]
    return pd.DataFrame(rows, columns=GARDNER_COLUMNS)


def _order_statistic(values: np.ndarray, q: float) -> float:
    """The q-quantile as an order statistic (inverted CDF): exact with −inf entries."""
    return float(np.quantile(values, q, method="inverted_cdf"))


def stability_summary(table: pd.DataFrame) -> pd.DataFrame:
    """Per (N, α) of a gardner table: κ_max's order statistics and mean, AdaTron's check.

    Columns: n_inputs, n_patterns, alpha, trials, median, q10, q25, q75, q90 (order
    statistics over all trials; −inf where more than that share is not separable), mean and
    mean_se (standard error; −inf/NaN if any trial is not separable), separable (fraction
    with κ_max > 0), adatron_converged (share of separable trials), adatron_difference
    (largest κ_max − κ_AdaTron over those; NaN if none), theory (Gardner's κ(α), NaN above
    α = 2).
    """
    rows = []
    for (n, p, a), g in table.groupby(["n_inputs", "n_patterns", "alpha"], sort=True):
        k = g["kappa_max"].to_numpy(float)
        sep = k > 0
        conv = sep & g["adatron_converged"].to_numpy(bool)
        diff = k[conv] - g["kappa_adatron"].to_numpy(float)[conv]
        finite = bool(np.all(np.isfinite(k)))
        rows.append({
            "n_inputs": int(n), "n_patterns": int(p), "alpha": float(a), "trials": len(k),
            **{name: _order_statistic(k, q) for name, q in
               (("median", 0.5), ("q10", 0.1), ("q25", 0.25), ("q75", 0.75), ("q90", 0.9))},
            "mean": float(np.mean(k)),
            "mean_se": float(np.std(k, ddof=1) / math.sqrt(len(k)))
            if finite and len(k) > 1 else math.nan,
            "separable": float(np.mean(sep)),
            "adatron_converged": float(np.mean(conv[sep])) if sep.any() else math.nan,
            "adatron_difference": float(np.max(np.abs(diff))) if diff.size else math.nan,
            "theory": gardner_stability(float(a)) if a <= 2.0 else math.nan,
        })
    return pd.DataFrame(rows)


def margin_fraction_summary(table: pd.DataFrame, kappas: Iterable[float]) -> pd.DataFrame:
    """Per (N, α) and κ: the fraction f of trials with κ_max ≥ κ, its binomial standard error
    √(f(1 − f)/n), Gardner's α_c(κ) and, at κ = 0, Cover's C(P, N)/2^P (NaN at κ > 0)."""
    rows = []
    for (n, p, a), g in table.groupby(["n_inputs", "n_patterns", "alpha"], sort=True):
        k = g["kappa_max"].to_numpy(float)
        for kappa in kappas:
            f = float(np.mean(k >= kappa))
            rows.append({
                "n_inputs": int(n), "n_patterns": int(p), "alpha": float(a),
                "kappa": float(kappa), "trials": len(k), "fraction": f,
                "fraction_se": math.sqrt(f * (1.0 - f) / len(k)),
                "alpha_c": gardner_capacity(float(kappa)),
                "cover_probability": cover_separable_probability(int(p), int(n))
                if kappa == 0 else math.nan,
            })
    return pd.DataFrame(rows)
