"""Measured vs expected: each row computed from this run's tables and its theory tables.

A row's ``kind`` says what "expected" is: ``theory`` (a prediction the measurement should
match within its error, up to finite-size and finite-time effects named in the note),
``bound`` (an upper bound the measurement must not exceed: Novikoff's) or ``target`` (a
goal the training aims at, e.g. accuracy 1, not a prediction).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd

from statnn.finite_size import extrapolate
from statnn.theory import (
    ONE_STEP_RSB_CRITICAL_LOAD,
    PARISI_GROUND_STATE_ENERGY,
    SEQUENCE_CRITICAL_LOAD,
    gardner_stability,
)

#: Temperature (T_c / 2) of the report's SK rows comparing [⟨E⟩]/N with the identity.
IDENTITY_TEMPERATURE = 0.5

#: A theory row whose measurement lies more than this many standard errors from the expected
#: value must name its measured cause (``Comparison.cause``); otherwise it is unexplained.
SIGMA_LIMIT = 3.0

#: What the "expected" column of a row is, by ``Comparison.kind``.
KINDS = {
    "theory": "theory",
    "bound": "upper bound",
    "target": "target",
}


@dataclass(frozen=True)
class Comparison:
    """One row of the measured-vs-expected table."""

    quantity: str
    measured: float
    expected: float
    uncertainty: float | None  # standard error of the measured value, if known
    source: str
    note: str = ""
    kind: str = "theory"
    cause: str = ""  # the measured cause of a deviation beyond SIGMA_LIMIT, if one is known

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}")

    @property
    def deviation(self) -> float:
        return self.measured - self.expected

    @property
    def z(self) -> float | None:
        """Deviation in standard errors (None where no error estimate exists)."""
        if self.uncertainty is None or not self.uncertainty > 0:
            return None
        return self.deviation / self.uncertainty

    @property
    def verdict(self) -> str:
        """How the row stands: ``agrees`` (a theory row within ``SIGMA_LIMIT`` standard
        errors), ``explained`` (beyond, with a measured ``cause``), ``unexplained`` (beyond
        without one, or a theory row with no error to judge it by), ``bound met`` /
        ``bound violated`` (deviation ≤ 0 or > 0) or ``target`` (not a prediction)."""
        if self.kind == "bound":
            return "bound met" if self.deviation <= 0 else "bound violated"
        if self.kind == "target":
            return "target"
        if self.z is not None and abs(self.z) <= SIGMA_LIMIT:
            return "agrees"
        return "explained" if self.cause else "unexplained"


def unexplained(rows: Sequence[Comparison]) -> list[Comparison]:
    """The rows a reader cannot trust: a violated bound, or a theory row beyond
    ``SIGMA_LIMIT`` standard errors (or without any error) that names no measured cause."""
    return [r for r in rows if r.verdict in ("unexplained", "bound violated")]


def comparison_table(rows: Sequence[Comparison]) -> pd.DataFrame:
    """The rows as a table (report/comparisons.parquet): one row per comparison with its
    z = deviation / s.e. (NaN without an error) and its ``verdict``."""
    return pd.DataFrame({
        "quantity": [r.quantity for r in rows],
        "kind": [r.kind for r in rows],
        "measured": [r.measured for r in rows],
        "uncertainty": [np.nan if r.uncertainty is None else r.uncertainty for r in rows],
        "expected": [r.expected for r in rows],
        "z": [np.nan if r.z is None else r.z for r in rows],
        "verdict": [r.verdict for r in rows],
        "cause": [r.cause for r in rows],
        "source": [r.source for r in rows],
        "note": [r.note for r in rows],
    })


#: Two-sided tail probability of a normal deviation beyond ``SIGMA_LIMIT`` (0.0027): a
#: largest-of-k deviation at least this probable under chance alone is explained.
LARGEST_OF_LEVEL = math.erfc(SIGMA_LIMIT / math.sqrt(2))


def largest_of_chance(z: float, k: int) -> float:
    """P(max of k independent |Z| ≥ z), Z standard normal: 1 − (1 − erfc(z/√2))^k."""
    return 1.0 - (1.0 - math.erfc(z / math.sqrt(2))) ** k


def _beyond(measured: float, expected: float, se: float) -> bool:
    """More than ``SIGMA_LIMIT`` standard errors apart: the row needs a measured cause."""
    return not abs(measured - expected) <= SIGMA_LIMIT * se


def _se(values: pd.Series) -> float:
    """Standard error of the mean (0 for a single value)."""
    n = len(values)
    return float(values.std(ddof=1) / math.sqrt(n)) if n > 1 else 0.0


def _value(table: pd.DataFrame, column: str, name: str, **where: float | str) -> float:
    """``column`` of the one row of ``table`` (called ``name``) matching ``where``."""
    mask = np.ones(len(table), dtype=bool)
    for key, want in where.items():
        col = table[key]
        mask &= (col == want).to_numpy() if isinstance(want, str) else np.isclose(
            col.to_numpy(float), want, rtol=1e-12, atol=0.0)
    rows = table.loc[mask, column]
    if len(rows) != 1:
        raise ValueError(f"{name}: expected one row with {where}, found {len(rows)}")
    return float(rows.iloc[0])


def _critical_point(curves: pd.DataFrame) -> tuple[float, float] | None:
    """(α_c, m at α_c) at T = 0 from the theory curves (None where T = 0 is not drawn)."""
    row = curves[(curves["curve"] == "critical_load") & (curves["temperature"] == 0.0)]
    if row.empty:
        return None
    return float(row["alpha"].iloc[0]), float(row["overlap"].iloc[0])


# --- associative memory ---------------------------------------------------------------------


def curie_weiss_comparison(grid: pd.DataFrame, curves: pd.DataFrame, retrieval: pd.DataFrame,
                           target_t: float = 0.5) -> Comparison | None:
    """Time-averaged overlap at the smallest α and the grid T nearest ``target_t`` (0 < T < 1)
    against the Curie–Weiss m = tanh(m/T), the α → 0 limit (theory/curves.parquet)."""
    a0 = grid["alpha"].min()
    sub = grid[(grid["alpha"] == a0) & (grid["temperature"] > 0) & (grid["temperature"] < 1)]
    if sub.empty:
        return None
    temps = sub["temperature"].unique()
    t = float(temps[np.argmin(np.abs(temps - target_t))])
    vals = sub[sub["temperature"] == t]["overlap_time_mean"]
    ags = _value(retrieval, "overlap", "theory/retrieval.parquet", alpha=a0, temperature=t)
    measured, se = float(vals.mean()), _se(vals)
    expected = _value(curves, "overlap", "theory/curves.parquet", curve="curie_weiss",
                      temperature=t)
    z_ags = (measured - ags) / se if se > 0 else math.inf
    cause = (f"finite load: AGS at α = {a0:g} gives {ags:.4f}, {z_ags:+.1f} s.e. from the "
             f"measurement" if _beyond(measured, expected, se) and abs(z_ags) <= SIGMA_LIMIT
             else "")
    return Comparison(
        f"Overlap at T = {t:g}, α = {a0:g} (Curie–Weiss m = tanh(m/T))", measured, expected,
        se, "hopfield/grid.parquet",
        f"α → 0 limit; AGS at this α gives {ags:.4f}; N = {int(grid['n_neurons'].iloc[0])}",
        cause=cause,
    )


def critical_load_comparison(extrapolation: pd.DataFrame, critical: pd.DataFrame,
                             curves: pd.DataFrame) -> Comparison | None:
    """α_c(∞) ± se extrapolated from α_c(N) (finite_size/extrapolation.parquet) against the
    replica-symmetric α_c at T = 0 (theory/curves.parquet); one-step RSB in the note."""
    theory = _critical_point(curves)
    if theory is None or extrapolation.empty:
        return None
    fit = extrapolation.iloc[0]
    sizes = ", ".join(f"{int(n):,}" for n in critical["n_neurons"])
    scale = float(fit.get("error_scale", 1.0))
    scaled = f", error scaled by √(χ²/dof) = {scale:.2f}" if scale > 1 else ""
    return Comparison(
        "Storage capacity α_c at T = 0, N → ∞", float(fit["alpha_c_infinity"]), theory[0],
        float(fit["alpha_c_infinity_se"]), "finite_size/extrapolation.parquet",
        f"fit α_c(N) = α_c(∞) + a N^(−{fit['exponent']:g}) to the ½-crossings of the "
        f"retrieval probability at N = {sizes} (χ²/dof = {fit['chi2']:.2f}/{int(fit['dof'])}"
        f"{scaled}); one-step RSB: {ONE_STEP_RSB_CRITICAL_LOAD:.4f}",
    )


def retrieval_overlap_comparison(grid: pd.DataFrame, curves: pd.DataFrame,
                                 retrieval: pd.DataFrame) -> Comparison | None:
    """T = 0 overlap at the largest grid α below α_c against the AGS retrieval overlap."""
    critical = _critical_point(curves)
    if critical is None:
        return None
    a_c, m_c = critical
    cold = grid[(grid["temperature"] == 0.0) & (grid["alpha"] < a_c)]
    if cold.empty:
        return None
    a = cold["alpha"].max()
    vals = cold[cold["alpha"] == a]["overlap"]
    return Comparison(
        f"Retrieval overlap at T = 0, α = {a:g}", float(vals.mean()),
        _value(retrieval, "overlap", "theory/retrieval.parquet", alpha=a, temperature=0.0),
        _se(vals), "hopfield/grid.parquet", f"theory m at α_c = {a_c:.4f} is {m_c:.3f}",
    )


# --- sequences ------------------------------------------------------------------------------


def _fraction_se(k: int, n: int) -> float:
    """Standard deviation of a fraction k/n of successes: the posterior sd of a binomial
    probability with a uniform prior, √((k+1)(n−k+1) / ((n+2)²(n+3))), positive even at
    k = n (where √(p(1−p)/n) would claim no error at all)."""
    return math.sqrt((k + 1) * (n - k + 1) / ((n + 2) ** 2 * (n + 3)))


def sequence_comparisons(critical: pd.DataFrame, capacity: pd.DataFrame,
                         dwell: pd.DataFrame) -> list[Comparison]:
    """The synchronous sequence capacity at T = 0 (the largest N with a ½-crossing) against
    During, Coolen & Sherrington's 0.269; the stored order followed by recall at the
    smallest load (synchronous, T = 0) and by the transitions of the Sompolinsky–Kanter
    network (lowest temperature), both against 1."""
    rows = []
    cold = critical[(critical["temperature"] == 0.0) & np.isfinite(critical["alpha_c"])]
    if not cold.empty:
        cold = cold.sort_values("n_neurons")
        sizes = ", ".join(f"{r.alpha_c:.3f} ± {r.alpha_c_se:.3f} (N = {int(r.n_neurons)})"
                          for r in cold.itertuples())
        theory = "N → ∞ theory: During, Coolen & Sherrington 1998"
        crossing = ("½-crossing of the fraction of replicas whose synchronous run from ξ⁰ "
                    "follows a whole cycle in the stored order (bootstrap error)")
        if len(cold) >= 2 and (cold["alpha_c_se"] > 0).all():
            fit = extrapolate(cold["n_neurons"], cold["alpha_c"], cold["alpha_c_se"])
            c = Comparison(
                "Sequence capacity α_c at T = 0, N → ∞", fit["alpha_c_infinity"],
                SEQUENCE_CRITICAL_LOAD, fit["alpha_c_infinity_se"],
                "sequences/critical_load.parquet",
                f"fit α_c(N) = α_c(∞) + a N^(−{fit['exponent']:g}) (χ²/dof = "
                f"{fit['chi2']:.2f}/{fit['dof']}) to the {crossing}: α_c(N) = {sizes}; {theory}")
        else:
            top = cold.iloc[-1]
            c = Comparison(
                f"Sequence capacity α_c at T = 0, N = {int(top['n_neurons']):,}",
                float(top["alpha_c"]), SEQUENCE_CRITICAL_LOAD, float(top["alpha_c_se"]),
                "sequences/critical_load.parquet", f"{crossing}: {sizes}; {theory}")
        rows.append(c)
    sync = capacity[(capacity["temperature"] == 0.0)]
    if not sync.empty:
        low = sync[sync["alpha"] == sync["alpha"].min()]
        k, n = int(low["recalled"].sum()), len(low)
        rows.append(Comparison(
            f"Synchronous cycles followed in order at α = {low['alpha'].iloc[0]:g}, T = 0",
            k / n, 1.0, _fraction_se(k, n), "sequences/capacity.parquet",
            f"{k} of {n} runs (all N) follow a whole cycle; binomial posterior error"))
    warm = dwell[dwell["temperature"] == dwell["temperature"].min()]
    n = int(warm["transitions"].sum())
    if n > 0:
        k = int(round(float((warm["forward_fraction"] * warm["transitions"]).sum())))
        rows.append(Comparison(
            f"Sompolinsky–Kanter transitions to the next pattern, T = "
            f"{warm['temperature'].iloc[0]:g}", k / n, 1.0, _fraction_se(k, n),
            "sequences/dwell.parquet",
            f"{k} of {n} changes of the dominant pattern go μ → μ + 1 (delays "
            f"{', '.join(f'{d:g}' for d in sorted(warm['delay'].unique()))})"))
    return rows


# --- capacity, spin glass, learning --------------------------------------------------------


def cover_comparisons(capacity: pd.DataFrame) -> list[Comparison]:
    """Separable fraction at α = 2 (Cover: ½) and the largest deviation over all loads,
    against the table's own ``cover_probability`` C(P, N)/2^P."""
    rows = []
    n = int(capacity["n_inputs"].iloc[0])
    stats = capacity.groupby(["alpha", "n_patterns"]).agg(
        mean=("separable", "mean"), count=("separable", "count"),
        cover=("cover_probability", "first")).reset_index()
    stats["se"] = np.sqrt(stats["cover"] * (1 - stats["cover"]) / stats["count"])
    at2 = stats[stats["n_patterns"] == 2 * n]
    if not at2.empty:
        r = at2.iloc[0]
        rows.append(Comparison(
            f"Separable fraction at α = 2 (P = {2 * n}, N = {n})", float(r["mean"]),
            float(r["cover"]), float(r["se"]), "capacity/capacity.parquet",
            f"{int(r['count'])} random dichotomies; binomial standard error",
        ))
    informative = stats[stats["se"] > 0]
    if not informative.empty:
        z = (informative["mean"] - informative["cover"]) / informative["se"]
        r = informative.loc[z.abs().idxmax()]
        k, chance = len(informative), largest_of_chance(float(z.abs().max()), len(informative))
        cause = (f"look-elsewhere: the largest of {k} deviations; by chance alone the largest "
                 f"of {k} is at least this far out with probability {chance:.3f}"
                 if _beyond(r["mean"], r["cover"], r["se"]) and chance >= LARGEST_OF_LEVEL
                 else "")
        rows.append(Comparison(
            f"Largest deviation from Cover's curve (α = {r['alpha']:g})", float(r["mean"]),
            float(r["cover"]), float(r["se"]), "capacity/capacity.parquet",
            f"worst of {k} loads with 0 < C(P, N)/2^P < 1", cause=cause,
        ))
    return rows


