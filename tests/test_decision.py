"""The decision rule: the branch-free bounds of ``core.certain_spin`` decide exactly as the
rule they shortcut (+1 iff u < 1 / (1 + exp(−x))), right up to the threshold."""

import math

import numpy as np
import pytest
from numba import njit

from statnn.dynamics.core import INV_2_53, certain_spin, new_spin
from statnn.rng import generator


@njit
def _decide(xs, us):
    """certain_spin's (spin, certain) and new_spin's spin for each (x, u)."""
    n = xs.shape[0]
    spin = np.empty(n)
    certain = np.empty(n, np.bool_)
    final = np.empty(n, np.int64)
    for t in range(n):
        spin[t], certain[t] = certain_spin(xs[t], us[t])
        final[t] = new_spin(xs[t], us[t], 1, False)
    return spin, certain, final


def _exact(x: float, u: float) -> int:
    """The rule as written in the docs, with the C library's exp (as the kernels')."""
    p = 1 / (1 + math.exp(-x)) if x >= 0 else 1 - 1 / (1 + math.exp(x))
    return 1 if u < p else -1


def _threshold(x: float) -> float:
    """The u at which the exact rule switches: p for x ≥ 0, 1 − p_b for x < 0."""
    pb = 1 / (1 + math.exp(-abs(x)))
    return pb if x >= 0 else 1 - pb


def _uniforms(rng, n):
    return np.floor(rng.random(n) * 2**53) * INV_2_53


@pytest.mark.parametrize("scale", [1e-3, 0.5, 3.0, 20.0, 45.0, 1e4])
def test_bounds_decide_like_the_exact_rule_and_almost_always_are_certain(scale):
    rng = generator(0, "decision", scale)
    xs = rng.normal(0.0, scale, 20_000)
    us = _uniforms(rng, xs.size)
    spin, certain, final = _decide(xs, us)
    exact = np.array([_exact(x, u) for x, u in zip(xs, us, strict=True)])
    np.testing.assert_array_equal(final, exact)
    np.testing.assert_array_equal(spin[certain], exact[certain])
    # the bracket is ~1e-10 wide: a random attempt essentially never needs exp
    assert certain.mean() > 1 - 1e-3


def test_uniforms_next_to_the_threshold_are_decided_exactly():
    """u within a few 2⁻⁵³ of the switching point: the bounds must not claim certainty
    there unless they are right, and the exp fallback decides."""
    rng = generator(1, "decision", "edge")
    xs = np.concatenate([rng.normal(0.0, s, 400) for s in (1e-6, 0.1, 1.0, 5.0, 15.0, 35.0)]
                        + [np.array([0.0, -0.0, 40.0, -40.0, 40.0 + 1e-12, -39.999999,
                                     1 / 64, -1 / 64, 3 / 64, 1e300, -1e300])])
    xs_all, us_all = [], []
    for x in xs:
        t = _threshold(x)
        for k in range(-4, 5):
            u = min(max(round(t * 2**53) + k, 0), 2**53 - 1) * INV_2_53
            xs_all.append(x)
            us_all.append(u)
    xs_all, us_all = np.array(xs_all), np.array(us_all)
    spin, certain, final = _decide(xs_all, us_all)
    exact = np.array([_exact(x, u) for x, u in zip(xs_all, us_all, strict=True)])
    np.testing.assert_array_equal(final, exact)
    np.testing.assert_array_equal(spin[certain], exact[certain])
    # both answers occur at the threshold, so this really probed the switching point
    assert set(exact.tolist()) == {-1, 1}


def test_decisions_a_little_away_from_the_threshold_are_certain():
    """The bracket is ~3·10⁻¹⁰ τ + 2·10⁻¹⁵ wide (τ the probability against the sign of x):
    10⁻⁸ τ + 10⁻¹³ off the switching point it already decides."""
    xs = np.linspace(-30.0, 30.0, 2001)
    us = []
    for x in xs:
        t = _threshold(x)
        off = 1e-8 * min(t, 1 - t) + 1e-13
        us.extend([t - off, t + off])
    xs2 = np.repeat(xs, 2)
    spin, certain, _ = _decide(xs2, np.array(us))
    assert certain.all()
    exact = np.array([_exact(x, u) for x, u in zip(xs2, us, strict=True)])
    np.testing.assert_array_equal(spin, exact)
