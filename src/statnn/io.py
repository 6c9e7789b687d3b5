"""Parquet tables with provenance: every file carries the config slice, seed and version."""

from __future__ import annotations

import glob
import json
import os
import re
import secrets
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from statnn import __version__

METADATA_KEY = b"statnn"
#: Row count, column names and pandas types as written, checked on read (a corrupt footer
#: can change them without failing to parse).
SHAPE_KEY = b"statnn_shape"
#: Temporary files of ``write_table`` are named ``.<name>.<random>.tmp`` next to the target.
TEMP_SUFFIX = ".tmp"


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


def temp_files(path: str | os.PathLike) -> list[Path]:
    """Leftover temporary files of ``write_table`` for ``path`` (e.g. from a killed job)."""
    path = Path(path)
    pattern = f".{glob.escape(path.name)}.*{TEMP_SUFFIX}"
    return sorted(path.parent.glob(pattern))


def write_table(
    df: pd.DataFrame, path: str | os.PathLike, *, config: Mapping[str, Any], seed: int
) -> Path:
    """Write ``df`` to Parquet atomically, with provenance in the schema metadata.

    The table is written to a temporary file ``.<name>.<random>.tmp`` in the same
    directory, flushed to disk and renamed into place, so an interrupted run never leaves a
    half-written file under the final name; temporary files left by an earlier, killed
    writer of the same path are removed first. Data pages carry CRC checksums and the
    metadata the row count, column names and types, so ``read_table`` detects corruption
    instead of returning wrong numbers. The file gets the usual permissions (0666 less the
    umask), not the 0600 of a private temporary file.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    table = pa.Table.from_pandas(df, preserve_index=False)
    meta = dict(table.schema.metadata or {})
    meta[METADATA_KEY] = json.dumps(provenance(config, seed), sort_keys=True).encode()
    table = table.replace_schema_metadata(meta)
    dtypes = [str(t) for t in table.schema.empty_table().to_pandas().dtypes]
    meta[SHAPE_KEY] = json.dumps(
        {"rows": table.num_rows, "columns": table.column_names, "dtypes": dtypes},
        sort_keys=True,
    ).encode()
    table = table.replace_schema_metadata(meta)
    for stale in temp_files(path):
        stale.unlink(missing_ok=True)
    tmp = path.parent / f".{path.name}.{secrets.token_hex(6)}{TEMP_SUFFIX}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
        with os.fdopen(fd, "wb") as fh:
            pq.write_table(table, fh, compression="zstd", write_page_checksum=True)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_directory(path.parent)
    return path


def _fsync_directory(directory: Path) -> None:
    """Make a rename durable (best effort: not every platform can open a directory)."""
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


_REBUILD = "; delete it and rerun snakemake to rebuild it"


def _check_shape(path: Path, table: pa.Table, df: pd.DataFrame) -> None:
    """Row count, column names and types must be those recorded when the file was written."""
    raw = (table.schema.metadata or {}).get(SHAPE_KEY)
    if raw is None:  # written before the shape was recorded
        return
    try:
        shape = json.loads(raw)
        rows, names = int(shape["rows"]), list(shape["columns"])
        dtypes = shape.get("dtypes")
    except (ValueError, KeyError, TypeError) as err:
        raise TableError(f"{path}: corrupt statnn shape metadata{_REBUILD}") from err
    got_rows, got_names = {table.num_rows, len(df)}, [table.column_names, list(df.columns)]
    if got_rows != {rows} or any(n != names for n in got_names):
        raise TableError(
            f"{path}: corrupt: holds {len(df)} rows and columns {list(df.columns)}, "
            f"but {rows} rows and columns {names} were written{_REBUILD}"
        )
    got_dtypes = [str(t) for t in df.dtypes]
    if dtypes is not None and got_dtypes != dtypes:
        raise TableError(f"{path}: corrupt: column types {got_dtypes}, but {dtypes} were "
                         f"written{_REBUILD}")


def table_provenance(path: str | os.PathLike) -> dict[str, Any]:
    """The provenance record of a statnn Parquet file (raises TableError if absent)."""
    path = Path(path)
    try:
        schema = pq.read_schema(path)
    except FileNotFoundError as err:
        raise TableError(f"{path}: file not found") from err
    except (OSError, pa.ArrowException, ValueError) as err:
        raise TableError(f"{path}: not a readable Parquet file ({err}){_REBUILD}") from err
    raw = (schema.metadata or {}).get(METADATA_KEY)
    if raw is None:
        raise TableError(f"{path}: no statnn provenance in the schema metadata")
    try:
        return json.loads(raw)
    except ValueError as err:  # JSONDecodeError, UnicodeDecodeError
        raise TableError(f"{path}: corrupt statnn provenance metadata{_REBUILD}") from err


#: Keys that change a job's speed or memory but never a row (README): no table records them,
#: so changing them reruns nothing.
SPEED_KEYS = ("kernel",)


def _rows_keys(section: Mapping[str, Any]) -> dict[str, Any]:
    """A config section without its speed-only keys."""
    return {k: v for k, v in section.items() if k not in SPEED_KEYS}


def value_name(value: Any) -> str:
    """The name of a grid value in a path, e.g. ``alpha-0.1375``: ``repr`` of the float, so
    that distinct values get distinct names and a name survives any change of the list."""
    return repr(float(value))


def named_value(values: Sequence[Any], name: str) -> Any:
    """The value of ``values`` whose ``value_name`` is ``name`` (KeyError if none)."""
    for value in values:
        if value_name(value) == name:
            return value
    raise KeyError(f"no value named {name!r} in {list(values)!r}")


def _hopfield_shard_slice(config: Mapping[str, Any], match: re.Match) -> dict[str, Any]:
    h = config["hopfield"]
    return _rows_keys(h) | {"alpha": named_value(h["alpha"], match["alpha"])}


def _perceptron_slice(config: Mapping[str, Any], match: re.Match) -> dict[str, Any]:
    name = match["dataset"]
    fruit = config["fruit"]
    spec = {**fruit["datasets"], **(fruit.get("bands") or {})}[name]
    return {"fruit": spec, "perceptron": config["perceptron"], "dataset": name}


#: Keys of the finite-size section that only the analysis reads (retrieval criterion,
#: bootstrap, scaling form): the simulation tables do not record them, so changing them
#: reruns the analysis and not the runs.
FINITE_SIZE_ANALYSIS_KEYS = ("retrieval_overlap", "bootstrap", "scaling_exponent")


def _finite_size_runs_slice(config: Mapping[str, Any], match: re.Match) -> dict[str, Any]:
    runs = {k: v for k, v in _rows_keys(config["finite_size"]).items()
            if k not in FINITE_SIZE_ANALYSIS_KEYS}
    return runs | ({"n_neurons": int(match["n"])} if "n" in match.groupdict() else {})


#: Keys of the sequences capacity section that only the analysis reads: the shards do not
#: record them, so changing them reruns the (cheap) gathering and analysis, not the runs.
SEQUENCE_ANALYSIS_KEYS = ("bootstrap",)


def _sequence_dynamics_slice(config: Mapping[str, Any], _match: re.Match) -> dict[str, Any]:
    return {k: v for k, v in config["sequences"].items() if k != "capacity"}


def _sequence_capacity_slice(config: Mapping[str, Any], match: re.Match) -> dict[str, Any]:
    runs = {k: v for k, v in config["sequences"]["capacity"].items()
            if k not in SEQUENCE_ANALYSIS_KEYS}
    return runs | {"n_neurons": int(match["n"])}


def _theory_slice(config: Mapping[str, Any], _match: re.Match) -> dict[str, Any]:
    h = config["hopfield"]
    return {"alpha": h["alpha"], "temperature": h["temperature"]}


def run_slice(config: Mapping[str, Any]) -> dict[str, Any]:
    """The whole config but the results directory and the speed-only keys: what a table
    about the whole run (the report's comparisons) records; neither changes a row."""
    return {k: _rows_keys(v) if isinstance(v, Mapping) else v
            for k, v in config.items() if k != "results"}


#: Keys of the gardner section that only the figures read: the tables do not record them.
GARDNER_FIGURE_KEYS = ("kappa",)


def _gardner_slice(config: Mapping[str, Any], match: re.Match) -> dict[str, Any]:
    """The gardner section less its figure keys; a shard's has its own load as ``alpha``."""
    g = {k: v for k, v in config["gardner"].items() if k not in GARDNER_FIGURE_KEYS}
    if "alpha" not in match.groupdict():
        return g
    loads = [a for a in g["alpha"] if float(a) == float(match["alpha"])]
    if len(loads) != 1:
        raise KeyError(f"gardner.alpha has no load {match['alpha']}")
    return g | {"alpha": loads[0]}


#: Data contracts: each table under the results directory and the config slice its
#: producer records, the one definition of that slice. The workflow hands each job the slice
#: of its outputs as a param (so a change of the slice reruns the job, and nothing else
#: does); the job computes from it and records it (``write_table(..., config=slice)``);
#: ``read_table(..., expect=config)`` checks a table against it. tests/test_reliability.py
#: checks every produced table.
CONTRACTS: list[tuple[str, Any]] = [
    (r"datasets/fruit\.parquet", lambda c, m: c["fruit"]),
    (r"perceptron/(?P<dataset>[^/]+)/(model|history)\.parquet", _perceptron_slice),
    (r"capacity/capacity\.parquet", lambda c, m: c["capacity"]),
    (r"capacity/gardner/alpha-(?P<alpha>[0-9.e+-]+)\.parquet", _gardner_slice),
    (r"capacity/gardner\.parquet", _gardner_slice),
    (r"mlp/(network|history)\.parquet", lambda c, m: c["mlp"]),
    (r"hopfield/shards/alpha-(?P<alpha>[^/]+)\.parquet", _hopfield_shard_slice),
    (r"hopfield/grid\.parquet", lambda c, m: _rows_keys(c["hopfield"])),
    (r"theory/(retrieval|phase_lines|curves)\.parquet", _theory_slice),
    (r"theory/finite_size\.parquet", lambda c, m: {"alpha": c["finite_size"]["alpha"]}),
    (r"hopfield/energy_descent\.parquet", lambda c, m: c["energy_descent"]),
    (r"spin_glass/(equilibrium|swaps|overlap_distribution|binder|ground_state|extrapolation)"
     r"\.parquet", lambda c, m: c["spin_glass"]),
    (r"finite_size/shards/N-(?P<n>\d+)\.parquet", _finite_size_runs_slice),
    (r"finite_size/retrieval\.parquet", _finite_size_runs_slice),
    (r"finite_size/(critical_load|extrapolation)\.parquet",
     lambda c, m: _rows_keys(c["finite_size"])),
    (r"report/comparisons\.parquet", lambda c, m: run_slice(c)),
    (r"sequences/(trajectories|dwell)\.parquet", _sequence_dynamics_slice),
    (r"sequences/shards/N-(?P<n>\d+)\.parquet", _sequence_capacity_slice),
    (r"sequences/(capacity|critical_load)\.parquet", lambda c, m: c["sequences"]["capacity"]),
]


def expected_provenance(
    path: str | os.PathLike, config: Mapping[str, Any]
) -> tuple[dict[str, Any] | None, int]:
    """(config slice, seed) that the run ``config`` records in the table at ``path``.

    ``path`` is located relative to ``config["results"]``; the slice is None for a file
    without a contract in ``CONTRACTS`` (then only the seed can be checked).
    """
    results = Path(os.path.normpath(str(config["results"])))
    target = Path(os.path.normpath(os.fspath(path)))
    try:
        rel = target.relative_to(results).as_posix()
    except ValueError:
        try:
            rel = target.resolve().relative_to(results.resolve()).as_posix()
        except ValueError:
            rel = None
    if rel is not None:
        for pattern, make in CONTRACTS:
            match = re.fullmatch(pattern, rel)
            if match:
                try:
                    return make(config, match), int(config["seed"])
                except (KeyError, IndexError, TypeError) as err:
                    raise TableError(f"{path}: the config has no entry for this table "
                                     f"({err!r}); rerun the rule that produces it") from err
    return None, int(config["seed"])


def _difference(stored: Any, expected: Any, path: str = "") -> list[str]:
    """Where two canonical configs differ, as short 'key: stored X, expected Y' items."""
    if isinstance(stored, dict) and isinstance(expected, dict):
        out = []
        for key in sorted(set(stored) | set(expected), key=str):
            sub = f"{path}.{key}" if path else str(key)
            if key not in stored:
                out.append(f"{sub}: missing")
            elif key not in expected:
                out.append(f"{sub}: not in this config")
            else:
                out += _difference(stored[key], expected[key], sub)
        return out
    if stored != expected:
        def short(v):
            text = json.dumps(v)
            return text if len(text) <= 40 else text[:37] + "..."
        return [f"{path or 'config'}: stored {short(stored)}, expected {short(expected)}"]
    return []


def read_table(
    path: str | os.PathLike,
    *,
    columns: list[str] | tuple[str, ...] = (),
    config: Mapping[str, Any] | None = None,
    seed: int | None = None,
    expect: Mapping[str, Any] | None = None,
) -> pd.DataFrame:
    """Read a statnn Parquet table, refusing it if it is corrupt or does not match.

    ``columns`` must all be present; if ``config``/``seed`` are given they must equal the
    provenance stored in the file (a table made by another config is never silently used).
    ``expect``, the whole config of the run (e.g. ``snakemake.config``), checks the table
    against the slice and seed its contract (``CONTRACTS``) says the run would record.
    Data pages are verified against their checksums and the row count and column names
    against those written, so a corrupt file is refused rather than read as wrong numbers.
    """
    path = Path(path)
    prov = table_provenance(path)
    checks = [(config, seed)]
    if expect is not None:
        checks.append(expected_provenance(path, expect))
    for want_config, want_seed in checks:
        if want_config is not None:
            stored, wanted = prov.get("config"), _canonical(dict(want_config))
            if stored != wanted:
                diff = _difference(stored, wanted)
                more = f" and {len(diff) - 3} more" if len(diff) > 3 else ""
                raise TableError(
                    f"{path}: made from a different config ({'; '.join(diff[:3])}{more}); "
                    "rerun the rule that produces it"
                )
        if want_seed is not None and prov.get("seed") != int(want_seed):
            raise TableError(f"{path}: made with seed {prov.get('seed')}, expected {want_seed}; "
                             "rerun the rule that produces it")
    try:
        table = pq.read_table(path, page_checksum_verification=True)
        df = table.to_pandas()
    except (OSError, pa.ArrowException, ValueError, KeyError, TypeError, IndexError) as err:
        # a corrupt footer can break pandas' metadata as well as the data pages
        raise TableError(f"{path}: corrupt Parquet data ({err}){_REBUILD}") from err
    _check_shape(path, table, df)
    missing = [c for c in columns if c not in df.columns]
    if missing:
        raise TableError(f"{path}: missing required column(s) {missing}")
    return df