#: Loads of the report's Gardner rows: where α_c(κ) = α for κ = 0.5 and κ = 1 (Gardner's
#: published three digits, 0.961 and 0.520).
GARDNER_LOADS = (0.961, 0.52)


def gardner_comparisons(gardner: pd.DataFrame) -> list[Comparison]:
    """Mean κ_max ± its standard error over the trials at each of ``GARDNER_LOADS`` in the
    table against Gardner's κ(α) (N → ∞); the note gives N, P, the median and, beyond 3
    standard errors, κ(P/N) at the load actually simulated and the finite size."""
    rows = []
    for target in GARDNER_LOADS:
        at = gardner[np.isclose(gardner["alpha"].to_numpy(float), target, rtol=1e-12, atol=0)]
        if at.empty:
            continue
        k = at["kappa_max"].to_numpy(float)
        n, p = int(at["n_inputs"].iloc[0]), int(at["n_patterns"].iloc[0])
        theory = gardner_stability(target)
        conv = at["adatron_converged"].to_numpy(bool)
        diff = np.max(np.abs(k[conv] - at["kappa_adatron"].to_numpy(float)[conv]), initial=0.0)
        note = (f"{len(k)} dichotomies, N = {n}, P = {p}; median {np.median(k):.3f}; AdaTron "
                f"agrees to {diff:.0e} on {conv.sum()}/{len(k)}")
        if not np.all(np.isfinite(k)):  # tiny N: a mean over κ_max ≤ 0 (−inf) is undefined
            rows.append(Comparison(
                f"Median κ_max at α = {target:g} (Gardner κ = {theory:.3f})",
                float(np.quantile(k, 0.5, method="inverted_cdf")), theory, None,
                "capacity/gardner.parquet", f"{note}; {np.sum(k <= 0)} not separable"))
            continue
        se = float(np.std(k, ddof=1) / math.sqrt(len(k))) if len(k) > 1 else None
        cause = ""
        at_p = gardner_stability(p / n)  # the load actually simulated, P = round(αN)
        if se and _beyond(np.mean(k), theory, se) and not _beyond(np.mean(k), at_p, se):
            cause = (f"rounding P = round(αN): Gardner at the simulated P/N = {p / n:.4g} "
                     f"gives {at_p:.4f}, {(np.mean(k) - at_p) / se:+.1f} s.e. from the mean")
        rows.append(Comparison(
            f"Largest stability κ_max at α = {target:g} (Gardner κ = {theory:.3f})",
            float(np.mean(k)), theory, se, "capacity/gardner.parquet", note, cause=cause,
        ))
    return rows


