"""The SK spin glass in equilibrium: parallel tempering over disorder samples and its analysis.

For each disorder sample J (``couplings.sherrington_kirkpatrick_couplings``: J_ij ~ N(0, 1/N),
J_ii = 0) ``simulate_samples`` runs ``dynamics.parallel_tempering`` with two replica sets and
keeps thermal averages over the second half of the run (sweeps ≥ ⌊S/2⌋), ⟨E⟩/N, ⟨q²⟩, ⟨q⁴⟩,
the same averages over the previous halving [S/4, S/2) for the log-binning check, the
histogram of q and the lowest energy each set visited. Disorder averages [·] are means over
samples with standard errors std/√samples.

Equilibrium identity (Katzgraber, Palassini & Young, Phys. Rev. B 63, 184422 (2001)). For
E = −Σ_{i<j} J_ij S_i S_j with independent J_ij ~ N(0, 1/N), Gaussian integration by parts,
[J_ij g(J)] = (1/N)[∂g/∂J_ij], with ∂⟨S_iS_j⟩/∂J_ij = β(1 − ⟨S_iS_j⟩²) gives
[⟨E⟩] = −(β/N) Σ_{i<j} (1 − [⟨S_iS_j⟩²]). With N²⟨q²⟩ = Σ_{i,j} ⟨S_iS_j⟩² = N + 2Σ_{i<j}⟨S_iS_j⟩²
(the i = j terms give the N) this is exactly, at every N,

    [⟨E⟩]/N = −(β/2)(1 − [⟨q²⟩]),

the absent diagonal couplings (N(N−1)/2 pairs instead of N²/2) being offset by the diagonal
terms of q². Both sides are measured independently; they agree only in equilibrium.

Ground state: e0 per sample is the lowest E/N seen at any temperature by either set; the
evidence is the fraction of samples in which both independent sets found the same value.
Extrapolation e0(N) = e∞ + A N^(−2/3): finite-size exponent 2/3 (Boettcher, Eur. Phys. J. B
46, 501 (2005); Palassini, J. Stat. Mech. (2008) P10005), compared with the full-RSB value
≈ −0.76317 (Parisi 1980; Crisanti & Rizzo, Phys. Rev. E 65, 046137 (2002)).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import pandas as pd

from statnn import progress
from statnn.couplings import sherrington_kirkpatrick_couplings
from statnn.dynamics.tempering import parallel_tempering
from statnn.rng import child_seed, generator
from statnn.validation import check_int

__all__ = [
    "SampleAverages",
    "averages_from_table",
    "binder_ratio",
    "disorder_mean",
    "equilibrium_tables",
    "equilibrium_identity",
    "extrapolate_ground_state",
    "ground_state",
    "halving_check",
    "overlap_distribution",
    "simulate_sample",
    "samples_table",
    "simulate_samples",
    "stack_samples",
    "tables_from_averages",
]

#: Finite-size correction exponent of the SK ground-state energy per spin, e0(N) − e∞ ∝ N^−ω.
GROUND_STATE_EXPONENT = 2.0 / 3.0
#: Agreement threshold of the two replica sets' lowest energies per spin.
SAME_ENERGY = 1e-9


@dataclass(frozen=True)
class SampleAverages:
    """Per-sample thermal averages of one size (samples, K arrays unless noted).

    energy, q2, q4: ⟨E⟩/N (both sets), ⟨q²⟩, ⟨q⁴⟩ over sweeps [S/2, S); energy_prev, q2_prev:
    the same over [S/4, S/2). q_counts (samples, K, N+1): visits of q = (2n − N)/N, n = 0 … N.
    lowest (samples, 2): lowest E/N of each set. swap_acceptance (samples, K−1).
    """

    n_neurons: int
    temperatures: np.ndarray
    energy: np.ndarray
    q2: np.ndarray
    q4: np.ndarray
    energy_prev: np.ndarray
    q2_prev: np.ndarray
    q_counts: np.ndarray
    lowest: np.ndarray
    swap_acceptance: np.ndarray


#: The per-sample fields of ``SampleAverages``, in order.
SAMPLE_FIELDS = ("energy", "q2", "q4", "energy_prev", "q2_prev", "q_counts", "lowest",
                 "swap_acceptance")


def simulate_sample(n_neurons: int, temperatures: object, sample: int, sweeps: int,
                    seed: int) -> dict[str, np.ndarray]:
    """The ``SAMPLE_FIELDS`` of one SK sample of N spins: parallel tempering (two sets) on
    couplings from ``generator(seed, "sk", N, sample)`` with the kernel seed
    ``child_seed(seed, "sk-tempering", N, sample)``; ``sweeps`` ≥ 4 (the halving windows)."""
    N = check_int(n_neurons, "n_neurons", 2)
    s = check_int(sample, "sample", 0)
    S = check_int(sweeps, "sweeps", 4)
    J = sherrington_kirkpatrick_couplings(N, generator(seed, "sk", N, s))
    run = parallel_tempering(J, temperatures, S, child_seed(seed, "sk-tempering", N, s))
    progress.advance()  # one disorder sample done
    last, prev = slice(S // 2, S), slice(S // 4, S // 2)
    q = run.overlap
    n_up = np.rint((q[last] * N + N) / 2).astype(np.int64)
    counts = np.stack([np.bincount(n_up[:, k], minlength=N + 1) for k in range(q.shape[1])])
    return dict(zip(SAMPLE_FIELDS, (
        run.energy[last].mean(axis=(0, 1)), (q[last] ** 2).mean(axis=0),
        (q[last] ** 4).mean(axis=0), run.energy[prev].mean(axis=(0, 1)),
        (q[prev] ** 2).mean(axis=0), counts, run.energy.min(axis=(0, 2)),
        run.swap_acceptance,
    ), strict=True))


def stack_samples(n_neurons: int, temperatures: object,
                  samples: list[dict[str, np.ndarray]]) -> SampleAverages:
    """``SampleAverages`` of one size from its samples' ``simulate_sample`` fields."""
    cols = [np.stack([sample[f] for sample in samples]) for f in SAMPLE_FIELDS]
    return SampleAverages(int(n_neurons), np.asarray(temperatures, dtype=np.float64), *cols)


