"""Glauber dynamics: the two neuron forms agree, the kernel samples Boltzmann, T = 0 descends
the energy, Curie–Weiss retrieval, reproducibility, validation; couplings; the benchmark."""

import math

import numpy as np
import pytest
from scipy import optimize, stats

from statnn.couplings import (
    asymmetric_hebbian_couplings,
    hebbian_counts,
    hebbian_couplings,
    random_directed_couplings,
    random_patterns,
    sherrington_kirkpatrick_couplings,
)
from statnn.dynamics import anneal, attempt_stream, glauber, glauber_activity
from statnn.neurons import (
    activity_from_spin,
    external_fields,
    ising_thresholds,
    spin_from_activity,
)
from statnn.observables import boltzmann_distribution, energy, overlaps, state_index
from statnn.rng import child_seed, generator

from .conftest import bench_json_line


def _spins(rng, n):
    return rng.choice(np.array([-1, 1], dtype=np.int8), n)


def _symmetric_gaussian(rng, n, scale=1.0):
    g = rng.standard_normal((n, n))
    J = scale * (g + g.T) / np.sqrt(2 * n)
    np.fill_diagonal(J, 0.0)
    return J


def _reference(J, H, spins, temperature, seed, sweeps, on_attempt=None):
    """Plain loop over ``attempt_stream``: field from scratch, rule "up iff u < p"."""
    N = J.shape[0]
    idx, uni = attempt_stream(seed, N, sweeps * N)
    S = spins.astype(np.float64)
    flips = 0
    for i, u in zip(idx, uni, strict=True):
        f = J[i] @ S + H[i]
        if temperature == 0:
            new = 1.0 if f > 0 else -1.0 if f < 0 else S[i]
        else:
            x = (2.0 * (1.0 / temperature)) * f
            p = 1 / (1 + math.exp(-x)) if x >= 0 else 1 - 1 / (1 + math.exp(x))
            new = 1.0 if u < p else -1.0
        flips += new != S[i]
        S[i] = new
        if on_attempt is not None:
            on_attempt(S)
    return S.astype(np.int8), flips


# --------------------------------------------------------------------------------------
# the two neuron forms
# --------------------------------------------------------------------------------------


def _dyadic_cases():
    """Couplings and thresholds that are multiples of 2⁻⁶ (N = 64): every field is exact,
    so the two forms must agree bit for bit, including h = 0 ties at T = 0."""
    rng = generator(0, "forms")
    N = 64
    xi = random_patterns(5, N, rng)
    J = hebbian_couplings(xi)  # integer / 64: exact
    general = np.round(rng.normal(size=N) * 64) / 64
    yield "hebbian-ising", J, ising_thresholds(J)
    yield "hebbian-general", J, general
    K = rng.integers(-3, 4, size=(N, N)).astype(float) / 8
    K = np.triu(K, 1) + np.triu(K, 1).T
    yield "integer-symmetric", K, np.round(rng.normal(size=N) * 8) / 8
    A = rng.integers(-3, 4, size=(N, N)).astype(float) / 8
    np.fill_diagonal(A, 0.0)
    yield "integer-asymmetric", A, ising_thresholds(A)


@pytest.mark.parametrize("temperature", [0.0, 0.5, 1.3, 4.0])
def test_activity_and_spin_forms_same_trajectory(temperature):
    for k, (_name, J, theta) in enumerate(_dyadic_cases()):
        n0 = generator(k, "start").integers(0, 2, J.shape[0]).astype(np.int8)
        H = external_fields(J, theta)
        for sweeps in (1, 7, 40):
            act = glauber_activity(J, n0, theta, temperature, sweeps, seed=11 + k)
            spin = glauber(J, spin_from_activity(n0), temperature, sweeps, seed=11 + k,
                           fields=H)
            np.testing.assert_array_equal(act.activities, activity_from_spin(spin.spins))
            assert act.flips == spin.flips
            assert act.attempts == spin.attempts == sweeps * J.shape[0]


