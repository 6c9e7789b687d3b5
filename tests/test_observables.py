"""Observables against direct formulas on small random cases."""

import itertools

import numpy as np
import pytest

from statnn.neurons import activity_from_spin, external_fields
from statnn.observables import (
    activity_energy,
    boltzmann_distribution,
    edwards_anderson_overlap,
    energy,
    energy_per_neuron,
    flip_rate,
    overlaps,
    state_index,
    states_from_index,
)
from statnn.rng import generator


def _spins(rng, shape):
    return rng.choice(np.array([-1, 1], dtype=np.int8), shape)


def _symmetric(rng, n):
    g = rng.standard_normal((n, n))
    J = (g + g.T) / np.sqrt(2 * n)
    np.fill_diagonal(J, 0.0)
    return J


def test_overlaps_direct_formula_and_batch():
    rng = generator(0, "obs")
    xi = _spins(rng, (4, 13))
    S = _spins(rng, (5, 13))
    m = overlaps(xi, S)
    assert m.shape == (5, 4)
    for b, mu in itertools.product(range(5), range(4)):
        assert m[b, mu] == pytest.approx(sum(xi[mu, i] * S[b, i] for i in range(13)) / 13)
    np.testing.assert_array_equal(overlaps(xi, S[2]), m[2])
    assert overlaps(xi, xi[1])[1] == 1.0


def test_energy_direct_double_sum():
    rng = generator(1, "obs")
    for n in (1, 2, 6):
        J = rng.standard_normal((n, n))  # asymmetric, nonzero diagonal: i = j excluded
        H = rng.standard_normal(n)
        for S in (_spins(rng, n), _spins(rng, n)):
            pair = sum(J[i, j] * S[i] * S[j] for i in range(n) for j in range(n) if i != j)
            direct = -0.5 * pair - sum(H[i] * S[i] for i in range(n))
            assert energy(J, S, H) == pytest.approx(direct, abs=1e-12)
            assert energy_per_neuron(J, S, H) == pytest.approx(direct / n, abs=1e-12)
            assert energy(J, S) == pytest.approx(-0.5 * pair, abs=1e-12)
    batch = _spins(rng, (3, 6))
    J = _symmetric(rng, 6)
    np.testing.assert_allclose(energy(J, batch), [energy(J, s) for s in batch])


def test_energy_change_of_a_flip_is_twice_the_field():
    """ΔE of flipping S_i is 2 S_i (Σ_j J_ij S_j + H_i) for symmetric J."""
    rng = generator(2, "obs")
    J, H, S = _symmetric(rng, 9), rng.normal(size=9), _spins(rng, 9)
    for i in range(9):
        T = S.copy()
        T[i] *= -1
        assert energy(J, T, H) - energy(J, S, H) == pytest.approx(
            2 * S[i] * (J[i] @ S + H[i]), abs=1e-12
        )


def test_activity_energy_maps_to_spin_energy():
    """E_n = E/4 − ⅛ Σ_{i≠j} J_ij + ½ Σ_i θ_i with H = external_fields(J, θ)."""
    rng = generator(3, "obs")
    for _ in range(5):
        J = _symmetric(rng, 7)
        theta = rng.normal(size=7)
        S = _spins(rng, (4, 7))
        const = -J.sum() / 8 + theta.sum() / 2
        np.testing.assert_allclose(
            activity_energy(J, activity_from_spin(S), theta),
            energy(J, S, external_fields(J, theta)) / 4 + const,
            atol=1e-12,
        )


def test_edwards_anderson_overlap():
    rng = generator(4, "obs")
    a, b = _spins(rng, 20), _spins(rng, 20)
    assert edwards_anderson_overlap(a, b) == pytest.approx(np.mean(a * b.astype(int)))
    assert edwards_anderson_overlap(a, a) == 1.0
    assert edwards_anderson_overlap(a, -a) == -1.0
    np.testing.assert_allclose(edwards_anderson_overlap(np.stack([a, b]), np.stack([a, a])),
                               [1.0, np.mean(a * b.astype(int))])


def test_flip_rate_and_validation():
    assert flip_rate(3, 12) == 0.25
    with pytest.raises(ValueError, match="attempts"):
        flip_rate(0, 0)
    with pytest.raises(ValueError, match="flips"):
        flip_rate(5, 4)


def test_state_encoding_round_trip():
    k = np.arange(2**5)
    S = states_from_index(k, 5)
    np.testing.assert_array_equal(state_index(S), k)
    assert state_index(np.array([1, -1, -1])) == 1
    assert state_index(np.array([-1, -1, 1])) == 4


def test_boltzmann_distribution_by_enumeration():
    rng = generator(5, "obs")
    J, H, T = _symmetric(rng, 4), rng.normal(size=4), 0.8
    states, p = boltzmann_distribution(J, H, T)
    assert states.shape == (16, 4) and p.sum() == pytest.approx(1.0)
    np.testing.assert_array_equal(state_index(states), np.arange(16))
    w = np.array([np.exp(-energy(J, s, H) / T) for s in states])
    np.testing.assert_allclose(p, w / w.sum(), rtol=1e-12)
    # T = 0: all weight on the ground state(s); T = inf: uniform
    _, p0 = boltzmann_distribution(J, H, 0.0)
    e = energy(J, states, H)
    assert p0[np.argmin(e)] == 1.0
    _, pinf = boltzmann_distribution(J, H, np.inf)
    np.testing.assert_allclose(pinf, 1 / 16)


def test_boltzmann_distribution_validation():
    with pytest.raises(ValueError, match="temperature"):
        boltzmann_distribution(np.zeros((2, 2)), None, -1.0)
    with pytest.raises(ValueError, match="at most 16"):
        boltzmann_distribution(np.zeros((17, 17)), None, 1.0)


def test_spin_validation():
    with pytest.raises(ValueError, match="spins"):
        energy(np.zeros((3, 3)), [1, 0, 1])
    with pytest.raises(ValueError, match="J"):
        energy(np.zeros((3, 2)), [1, 1])
