"""`ipgov export --parquet`: the marts as Hive-partitioned Parquet another engine reads back."""

from __future__ import annotations

import duckdb
import pytest

from etl.errors import IpgovError
from etl.export import PARTITIONED, export_parquet
from tests.conftest import query


def test_export_reads_back_partitioned(sample_wh, tmp_path):
    out = tmp_path / "parquet"
    exported = {t.name: t for t in export_parquet(sample_wh, out)}
    assert set(PARTITIONED) <= set(exported)
    takedowns = out / "fct_takedowns"
    assert (takedowns / "year=2024" / "month=3").is_dir()
    con = duckdb.connect()
    back = con.execute(
        f"select year, count(*) from read_parquet('{takedowns}/**/*.parquet', "
        "hive_partitioning = true) group by year order by year"
    ).fetchall()
    want = query(
        sample_wh, "select year(notice_sent_on), count(*) from fct_takedowns group by 1 order by 1"
    )
    assert back == want
    for name, table in exported.items():
        rows = con.execute(
            f"select count(*) from read_parquet('{out / name}/**/*.parquet')"
        ).fetchall()[0][0]
        assert rows == table.rows == query(sample_wh, f"select count(*) from {name}")[0][0]


def test_export_refuses_to_overwrite_without_asking(sample_wh, tmp_path):
    out = tmp_path / "parquet"
    export_parquet(sample_wh, out)
    with pytest.raises(IpgovError, match="--overwrite"):
        export_parquet(sample_wh, out)
    assert export_parquet(sample_wh, out, overwrite=True)


def test_cli_export(sample_wh, tmp_path):
    from typer.testing import CliRunner

    from dashboard.cli import app

    out = tmp_path / "cli-export"
    result = CliRunner().invoke(app, ["export", "--parquet", str(out), "--db", str(sample_wh.db)])
    assert result.exit_code == 0, result.output
    assert "fct_takedowns" in result.output
    again = CliRunner().invoke(app, ["export", "--parquet", str(out), "--db", str(sample_wh.db)])
    assert again.exit_code == 2 and "--overwrite" in again.output