@pytest.mark.parametrize("temperature", [0.0, 0.8])
def test_activity_and_spin_forms_agree_for_gaussian_couplings(temperature):
    """Non-dyadic fields: the forms differ only by rounding (~1e-16), which changes a
    decision with probability ~1e-16 per attempt, so the trajectories coincide."""
    rng = generator(1, "forms-gauss")
    for case in range(4):
        N = 30
        J = _symmetric_gaussian(rng, N) if case % 2 == 0 else rng.normal(size=(N, N)) / 5
        np.fill_diagonal(J, 0.0)
        theta = rng.normal(size=N)
        n0 = rng.integers(0, 2, N).astype(np.int8)
        act = glauber_activity(J, n0, theta, temperature, 50, seed=case)
        spin = glauber(J, spin_from_activity(n0), temperature, 50, seed=case,
                       fields=external_fields(J, theta))
        np.testing.assert_array_equal(act.activities, activity_from_spin(spin.spins))
        assert act.flips == spin.flips


# --------------------------------------------------------------------------------------
# the kernel against a plain loop, and its couplings representations
# --------------------------------------------------------------------------------------


@pytest.mark.parametrize("temperature", [0.0, 0.6, 2.0])
def test_kernel_matches_reference_loop(temperature):
    """Cached fields, column updates (asymmetric J) and the fast decision path reproduce a
    loop that recomputes J[i]·S + H_i at every attempt on the same random stream."""
    rng = generator(2, "reference")
    for case, N in enumerate((5, 17, 40)):
        J = _symmetric_gaussian(rng, N) if case != 1 else rng.normal(size=(N, N)) / N**0.5
        np.fill_diagonal(J, 0.0)
        H = 0.3 * rng.normal(size=N)
        S0 = _spins(rng, N)
        res = glauber(J, S0, temperature, 30, seed=case, fields=H)
        ref, flips = _reference(J, H, S0, temperature, case, 30)
        np.testing.assert_array_equal(res.spins, ref)
        assert res.flips == flips


@pytest.mark.parametrize("temperature", [0.0, 0.45, 1.5])
def test_integer_counts_equal_float_couplings(temperature):
    """hebbian_counts with coupling_scale 1/N is the Hebbian J (N = 64: exact scaling)."""
    rng = generator(3, "counts")
    xi = random_patterns(9, 64, rng)
    S0 = _spins(rng, 64)
    H = np.round(rng.normal(size=64) * 16) / 16
    K = hebbian_counts(xi)
    assert K.dtype == np.int8
    np.testing.assert_array_equal(K / 64, hebbian_couplings(xi))
    for dtype in (np.float64, np.float32):
        a = glauber(hebbian_couplings(xi, dtype=dtype), S0, temperature, 60, 5, fields=H,
                    patterns=xi, record_every=10)
        b = glauber(K, S0, temperature, 60, 5, fields=H, patterns=xi, record_every=10,
                    coupling_scale=1 / 64)
        np.testing.assert_array_equal(a.spins, b.spins)
        np.testing.assert_allclose(a.energy, b.energy, atol=1e-12)
        np.testing.assert_array_equal(a.overlaps, b.overlaps)


# --------------------------------------------------------------------------------------
# stationary distribution
# --------------------------------------------------------------------------------------


def _chisquare_pvalue(states, p):
    """χ² of the sampled state histogram against p; bins expecting < 5 counts merged."""
    observed = np.bincount(states, minlength=p.size).astype(float)
    expected = p * observed.sum()
    small = expected < 5
    obs = np.append(observed[~small], observed[small].sum())
    exp = np.append(expected[~small], expected[small].sum())
    if exp[-1] == 0:
        obs, exp = obs[:-1], exp[:-1]
    return stats.chisquare(obs, exp).pvalue


