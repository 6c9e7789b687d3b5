"""The T = 0 fixed-point stop of the Glauber kernels (``stop_when_stable``)."""

import numpy as np
import pytest

from statnn.couplings import hebbian_counts
from statnn.dynamics import glauber, glauber_hebbian
from statnn.rng import generator


def _instance(n, p, seed, noise=0.2):
    rng = generator(seed, "fixed-point-test")
    xi = rng.choice(np.array([-1, 1], np.int8), size=(p, n))
    cue = xi[0].copy()
    cue[rng.choice(n, size=int(noise * n), replace=False)] *= -1
    return xi, cue


def _dense_fields(xi, spins):
    """h_i = Σ_{j≠i} J_ij S_j with the dense J = (1/N) ξᵀξ, J_ii = 0 (independent of the
    kernels: numpy float64 matrix product)."""
    x = xi.astype(np.float64)
    J = x.T @ x / xi.shape[1]
    np.fill_diagonal(J, 0.0)
    return J @ spins.astype(np.float64)


RUNS = [(n, p, s) for n, p in ((200, 28), (300, 45), (150, 30)) for s in range(8)]


@pytest.mark.parametrize("kernel", ["cached_fields", "overlaps"])
def test_stop_leaves_no_unstable_neuron(kernel):
    """Every run that reports a fixed point ends with S_i h_i ≥ 0 for all i, the fields
    recomputed with a dense J. Near the capacity a sweep without a flip often misses an
    unstable neuron (random sequential picks leave ~N/e neurons untried): stopping on the
    zero-flip sweep alone fails this test."""
    stopped = 0
    for n, p, s in RUNS:
        xi, cue = _instance(n, p, s)
        res = glauber_hebbian(xi, cue, 0.0, 500, seed=s, kernel=kernel, stop_when_stable=True)
        assert res.fixed_point
        stopped += 1
        h = _dense_fields(xi, res.spins)
        assert np.all(res.spins * h >= -1e-12), (n, p, s)
        assert res.attempts == res.sweeps_run * n
    assert stopped == len(RUNS)


def test_stop_follows_the_fixed_sweep_trajectory():
    """At T = 0 the stopped run equals the fixed-sweep run cut at the same sweep (spins and
    flips, for both kernels and ``glauber`` on the integer counts), and the full fixed-sweep
    run ends in the same state with the same final and time-averaged overlaps."""
    for n, p, s in RUNS[::3]:
        xi, cue = _instance(n, p, s)
        cap = 60
        ref = None
        for kernel in ("cached_fields", "overlaps"):
            res = glauber_hebbian(xi, cue, 0.0, cap, seed=s, kernel=kernel,
                                  stop_when_stable=True)
            assert res.fixed_point and res.sweeps_run < cap
            cut = glauber_hebbian(xi, cue, 0.0, res.sweeps_run, seed=s, kernel=kernel)
            full = glauber_hebbian(xi, cue, 0.0, cap, seed=s, kernel=kernel)
            np.testing.assert_array_equal(res.spins, cut.spins)
            assert res.flips == cut.flips == full.flips
            np.testing.assert_array_equal(res.spins, full.spins)
            np.testing.assert_array_equal(res.final_overlaps, full.final_overlaps)
            np.testing.assert_allclose(res.time_averaged_overlap, full.time_averaged_overlap,
                                       rtol=0, atol=1e-15)
            if ref is None:
                ref = res
            assert res.sweeps_run == ref.sweeps_run
        dense = glauber(hebbian_counts(xi), cue, 0.0, cap, seed=s, coupling_scale=1 / n,
                        stop_when_stable=True)
        np.testing.assert_array_equal(dense.spins, ref.spins)
        assert dense.sweeps_run == ref.sweeps_run


def test_cap_is_reported_and_records_end_at_the_stop():
    xi, cue = _instance(300, 45, 1, noise=0.3)
    capped = glauber_hebbian(xi, cue, 0.0, 1, seed=1, stop_when_stable=True)
    assert capped.sweeps_run == 1 and capped.fixed_point is False
    assert glauber_hebbian(xi, cue, 0.0, 1, seed=1).fixed_point is None
    res = glauber_hebbian(xi, cue, 0.0, 100, seed=1, stop_when_stable=True, record_every=1)
    assert res.record_sweeps.tolist() == list(range(res.sweeps_run + 1))
    # the last sweep made no flip: the last two records are equal
    assert res.overlaps[-1, 0] == res.overlaps[-2, 0]


def test_stop_needs_zero_temperature():
    xi, cue = _instance(50, 3, 0)
    with pytest.raises(ValueError, match="temperature 0"):
        glauber_hebbian(xi, cue, 0.5, 10, seed=0, stop_when_stable=True)
    with pytest.raises(ValueError, match="must be a bool"):
        glauber_hebbian(xi, cue, 0.0, 10, seed=0, stop_when_stable=1)