def spin_glass_comparisons(equilibrium: pd.DataFrame,
                           extrapolation: pd.DataFrame) -> list[Comparison]:
    """SK in equilibrium: the N → ∞ ground-state energy against Parisi, and for each N the
    energy at the ladder's T nearest ``IDENTITY_TEMPERATURE`` = ½ T_c against the exact
    identity −(β/2)(1 − [⟨q²⟩]) (paired error; well below T_c, where equilibrium is hard,
    yet not so cold that β/2 magnifies the sample-to-sample spread of ⟨q²⟩)."""
    rows = []
    fit = extrapolation.iloc[0]
    sizes = sorted(int(n) for n in equilibrium["n_neurons"].unique())
    if np.isfinite(fit["energy_infinity"]):
        rows.append(Comparison(
            "SK ground-state energy per spin, N → ∞", float(fit["energy_infinity"]),
            PARISI_GROUND_STATE_ENERGY, float(fit["energy_infinity_se"]),
            "spin_glass/extrapolation.parquet",
            f"fit e0(N) = e∞ + A N^(−2/3) to the lowest-T energies of N = "
            f"{', '.join(map(str, sizes))}; Parisi's full-RSB ground state",
        ))
    temps = equilibrium["temperature"].to_numpy(float)
    t_row = temps[np.argmin(np.abs(temps - IDENTITY_TEMPERATURE))]
    cold = equilibrium[equilibrium["temperature"] == t_row]
    for _, r in cold.sort_values("n_neurons").iterrows():
        rows.append(Comparison(
            f"SK [⟨E⟩]/N at T = {r['temperature']:g}, N = {int(r['n_neurons'])}",
            float(r["energy_per_spin"]), float(r["identity"]), float(r["difference_se"]),
            "spin_glass/equilibrium.parquet",
            "exact identity −(β/2)(1 − [⟨q²⟩]) from the measured overlaps: holds only in "
            "equilibrium (error of the per-sample difference)",
        ))
    return rows


def learning_comparisons(models: Mapping[str, pd.DataFrame], mlp_history: pd.DataFrame,
                         mlp_dataset: str) -> list[Comparison]:
    """Perceptron mistakes against Novikoff's bound (kind ``bound``); the multilayer
    network's training accuracy against the target 1 (kind ``target``)."""
    rows = []
    for name, model in models.items():
        m = model.iloc[0]
        if m["separable_lp"] and m["converged"] and np.isfinite(m["novikoff_bound"]):
            rows.append(Comparison(
                f"Perceptron mistakes on '{name}'", float(m["total_mistakes"]),
                float(m["novikoff_bound"]), None, f"perceptron/{name}/model.parquet",
                "Novikoff's bound (R/γ)²: the deviation must be ≤ 0", kind="bound",
            ))
    band = models.get(mlp_dataset)
    if band is not None:
        b = band.iloc[0]
        rows.append(Comparison(
            f"Multilayer network training accuracy on '{mlp_dataset}'",
            float(mlp_history["accuracy"].iloc[-1]), 1.0, None, "mlp/history.parquet",
            f"LP: {'separable' if b['separable_lp'] else 'no line separates these fruits'}; "
            f"perceptron reached {b['train_accuracy']:.1%}", kind="target",
        ))
    return rows
