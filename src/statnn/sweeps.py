"""Sweeps that grow: a cache of computed grid points, and the check of a rerun's inputs.

A job that owns a block of grid points (a Hopfield load over its temperatures and replicas,
a network size over its loads and replicas, the capacity loads over their trials) keeps every
row it computes in a cache file keyed by everything its rows depend on except the point's own
coordinates: the seed, the run settings (sweeps, cue noise, ...) and a digest of the engine
code. Rerun after an axis grew, the job computes only the points the cache lacks. Each row
depends only on its own coordinates (random streams keyed by them, ``statnn.rng``), so a row
from the cache is the row a fresh run computes, and the job's table is the same bytes either
way (docs/sweeps.md).
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd

from statnn.io import TableError, expected_provenance, read_table, write_table

log = logging.getLogger("statnn")


def cache_dir(config: Mapping[str, Any], stage: str) -> Path:
    """``<results>/cache/<stage>``: the caches of one stage (not Snakemake outputs: no rerun
    deletes them; ``rm -r <results>/cache`` drops them all)."""
    return Path(str(config["results"])) / "cache" / stage


def cache_file(directory: str | os.PathLike, key: Mapping[str, Any]) -> Path:
    """``<directory>/<sha256 of the key>.parquet``: one file per key."""
    text = json.dumps(dict(key), sort_keys=True, default=str)
    return Path(directory) / f"{hashlib.sha256(text.encode()).hexdigest()[:20]}.parquet"


def _read_cache(path: Path, key: Mapping[str, Any]) -> pd.DataFrame | None:
    """The cached rows, or None if absent; a corrupt or foreign cache is ignored (logged):
    its points are computed again and the file replaced."""
    if not path.exists():
        return None
    try:
        return read_table(path, config=key, seed=key["seed"])
    except TableError as err:
        log.warning("cache ignored, its points are computed again: %s", err)
        return None


def cached_points(
    directory: str | os.PathLike,
    key: Mapping[str, Any],
    columns: Sequence[str],
    points: Sequence[tuple],
    compute: Callable[[list[tuple]], pd.DataFrame],
) -> tuple[pd.DataFrame, int, int]:
    """Rows for ``points`` (tuples of the values of ``columns``), in that order, and how many
    were computed and reused.

    ``compute(missing)`` returns one row per missing point (any order, the coordinate columns
    included). The union of cached and new rows is written back (atomically) and the result
    is always read from the cache file, so it has the same bytes whether its rows were
    computed now or earlier.
    """
    path = cache_file(directory, key)
    cached = _read_cache(path, key)
    have = set() if cached is None else set(cached[list(columns)].itertuples(index=False,
                                                                           name=None))
    wanted = [tuple(p) for p in points]
    missing = list(dict.fromkeys(p for p in wanted if p not in have))
    if missing:
        fresh = compute(missing)
        got = set(fresh[list(columns)].itertuples(index=False, name=None))
        if got != set(missing):
            raise ValueError(f"compute returned points {sorted(got - set(missing))[:3]} "
                             f"instead of {sorted(set(missing) - got)[:3]}")
        frames = [fresh] if cached is None else [cached, fresh]
        union = pd.concat(frames, ignore_index=True)
        write_table(union, path, config=key, seed=key["seed"])
        cached = read_table(path, config=key, seed=key["seed"])
    index = {p: i for i, p in enumerate(cached[list(columns)].itertuples(index=False,
                                                                         name=None))}
    rows = cached.iloc[[index[p] for p in wanted]].reset_index(drop=True)
    log.info("computed %d points, reused %d", len(missing), len(wanted) - len(missing))
    return rows, len(missing), len(wanted) - len(missing)


def refused_inputs(paths: Iterable[str | os.PathLike], config: Mapping[str, Any]) -> list[str]:
    """Why each existing table among ``paths`` that has a contract (``io.CONTRACTS``) would
    be refused by its reader: corrupt, truncated or made by another config. Run before any
    job starts, so that a rerun stops before Snakemake deletes the outputs of the jobs that
    would read them."""
    problems = []
    for path in sorted({os.fspath(p) for p in paths}):
        if not path.endswith(".parquet") or not os.path.exists(path):
            continue
        try:
            if expected_provenance(path, config)[0] is None:
                continue
            read_table(path, expect=config)
        except TableError as err:
            problems.append(str(err))
    return problems
