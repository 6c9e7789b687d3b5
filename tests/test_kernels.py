"""Hebbian Glauber kernels: the overlap kernel follows the cached-field kernel's trajectory
exactly, the automatic choice is sensible, the pipeline's shard does not depend on the kernel
or the thread count, and the overlap state never allocates an N × N array."""

import tracemalloc

import numpy as np
import pandas as pd
import pytest

from statnn import rng
from statnn.bench import suite as bench_suite
from statnn.couplings import hebbian_counts, hebbian_couplings, random_patterns
from statnn.dynamics import (
    KERNELS,
    HebbianNetwork,
    choose_kernel,
    expected_flip_rate,
    glauber,
    glauber_hebbian,
    kernel_costs,
)
from statnn.dynamics.patterns import hebbian_counts_packed, neuron_major
from statnn.hopfield import noisy_cue, retrieval_shard, stored_patterns
from statnn.observables import energy_per_neuron, overlaps
from statnn.rng import generator

RESULT_FIELDS = ("spins", "record_sweeps", "energy", "overlaps", "trajectory_spins",
                 "final_overlaps", "time_averaged_overlap")


def _assert_same_run(a, b):
    for name in RESULT_FIELDS:
        x, y = getattr(a, name), getattr(b, name)
        assert (x is None) == (y is None), name
        if x is not None:
            np.testing.assert_array_equal(x, y, err_msg=name)
    assert a.flips == b.flips and a.attempts == b.attempts


# --------------------------------------------------------------------------------------
# identical trajectories
# --------------------------------------------------------------------------------------

CASES = [(5, 1), (17, 3), (64, 9), (100, 70), (130, 131), (300, 20)]


@pytest.mark.parametrize("temperature", [0.0, 0.3, 1.0, 3.0])
def test_overlap_kernel_follows_the_cached_field_trajectory(temperature):
    """Fields are exact integers in both kernels (f_i = Σ_j K_ij S_j = Σ_μ ξ_i^μ M_μ − P S_i)
    and the random stream is shared, so every recorded quantity is bit-identical — with
    P > 64 (padded rows), P > 127 (int16 counts), fields H and T = 0 ties included."""
    for k, (N, P) in enumerate(CASES):
        g = generator(20, "kernels", N, P)
        xi = random_patterns(P, N, g)
        S0 = noisy_cue(xi[0], 0.2, g)
        start = S0.copy()
        H = np.round(g.normal(size=N) * 8) / 8 if k % 2 else None
        ref = glauber(hebbian_counts(xi), S0, temperature, 12, seed=k, fields=H,
                      patterns=xi, record_every=3, record_spins=True, coupling_scale=1 / N)
        net = HebbianNetwork(xi)
        for kernel in (*KERNELS, "auto"):
            res = glauber_hebbian(net, S0, temperature, 12, seed=k, kernel=kernel, fields=H,
                                  record_every=3, record_spins=True)
            _assert_same_run(res, ref)
            assert res.kernel in KERNELS
        np.testing.assert_array_equal(S0, start)  # the input is never modified


def test_overlap_kernel_equals_float64_reference_when_scaling_is_exact():
    """N = 64: J = K/64 is exact in float64, so the reference kernel on float64 J gives the
    same trajectory and energies as the overlap kernel."""
    xi = random_patterns(7, 64, generator(21))
    S0 = noisy_cue(xi[0], 0.25, generator(22))
    for T in (0.0, 0.7, 2.0):
        ref = glauber(hebbian_couplings(xi), S0, T, 50, seed=3, patterns=xi, record_every=5)
        res = glauber_hebbian(xi, S0, T, 50, seed=3, kernel="overlaps", record_every=5)
        _assert_same_run(res, ref)


def test_reported_patterns_and_long_runs():
    """n_report limits the reported overlaps; a longer run at N = 1000 stays identical."""
    xi = random_patterns(60, 1000, generator(23))
    S0 = noisy_cue(xi[0], 0.1, generator(24))
    a = glauber_hebbian(xi, S0, 0.3, 60, seed=9, kernel="cached_fields", n_report=2)
    b = glauber_hebbian(xi, S0, 0.3, 60, seed=9, kernel="overlaps", n_report=2)
    _assert_same_run(a, b)
    assert a.final_overlaps.shape == (2,) and b.kernel == "overlaps"
    np.testing.assert_array_equal(b.final_overlaps, overlaps(xi[:2], b.spins))
    assert b.final_overlaps[0] > 0.9  # retrieval at α = 0.06, T = 0.3


