"""Random streams: keyed by (seed, coordinates), the same in every process and order."""

import hashlib
import os
import subprocess
import sys

import numpy as np
import pytest

from statnn.rng import child_seed, generator, seed_sequence


def _documented_stream(seed, *keys):
    """The derivation statnn.rng documents: SeedSequence([seed, k₁, k₂, …]) with integer
    keys in [0, 2³²) as themselves and any other key as the first 4 bytes (little endian)
    of sha256(repr(key)); PCG64."""
    words = [seed]
    for key in keys:
        if isinstance(key, bool):
            key = int(key)
        if isinstance(key, int) and 0 <= key < 2**32:
            words.append(key)
        else:
            words.append(int.from_bytes(hashlib.sha256(repr(key).encode()).digest()[:4],
                                        "little"))
    return np.random.Generator(np.random.PCG64(np.random.SeedSequence(words)))


@pytest.mark.parametrize("keys", [(), ("patterns", 1000, 2), ("glauber", 1000, 0.05, 0.3, 1),
                                  ("fruit", "separable", "apple"), (True, -3, 2**40)])
def test_streams_follow_the_documented_derivation(keys):
    np.testing.assert_array_equal(generator(17, *keys).integers(0, 2**62, 8),
                                  _documented_stream(17, *keys).integers(0, 2**62, 8))
    state = seed_sequence(17, *keys).generate_state(1, dtype=np.uint64)[0]
    assert child_seed(17, *keys) == int(state >> np.uint64(1))


def test_coordinates_and_their_order_select_the_stream():
    draw = lambda *k: generator(3, *k).random()  # noqa: E731
    assert draw("a", 1) == draw("a", 1)
    assert len({draw("a", 1), draw(1, "a"), draw("a", 2), draw("b", 1), draw("a", 1, 3)}) == 5
    assert draw(0.1) != draw(0.1000001) and draw(0.1) != draw(0)
    assert generator(3, "a").random() != generator(4, "a").random()
    assert 0 <= child_seed(3, "x") < 2**63


def test_streams_do_not_depend_on_the_process():
    """Same numbers in a fresh interpreter with another hash seed (no use of hash())."""
    code = ("from statnn.rng import generator, child_seed; "
            "print(generator(5, 'cue', 0.25, 'x').integers(0, 2**62), child_seed(5, 'k', 1.5))")
    env = dict(os.environ, PYTHONHASHSEED="12345")
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True,
                         text=True, check=True).stdout.split()
    assert int(out[0]) == generator(5, "cue", 0.25, "x").integers(0, 2**62)
    assert int(out[1]) == child_seed(5, "k", 1.5)


@pytest.mark.parametrize("seed", [-1, 1.5, True, "1"])
def test_bad_seed_is_rejected(seed):
    with pytest.raises(ValueError, match="seed"):
        generator(seed)
