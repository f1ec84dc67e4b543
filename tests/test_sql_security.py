"""The SQL console's sandbox against attempts to read files, write, escape, exhaust the server or
reach personal data: each one is refused with a one-line reason, or bounded by a limit.

Two layers are tested: the statement checks in etl/console.py (every attempt below), and the
engine underneath (`warehouse.open_sandbox`), which must refuse the same things on its own.
"""

from __future__ import annotations

import time

import duckdb
import polars as pl
import pytest

from dashboard import console
from dashboard.console import Limits, SqlRefused
from etl import warehouse

FAST = Limits(time_limit_seconds=5, max_rows=100, export_max_rows=1_000)
RUNAWAY = "select count(*) from range(1000000) as a, range(1000000) as b"

# (attempt, the refusal's code): each must be refused, saying what and why in one line
REFUSED = [
    # reading files: the allow-list refuses the function; the engine has external access off
    ("select * from read_csv('/etc/passwd')", "function"),
    ("select * from read_csv_auto('/etc/passwd', header = false)", "function"),
    ("select * from read_parquet('/tmp/anything.parquet')", "function"),
    ("select * from glob('/*')", "function"),
    ("select * from read_text('/etc/passwd')", "function"),
    ("select * from read_blob('/etc/hostname')", "function"),
    ("select * from sniff_csv('/etc/passwd')", "function"),
    ("select * from '/etc/passwd'", "not_found"),  # a path as a table name
    # writing files, other databases, extensions
    ("copy fct_cases to '/tmp/ipgov-leak.csv'", "statement"),
    ("copy (select * from fct_cases) to '/tmp/ipgov-leak.parquet' (format parquet)", "statement"),
    ("export database '/tmp/ipgov-export'", "statement"),
    ("attach '/tmp/other.duckdb' as other", "statement"),
    ("detach ipgov", "statement"),
    ("install httpfs", "statement"),
    ("load httpfs", "statement"),
    ("update extensions", "statement"),
    # settings: SET and RESET of any option, PRAGMAs that change state
    ("set threads = 64", "statement"),
    ("set memory_limit = '100GB'", "statement"),
    ("set enable_external_access = true", "statement"),
    ("set lock_configuration = false", "statement"),
    ("reset memory_limit", "statement"),
    ("set variable x = 1", "statement"),
    ("pragma threads = 64", "statement"),
    ("pragma enable_profiling", "statement"),
    ("pragma database_list", "statement"),
    ("use memory", "statement"),
    # changing data
    ("create table stolen as select * from fct_cases", "statement"),
    ("create temp table scratch (a int)", "statement"),
    ("create macro m() as 1", "statement"),
    ("insert into fct_cases (case_id) values ('x')", "statement"),
    ("update fct_cases set status = 'closed'", "statement"),
    ("delete from fct_cases", "statement"),
    ("drop table fct_cases", "statement"),
    ("truncate fct_cases", "statement"),
    ("alter table fct_cases add column note varchar", "statement"),
    ("with doomed as (select 1) delete from fct_cases", "statement"),
    ("checkpoint", "statement"),
    ("begin transaction", "statement"),
    ("vacuum", "statement"),
    ("prepare p as select 1", "statement"),
    # several statements, and comments or case hiding one
    ("select 1; drop table fct_cases", "multiple"),
    ("select 'a;b' as s; drop table fct_cases", "multiple"),
    ("select 1 /* harmless */ ; /* more */ DROP TABLE fct_cases --", "multiple"),
    ("/* just a select */ DrOp /* really */ TaBlE fct_cases", "statement"),
    ("-- select 1\nDELETE FROM fct_cases", "statement"),
    ("explain analyze copy (select 1) to '/tmp/ipgov-leak.csv'", "statement"),
    ("explain /* c */ analyze delete from fct_cases", "statement"),
    ("explain select * from read_csv('/etc/passwd')", "function"),
    ("describe select * from read_text('/etc/passwd')", "function"),
    ("summarize select * from glob('/*')", "function"),
    ("select * from (values ('/etc/passwd')) as t(p), lateral read_csv(t.p)", "function"),
    ("with f as (select * from read_parquet('/tmp/x.parquet')) select * from f", "function"),
    ("select (select count(*) from read_csv('/etc/passwd')) as n", "function"),
    ("", "empty"),
    ("-- only a comment", "empty"),
    # SQL in a string, server switches, the server's own catalogue
    ("select * from query('drop table fct_cases')", "function"),
    ("select * from query_table('fct_cases')", "function"),
    ("select * from json_execute_serialized_sql(json_serialize_sql('select 1'))", "function"),
    ("select * from checkpoint()", "function"),
    ("select * from enable_logging()", "function"),
    ("select * from duckdb_settings()", "server_catalog"),
    ("select * from DuckDB_Databases()", "server_catalog"),
    ("select * from pragma_database_list", "server_catalog"),
    ("select * from pg_catalog.pg_settings", "server_catalog"),
    ("select current_setting('temp_directory')", "server_catalog"),
    ("select write_log('x')", "function"),
    ("describe duckdb_settings", "server_catalog"),
    # raw tables and personal data are not in the snapshot at all
    ("select * from raw.cases", "not_found"),
    ("select * from staging.stg_cases", "not_found"),
    ("select contact_name, contact_phone from fct_cases", "not_found"),
    ("select requester_name from fct_notarizations", "not_found"),
    ("select * from secret_frame", "not_found"),  # a Python variable of the caller
    ("x" * (console.MAX_SQL_CHARS + 1), "too_long"),
    ("select " + "abs(" * 400 + "1" + ")" * 400, "too_complex"),  # deeper than Python's stack
    ("select " + "(" * 3000 + "1" + ")" * 3000, "syntax"),  # deeper than DuckDB's parser allows
]


