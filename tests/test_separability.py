"""Exact linear separability by LP: known sets, Cover's count, and the bounded fallback."""

import itertools

import numpy as np
import pytest
import scipy.optimize
from scipy.optimize import OptimizeResult

from statnn import separability
from statnn.capacity import trial_dichotomy
from statnn.separability import is_linearly_separable

SQUARE = np.array([[0.0, 0.0], [1.0, 1.0], [1.0, 0.0], [0.0, 1.0]])
XOR = np.array([1, 1, -1, -1])


def test_xor_is_not_separable_and_a_pair_is():
    assert not is_linearly_separable(SQUARE, XOR)
    assert is_linearly_separable(SQUARE, np.array([1, 1, 1, -1]))
    # through the origin: (1, 0) and (2, 0) cannot get opposite labels
    assert not is_linearly_separable(np.array([[1.0, 0.0], [2.0, 0.0]]), np.array([1, -1]),
                                     bias=False)
    assert is_linearly_separable(np.array([[1.0, 0.0], [2.0, 0.0]]), np.array([1, 1]),
                                 bias=False)
    # the origin itself can only be labelled by the bias
    origin = np.array([[0.0, 0.0], [1.0, 0.0]])
    assert not is_linearly_separable(origin, np.array([1, 1]), bias=False)
    assert is_linearly_separable(origin, np.array([1, -1]), bias=True)


def test_every_labelling_of_the_square():
    """Of the 16 labellings of the unit square's corners exactly XOR and XNOR are not
    separable by a line (14 = Cover's C(4, 3) for 4 points in general position, with bias)."""
    separable = {
        labels: is_linearly_separable(SQUARE, np.array(labels))
        for labels in itertools.product((-1, 1), repeat=4)
    }
    assert sum(separable.values()) == 14
    assert not separable[(1, 1, -1, -1)] and not separable[(-1, -1, 1, 1)]


def test_points_on_a_line_in_one_dimension():
    """1-D points with a bias: separable iff the labels change sign at most once along x."""
    x = np.array([[-2.0], [-0.5], [0.3], [1.0], [4.0]])
    for labels in itertools.product((-1, 1), repeat=5):
        changes = sum(a != b for a, b in itertools.pairwise(labels))
        assert is_linearly_separable(x, np.array(labels)) == (changes <= 1), labels


def _forced_unknown(monkeypatch):
    """Make the first (unbounded) LP end in HiGHS status 4, "Unknown"; count the calls."""
    real = scipy.optimize.linprog
    calls = []

    def fake(c, *args, **kwargs):
        calls.append(len(c))
        if len(calls) == 1:
            return OptimizeResult(status=4, success=False, x=None, fun=None,
                                  message="forced: status Unknown")
        return real(c, *args, **kwargs)

    monkeypatch.setattr(separability, "linprog", fake)
    return calls


@pytest.mark.parametrize(
    ("x", "y", "bias", "expected"),
    [
        (SQUARE, XOR, True, False),
        (SQUARE, np.array([1, 1, 1, -1]), True, True),
        (np.array([[1.0, 0.0], [2.0, 0.0]]), np.array([1, -1]), False, False),
        (np.array([[1.0, 0.5], [-1.0, 0.2], [0.5, -3.0]]), np.array([1, -1, 1]), False, True),
    ],
)
def test_fallback_decides_when_the_simplex_says_unknown(monkeypatch, x, y, bias, expected):
    calls = _forced_unknown(monkeypatch)
    assert is_linearly_separable(x, y, bias=bias) is expected
    # the fallback ran: a second LP with one more variable (the margin t)
    n_var = x.shape[1] + bias
    assert calls == [n_var, n_var + 1]


def test_fallback_agrees_with_the_direct_lp_on_random_dichotomies(monkeypatch):
    rng = np.random.default_rng(1)
    cases = []
    for p in (20, 60, 140):
        x = rng.choice([-1.0, 1.0], size=(p, 40))
        y = rng.choice([-1.0, 1.0], size=p)
        cases.append((x, y, is_linearly_separable(x, y, bias=False)))
    assert [c[2] for c in cases] == [True, True, False]  # both outcomes are exercised
    for x, y, direct in cases:
        calls = _forced_unknown(monkeypatch)
        assert is_linearly_separable(x, y, bias=False) is direct
        assert len(calls) == 2
        monkeypatch.undo()


def test_hard_instance_where_the_simplex_status_was_unknown():
    # HiGHS's simplex returned status "Unknown" on this random dichotomy (scipy 1.17); it
    # lies beyond Cover's capacity (P = 125 > 2N = 100) and is not separable.
    x, y, _ = trial_dichotomy(50, 2.5, 42, 0)
    assert is_linearly_separable(x, y, bias=False) is False


def test_a_failing_fallback_raises(monkeypatch):
    monkeypatch.setattr(
        separability, "linprog",
        lambda *a, **k: OptimizeResult(status=4, success=False, message="forced"),
    )
    with pytest.raises(RuntimeError, match="separability LP failed"):
        is_linearly_separable(SQUARE, XOR)


def test_input_validation():
    with pytest.raises(ValueError, match="±1"):
        is_linearly_separable(np.zeros((2, 2)), np.array([0, 1]))
    with pytest.raises(ValueError, match="shape|must be"):
        is_linearly_separable(np.zeros(3), np.array([1, -1, 1]))