def test_counts_from_bits_and_energy_are_exact():
    for P in (1, 63, 64, 65, 127, 128, 300):
        xi = random_patterns(P, 150, generator(25, P))
        K = hebbian_counts_packed(neuron_major(xi), P)
        expected = hebbian_counts(xi)
        assert K.dtype == expected.dtype
        np.testing.assert_array_equal(K, expected)
        net = HebbianNetwork(xi)
        S = noisy_cue(xi[0], 0.3, generator(26, P))
        assert net.energy_per_neuron(S) == energy_per_neuron(expected, S) / 150
        np.testing.assert_array_equal(net.neuron_major, xi.T)
        assert net.memory_bytes("overlaps") < net.memory_bytes("cached_fields")


# --------------------------------------------------------------------------------------
# automatic choice
# --------------------------------------------------------------------------------------


def test_auto_choice_for_extreme_cases():
    # memory: the N × N counts would not fit (N = 50 000: 5 GB of int16)
    assert choose_kernel(50_000, 2_500, 0.0, flip_rate=0.0) == "overlaps"
    assert choose_kernel(20_000, 2_800, 0.5) == "overlaps"
    assert choose_kernel(2_000, 100, 0.1, memory_limit_bytes=0) == "overlaps"
    # frozen dynamics (no flips): cached fields cost O(1) per attempt, overlaps O(P)
    assert choose_kernel(2_000, 100, 0.1) == "cached_fields"
    assert choose_kernel(5_000, 250, 0.0, flip_rate=0.0) == "cached_fields"
    # many flips on a large network: O(N) per flip loses to O(P)
    assert choose_kernel(5_000, 50, 3.0) == "overlaps"
    assert choose_kernel(5_000, 250, 0.0, flip_rate=0.5) == "overlaps"
    # one sweep cannot repay building and summing N² couplings
    assert choose_kernel(4_000, 200, 0.1, sweeps=1) == "overlaps"
    assert choose_kernel(4_000, 200, 0.1, sweeps=100_000) == "cached_fields"
    costs = kernel_costs(2_000, 100, 0.5)
    assert costs["cached_fields"].memory_bytes > 2_000**2 > costs["overlaps"].memory_bytes
    assert 0 <= expected_flip_rate(0.05, 0.0) < 0.01 < expected_flip_rate(0.05, 0.7)
    assert expected_flip_rate(0.1, 1.5) < expected_flip_rate(0.1, 50.0) < 0.5


def test_kernel_arguments_are_validated():
    xi = random_patterns(3, 20, generator(27))
    with pytest.raises(ValueError, match="kernel"):
        glauber_hebbian(xi, xi[0], 0.5, 1, 0, kernel="fastest")
    with pytest.raises(ValueError, match="flip_rate"):
        choose_kernel(100, 5, 0.5, flip_rate=1.5)
    with pytest.raises(ValueError, match="memory_limit_bytes"):
        choose_kernel(100, 5, 0.5, memory_limit_bytes=-1)
    with pytest.raises(ValueError, match="temperature"):
        choose_kernel(100, 5, -1.0)
    with pytest.raises(ValueError, match="n_neurons"):
        choose_kernel(0, 5, 0.5)
    with pytest.raises(ValueError, match="patterns"):
        HebbianNetwork(np.zeros((2, 5)))
    with pytest.raises(ValueError, match="patterns"):
        HebbianNetwork(np.ones((2, 3, 4)))
    with pytest.raises(ValueError, match="spins"):
        glauber_hebbian(xi, xi[0][:5], 0.5, 1, 0)
    with pytest.raises(ValueError, match="n_report"):
        glauber_hebbian(xi, xi[0], 0.5, 1, 0, n_report=4)
    with pytest.raises(ValueError, match="sweeps"):
        glauber_hebbian(xi, xi[0], 0.5, -1, 0)
    with pytest.raises(ValueError, match="seed"):
        glauber_hebbian(xi, xi[0], 0.5, 1, -2)
    with pytest.raises(ValueError, match="n_threads"):
        retrieval_shard([xi], 0.15, [0.5], 1, 0.1, 0, n_threads=0)


