"""Pattern sequences: couplings, both dynamics against brute-force loops and closed forms,
dwell time against delay, recall and the sequence capacity against During et al.'s 0.269."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

from statnn.couplings import random_patterns
from statnn.dynamics import attempt_stream
from statnn.report import sequence_comparisons
from statnn.rng import generator
from statnn.sequences import (
    capacity_runs,
    critical_loads,
    dominant_patterns,
    dwell_times,
    recalled,
    sequence_couplings,
    sompolinsky_kanter,
    synchronous_sequence,
)

#: During, Coolen & Sherrington 1998, T = 0 (typed here, not imported from statnn.theory).
ALPHA_C = 0.269


def _patterns(p, n, key=0):
    return random_patterns(p, n, generator(12345, "test patterns", p, n, key))


def _brute_couplings(xi):
    """J_ij = (1/N) Σ_μ ξ_i^(μ+1) ξ_j^μ (cyclic), J_ii = 0, by explicit loops."""
    P, N = xi.shape
    J = np.zeros((N, N))
    for i in range(N):
        for j in range(N):
            if i != j:
                J[i, j] = sum(int(xi[(mu + 1) % P, i]) * int(xi[mu, j]) for mu in range(P)) / N
    return J


def _brute_hebbian(xi):
    P, N = xi.shape
    J = (xi.T.astype(float) @ xi.astype(float)) / N
    np.fill_diagonal(J, 0.0)
    return J


def test_couplings_match_a_brute_force_loop():
    xi = _patterns(5, 11)
    np.testing.assert_array_equal(sequence_couplings(xi), _brute_couplings(xi))


@pytest.mark.parametrize("temperature", [0.0, 0.6])
def test_synchronous_dynamics_matches_a_reference_loop(temperature):
    """Every neuron at once from the previous step's field f = J S(t), Eq. (2):
    P(S_i = +1) = 1/(1 + exp(−4βh)), h = f/2, at T = 0 sign f (old spin at f = 0); the
    uniforms of step t are the t-th N draws of the stream (seed, "synchronous"). At α = 0.5
    the crosstalk matters, so only the exact rule reproduces the trajectory."""
    P, N, steps, seed = 10, 20, 12, 99
    xi = _patterns(P, N, 1)
    K = np.rint(N * _brute_couplings(xi))  # integer N J: ties f = 0 are exact
    rng = generator(seed, "synchronous")
    S = xi[0].astype(float)
    want = [xi @ S / N]
    for _ in range(steps):
        f = K @ S / N
        if temperature == 0:
            S = np.where(f > 0, 1.0, np.where(f < 0, -1.0, S))
        else:
            h = f / 2
            p_up = 1.0 / (1.0 + np.exp(-4.0 * h / temperature))
            S = np.where(rng.random(N) < p_up, 1.0, -1.0)
        want.append(xi @ S / N)
    got = synchronous_sequence(xi, temperature, steps, seed)
    np.testing.assert_array_equal(got, np.array(want))


def test_low_load_synchronous_recall_follows_the_cycle_exactly():
    """α = 0.01, T = 0: the crosstalk (std √α = 0.1) never beats the signal 1, so the state
    at step t is exactly ξ^(t mod P): m_(t mod P)(t) = 1 for three whole cycles."""
    P, N = 5, 500
    xi = _patterns(P, N, 2)
    m = synchronous_sequence(xi, 0.0, 3 * P, 1)
    t = np.arange(3 * P + 1)
    np.testing.assert_array_equal(m[t, t % P], np.ones(t.size))
    ok, smallest = recalled(m, 0.9)
    assert ok and smallest == 1.0


def _sk_reference(xi, temperature, sweeps, strength, delay, seed):
    """Random sequential updates from the attempt stream of ``seed``: attempt (i, u) sets
    S_i = +1 iff u < 1/(1 + exp(−2βf)), f = Σ_j J^s_ij S_j + λ Σ_j J_ij S_j(t − τ) with the
    delayed state fixed during sweep t (sign f at T = 0)."""
    P, N = xi.shape
    Ks, Ka = np.rint(N * _brute_hebbian(xi)), np.rint(N * _brute_couplings(xi))  # integers
    idx, uni = attempt_stream(seed, N, sweeps * N)
    S = xi[0].astype(float)
    history = [S.copy()]
    out = [xi @ S / N]
    for t in range(sweeps):
        lagged = history[max(t - delay, 0)]
        g = strength * (Ka @ lagged)
        for a in range(t * N, (t + 1) * N):
            i, u = idx[a], uni[a]
            f = (Ks[i] @ S + g[i]) / N
            if temperature == 0:
                S[i] = S[i] if f == 0 else math.copysign(1.0, f)
            else:
                S[i] = 1.0 if u < 1.0 / (1.0 + math.exp(-2.0 * f / temperature)) else -1.0
        history.append(S.copy())
        out.append(xi @ S / N)
    return np.array(out)


@pytest.mark.parametrize("temperature", [0.0, 0.5])
def test_sompolinsky_kanter_matches_a_reference_loop(temperature):
    xi = _patterns(4, 30, 3)
    want = _sk_reference(xi, temperature, 25, 1.7, 3, 5)
    got = sompolinsky_kanter(xi, temperature, 25, 1.7, 3, 5)
    np.testing.assert_allclose(got, want, atol=1e-12)


def test_without_the_asymmetric_term_the_network_stays_in_one_pattern():
    xi = _patterns(6, 300, 4)
    still = sompolinsky_kanter(xi, 0.0, 60, 0.0, 8, 1)
    assert np.all(dominant_patterns(still) == 0)
    assert still[-1, 0] == 1.0
    moving = sompolinsky_kanter(xi, 0.0, 60, 2.0, 8, 1)  # the same network with λ = 2
    assert set(dominant_patterns(moving)) == set(range(6))


def test_dwell_time_grows_with_the_delay():
    """With a delay τ the network leaves ξ^μ once S(t − τ) has reached ξ^μ, i.e. τ sweeps
    after arriving, plus the transition itself (about 2 sweeps at T = 0): dwell = τ + O(1),
    slope 1 against τ, every step forward."""
    xi = _patterns(6, 300, 5)
    delays = np.array([4, 8, 16])
    stats = [dwell_times(sompolinsky_kanter(xi, 0.0, 220, 2.0, int(d), 2)) for d in delays]
    dwell = np.array([s["dwell_mean"] for s in stats])
    assert np.all(np.diff(dwell) > 0)
    assert np.all((dwell >= delays) & (dwell <= delays + 3)), dwell
    slope = np.polyfit(delays, dwell, 1)[0]
    assert 0.9 <= slope <= 1.1, slope
    assert all(s["forward_fraction"] == 1.0 and s["transitions"] >= 10 for s in stats)


def test_recall_criterion():
    P = 4
    cycle = np.full((2 * P + 1, P), 0.05)
    cycle[np.arange(2 * P + 1), np.arange(2 * P + 1) % P] = 0.8
    assert recalled(cycle, 0.5) == (True, 0.8)
    assert not recalled(cycle, 0.85)[0]
    backwards = cycle[:, ::-1]  # dominant pattern steps μ → μ − 1
    assert not recalled(backwards, 0.5)[0]
    with pytest.raises(ValueError, match="full cycle"):
        recalled(cycle[:P], 0.5)


def test_dwell_times_of_a_known_sequence():
    top = [0, 0, 1, 1, 1, 2, 2, 2, 0, 0, 0, 2]  # runs 3, 3, 3 inside; 2 → 0 forward, 0 → 2 not
    m = np.zeros((len(top), 3))
    m[np.arange(len(top)), top] = 1.0
    s = dwell_times(m)
    assert s["dwell_mean"] == 3.0 and s["transitions"] == 4
    assert s["forward_fraction"] == 0.75


def test_critical_load_crossing_by_hand():
    """p(α) = 1, 0.75, 0.25, 0 at α = 0.1, 0.2, 0.3, 0.4: crosses ½ at 0.25."""
    hits = {0.1: [1, 1, 1, 1], 0.2: [1, 1, 1, 0], 0.3: [0, 1, 0, 0], 0.4: [0, 0, 0, 0]}
    rows = [{"n_neurons": 50, "alpha": a, "temperature": 0.0, "replica": r, "recalled": bool(h)}
            for a, hs in hits.items() for r, h in enumerate(hs)]
    crit = critical_loads(pd.DataFrame(rows), 50, 1)
    assert len(crit) == 1
    assert crit["alpha_c"].iloc[0] == pytest.approx(0.25)
    assert crit["alpha_c_se"].iloc[0] >= 0.1 / (2 * math.sqrt(4))


def test_capacity_at_modest_n_is_near_the_theory():
    """T = 0, N = 500, 8 replicas: the ½-crossing lies within 0.03 of 0.269. The default run
    measures α_c(N) = 0.260, 0.253, 0.264 at N = 200, 400, 800 (bootstrap errors 0.004-0.005):
    finite-size shifts of about 0.015, plus the statistical error, fit in 0.03, while the
    symmetric (Hopfield) capacity 0.138 or a lost cycle (no crossing) do not."""
    alphas = [0.2, 0.23, 0.25, 0.27, 0.29, 0.32]
    rows = [r for a in alphas for r in capacity_runs(500, a, [0.0], 8, 2, 0.5, 2026)]
    table = pd.DataFrame(rows)
    assert table[table["alpha"] == 0.2]["recalled"].all()
    assert not table[table["alpha"] == 0.32]["recalled"].any()
    alpha_c = critical_loads(table, 100, 1)["alpha_c"].iloc[0]
    assert abs(alpha_c - ALPHA_C) < 0.03, alpha_c


def test_report_rows():
    critical = pd.DataFrame({"n_neurons": [200, 800], "temperature": [0.0, 0.0],
                             "alpha_c": [0.25, 0.2], "alpha_c_se": [0.01, 0.01]})
    capacity = pd.DataFrame({"n_neurons": 200, "alpha": [0.1] * 4 + [0.3] * 4,
                             "temperature": 0.0, "replica": list(range(4)) * 2,
                             "recalled": [True] * 4 + [False] * 4})
    dwell = pd.DataFrame({"temperature": [0.0, 0.0], "delay": [4.0, 8.0],
                          "transitions": [10, 6], "forward_fraction": [1.0, 0.5]})
    cap, order, forward = sequence_comparisons(critical, capacity, dwell)
    # extrapolated to N → ∞ in x = N^(−1/2): x(200) = 2 x(800), so the line through both
    # points meets x = 0 at 2·0.2 − 0.25 = 0.15, with error √(4 + 1)·0.01
    assert cap.measured == pytest.approx(0.15) and cap.expected == ALPHA_C
    assert cap.uncertainty == pytest.approx(math.sqrt(5) * 0.01)
    assert "N → ∞" in cap.quantity and cap.verdict == "unexplained"  # 5.3 s.e., no cause
    (one,) = sequence_comparisons(critical.iloc[:1], capacity.iloc[:0], dwell.iloc[:0])
    assert one.measured == 0.25 and "N = 200" in one.quantity  # one size: no extrapolation
    assert order.measured == 1.0 and order.expected == 1.0
    assert order.uncertainty == pytest.approx(math.sqrt(5 * 1 / (36 * 7)))  # Beta(5, 1) sd
    assert forward.measured == pytest.approx(13 / 16)


def test_a_run_depends_only_on_its_own_coordinates():
    """Adding a temperature (or running the points in another batch) leaves every other
    point's row unchanged: each run's patterns and noise come from its own coordinates."""
    alone = capacity_runs(120, 0.25, [0.3], 3, 2, 0.5, 11)
    batch = capacity_runs(120, 0.25, [0.0, 0.3, 0.6], 3, 2, 0.5, 11)
    assert [r for r in batch if r["temperature"] == 0.3] == alone


def test_capacity_points_of_a_subset_are_the_rows_of_the_full_grid():
    """The sequence shards' cache computes only missing (α, T, replica) points: any subset
    of points gives exactly the rows the whole grid gives for them."""
    from statnn.sequences import capacity_points

    full = capacity_runs(120, 0.25, [0.0, 0.3], 3, 2, 0.5, 11)
    some = capacity_points(120, 0.25, [(0.3, 2), (0.0, 1)], 2, 0.5, 11)
    wanted = {(0.3, 2), (0.0, 1)}
    assert some == [r for r in full if (r["temperature"], r["replica"]) in wanted][::-1]