@pytest.mark.parametrize(("sql", "code"), REFUSED, ids=[f"{i:02d}" for i in range(len(REFUSED))])
def test_attempt_is_refused_with_a_reason(sample_wh, sql, code):
    secret_frame = pl.DataFrame({"secret": ["must not be scanned"]})  # noqa: F841
    with pytest.raises(SqlRefused) as refused:
        console.run(sample_wh, sql, FAST)
    assert refused.value.code == code, str(refused.value)
    message = str(refused.value)
    assert message and "\n" not in message and "Traceback" not in message


def test_attaching_the_ingest_database_is_refused(sample_wh):
    for sql in (
        f"attach '{sample_wh.db}' as ingest (read_only)",
        f"select * from read_duckdb('{sample_wh.db}', table_name = 'cases')",
    ):
        with pytest.raises(SqlRefused) as refused:
            console.run(sample_wh, sql, FAST)
        assert refused.value.code in {"statement", "function"}


def test_runaway_cross_join_is_stopped_by_the_time_limit(sample_wh):
    started = time.monotonic()
    with pytest.raises(SqlRefused) as refused:
        console.run(sample_wh, RUNAWAY, Limits(time_limit_seconds=1))
    assert refused.value.code == "time_limit"
    assert str(refused.value) == "stopped after 1 s (time limit)"
    assert time.monotonic() - started < 5


def test_huge_result_is_capped(sample_wh):
    started = time.monotonic()
    result = console.run(sample_wh, "select * from range(1000000000000)", FAST)
    assert result.rows == FAST.max_rows and result.truncated
    assert time.monotonic() - started < 5


def test_huge_export_is_capped(sample_wh, tmp_path):
    done = console.export(
        sample_wh, "select * from range(1000000000000)", "csv", tmp_path / "x.csv", FAST
    )
    assert done.rows == FAST.export_max_rows and done.truncated
    assert len((tmp_path / "x.csv").read_text().splitlines()) == FAST.export_max_rows + 1


def test_memory_hog_is_stopped_by_the_memory_limit(sample_wh):
    with pytest.raises(SqlRefused) as refused:
        console.run(
            sample_wh,
            "select string_agg(range::varchar, ',') from range(50000000)",
            Limits(memory_limit="64MB", time_limit_seconds=20),
        )
    assert refused.value.code == "memory_limit"


def test_a_huge_value_is_bounded(sample_wh):
    """A few enormous strings cannot fill the page's memory: cut at the display byte cap."""
    limits = Limits(memory_limit="2GB", time_limit_seconds=20)
    result = console.run(sample_wh, "select repeat('x', 30000000) from range(10)", limits)
    assert result.truncated and result.rows < 10
    assert result.table.nbytes <= console.DISPLAY_MAX_BYTES


@pytest.mark.parametrize(
    "sql",
    [
        "select * from read_csv('/etc/passwd')",
        "copy (select 1) to '/tmp/ipgov-engine.csv'",
        "attach '/tmp/ipgov-engine.duckdb' as other",
        "install httpfs",
        "load httpfs",
        "set threads = 64",
        "reset memory_limit",
        "set enable_external_access = true",
        "create table ipgov.main.x (a int)",
        "insert into fct_cases (case_id) values ('x')",
        "select * from secret_frame",
    ],
)
def test_the_engine_refuses_on_its_own(sample_wh, sql):
    """Defence in depth: even a statement that slipped past the checks is refused by DuckDB."""
    secret_frame = pl.DataFrame({"secret": ["must not be scanned"]})  # noqa: F841
    _, con = warehouse.open_sandbox(sample_wh, "256MB", 1)
    try:
        with pytest.raises(duckdb.Error):
            con.execute(sql).fetchall()
        settings = dict(
            con.execute(
                "select name, value from duckdb_settings() where name in "
                "('enable_external_access', 'lock_configuration', 'threads')"
            ).fetchall()
        )
        assert settings == {
            "enable_external_access": "false",
            "lock_configuration": "true",
            "threads": "1",
        }
    finally:
        con.close()


def test_the_sandbox_does_not_block_other_readers(sample_wh):
    """One DuckDB instance per file and process: the sandbox must not take the snapshot's, or
    the dashboard's other pages could not read while a console query runs."""
    _, first = warehouse.open_sandbox(sample_wh, "256MB", 1)
    _, second = warehouse.open_sandbox(sample_wh, "256MB", 1)
    try:
        with warehouse.read_snapshot(sample_wh) as plain:
            assert plain.execute("select count(*) from fct_cases").fetchone()[0] > 0
            assert plain.execute("select current_setting('enable_external_access')").fetchone()[0]
        assert second.execute("select count(*) from fct_cases").fetchone()[0] > 0
    finally:
        first.close()
        second.close()


def test_the_snapshot_holds_no_raw_tables_or_personal_data(sample_wh):
    docs = console.catalog(sample_wh, examples=0, limits=FAST)[1]
    names = {d.name for d in docs}
    columns = {c.name for d in docs for c in d.columns}
    assert not {n for n in names if n.startswith(("stg_", "raw", "load_files", "quarantine"))}
    assert not columns & {"contact_name", "contact_phone", "requester_name", "applicant"}
