"""Parallel tempering: the batched kernel follows single-chain trajectories on the same random
numbers, and its averages match exact Boltzmann enumeration."""

import io
import math
from contextlib import redirect_stderr

import numpy as np
import pytest

from statnn import bench
from statnn.couplings import sherrington_kirkpatrick_couplings
from statnn.dynamics import glauber
from statnn.dynamics.tempering import parallel_tempering, tempering_stream
from statnn.observables import boltzmann_distribution
from statnn.rng import generator

from .conftest import bench_json_line


def _sk(n, seed=0):
    return sherrington_kirkpatrick_couplings(n, generator(seed, "test-sk"))


@pytest.mark.parametrize("T", [0.3, 1.0, 3.0])
def test_one_replica_without_swaps_is_glauber(T):
    J = _sk(40)
    s0 = generator(1, "start").integers(0, 2, 40) * 2 - 1
    g = glauber(J, s0, T, 30, 11, record_every=1)
    p = parallel_tempering(J, [T], 30, 11, replica_sets=1, spins=s0[None, None], swap=False)
    np.testing.assert_array_equal(p.spins[0, 0], g.spins)
    np.testing.assert_allclose(p.energy[:, 0, 0], g.energy[1:], rtol=0, atol=1e-12)
    assert p.flips == g.flips > 0


def test_batched_replicas_follow_reference_loop_on_shared_stream():
    """Each replica r of the batched kernel equals a plain loop driven by the shared site
    order and that replica's own uniforms: S_i = +1 iff u_r < 1/(1 + exp(−2β_r J_i·S))."""
    N, M, K, sweeps, seed = 12, 2, 3, 8, 5
    J = _sk(N, 2)
    T = np.array([0.4, 0.9, 2.0])
    start = generator(3, "start").integers(0, 2, (M, K, N)) * 2 - 1
    p = parallel_tempering(J, T, sweeps, seed, replica_sets=M, spins=start, swap=False)
    idx, uni = tempering_stream(seed, N, M * K, sweeps * N)
    S = start.reshape(M * K, N).astype(np.float64)
    energies = np.empty((sweeps, M * K))
    for a in range(sweeps * N):
        i = idx[a]
        for r in range(M * K):
            x = 2.0 / T[r % K] * (J[i] @ S[r])
            p_up = 1.0 / (1.0 + math.exp(-x)) if x >= 0 else 1.0 - 1.0 / (1.0 + math.exp(x))
            S[r, i] = 1.0 if uni[a, r] < p_up else -1.0
        if (a + 1) % N == 0:
            energies[a // N] = -0.5 * np.einsum("ri,ij,rj->r", S, J, S) / N
    np.testing.assert_array_equal(p.spins.reshape(M * K, N), S.astype(np.int8))
    np.testing.assert_allclose(p.energy.reshape(sweeps, M * K), energies, atol=1e-12)
    q = np.einsum("ki,ki->k", S[:K], S[K:]) / N
    np.testing.assert_allclose(p.overlap[-1], q, atol=0)


def _mean_se(x, n_bins=40):
    """Mean of a time series and its standard error from n_bins consecutive bin means."""
    b = x[: x.size // n_bins * n_bins].reshape(n_bins, -1).mean(axis=1)
    return b.mean(), b.std(ddof=1) / math.sqrt(n_bins)


def test_energy_and_q2_match_exact_enumeration():
    """⟨E⟩/N and ⟨q²⟩ = Σ_{s,t} p(s) p(t) q(s,t)² of one N = 10 SK sample, by enumerating all
    2^10 states, against parallel tempering (4 temperatures, two sets, swaps on)."""
    N = 10
    J = _sk(N, 4)
    T = np.array([0.3, 0.5, 0.8, 1.3])
    run = parallel_tempering(J, T, 40_000, 9)
    keep = slice(4_000, None)
    assert np.all(run.swap_acceptance > 0.05)
    for k, t in enumerate(T):
        states, prob = boltzmann_distribution(J, None, t)
        e_exact = prob @ (-0.5 * np.einsum("si,ij,sj->s", states, J, states)) / N
        q = states.astype(np.float64) @ states.T.astype(np.float64) / N
        q2_exact = prob @ (q**2) @ prob
        e, e_se = _mean_se(run.energy[keep, :, k].mean(axis=1))
        q2, q2_se = _mean_se(run.overlap[keep, k] ** 2)
        assert abs(e - e_exact) < 4 * e_se + 1e-4, (t, e, e_exact, e_se)
        assert abs(q2 - q2_exact) < 4 * q2_se + 1e-4, (t, q2, q2_exact, q2_se)


def test_swaps_are_recorded_and_deterministic():
    J = _sk(16, 6)
    a = parallel_tempering(J, [0.5, 0.7, 1.0], 200, 3)
    b = parallel_tempering(J, [0.5, 0.7, 1.0], 200, 3)
    np.testing.assert_array_equal(a.energy, b.energy)
    assert a.swap_acceptance.shape == (2,)
    assert np.all((a.swap_acceptance > 0) & (a.swap_acceptance <= 1))
    assert a.attempts == 200 * 16 * 6


@pytest.mark.parametrize(
    "kwargs, name",
    [
        ({"temperatures": [1.0, 0.5]}, "temperatures"),
        ({"temperatures": [0.0, 1.0]}, "temperatures"),
        ({"sweeps": -1}, "sweeps"),
        ({"seed": 1.5}, "seed"),
        ({"replica_sets": 0}, "replica_sets"),
        ({"spins": np.ones((2, 2, 5))}, "spins"),
        ({"J": np.triu(np.ones((4, 4)), 1)}, "symmetric"),
    ],
)
def test_input_checks_name_the_parameter(kwargs, name):
    args = {"J": _sk(4), "temperatures": [0.5, 1.0], "sweeps": 2, "seed": 0}
    args.update(kwargs)
    with pytest.raises(ValueError, match=name):
        parallel_tempering(**args)


def test_bench_tempering_prints_one_json_line():
    row = bench_json_line(["tempering", "--neurons", "128", "--replicas", "8", "--sweeps", "400",
                           "--seed", "1", "--repeats", "2"])
    assert row["attempts"] == row["single_chain_attempts"] == 128 * 8 * 400
    assert row["speedup"] == pytest.approx(
        row["attempts_per_second"] / row["single_chain_attempts_per_second"])
    with pytest.raises(SystemExit), redirect_stderr(io.StringIO()):
        bench.main(["tempering", "--replicas", "0"])