@pytest.mark.parametrize(("temperature", "coupling_form"), [(0.7, "float"), (2.0, "float"),
                                                            (0.7, "integer")])
def test_long_run_histogram_is_boltzmann(temperature, coupling_form):
    """N = 8 random symmetric couplings and fields; 2·10⁵ samples, one every 20 sweeps
    (lag-one energy autocorrelation between samples ≤ 0.25: nearly independent, so χ²
    applies with little inflation; the seeded p-values are 0.6, 0.7 and 0.9). The same
    samples must reject the Boltzmann distribution at a 5% different T: the test has
    power (p ~ 1e-50 and below there)."""
    N = 8
    rng = generator(4, "boltzmann", coupling_form)
    if coupling_form == "float":
        J, scale = _symmetric_gaussian(rng, N, scale=1.5), 1.0
    else:  # small integer couplings with a scale, the exact-integer kernel
        K = rng.integers(-3, 4, size=(N, N))
        J, scale = (np.triu(K, 1) + np.triu(K, 1).T).astype(np.int8), 0.25
    H = 0.5 * rng.normal(size=N)
    thin, samples = 20, 200_000
    res = glauber(J, _spins(rng, N), temperature, thin * samples, seed=7, fields=H,
                  record_every=thin, record_spins=True, coupling_scale=scale)
    states = state_index(res.trajectory_spins[50:])  # burn-in: first 1000 sweeps
    Jf = np.asarray(J, dtype=float) * scale
    _, p = boltzmann_distribution(Jf, H, temperature)
    assert _chisquare_pvalue(states, p) > 1e-3
    _, p_wrong = boltzmann_distribution(Jf, H, 1.05 * temperature)
    assert _chisquare_pvalue(states, p_wrong) < 1e-6
    # the recorded energies are those of the recorded states
    np.testing.assert_allclose(res.energy[:50] * N, energy(Jf, res.trajectory_spins[:50], H),
                               atol=1e-12)


# --------------------------------------------------------------------------------------
# T = 0: energy descent
# --------------------------------------------------------------------------------------


def test_zero_temperature_never_increases_energy_per_sweep():
    rng = generator(5, "descent")
    for case in range(20):
        N = int(rng.integers(5, 80))
        if case % 2:
            J = hebbian_couplings(random_patterns(int(rng.integers(1, N)), N, rng))
            H = None
        else:
            J = _symmetric_gaussian(rng, N)
            H = rng.normal(size=N)
        res = glauber(J, _spins(rng, N), 0.0, 30, seed=case, fields=H, record_every=1)
        assert np.all(np.diff(res.energy) <= 1e-12)
        assert res.energy[-1] * N == pytest.approx(energy(J, res.spins, H), abs=1e-9)
        # run on until the state is a fixed point (energy strictly falls with each flip,
        # so this ends): no neuron's field opposes its spin, and T = 0 flips none of them
        S = res.spins
        for _ in range(50):
            more = glauber(J, S, 0.0, 20, seed=100 + case, fields=H)
            S = more.spins
            if more.flips == 0:
                break
        assert more.flips == 0
        f = J @ S + (0 if H is None else H)
        assert np.all(f * S >= 0)
        assert glauber(J, S, 0.0, 50, seed=7, fields=H).flips == 0


def test_zero_temperature_never_increases_energy_per_attempt():
    """The kernel's trajectory is the reference loop's; along it E never increases."""
    rng = generator(6, "descent-attempt")
    for case in range(6):
        N = 12
        J = _symmetric_gaussian(rng, N)
        H = rng.normal(size=N) if case % 2 else np.zeros(N)
        S0 = _spins(rng, N)
        energies = []

        def track(S, J=J, H=H, energies=energies):
            energies.append(energy(J, S, H))

        ref, _ = _reference(J, H, S0, 0.0, case, 10, on_attempt=track)
        assert np.all(np.diff(energies) <= 1e-12)
        np.testing.assert_array_equal(glauber(J, S0, 0.0, 10, case, fields=H).spins, ref)