def simulate_samples(n_neurons: int, temperatures: object, samples: int, sweeps: int,
                     seed: int) -> SampleAverages:
    """Parallel tempering on samples 0 … ``samples`` − 1 of N spins (``simulate_sample``)."""
    n_samples = check_int(samples, "samples", 1)
    ladder = np.asarray(temperatures, dtype=np.float64)
    return stack_samples(n_neurons, ladder, [
        simulate_sample(n_neurons, ladder, s, sweeps, seed) for s in range(n_samples)])


def samples_table(points: list[tuple[int, int]], temperatures: object, sweeps: int,
                  seed: int) -> pd.DataFrame:
    """One row per (n_neurons, sample) of ``points``: its ``simulate_sample`` fields,
    flattened (q_counts row-major), e.g. for ``statnn.sweeps.cached_points``."""
    rows = []
    for N, s in points:
        fields = simulate_sample(N, temperatures, s, sweeps, seed)
        rows.append({"n_neurons": int(N), "sample": int(s),
                     **{f: fields[f].ravel() for f in SAMPLE_FIELDS}})
    return pd.DataFrame(rows, columns=["n_neurons", "sample", *SAMPLE_FIELDS])


def averages_from_table(table: pd.DataFrame, temperatures: object) -> SampleAverages:
    """``stack_samples`` of the rows of one size of a ``samples_table``, in row order."""
    N = int(table["n_neurons"].iloc[0])
    K = len(np.atleast_1d(temperatures))
    samples = [{f: np.asarray(row[f]) for f in SAMPLE_FIELDS}
               | {"q_counts": np.asarray(row["q_counts"]).reshape(K, N + 1)}
               for _, row in table.iterrows()]
    return stack_samples(N, temperatures, samples)


def disorder_mean(values: object) -> tuple[np.ndarray, np.ndarray]:
    """[x] and its standard error std(x)/√samples over axis 0 (NaN error for one sample)."""
    x = np.asarray(values, dtype=np.float64)
    n = x.shape[0]
    se = x.std(axis=0, ddof=1) / math.sqrt(n) if n > 1 else np.full(x.shape[1:], np.nan)
    return x.mean(axis=0), se


