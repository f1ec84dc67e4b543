"""Statements that ended in a traceback in the SQL console (issue 12), each one line now: dates
and timestamps Python cannot hold (±infinity, past year 9999, nested in lists and structs), a lone
surrogate in the text, a sampled table that broke the parse-tree walk, more text than Arrow
holds in one batch."""

from __future__ import annotations

import json

import duckdb
import openpyxl
import pyarrow as pa
import pytest
from typer.testing import CliRunner

from dashboard import console
from dashboard.cli import app
from dashboard.console import Limits, SqlRefused, guard, session
from dashboard.console.convert import beyond_python, python_safe
from dashboard.i18n import t
from etl import warehouse

SMALL = Limits(time_limit_seconds=20, max_rows=100, memory_limit="256MB")


def one_line(error: SqlRefused) -> str:
    message = str(error)
    assert message and "\n" not in message and "Traceback" not in message
    return message


# --- the statements that ended in a traceback: one line each -----------------------------------

BEYOND_PYTHON = [
    ("select '294247-01-10'::date as v", "294247-01-10"),  # out-of-range date
    ("select timestamp '294247-01-09 10:00:00' as v", "294247-01-09 10:00:00"),
    ("select timestamp '2000-01-01' + interval (290000) year as v", "292000-01-01 00:00:00"),
    ("select 'infinity'::timestamp as v", "infinity"),
    ("select date '-infinity' as v", "-infinity"),
    ("select '-infinity'::timestamptz as v", "-infinity"),
    ("select 'infinity'::timestamp_s as v", "infinity"),
    ("select 'infinity'::timestamp_ms as v", "infinity"),
    ("select '0001-01-01 (BC)'::date as v", "0001-01-01 (BC)"),
    ("select [date 'infinity', date '2020-01-01'] as v", "[infinity, 2020-01-01]"),
    ("select {'d': date 'infinity'} as v", "{'d': infinity}"),
]


@pytest.mark.parametrize(("sql", "text"), BEYOND_PYTHON)
def test_dates_python_cannot_hold_are_shown_as_duckdb_writes_them(sample_wh, sql, text):
    result = console.run(sample_wh, sql, SMALL)
    assert result.table.to_pylist() == [{"v": text}]
    assert result.frame()["v"].to_list() == [text]


def test_dates_python_can_hold_keep_their_type(sample_wh):
    sql = (
        "select date '2020-01-01' as d, [timestamp '9999-12-29 00:00:00'] as l, 'infinity'::date x"
    )
    table = console.run(sample_wh, sql, SMALL).table
    assert pa.types.is_date32(table.schema.field("d").type)
    assert pa.types.is_list(table.schema.field("l").type)
    assert table.schema.field("x").type == pa.string()


def test_beyond_python_reads_every_depth():
    con = duckdb.connect()
    t = con.sql(
        "select map {1: timestamp 'infinity'} m, union_value(d := date 'infinity') u, "
        "[[date '2020-01-01']] ok, 1 n"
    ).to_arrow_table()
    assert [beyond_python(t.column(c)) for c in t.column_names] == [True, True, False, False]
    assert python_safe(t).column("m").to_pylist() == ["{1=infinity}"]


@pytest.mark.parametrize("fmt", ["json", "xlsx"])
def test_downloads_write_dates_python_cannot_hold(sample_wh, tmp_path, fmt):
    sql = "select 'infinity'::date as d, [date '-infinity'] as l, date '2020-01-02' as ok"
    path = tmp_path / f"dates.{fmt}"
    assert console.export(sample_wh, sql, fmt, path, SMALL).rows == 1
    if fmt == "json":
        assert json.loads(path.read_text()) == [
            {"d": "infinity", "l": "[-infinity]", "ok": "2020-01-02"}
        ]
    else:
        rows = list(openpyxl.load_workbook(path, read_only=True).active.iter_rows(values_only=True))
        assert rows[1][:2] == ("infinity", "[-infinity]")


@pytest.mark.parametrize("sql", ["select '\ud800'", "select 1 -- \udfff", "\udc80"])
def test_a_lone_surrogate_is_refused_in_one_line(sample_wh, sql):
    with pytest.raises(SqlRefused) as refused:
        console.run(sample_wh, sql, SMALL)
    assert refused.value.code == "encoding"
    assert "is not text — the query was not valid UTF-8" in one_line(refused.value)
    assert t("sql_refused_encoding", "zh", **refused.value.values).startswith("已拒绝：第 ")


def test_cli_bytes_that_are_not_utf8_are_one_line(sample_wh):
    result = CliRunner().invoke(app, ["sql", "select 'caf\udce9'", "--db", str(sample_wh.db)])
    assert result.exit_code == 2, result.output
    assert "not valid UTF-8" in result.output and "Traceback" not in result.output


def test_cli_prints_dates_python_cannot_hold(sample_wh):
    sql = "select 'infinity'::timestamp as t, date '-infinity' as d"
    result = CliRunner().invoke(app, ["sql", sql, "--db", str(sample_wh.db)])
    assert result.exit_code == 0, result.output
    assert "-infinity" in result.output and "Traceback" not in result.output


@pytest.mark.parametrize(
    ("sql", "code"),
    [
        ("select * from fct_cases tablesample 1 rows", None),  # crashed the parse-tree walk
        ("select * from fct_cases using sample 10%", None),
        (
            "select * from read_csv('/etc/passwd') using sample 1",
            "function",
        ),  # refused, not a crash
        ("select * from duckdb_settings() tablesample 1", "server_catalog"),
    ],
)
def test_sampled_tables_pass_the_checks(sample_wh, sql, code):
    if code is None:
        assert console.run(sample_wh, sql, SMALL).rows >= 0
        return
    with pytest.raises(SqlRefused) as refused:
        console.run(sample_wh, sql, SMALL)
    assert refused.value.code == code, str(refused.value)
    one_line(refused.value)


def test_a_tree_the_checks_do_not_understand_is_refused(sample_wh, monkeypatch):
    """Fail closed: if the walk meets a shape it cannot read, the statement is refused."""

    def confused(node: dict, macros: set[str]) -> None:
        raise TypeError("unhashable type: 'dict'")

    monkeypatch.setattr(guard, "_check_node", confused)
    _, con = warehouse.open_sandbox(sample_wh, "256MB", 1)
    try:
        with pytest.raises(SqlRefused) as refused:
            guard.check_references(con, "select 1")
    finally:
        con.close()
    assert refused.value.code == "uncheckable"
    assert one_line(refused.value).startswith("refused: the console cannot check")


def test_too_much_text_for_one_batch_is_one_line():
    """Arrow holds at most 2 GiB of text per column and batch; DuckDB's error says so through
    the Arrow stream as an OSError (the real statement needs 2.4 GB: see the full tier)."""
    error = OSError(
        "Invalid Input Error: Arrow Appender: The maximum total string size for regular string "
        "buffers is 2147483647 but the offset of 2200000000 exceeds this.\n"
        "* SET arrow_large_buffer_size=true to use large string buffers"
    )
    refused = session.refusal_of(error, SMALL, None)
    assert refused.code == "too_large"
    assert one_line(refused).startswith("stopped: the result holds more text than can be shown")


def test_every_new_refusal_speaks_both_languages():
    for code in ("encoding", "uncheckable", "too_large"):
        values = {"position": 1, "char": "U+D800", "count": 2}
        zh, en = (t(f"sql_refused_{code}", lang, **values) for lang in ("zh", "en"))
        assert zh != en and "\n" not in zh + en