# --------------------------------------------------------------------------------------
# one pattern: Curie–Weiss
# --------------------------------------------------------------------------------------


def _curie_weiss(T):
    """m = tanh(m/T), solved here (0 for T ≥ 1), independently of statnn.theory."""
    if T >= 1:
        return 0.0
    return optimize.brentq(lambda m: m - np.tanh(m / T), 1e-9, 1.0, xtol=1e-14)


@pytest.mark.parametrize(("temperature", "tolerance"), [(0.5, 0.02), (1.5, 0.05)])
def test_single_pattern_overlap_is_curie_weiss(temperature, tolerance):
    """P = 1 Hebbian network = Curie–Weiss ferromagnet in the gauge S_i → ξ_i S_i.

    N = 2000, 400 sweeps, average over the last 200. T = 0.5: m* = 0.9575, single-time
    fluctuations σ = √(χ/N) ≈ 0.007 (χ = (1−m²)/(1−β(1−m²)) ≈ 0.1), bias O(1/N); the time
    average is tighter still, so 0.02 is ~3σ of a single sample. T = 1.5: m* = 0, σ =
    √(χ/N) ≈ 0.039 with χ = 1/(1−β) = 3, correlation time ~3 sweeps, so the 200-sweep
    average has σ ≈ 0.005; 0.05 bounds it generously while far below any ordered value.
    """
    N = 2000
    xi = random_patterns(1, N, generator(8, "cw"))
    res = glauber(hebbian_couplings(xi), xi[0], temperature, 400, seed=3, patterns=xi)
    m = res.time_averaged_overlap[0]
    assert abs(m - _curie_weiss(temperature)) < tolerance
    assert res.final_overlaps[0] == pytest.approx(overlaps(xi, res.spins)[0])


# --------------------------------------------------------------------------------------
# reproducibility, recording, validation
# --------------------------------------------------------------------------------------


def test_same_seed_same_trajectory_different_seed_differs():
    rng = generator(9, "repro")
    J = _symmetric_gaussian(rng, 50)
    S0 = _spins(rng, 50)
    start = S0.copy()
    a = glauber(J, S0, 0.9, 20, seed=1, record_every=2)
    np.testing.assert_array_equal(S0, start)  # the input is never modified
    b = glauber(J, S0, 0.9, 20, seed=1, record_every=2)
    c = glauber(J, S0, 0.9, 20, seed=2, record_every=2)
    np.testing.assert_array_equal(a.spins, b.spins)
    np.testing.assert_array_equal(a.energy, b.energy)
    assert a.flips == b.flips
    assert not np.array_equal(a.spins, c.spins)
    assert not np.array_equal(a.spins, S0)  # the run moved, yet S0 is unchanged
    n0 = activity_from_spin(S0)
    n_start = n0.copy()
    glauber_activity(J, n0, np.zeros(50), 0.9, 5, seed=1)
    np.testing.assert_array_equal(n0, n_start)
    np.testing.assert_array_equal(attempt_stream(1, 50, 10)[0], attempt_stream(1, 50, 10)[0])


def test_recording_layout():
    rng = generator(10, "record")
    xi = random_patterns(3, 40, rng)
    res = glauber(hebbian_couplings(xi), xi[0], 0.3, 9, seed=0, patterns=xi, record_every=4,
                  record_spins=True)
    np.testing.assert_array_equal(res.record_sweeps, [0, 4, 8])
    assert res.energy.shape == (3,) and res.overlaps.shape == (3, 3)
    np.testing.assert_array_equal(res.overlaps[0], overlaps(xi, xi[0]))
    np.testing.assert_array_equal(res.overlaps, overlaps(xi, res.trajectory_spins))
    assert res.time_averaged_overlap.shape == (3,)
    assert 0 <= res.flip_rate <= 1 and res.attempts == 9 * 40
    plain = glauber(hebbian_couplings(xi), xi[0], 0.3, 9, seed=0)
    assert plain.energy is None and plain.time_averaged_overlap is None
    np.testing.assert_array_equal(plain.spins, res.spins)  # recording does not perturb


