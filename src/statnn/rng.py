"""Reproducible random streams derived from (seed, coordinates), never from job order."""

from __future__ import annotations

import hashlib

import numpy as np


def _key_to_int(key: object) -> int:
    """Map one coordinate (str, int, float, ...) to a stable 32-bit integer."""
    if isinstance(key, (bool, np.bool_)):
        key = int(key)
    if isinstance(key, (int, np.integer)) and 0 <= int(key) < 2**32:
        return int(key)
    digest = hashlib.sha256(repr(key).encode()).digest()
    return int.from_bytes(digest[:4], "little")


def seed_sequence(seed: int, *keys: object) -> np.random.SeedSequence:
    """SeedSequence for the stream identified by ``seed`` and grid coordinates ``keys``.

    Floats are keyed by their ``repr`` so that 0.1 and 0.1000001 give different streams,
    and the same coordinate always gives the same stream, whatever the job order.
    """
    if isinstance(seed, bool) or not isinstance(seed, (int, np.integer)) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    return np.random.SeedSequence([int(seed), *(_key_to_int(k) for k in keys)])


def generator(seed: int, *keys: object) -> np.random.Generator:
    """numpy Generator (PCG64) for the stream (seed, *keys)."""
    return np.random.Generator(np.random.PCG64(seed_sequence(seed, *keys)))


def child_seed(seed: int, *keys: object) -> int:
    """A 63-bit integer seed for the stream (seed, *keys), e.g. to seed a compiled kernel."""
    return int(seed_sequence(seed, *keys).generate_state(1, dtype=np.uint64)[0] >> np.uint64(1))