# --------------------------------------------------------------------------------------
# the pipeline's shard
# --------------------------------------------------------------------------------------


def _shard_before_kernels(patterns, alpha, temperatures, sweeps, cue_noise, seed):
    """retrieval_shard as it was with one kernel: N × N counts, float64 energy."""
    rows = []
    for r, xi in enumerate(patterns):
        n_pat, n = xi.shape
        counts = hebbian_counts(xi)
        for T in temperatures:
            coords = (n, float(alpha), float(T), r)
            cue = noisy_cue(xi[0], cue_noise, rng.generator(seed, "cue", *coords))
            res = glauber(counts, cue, T, sweeps, rng.child_seed(seed, "glauber", *coords),
                          patterns=xi[:1], coupling_scale=1.0 / n)
            rows.append({
                "n_neurons": n, "n_patterns": n_pat, "alpha": float(alpha),
                "temperature": float(T), "replica": r,
                "overlap": float(res.final_overlaps[0]),
                "overlap_time_mean": float(res.time_averaged_overlap[0]),
                "cue_overlap": float(overlaps(xi[:1], cue)[0]),
                "energy_per_neuron": float(energy_per_neuron(counts, res.spins)) / n,
                "flip_rate": res.flip_rate, "sweeps": sweeps,
            })
    return pd.DataFrame(rows)


@pytest.mark.parametrize("alpha", [0.05, 0.3])
def test_retrieval_shard_is_identical_for_every_kernel_and_thread_count(alpha):
    N, temps = 240, [0.0, 0.5, 1.5]
    xi = [stored_patterns(N, round(alpha * N), 4, r) for r in range(2)]
    expected = _shard_before_kernels(xi, alpha, temps, 10, 0.1, 4)
    for kernel in ("auto", *KERNELS):
        for threads in (1, 2):
            got = retrieval_shard(xi, alpha, temps, 10, 0.1, 4, kernel=kernel,
                                  n_threads=threads)
            pd.testing.assert_frame_equal(got, expected, check_exact=True)


# --------------------------------------------------------------------------------------
# memory and the benchmark
# --------------------------------------------------------------------------------------


def test_overlap_state_for_a_large_network_has_no_n_squared_array():
    """N = 20 000, P = 2 800 (α = 0.14): an N × N int8 array alone would be 400 MB; the
    overlap state (padded neuron-major patterns, 56 MB) and one sweep stay far below."""
    N, P = 20_000, 2_800
    xi = random_patterns(P, N, generator(28))
    cue = xi[0].copy()
    tracemalloc.start()
    try:
        net = HebbianNetwork(xi)
        assert choose_kernel(N, P, 0.5) == "overlaps"
        res = glauber_hebbian(net, cue, 0.5, 1, seed=0, n_report=1)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert res.kernel == "overlaps" and not net.has_counts
    assert peak < 100 * 2**20, f"peak {peak / 2**20:.0f} MiB"
    assert res.final_overlaps[0] > 0.9


def test_suite_runs_each_kernel_in_its_own_process_and_prints_a_table():
    result = bench_suite.suite(cases=[("fixed", 300, 0.05, 0.5), ("size", 300, 0.2, 1.5)],
                               repeats=1, thread_check=False, log=None)
    rows = result["rows"]
    assert [r["kernel"] for r in rows] == list(bench_suite.KERNEL_ORDER) * 2
    for row in rows:
        assert row["attempts"] == row["sweeps"] * 300 and row["attempts_per_second"] > 0
        assert row["peak_rss_mib"] > 0 and row["traced_peak_mib"] >= 0
        assert row["ratio_to_reference"] > 0
        if row["kernel"] != "reference":
            assert row["same_state_as_integer_kernels"]
    assert result["summary"]["integer_kernels_identical"]
    table = bench_suite.format_table(result)
    assert "| fixed | 300 | 15 | 0.5 | reference |" in table
    assert "integer kernels end in identical states: True" in table