def test_infinite_and_tiny_temperature():
    rng = generator(11, "extreme")
    J = _symmetric_gaussian(rng, 20)
    S0 = _spins(rng, 20)
    hot = glauber(J, S0, np.inf, 200, seed=0)
    assert 0.4 < hot.flip_rate < 0.6  # β = 0: every attempt is a fair coin
    cold = glauber(J, S0, 1e-300, 20, seed=0)  # finite huge β: no overflow, acts as T = 0
    np.testing.assert_array_equal(cold.spins, glauber(J, S0, 0.0, 20, seed=0).spins)


@pytest.mark.parametrize("temperature", [-0.1, np.nan, "hot"])
def test_bad_temperature_is_rejected(temperature):
    J = np.zeros((3, 3))
    with pytest.raises(ValueError, match="temperature"):
        glauber(J, [1, 1, -1], temperature, 1, 0)
    with pytest.raises(ValueError, match="temperature"):
        glauber_activity(J, [1, 0, 1], np.zeros(3), temperature, 1, 0)


def test_other_arguments_are_validated():
    J = np.zeros((3, 3))
    with pytest.raises(ValueError, match="sweeps"):
        glauber(J, [1, 1, -1], 1.0, -1, 0)
    with pytest.raises(ValueError, match="spins"):
        glauber(J, [1, 0, -1], 1.0, 1, 0)
    with pytest.raises(ValueError, match="diagonal"):
        glauber(np.eye(3), [1, 1, -1], 1.0, 1, 0)
    with pytest.raises(ValueError, match="J"):
        glauber(np.zeros((3, 2)), [1, 1, -1], 1.0, 1, 0)
    with pytest.raises(ValueError, match="finite"):
        glauber(np.full((2, 2), np.nan), [1, 1], 1.0, 1, 0)
    with pytest.raises(ValueError, match="fields"):
        glauber(J, [1, 1, -1], 1.0, 1, 0, fields=np.zeros(2))
    with pytest.raises(ValueError, match="patterns"):
        glauber(J, [1, 1, -1], 1.0, 1, 0, patterns=np.ones((1, 2)))
    with pytest.raises(ValueError, match="coupling_scale"):
        glauber(J, [1, 1, -1], 1.0, 1, 0, coupling_scale=0.0)
    with pytest.raises(ValueError, match="seed"):
        glauber(J, [1, 1, -1], 1.0, 1, -5)
    with pytest.raises(ValueError, match="thresholds"):
        glauber_activity(J, [1, 0, 1], np.zeros(4), 1.0, 1, 0)


# --------------------------------------------------------------------------------------
# annealing
# --------------------------------------------------------------------------------------