def equilibrium_identity(avg: SampleAverages) -> dict[str, np.ndarray]:
    """Both sides of [⟨E⟩]/N = −(β/2)(1 − [⟨q²⟩]) per temperature, with standard errors.

    Keys: energy, energy_se (left side), q2, q2_se, identity, identity_se (right side),
    difference, difference_se (left − right per sample, then averaged: paired errors).
    """
    half_beta = 0.5 / avg.temperatures
    rhs = -half_beta * (1.0 - avg.q2)
    e, e_se = disorder_mean(avg.energy)
    q2, q2_se = disorder_mean(avg.q2)
    r, r_se = disorder_mean(rhs)
    d, d_se = disorder_mean(avg.energy - rhs)
    return {"energy": e, "energy_se": e_se, "q2": q2, "q2_se": q2_se, "identity": r,
            "identity_se": r_se, "difference": d, "difference_se": d_se}


def halving_check(avg: SampleAverages) -> dict[str, np.ndarray]:
    """Log-binning check: [⟨E⟩]/N and [⟨q²⟩] over the last halving [S/2, S) minus those over
    [S/4, S/2) per temperature, with paired standard errors; equilibrated when both agree
    with zero (``z`` = |difference| / se, compare with 3)."""
    de, de_se = disorder_mean(avg.energy - avg.energy_prev)
    dq, dq_se = disorder_mean(avg.q2 - avg.q2_prev)
    with np.errstate(divide="ignore", invalid="ignore"):  # 0/0 (no drift, no spread): 0
        z = np.maximum(np.where(de == 0, 0.0, np.abs(de) / de_se),
                       np.where(dq == 0, 0.0, np.abs(dq) / dq_se))
    return {"energy_drift": de, "energy_drift_se": de_se, "q2_drift": dq,
            "q2_drift_se": dq_se, "z": z}


def overlap_distribution(avg: SampleAverages) -> tuple[np.ndarray, np.ndarray]:
    """(q (N+1,), density (K, N+1)): the disorder-averaged P(q), symmetrised under q → −q
    (the global spin flip), as a density: Σ_q density · 2/N = 1."""
    N = avg.n_neurons
    p = avg.q_counts / avg.q_counts.sum(axis=2, keepdims=True)
    p = 0.5 * (p + p[:, :, ::-1]).mean(axis=0)
    q = (2.0 * np.arange(N + 1) - N) / N
    return q, p / (2.0 / N)


def binder_ratio(q2: object, q4: object) -> tuple[np.ndarray, np.ndarray]:
    """g = ½(3 − [⟨q⁴⟩]/[⟨q²⟩]²) per column and its jackknife standard error over samples.

    g = 0 for Gaussian P(q) (paramagnet, N → ∞), g = 1 for P(q) = two delta peaks."""
    a = np.asarray(q2, dtype=np.float64)
    b = np.asarray(q4, dtype=np.float64)
    n = a.shape[0]
    g = 0.5 * (3.0 - b.mean(axis=0) / a.mean(axis=0) ** 2)
    if n < 2:
        return g, np.full(g.shape, np.nan)
    a_j = (a.sum(axis=0) - a) / (n - 1)
    b_j = (b.sum(axis=0) - b) / (n - 1)
    g_j = 0.5 * (3.0 - b_j / a_j**2)
    se = np.sqrt((n - 1) / n * ((g_j - g_j.mean(axis=0)) ** 2).sum(axis=0))
    return g, se


def ground_state(avg: SampleAverages) -> dict[str, float]:
    """e0 = [min over sets of the lowest E/N], its standard error, and ``agreement``: the
    fraction of samples whose two independent sets reached the same lowest energy."""
    low = avg.lowest
    e0, se = disorder_mean(low.min(axis=1))
    agree = float(np.mean(np.ptp(low, axis=1) < SAME_ENERGY))
    return {"energy_per_spin": float(e0), "energy_se": float(se), "agreement": agree}


