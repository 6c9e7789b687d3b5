import numpy as np
import pytest

from statnn.capacity import trial_dichotomy
from statnn.separability import _bounded_margin, is_linearly_separable


def test_xor_is_not_separable_and_a_pair_is():
    x = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
    assert not is_linearly_separable(x, np.array([1, 1, -1, -1]))
    assert is_linearly_separable(x, np.array([1, 1, 1, -1]))
    # through the origin: (1, 0) and (2, 0) cannot get opposite labels
    assert not is_linearly_separable(np.array([[1.0, 0.0], [2.0, 0.0]]), np.array([1, -1]),
                                     bias=False)


def test_hard_instance_where_the_simplex_status_is_unknown():
    # HiGHS's simplex returned status "Unknown" on this random dichotomy (scipy 1.17); the
    # bounded margin LP decides it, and both formulations agree on easy instances.
    x, y, _ = trial_dichotomy(50, 2.5, 42, 0)
    assert is_linearly_separable(x, y, bias=False) is False
    rng = np.random.default_rng(1)
    for p in (20, 60, 140):
        x = rng.choice([-1.0, 1.0], size=(p, 40))
        y = rng.choice([-1.0, 1.0], size=p)
        assert is_linearly_separable(x, y, bias=False) == (_bounded_margin(x, y) > 1e-9)


def test_input_validation():
    with pytest.raises(ValueError, match="±1"):
        is_linearly_separable(np.zeros((2, 2)), np.array([0, 1]))
    with pytest.raises(ValueError, match="shape|must be"):
        is_linearly_separable(np.zeros(3), np.array([1, -1, 1]))