def test_sk_anneal_energy_and_edwards_anderson_overlap():
    """SK, N = 200, 6 samples. Paramagnet (T > 1): e = −β/2 exactly for N → ∞, and q between
    independent replicas is Gaussian with variance 1/N, so ⟨|q|⟩ = √(2/(πN)) ≈ 0.056. At
    T = 0.3 the replicas freeze: ⟨|q|⟩ over samples is several times larger (per sample it
    is broad, the replica-symmetry-broken P(q), so only the sample mean is tested) and the
    energy approaches the ground state ≈ −0.763 (finite T and N keep it above)."""
    N = 200
    temps = [3.0, 2.0, 1.5, 1.0, 0.7, 0.5, 0.3]
    energies, q_abs = [], []
    for sample in range(6):
        rng = generator(12, "sk", sample)
        J = sherrington_kirkpatrick_couplings(N, rng)
        res = anneal(J, _spins(rng, N), temps, 200, seed=sample)
        assert res.spins.shape == (2, N)
        assert np.all(np.abs(res.ea_overlap) <= res.ea_overlap_abs + 1e-12)
        assert np.all(np.diff(res.energy_per_neuron) < 0.01)  # energy falls with T
        energies.append(res.energy_per_neuron)
        q_abs.append(res.ea_overlap_abs)
    e, q = np.mean(energies, axis=0), np.mean(q_abs, axis=0)
    np.testing.assert_allclose(e[:3], [-1 / 6, -1 / 4, -1 / 3], atol=0.02)
    assert -0.76 < e[-1] < -0.66
    np.testing.assert_allclose(q[:3], np.sqrt(2 / (np.pi * N)), rtol=0.3)
    assert q[-1] > 0.2 and q[-1] > 4 * q[0]
    # reproducible, and validated
    again = [anneal(J, res.spins[0], temps[-2:], 10, seed=4).spins for _ in range(2)]
    np.testing.assert_array_equal(again[0], again[1])
    with pytest.raises(ValueError, match="temperatures"):
        anneal(J, res.spins[0], [1.0, -1.0], 10, seed=0)


# --------------------------------------------------------------------------------------
# couplings
# --------------------------------------------------------------------------------------


def test_random_patterns():
    xi = random_patterns(4, 1000, generator(13))
    assert xi.dtype == np.int8 and xi.shape == (4, 1000)
    assert set(np.unique(xi)) == {-1, 1} and abs(xi.mean()) < 0.05
    with pytest.raises(ValueError, match="n_neurons"):
        random_patterns(1, 0, generator(0))


def test_hebbian_and_sk_couplings():
    xi = random_patterns(3, 50, generator(14))
    J = hebbian_couplings(xi)
    direct = np.einsum("mi,mj->ij", xi, xi) / 50
    np.fill_diagonal(direct, 0)
    np.testing.assert_allclose(J, direct)
    assert hebbian_couplings(xi, dtype=np.float32).dtype == np.float32
    S = sherrington_kirkpatrick_couplings(400, generator(15))
    np.testing.assert_array_equal(S, S.T)
    assert np.all(np.diag(S) == 0)
    assert np.var(S[np.triu_indices(400, 1)]) * 400 == pytest.approx(1.0, rel=0.02)


def test_asymmetric_couplings():
    xi = random_patterns(5, 300, generator(16))
    A = asymmetric_hebbian_couplings(xi, 0.5, generator(17))
    kept = A[~np.eye(300, dtype=bool)] != 0
    assert kept.mean() == pytest.approx(0.5, abs=0.02)
    assert not np.array_equal(A, A.T) and np.all(np.diag(A) == 0)
    full = hebbian_couplings(xi)
    nz = A != 0
    np.testing.assert_allclose(A[nz], 2 * full[nz])  # scaled by 1/(1 − d)
    B = asymmetric_hebbian_couplings(xi, 0.3, generator(19))  # d = 0.3: 70 % of bonds kept
    kept = B[~np.eye(300, dtype=bool)] != 0
    assert kept.mean() == pytest.approx(0.7, abs=0.02)
    np.testing.assert_allclose(B[B != 0], full[B != 0] / 0.7)
    R = random_directed_couplings(300, 0.2, generator(18))
    assert (R != 0).mean() == pytest.approx(0.2 * 299 / 300, abs=0.01)
    assert np.var(R[R != 0]) * 0.2 * 300 == pytest.approx(1.0, rel=0.05)
    with pytest.raises(ValueError, match="dilution"):
        asymmetric_hebbian_couplings(xi, 1.0, generator(0))
    with pytest.raises(ValueError, match="connectivity"):
        random_directed_couplings(10, 0.0, generator(0))
    res = glauber(A, xi[0], 0.0, 20, seed=0, record_every=5)  # no energy function: runs
    assert res.spins.shape == (300,)


