"""SK spin glass in equilibrium: the identity [⟨E⟩]/N = −(β/2)(1 − [⟨q²⟩]) by exact enumeration
and by parallel tempering, the log-binning check, P(q), the Binder ratio, the ground state
and its N^(−2/3) extrapolation against closed forms."""

import math

import numpy as np
import pandas as pd
import pytest

from statnn import spin_glass as sg
from statnn.couplings import sherrington_kirkpatrick_couplings
from statnn.observables import boltzmann_distribution
from statnn.rng import generator

LADDER = np.geomspace(0.4, 1.6, 8)


def test_identity_holds_exactly_in_disorder_average_by_enumeration():
    """Exact ⟨E⟩/N and ⟨q²⟩ = (1/N²) Σ_ij ⟨S_iS_j⟩² of 3000 N = 6 samples at T = 0.4: the
    finite-N identity holds with the diagonal terms of q² included; dropping them (a shift
    of β/(2N) = 0.21) is excluded by many standard errors."""
    N, T, n = 6, 0.4, 3000
    diff = np.empty(n)
    for s in range(n):
        J = sherrington_kirkpatrick_couplings(N, generator(11, "enum", s))
        states, p = boltzmann_distribution(J, None, T)
        x = states.astype(np.float64)
        e = p @ (-0.5 * np.einsum("si,ij,sj->s", x, J, x)) / N
        C = (x * p[:, None]).T @ x
        diff[s] = e + 0.5 / T * (1.0 - np.sum(C**2) / N**2)
    mean, se = diff.mean(), diff.std(ddof=1) / math.sqrt(n)
    assert abs(mean) < 3 * se
    assert 0.5 / (T * N) > 20 * se


@pytest.fixture(scope="module")
def equilibrated():
    return sg.simulate_samples(24, LADDER, 64, 2000, 3)


def test_identity_holds_in_parallel_tempering_below_tc(equilibrated):
    out = sg.equilibrium_identity(equilibrated)
    assert LADDER[0] == 0.4
    assert np.all(np.abs(out["difference"]) < 3 * out["difference_se"])
    assert np.all(np.abs(out["energy"] - out["identity"])
                  < 3 * np.hypot(out["energy_se"], out["identity_se"]))
    assert np.all(sg.halving_check(equilibrated)["z"] < 3.5)


def test_identity_and_halving_check_detect_a_run_out_of_equilibrium():
    """Eight sweeps of N = 96 from random starts at T = 0.4 ≪ 1 are far from equilibrium:
    the identity and the halving check both fail."""
    short = sg.simulate_samples(96, LADDER, 16, 8, 3)
    out = sg.equilibrium_identity(short)
    assert abs(out["difference"][0]) > 5 * out["difference_se"][0]
    assert sg.halving_check(short)["z"][0] > 5


def test_overlap_distribution_is_normalised_and_broad_below_tc(equilibrated):
    q, density = sg.overlap_distribution(equilibrated)
    np.testing.assert_allclose(density.sum(axis=1) * 2 / 24, 1.0)
    np.testing.assert_allclose(density, density[:, ::-1])
    cold, hot = density[0], density[-1]
    assert np.sum(cold * q**2) > 3 * np.sum(hot * q**2)
    assert cold[np.abs(q) < 0.1].max() < cold.max()  # weight away from q = 0 at T = 0.4


def test_binder_ratio_closed_forms():
    rng = np.random.default_rng(0)
    q = rng.normal(size=(400, 5000)) * 0.3  # Gaussian P(q): ⟨q⁴⟩ = 3⟨q²⟩², g = 0
    g, se = sg.binder_ratio((q**2).mean(axis=1, keepdims=True), (q**4).mean(axis=1, keepdims=True))
    assert abs(g[0]) < 4 * se[0] + 1e-3
    g, _ = sg.binder_ratio(np.full((5, 1), 0.49), np.full((5, 1), 0.49**2))  # q = ±0.7
    assert g[0] == pytest.approx(1.0)


def test_binder_ratio_decreases_with_temperature(equilibrated):
    g, se = sg.binder_ratio(equilibrated.q2, equilibrated.q4)
    assert g[0] > 0.6 and g[-1] < 0.3 and np.all(se > 0)


def test_ground_state_found_by_both_sets(equilibrated):
    gs = sg.ground_state(equilibrated)
    assert gs["agreement"] > 0.9
    low = equilibrated.lowest.min(axis=1)
    assert np.all(low <= equilibrated.energy[:, 0] + 1e-12)


def test_ground_state_matches_enumeration_at_small_n():
    """e0 from parallel tempering equals the exhaustive minimum over all 2^12 states."""
    avg = sg.simulate_samples(12, LADDER, 6, 400, 8)
    for s in range(6):
        J = sherrington_kirkpatrick_couplings(12, generator(8, "sk", 12, s))
        states, _ = boltzmann_distribution(J, None, 1.0)
        x = states.astype(np.float64)
        e_min = (-0.5 * np.einsum("si,ij,sj->s", x, J, x)).min() / 12
        np.testing.assert_allclose(avg.lowest[s], e_min, atol=1e-12)


