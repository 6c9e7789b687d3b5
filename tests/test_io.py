import pandas as pd
import pytest

from statnn import __version__
from statnn.io import TableError, read_table, table_provenance, write_table


def test_roundtrip_keeps_provenance(tmp_path):
    df = pd.DataFrame({"a": [1, 2], "b": [0.5, 1.5]})
    path = write_table(df, tmp_path / "t.parquet", config={"k": [1, 2]}, seed=3)
    prov = table_provenance(path)
    assert prov == {"config": {"k": [1, 2]}, "seed": 3, "statnn_version": __version__}
    out = read_table(path, columns=["a"], config={"k": (1, 2)}, seed=3)
    pd.testing.assert_frame_equal(out, df)
    assert not list(tmp_path.glob(".*tmp"))  # no temporary file left behind


def test_refuses_other_config_missing_columns_corrupt_and_missing(tmp_path):
    path = write_table(pd.DataFrame({"a": [1]}), tmp_path / "t.parquet", config={"k": 1}, seed=3)
    with pytest.raises(TableError, match="different config"):
        read_table(path, config={"k": 2})
    with pytest.raises(TableError, match="seed"):
        read_table(path, seed=4)
    with pytest.raises(TableError, match=r"missing required column.*'b'"):
        read_table(path, columns=["a", "b"])
    truncated = tmp_path / "trunc.parquet"
    truncated.write_bytes(path.read_bytes()[: path.stat().st_size // 2])
    with pytest.raises(TableError, match="trunc.parquet"):
        read_table(truncated)
    with pytest.raises(TableError, match="not found"):
        read_table(tmp_path / "absent.parquet")
    plain = tmp_path / "plain.parquet"
    pd.DataFrame({"a": [1]}).to_parquet(plain)
    with pytest.raises(TableError, match="no statnn provenance"):
        read_table(plain)