# --------------------------------------------------------------------------------------
# benchmark command
# --------------------------------------------------------------------------------------


def test_bench_glauber_prints_one_json_line():
    row = bench_json_line(["glauber", "--neurons", "128", "--alpha", "0.05", "--sweeps", "5",
                           "--reference-seconds", "30", "--repeats", "1"])
    for key in ("kernel", "neurons", "patterns", "alpha", "temperature", "sweeps", "attempts",
                "seconds", "attempts_per_second", "overlap", "flip_rate",
                "reference_attempts_per_second", "speedup"):
        assert key in row
    # the reference loop (a cap of 30 s, 640 attempts take far less) ran the whole run
    assert row["attempts"] == row["reference_attempts"] == 5 * 128
    assert row["reference_agrees"] is True


# --------------------------------------------------------------------------------------
# exact single-neuron statistics (seed Eq. 2) and the bookkeeping of recorded averages
# --------------------------------------------------------------------------------------


def _fraction_up(levels, runs, one_run):
    """Fraction of neurons that end up (+1, or active) per field level, over ``runs`` runs
    of uncoupled neurons; ``one_run(seed)`` returns the final states (+1/1 counted)."""
    ups = np.zeros(len(levels))
    per_level = 0
    for seed in range(runs):
        final = one_run(seed).reshape(-1, len(levels))  # neuron k has level k mod L
        ups += (final > 0).sum(axis=0)
        per_level += final.shape[0]
    return ups / per_level, per_level