def test_extrapolation_recovers_a_known_limit():
    N = np.array([32, 64, 128, 256, 512])
    se = np.full(N.size, 2e-3)
    e = -0.76317 + 0.7 * N ** (-2 / 3) + np.random.default_rng(1).normal(0, 2e-3, N.size)
    fit = sg.extrapolate_ground_state(N, e, se)
    assert abs(fit["energy_infinity"] + 0.76317) < 3 * fit["energy_infinity_se"]
    assert abs(fit["slope"] - 0.7) < 3 * fit["slope_se"]
    exact = sg.extrapolate_ground_state(N[:2], e[:2], se[:2])
    a = (e[0] - e[1]) / (32 ** (-2 / 3) - 64 ** (-2 / 3))
    assert exact["slope"] == pytest.approx(a)
    with pytest.raises(ValueError, match="n_neurons"):
        sg.extrapolate_ground_state([32, 32], e[:2], se[:2])


def test_report_rows_compare_like_with_like():
    """e∞ against Parisi with the fit's error; [⟨E⟩]/N against the identity at the ladder's
    T nearest T_c/2, per size, with the paired error."""
    from statnn.report.compare import spin_glass_comparisons
    from statnn.theory import PARISI_GROUND_STATE_ENERGY

    eq = pd.DataFrame({"n_neurons": [32, 32, 64, 64], "temperature": [0.2, 0.45] * 2,
                       "energy_per_spin": [-0.7, -0.65, -0.72, -0.66],
                       "identity": [-0.9, -0.64, -0.7, -0.67],
                       "difference_se": [0.1, 0.02, 0.1, 0.03]})
    fit = pd.DataFrame([{"energy_infinity": -0.76, "energy_infinity_se": 0.004}])
    rows = spin_glass_comparisons(eq, fit)
    assert rows[0].expected == PARISI_GROUND_STATE_ENERGY and rows[0].measured == -0.76
    assert rows[0].uncertainty == 0.004
    assert [(r.measured, r.expected, r.uncertainty) for r in rows[1:]] == [
        (-0.65, -0.64, 0.02), (-0.66, -0.67, 0.03)]
    one = spin_glass_comparisons(eq, fit.assign(energy_infinity=np.nan))
    assert len(one) == 2


def test_binary_sk_couplings_are_the_pm_j_model_with_sk_thermodynamics():
    """±J SK, K_ij = ±1 as int8 with couplings K/√N: symmetric, zero diagonal, balanced;
    in the paramagnet its energy per spin is −β/2 like the Gaussian SK (mean 0, variance
    1/N), and the int8 chain with coupling_scale 1/√N is the float chain on K/√N."""
    from statnn.couplings import binary_sk_couplings
    from statnn.dynamics import glauber

    N = 400
    K = binary_sk_couplings(N, generator(3, "pmj"))
    assert K.dtype == np.int8 and (K == K.T).all() and (np.diag(K) == 0).all()
    off = K[~np.eye(N, dtype=bool)]
    assert set(np.unique(off)) == {-1, 1}
    assert abs(off.mean()) < 4 / N  # N(N−1)/2 independent ±1: s.e. of the mean ≈ 1/N
    T = 1.5
    start = np.ones(N, np.int8)
    run = glauber(K, start, T, 400, seed=5, record_every=1, coupling_scale=1 / math.sqrt(N))
    e = run.energy[100:].mean()  # E/N = −1/(2T) = −1/3 at N → ∞; finite-N shift O(1/N)
    assert e == pytest.approx(-1 / (2 * T), abs=0.02)
    exact = glauber(K / math.sqrt(N), start, T, 50, seed=5)
    assert (glauber(K, start, T, 50, seed=5, coupling_scale=1 / math.sqrt(N)).spins
            == exact.spins).all()


def test_bench_spin_glass_reports_cost_and_equilibration(tmp_path):
    """A config whose ladder is too short to equilibrate fails the halving check; the
    default one at N = 16 passes it."""
    from .conftest import bench_json_line

    row = bench_json_line(["spin_glass", "--neurons", "16", "--samples", "6"])
    assert row["sweeps"] == 2000 and row["samples"] == 6 and row["cpu_seconds"] > 0
    assert row["max_identity_z"] < 4 and row["max_halving_z"] < 4
    cold = tmp_path / "cold.yaml"
    cold.write_text("spin_glass: {temperature: [0.1, 5.0], sweeps: 8}\nseed: 3\n")
    stuck = bench_json_line(["spin_glass", "--neurons", "64", "--samples", "6",
                             "--configfile", str(cold)])
    assert stuck["temperatures"] == [0.1, 5.0] and stuck["sweeps"] == 8
    # 8 sweeps at T = 0.1 from random starts (T = 5 beside it equilibrates at once, so only
    # the largest z over the ladder catches it): still descending, E/N far above the ground
    # state (≈ −0.7 at N = 64), and the two halvings differ by many errors
    assert stuck["max_halving_z"] > 3 and stuck["energy_per_spin"][0] > -0.68
