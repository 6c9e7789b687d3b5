"""The seed's neuron in activity and spin form, and the exact mapping between them."""

import warnings

import numpy as np
import pytest

from statnn.neurons import (
    activity_from_spin,
    activity_local_field,
    external_fields,
    ising_thresholds,
    spin_from_activity,
    thresholds_from_fields,
    update_probability,
)
from statnn.rng import generator


def _random_case(n, seed):
    rng = generator(seed, "neurons", n)
    g = rng.standard_normal((n, n))
    J = (g + g.T) / np.sqrt(2 * n)
    np.fill_diagonal(J, 0.0)
    S = rng.choice(np.array([-1, 1], dtype=np.int8), n)
    theta = rng.normal(size=n)
    return J, S, theta


def test_activity_spin_round_trip():
    S = np.array([-1, 1, 1, -1], dtype=np.int8)
    n = activity_from_spin(S)
    assert n.dtype == np.int8
    np.testing.assert_array_equal(n, [0, 1, 1, 0])
    np.testing.assert_array_equal(spin_from_activity(n), S)
    batch = np.array([[1, -1], [-1, -1]])
    np.testing.assert_array_equal(spin_from_activity(activity_from_spin(batch)), batch)


@pytest.mark.parametrize(
    ("func", "value", "name"),
    [(activity_from_spin, [0, 1], "S"), (spin_from_activity, [-1, 1], "n")],
)
def test_mapping_rejects_wrong_values(func, value, name):
    with pytest.raises(ValueError, match=name):
        func(value)


def test_activity_local_field_is_seed_eq1():
    J, S, theta = _random_case(7, 0)
    n = activity_from_spin(S)
    h = activity_local_field(J, n, theta)
    direct = [sum(J[i, j] * n[j] for j in range(7)) - theta[i] for i in range(7)]
    np.testing.assert_allclose(h, direct, rtol=0, atol=1e-12)
    # batch
    np.testing.assert_allclose(activity_local_field(J, np.stack([n, n]), theta)[1], h)


def test_activity_field_is_half_the_ising_field():
    """h_i = ½ (Σ_j J_ij S_j + H_i) with H_i = Σ_j J_ij − 2θ_i."""
    for seed in range(5):
        J, S, theta = _random_case(9, seed)
        h = activity_local_field(J, activity_from_spin(S), theta)
        H = external_fields(J, theta)
        np.testing.assert_allclose(h, 0.5 * (J @ S + H), rtol=0, atol=1e-12)


def test_ising_thresholds_give_zero_field():
    J, _, _ = _random_case(6, 1)
    theta = ising_thresholds(J)
    np.testing.assert_allclose(theta, 0.5 * J.sum(axis=1))
    np.testing.assert_allclose(external_fields(J, theta), 0.0, atol=1e-15)


def test_thresholds_from_fields_inverts_external_fields():
    J, _, theta = _random_case(8, 2)
    np.testing.assert_allclose(thresholds_from_fields(J, external_fields(J, theta)), theta)


def test_update_probability_matches_seed_eq2():
    h = np.linspace(-2, 2, 41)
    for beta in (0.0, 0.3, 1.0, 2.5):
        np.testing.assert_allclose(
            update_probability(h, beta), 1.0 / (1.0 + np.exp(-4 * beta * h)), rtol=1e-14
        )
    # spin form: the same probability as Glauber 1/(1 + exp(−2β(Σ J S + H)))
    J, S, theta = _random_case(5, 3)
    h = activity_local_field(J, activity_from_spin(S), theta)
    ising = 1.0 / (1.0 + np.exp(-2 * 0.7 * (J @ S + external_fields(J, theta))))
    np.testing.assert_allclose(update_probability(h, 0.7), ising, rtol=1e-13)


def test_update_probability_extreme_beta_is_stable():
    h = np.array([-1.0, -1e-300, 0.0, 1e-300, 1.0])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        p_inf = update_probability(h, np.inf)
        p_huge = update_probability(h, 1e308)
        p_big = update_probability(np.array([-1e5, 1e5]), 1e6)
    np.testing.assert_array_equal(p_inf, [0.0, 0.0, 0.5, 1.0, 1.0])
    assert np.all(np.isfinite(p_huge)) and p_huge[0] == 0.0 and p_huge[-1] == 1.0
    assert p_huge[2] == 0.5
    np.testing.assert_array_equal(p_big, [0.0, 1.0])


@pytest.mark.parametrize("beta", [-1.0, np.nan])
def test_update_probability_rejects_bad_beta(beta):
    with pytest.raises(ValueError, match="beta"):
        update_probability(0.1, beta)


def test_shape_errors_name_the_parameter():
    J = np.zeros((3, 3))
    with pytest.raises(ValueError, match="theta"):
        external_fields(J, np.zeros(2))
    with pytest.raises(ValueError, match="J"):
        ising_thresholds(np.zeros((2, 3)))