def test_uncoupled_spins_follow_glauber_probability():
    """J = 0: every update draws S_i = +1 with probability 1 / (1 + exp(−2β H_i)), so after
    30 sweeps each neuron is an independent draw (never updated: e^−30). 2400 draws per
    field level: standard error ≤ 0.0102; 4β or β in place of 2β moves p by > 0.09."""
    levels = np.array([-0.6, -0.2, 0.0, 0.3, 0.8])
    N, T = 600, 0.7
    H = np.tile(levels, N // len(levels))
    frac, n = _fraction_up(levels, 20, lambda s: glauber(np.zeros((N, N)), np.ones(N), T,
                                                           30, seed=s, fields=H).spins)
    p = 1.0 / (1.0 + np.exp(-2.0 * levels / T))
    np.testing.assert_allclose(frac, p, atol=4.5 * np.sqrt(0.25 / n))


def test_uncoupled_activities_follow_seed_eq2():
    """Activity form, J = 0: h_i = −θ_i and P(n_i = 1) = 1 / (1 + exp(−4β h_i))."""
    levels = np.array([-0.3, -0.1, 0.0, 0.15, 0.4])
    N, T = 600, 0.7
    theta = -np.tile(levels, N // len(levels))
    frac, n = _fraction_up(levels, 20, lambda s: glauber_activity(
        np.zeros((N, N)), np.zeros(N, dtype=np.int8), theta, T, 30, seed=s).activities)
    p = 1.0 / (1.0 + np.exp(-4.0 * levels / T))
    np.testing.assert_allclose(frac, p, atol=4.5 * np.sqrt(0.25 / n))


def test_zero_temperature_keeps_a_neuron_whose_field_is_zero():
    """T = 0: S_i ← sign(f_i), unchanged at f_i = 0 (in both forms, and for integer J)."""
    N = 40
    S0 = _spins(generator(30, "ties"), N)
    for J in (np.zeros((N, N)), np.zeros((N, N), dtype=np.int8)):
        res = glauber(J, S0, 0.0, 10, seed=1)
        assert res.flips == 0
        np.testing.assert_array_equal(res.spins, S0)
    n0 = activity_from_spin(S0)
    act = glauber_activity(np.zeros((N, N)), n0, np.zeros(N), 0.0, 10, seed=1)
    assert act.flips == 0
    np.testing.assert_array_equal(act.activities, n0)
    # a field of either sign wins over the old state
    H = np.where(np.arange(N) % 2 == 0, 0.5, -0.5)
    res = glauber(np.zeros((N, N)), S0, 0.0, 40, seed=2, fields=H)
    np.testing.assert_array_equal(res.spins, np.sign(H))
    # two neurons coupled by J = 1 with opposite spins: each sees f = ±1, never 0
    pair = glauber(np.array([[0.0, 1.0], [1.0, 0.0]]), [1, -1], 0.0, 20, seed=3)
    assert pair.spins[0] == pair.spins[1] and pair.flips == 1


@pytest.mark.parametrize("sweeps", [7, 8])
def test_time_averaged_overlap_is_the_mean_over_the_second_half(sweeps):
    """time_averaged_overlap = mean of m_μ after each sweep s > ⌊sweeps/2⌋, final_overlaps
    = m_μ of the final state; the same for glauber and glauber_hebbian's kernels."""
    from statnn.dynamics import glauber_hebbian

    xi = random_patterns(4, 50, generator(31))
    J = hebbian_couplings(xi)
    S0 = _spins(generator(32), 50)
    kw = dict(record_every=1, record_spins=True)
    runs = [glauber(J, S0, 0.8, sweeps, seed=4, patterns=xi, **kw)]
    runs += [glauber_hebbian(xi, S0, 0.8, sweeps, seed=4, kernel=k, **kw)
             for k in ("cached_fields", "overlaps")]
    for res in runs:
        np.testing.assert_array_equal(res.record_sweeps, np.arange(sweeps + 1))
        np.testing.assert_array_equal(res.overlaps, overlaps(xi, res.trajectory_spins))
        np.testing.assert_allclose(res.energy * 50, energy(J, res.trajectory_spins),
                                   rtol=0, atol=1e-12)
        second_half = res.overlaps[sweeps // 2 + 1:]
        np.testing.assert_allclose(res.time_averaged_overlap, second_half.mean(axis=0),
                                   rtol=0, atol=1e-14)
        np.testing.assert_array_equal(res.final_overlaps, overlaps(xi, res.spins))
        np.testing.assert_array_equal(res.trajectory_spins[-1], res.spins)
        assert res.attempts == sweeps * 50


def test_anneal_stage_is_two_glauber_chains():
    """One stage of ``anneal``: replica r is ``glauber`` on the stream child_seed(seed,
    "anneal", r); energy per neuron and q = (1/N) Σ_i S_i^a S_i^b (and |q|) are averaged
    over sweeps ⌊S/2⌋ + 1 … S, the flip rate is flips / (2 S N)."""
    N, S, T = 30, 9, 0.6
    rng = generator(33, "anneal")
    J = _symmetric_gaussian(rng, N)
    H = 0.2 * rng.normal(size=N)
    start = np.stack([_spins(rng, N), _spins(rng, N)])
    res = anneal(J, start, [T], S, seed=8, fields=H)
    runs = [glauber(J, start[r], T, S, seed=child_seed(8, "anneal", r), fields=H,
                    record_every=1, record_spins=True) for r in range(2)]
    np.testing.assert_array_equal(res.spins, [r.spins for r in runs])
    keep = slice(S // 2 + 1, None)
    traj = [r.trajectory_spins[keep].astype(float) for r in runs]
    e = [energy(J, t, H) / N for t in traj]
    assert res.energy_per_neuron[0] == pytest.approx(np.mean(e), abs=1e-12)
    q = np.mean(traj[0] * traj[1], axis=1)
    assert res.ea_overlap[0] == pytest.approx(q.mean(), abs=1e-12)
    assert res.ea_overlap_abs[0] == pytest.approx(np.abs(q).mean(), abs=1e-12)
    assert res.flip_rate[0] == pytest.approx((runs[0].flips + runs[1].flips) / (2 * S * N))