def extrapolate_ground_state(n_neurons: object, energy: object, energy_se: object,
                             exponent: float = GROUND_STATE_EXPONENT) -> dict[str, float]:
    """Weighted least squares of e0(N) = e∞ + A N^(−ω) (weights 1/se²).

    Returns energy_infinity, energy_infinity_se, slope A, slope_se and chi2_per_dof (NaN
    for two sizes); the errors are the fit's covariance, not rescaled by χ².
    """
    N = np.asarray(n_neurons, dtype=np.float64)
    e = np.asarray(energy, dtype=np.float64)
    se = np.asarray(energy_se, dtype=np.float64)
    if N.size < 2 or np.unique(N).size < 2:
        raise ValueError("n_neurons must hold at least two different sizes")
    if not (N.shape == e.shape == se.shape and np.all(se > 0)):
        raise ValueError("energy and energy_se must match n_neurons, with energy_se > 0")
    X = np.stack([np.ones_like(N), N ** (-exponent)], axis=1)
    w = 1.0 / se**2
    cov = np.linalg.inv(X.T @ (X * w[:, None]))
    coef = cov @ (X.T @ (w * e))
    resid = e - X @ coef
    dof = N.size - 2
    return {"energy_infinity": float(coef[0]), "energy_infinity_se": float(math.sqrt(cov[0, 0])),
            "slope": float(coef[1]), "slope_se": float(math.sqrt(cov[1, 1])),
            "chi2_per_dof": float(np.sum(w * resid**2) / dof) if dof > 0 else math.nan}


def equilibrium_tables(n_neurons: object, temperatures: object, samples: int, sweeps: int,
                       seed: int) -> dict[str, pd.DataFrame]:
    """The spin-glass tables of the pipeline, by name: ``equilibrium`` (both sides of the
    identity, the halving check's drifts with their errors), ``swaps`` (acceptance of
    T_k ↔ T_{k+1}), ``overlap_distribution`` (P(q)), ``binder``, ``ground_state`` (with the
    two sets' ``agreement``) per size, and ``extrapolation`` (one row; NaN for one size).
    ``temperatures`` is sorted into an increasing ladder."""
    ladder = np.unique(np.asarray(temperatures, dtype=np.float64))
    sizes = sorted({int(n) for n in np.atleast_1d(n_neurons)})
    return tables_from_averages(
        ladder, [simulate_samples(N, ladder, samples, sweeps, seed) for N in sizes])


def tables_from_averages(ladder: np.ndarray,
                         sizes: list[SampleAverages]) -> dict[str, pd.DataFrame]:
    """The tables of ``equilibrium_tables`` from each size's samples (sizes increasing, all
    on the increasing ``ladder``)."""
    eq, swaps, dist, binder, ground = [], [], [], [], []
    for avg in sizes:
        N = avg.n_neurons
        idn, halves = equilibrium_identity(avg), halving_check(avg)
        drifts = {k: v for k, v in halves.items() if k != "z"}
        eq.append(pd.DataFrame({"n_neurons": N, "temperature": ladder, **idn, **drifts})
                  .rename(columns={"energy": "energy_per_spin"}))
        swaps.append(pd.DataFrame({"n_neurons": N, "temperature_low": ladder[:-1],
                                   "temperature_high": ladder[1:],
                                   "acceptance": avg.swap_acceptance.mean(axis=0)}))
        q, density = overlap_distribution(avg)
        dist += [pd.DataFrame({"n_neurons": N, "temperature": t, "q": q, "density": d})
                 for t, d in zip(ladder, density, strict=True)]
        g, g_se = binder_ratio(avg.q2, avg.q4)
        binder.append(pd.DataFrame({"n_neurons": N, "temperature": ladder, "binder": g,
                                    "binder_se": g_se}))
        ground.append({"n_neurons": N, "temperature": ladder[0], **ground_state(avg)})
    ground_df = pd.DataFrame(ground)
    if len(ground_df) >= 2 and np.all(ground_df["energy_se"] > 0):
        fit = extrapolate_ground_state(ground_df["n_neurons"], ground_df["energy_per_spin"],
                                       ground_df["energy_se"])
    else:
        fit = dict.fromkeys(("energy_infinity", "energy_infinity_se", "slope", "slope_se",
                             "chi2_per_dof"), math.nan)
    return {
        "equilibrium": pd.concat(eq, ignore_index=True),
        "swaps": pd.concat(swaps, ignore_index=True),
        "overlap_distribution": pd.concat(dist, ignore_index=True),
        "binder": pd.concat(binder, ignore_index=True),
        "ground_state": ground_df,
        "extrapolation": pd.DataFrame([{**fit, "exponent": GROUND_STATE_EXPONENT}]),
    }
