"""Parquet tables with provenance: every file carries the config slice, seed and version."""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from statnn import __version__

METADATA_KEY = b"statnn"


class TableError(ValueError):
    """A Parquet input is missing, corrupt, lacks a column, or came from another config."""


def _canonical(value: Any) -> Any:
    """JSON round trip so that tuples, numpy scalars etc. compare equal to what was stored."""
    return json.loads(json.dumps(value, sort_keys=True, default=_json_default))


def _json_default(value: Any) -> Any:
    if hasattr(value, "item"):
        return value.item()
    if isinstance(value, Mapping):
        return dict(value)
    raise TypeError(f"not JSON serialisable: {value!r}")


def provenance(config: Mapping[str, Any], seed: int) -> dict[str, Any]:
    """The provenance record stored in a table's schema metadata."""
    return {"config": _canonical(dict(config)), "seed": int(seed), "statnn_version": __version__}


def write_table(
    df: pd.DataFrame, path: str | os.PathLike, *, config: Mapping[str, Any], seed: int
) -> Path:
    """Write ``df`` to Parquet atomically, with provenance in the schema metadata.

    The table is written to a temporary file in the same directory and renamed into place,
    so an interrupted run never leaves a half-written file under the final name.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[METADATA_KEY] = json.dumps(provenance(config, seed), sort_keys=True).encode()
    table = table.replace_schema_metadata(meta)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    os.close(fd)
    try:
        pq.write_table(table, tmp, compression="zstd")
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return path


def table_provenance(path: str | os.PathLike) -> dict[str, Any]:
    """The provenance record of a statnn Parquet file (raises TableError if absent)."""
    path = Path(path)
    try:
        schema = pq.read_schema(path)
    except FileNotFoundError as err:
        raise TableError(f"{path}: file not found") from err
    except (OSError, pa.ArrowException) as err:
        raise TableError(f"{path}: not a readable Parquet file ({err})") from err
    raw = (schema.metadata or {}).get(METADATA_KEY)
    if raw is None:
        raise TableError(f"{path}: no statnn provenance in the schema metadata")
    try:
        return json.loads(raw)
    except json.JSONDecodeError as err:
        raise TableError(f"{path}: corrupt statnn provenance metadata") from err


def read_table(
    path: str | os.PathLike,
    *,
    columns: list[str] | tuple[str, ...] = (),
    config: Mapping[str, Any] | None = None,
    seed: int | None = None,
) -> pd.DataFrame:
    """Read a statnn Parquet table, refusing it if it is corrupt or does not match.

    ``columns`` must all be present; if ``config``/``seed`` are given they must equal the
    provenance stored in the file (a table made by another config is never silently used).
    """
    path = Path(path)
    prov = table_provenance(path)
    if config is not None and prov.get("config") != _canonical(dict(config)):
        raise TableError(
            f"{path}: made from a different config ({json.dumps(prov.get('config'))}); "
            "rerun the rule that produces it"
        )
    if seed is not None and prov.get("seed") != int(seed):
        raise TableError(f"{path}: made with seed {prov.get('seed')}, expected {seed}")
    try:
        df = pq.read_table(path).to_pandas()
    except (OSError, pa.ArrowException) as err:
        raise TableError(f"{path}: corrupt Parquet data ({err})") from err
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise TableError(f"{path}: missing required column(s) {missing}")
    return df
