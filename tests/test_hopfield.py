"""Hopfield experiments against theory: retrieval below α_c, loss above, determinism."""

import numpy as np
import pandas as pd
import pytest

from statnn.hopfield import (
    energy_descent,
    finite_size_retrieval,
    n_patterns,
    noisy_cue,
    patterns_from_table,
    patterns_table,
    retrieval_shard,
    stored_patterns,
)
from statnn.rng import generator
from statnn.theory import retrieval_overlap

N = 1200


def _shard(alpha, temperatures, replicas=2, sweeps=20, seed=5):
    xi = [stored_patterns(N, n_patterns(alpha, N), seed, r) for r in range(replicas)]
    return retrieval_shard(xi, alpha, temperatures, sweeps, 0.1, seed)


def test_retrieves_below_capacity_and_loses_the_pattern_above():
    # AGS: at T = 0 retrieval (m ≈ 1) for α < α_c ≈ 0.138, none for α = 0.25.
    low = _shard(0.05, [0.0])
    assert (low["overlap"] > 0.95).all(), low
    high = _shard(0.25, [0.0])
    assert (high["overlap"] < 0.6).all(), high
    # the cue started at overlap 1 − 2 · 0.1
    assert np.allclose(low["cue_overlap"], 0.8)


def test_shard_rows_depend_only_on_their_coordinates():
    a = _shard(0.1, [0.0, 0.5], sweeps=5)
    b = _shard(0.1, [0.5, 0.0], sweeps=5)  # other order of temperatures
    key = ["temperature", "replica"]
    pd.testing.assert_frame_equal(
        a.sort_values(key, ignore_index=True), b.sort_values(key, ignore_index=True)
    )
    c = _shard(0.1, [0.5], sweeps=5, seed=6)
    assert not np.allclose(c["energy_per_neuron"], a[a.temperature == 0.5]["energy_per_neuron"])


def test_patterns_roundtrip_through_the_table():
    table = patterns_table(37, 5, 2, seed=3)
    for r in range(2):
        np.testing.assert_array_equal(patterns_from_table(table, r, 4),
                                      stored_patterns(37, 5, 3, r)[:4])
    with pytest.raises(ValueError, match="6 needed"):
        patterns_from_table(table, 0, 6)


def test_noisy_cue_flips_exactly_the_requested_fraction():
    xi = stored_patterns(1000, 1, 1, 0)[0]
    cue = noisy_cue(xi, 0.2, generator(1, "cue"))
    assert int((cue != xi).sum()) == 200
    with pytest.raises(ValueError, match="cue_noise"):
        noisy_cue(xi, 0.7, generator(1))


def test_energy_descent_is_monotone_only_for_symmetric_couplings():
    df = energy_descent(150, 0.1, 12, 3, 0.5, seed=2)
    rises = (
        df.sort_values("sweep")
        .groupby(["couplings", "run"])["energy_per_neuron"]
        .apply(lambda e: int((np.diff(e.to_numpy()) > 1e-12).sum()))
    )
    assert (rises["symmetric"] == 0).all()
    assert rises["directed"].sum() > 0


def test_time_averaged_overlap_follows_ags_below_and_vanishes_above_t_m():
    """N = 2000, α = 0.05, 3 replicas, 60 sweeps: the time-averaged overlap agrees with the
    AGS retrieval solution (finite-size deviations ~0.01 here, 0.03 allowed); above
    T_M(0.05) ≈ 0.63 the pattern is lost (m ≲ 0.3 at N = 2000, AGS: 0)."""
    n, alpha = 2000, 0.05
    xi = [stored_patterns(n, n_patterns(alpha, n), 3, r) for r in range(3)]
    df = retrieval_shard(xi, alpha, [0.0, 0.3, 0.5, 0.75], 60, 0.1, 3)
    m = df.groupby("temperature")["overlap_time_mean"].mean()
    for t in (0.0, 0.3, 0.5):
        assert m[t] == pytest.approx(retrieval_overlap(alpha, t), abs=0.03), t
    assert retrieval_overlap(alpha, 0.75) == 0.0 and m[0.75] < 0.5
    assert (df["n_patterns"] == 100).all() and (df["n_neurons"] == n).all()


def test_pattern_count_is_the_rounded_load():
    """P = round(αN), at least one pattern: the rows say how many were stored."""
    df = finite_size_retrieval(40, [0.01, 0.13, 0.24, 0.26], 1, 1, 0.1, seed=0)
    assert list(df["n_patterns"]) == [1, 5, 10, 10]
    for a, p in ((0.01, 1), (0.13, 5), (0.26, 10), (0.24, 10), (0.2, 8)):
        assert n_patterns(a, 40) == p
