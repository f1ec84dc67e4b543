"""The DuckDB engine of the quality gate (etl/validate_sql.py) against GX and the in-memory reader.

Big files are judged by DuckDB, small ones by Great Expectations; a file must get the same
verdict, the same problems (row, column, rule, raw value, message) and the same rows loaded
whichever engine judges it. Every file of the fault corpus and of the sample goes through both.
"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import polars as pl
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from etl import settings
from etl.load import load
from etl.sources import reader
from etl.sources.schema import BOOLEAN, DATE, DECIMAL, INTEGER, STRING, TIMESTAMP
from etl.validate import Gate
from etl.validate_sql import parse_sql
from tests.broken_files import FAULTS
from tests.conftest import TODAY

# Both engines see the same small files: the GX gate by default, the DuckDB one when every file
# counts as big.
GX, DUCKDB = "1000000", "0"


def _judge(path: Path, kind: str | None, engine: str) -> dict:
    with settings.overridden(gate_bulk_mb=engine):
        gate = Gate(TODAY)
        try:
            report, _ = gate.check(path, kind)
        finally:
            gate.close()
    summary = report.to_json()
    for volatile in ("seconds", "engine", "path"):
        summary.pop(volatile)
    if report.reason_code == "unreadable":  # the message quotes each library's own words
        summary["rejection"] = report.reason_code
    return summary


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_both_engines_give_the_same_verdict_problems_and_messages(fault, corpus):
    path = corpus[fault.name]
    by_gx = _judge(path, fault.kind, GX)
    by_duckdb = _judge(path, fault.kind, DUCKDB)
    assert by_duckdb == by_gx


# ------------------------------------------------------------------------------------------------
# The SQL parsers equal the polars ones, cell for cell
# ------------------------------------------------------------------------------------------------


_PIECES = {
    DATE: [
        "2024",
        "2023",
        "1999",
        "3",
        "03",
        "12",
        "31",
        "30",
        "2",
        "-",
        "/",
        ".",
        "年",
        "月",
        "日",
        " ",
        "T",
        "20240301",
        "\u3000",
        "x",
        "0",
        "13",
        "09:30",
    ],
    TIMESTAMP: [
        "2024-03-01",
        "2024/3/1",
        " ",
        "T",
        "9",
        "09",
        ":",
        "30",
        "00",
        ".5",
        ".123456",
        "60",
        "24",
        "-",
        "年",
        "月",
        "日",
        "Z",
        "\t",
        "2024-02-30",
    ],
    INTEGER: [
        "1",
        "0",
        "-",
        "+",
        ",",
        ".",
        "5",
        "e",
        "3",
        "_",
        " ",
        "inf",
        "nan",
        "9" * 19,
        "00",
        "x",
        "\u00a0",
    ],
    DECIMAL: [
        "1",
        "0",
        "-",
        ",",
        ".",
        "5",
        "125",
        "¥",
        "￥",
        "元",
        " ",
        "e",
        "_",
        "\u3000",
        "99",
        "0.125",
        "1e20",
        "x",
    ],
    BOOLEAN: [
        "是",
        "否",
        "Y",
        "n",
        "yes",
        "NO",
        "True",
        "f",
        "1",
        "0",
        "已移送",
        "未移送",
        " ",
        "maybe",
    ],
    STRING: ["a", " ", "\u3000", "\t", "中", "\u00a0", "x y", "\u2003", "\n"],
}


def _cells(logical: str) -> st.SearchStrategy[list[str | None]]:
    cell = st.lists(st.sampled_from(_PIECES[logical]), max_size=6).map("".join)
    return st.lists(st.none() | cell, min_size=1, max_size=30)


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


@pytest.mark.parametrize("logical", [DATE, TIMESTAMP, INTEGER, DECIMAL, BOOLEAN, STRING])
@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_sql_parsers_equal_the_reader_on_text_cells(logical, data, con):
    cells = data.draw(_cells(logical))
    frame = pl.DataFrame({"_c0": cells}, schema={"_c0": pl.String})
    # Dates and times compared as their physical numbers: a year like -52024 parses in both
    # engines but has no Python date.
    physical = {DATE: pl.Int32, TIMESTAMP: pl.Int64}.get(logical)
    parsed = reader._parse("_c0", logical, pl.String)
    expected = frame.select(parsed.cast(physical) if physical else parsed).to_series().to_list()
    con.register("cells", frame.with_row_index("i").to_arrow())
    value = parse_sql("_c0", logical, "VARCHAR")
    if logical == DATE:
        value = f"date_diff('day', date '1970-01-01', {value})"
    elif logical == TIMESTAMP:
        value = f"epoch_us({value})"
    got = [row[0] for row in con.execute(f"select {value} from cells order by i").fetchall()]
    con.unregister("cells")
    assert got == expected, list(zip(cells, got, expected, strict=True))


# ------------------------------------------------------------------------------------------------
# Loading: the same rows in raw and quarantine whichever engine judged the files
# ------------------------------------------------------------------------------------------------

VOLATILE = {"load_id", "loaded_at", "quarantined_at", "source_path", "file_seq"}


def _raw_tables(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'raw' order by 1"
            ).fetchall()
        ]
        out = {}
        for table in tables:
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where schema_name = 'raw' "
                    "and table_name = ? order by column_index",
                    [table],
                ).fetchall()
                if c not in VOLATILE
            ]
            select = ", ".join(columns)
            out[table] = con.execute(f"select {select} from raw.{table} order by all").fetchall()
        return out
    finally:
        con.close()


def test_loading_with_either_engine_writes_the_same_rows(small_sample, corpus, tmp_path):
    quarantined = [f for f in FAULTS if f.verdict == "quarantined"]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for f in small_sample.iterdir():
        (inbox / f.name).write_bytes(f.read_bytes())
    for fault in quarantined:
        path = corpus[fault.name]
        (inbox / path.name).write_bytes(path.read_bytes())
    tables = {}
    for engine in (GX, DUCKDB):
        with settings.overridden(gate_bulk_mb=engine):
            summary = load([inbox], tmp_path / engine / "warehouse.duckdb", today=TODAY)
        engines = {f.report.engine for f in summary.files if f.report}
        assert engines == {"gx" if engine == GX else "duckdb"}
        tables[engine] = _raw_tables(tmp_path / engine / "warehouse.duckdb")
    assert sum(len(rows) for rows in tables[GX].values()) > 1000
    assert len(tables[GX]["quarantine"]) >= len(quarantined)
    assert tables[DUCKDB] == tables[GX]


# ------------------------------------------------------------------------------------------------
# What only big files meet: streamed checks, DuckDB's CSV scanner
# ------------------------------------------------------------------------------------------------


@pytest.fixture
def tiny_buffers(monkeypatch):
    """Read heads, tails and chunks a few bytes at a time, so small files exercise the paths a
    big file takes (a fault beyond the first chunk, a tail that is not the whole file)."""
    from etl.sources import bulk

    monkeypatch.setattr(bulk, "CHUNK", 64)
    monkeypatch.setattr(bulk, "TAIL", 200)
    monkeypatch.setattr(bulk, "HEAD", 100)


def _takedowns_lines(small_sample: Path) -> list[str]:
    return (small_sample / "takedowns_2024.csv").read_text(encoding="utf-8").splitlines()[:40]


def _set_platform(line: str, value: str) -> str:
    cells = line.split(",")
    cells[2] = value  # notice_id, case_id, platform, …
    return ",".join(cells)


def _both(path: Path, kind: str | None = None) -> tuple[dict, dict]:
    return _judge(path, kind, GX), _judge(path, kind, DUCKDB)


def test_blank_lines_keep_the_row_numbers_a_clerk_sees(small_sample, tmp_path, tiny_buffers):
    lines = _takedowns_lines(small_sample)
    lines[10:10] = ["", ""]  # rows 11 and 12 are blank: quarantined, later rows keep their numbers
    lines[30] = _set_platform(lines[30], "Alibaba Cloud")
    path = tmp_path / "blank.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_gx, by_duckdb = _both(path)
    assert by_gx["verdict"] == "quarantined"
    assert by_duckdb == by_gx


def test_quoted_line_breaks_are_read_by_the_serial_scanner(small_sample, tmp_path):
    lines = _takedowns_lines(small_sample)
    cells = lines[5].split(",")
    cells[3] = '"https://shop.example/a\nsecond line"'
    lines[5] = ",".join(cells)
    del lines[8].split(",")[-1:]
    lines[8] = ",".join(lines[8].split(",")[:-1])  # a short row: padded with nothing
    path = tmp_path / "quoted.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    by_gx, by_duckdb = _both(path)
    assert by_gx["rows_read"] == len(lines) - 1
    assert by_duckdb == by_gx


@pytest.mark.parametrize(
    "damage",
    ["truncated", "ragged", "undecodable", "gb18030", "utf16", "gb18030_undecodable"],
)
def test_faults_deep_in_a_big_file_are_found_where_they_are(
    damage, small_sample, tmp_path, tiny_buffers
):
    lines = _takedowns_lines(small_sample)
    text = "\n".join(lines) + "\n"
    path = tmp_path / f"{damage}.csv"
    if damage == "truncated":
        data = text.encode("utf-8")[: len(text) - 25]
    elif damage == "ragged":
        lines[33] += ",extra"
        data = ("\n".join(lines) + "\n").encode("utf-8")
    elif damage == "undecodable":
        data = text.encode("utf-8").replace(b"Taobao", b"Tao\xffbao", 3)
    elif damage == "gb18030":
        data = text.replace("Taobao", "淘宝").encode("gb18030")
    elif damage == "utf16":
        data = text.encode("utf-16")
    else:
        data = text.replace("Taobao", "淘宝").encode("gb18030")
        cut = data.rindex("淘宝".encode("gb18030"))
        data = data[:cut] + b"\x81\x20" + data[cut + 2 :]
    path.write_bytes(data)
    by_gx, by_duckdb = _both(path)
    assert by_duckdb == by_gx
    expected = {
        "truncated": "truncated",
        "ragged": "ragged_row",
        "undecodable": "encoding",
        "gb18030_undecodable": "encoding",
    }.get(damage)
    if expected:
        assert by_gx["rejection"]["code"] == expected
    else:
        assert by_gx["verdict"] == "ok" and by_gx["rows_read"] == len(lines) - 1


def test_a_suite_rule_without_sql_rejects_the_file_instead_of_passing_it(small_sample, monkeypatch):
    from etl import validate

    real = validate.load_suite

    def with_unknown_rule(kind):
        suite = real(kind)
        suite["expectations"].append(
            {
                "type": "expect_column_values_to_be_dateutil_parseable",
                "kwargs": {"column": "x"},
                "meta": {"rule": "new", "column": "x"},
            }
        )
        return suite

    monkeypatch.setattr(validate, "load_suite", with_unknown_rule)
    report = _judge(small_sample / "takedowns_2024.csv", None, DUCKDB)
    assert report["verdict"] == "rejected"
    assert report["rejection"]["code"] == "gate_error"
    assert "expect_column_values_to_be_dateutil_parseable" in report["rejection"]["message_en"]


def test_a_big_rejected_file_leaves_no_rows_behind(small_sample, tmp_path):
    """--strict judges a big file in DuckDB, rejects it, and the next file starts clean."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lines = _takedowns_lines(small_sample)
    lines[3] = _set_platform(lines[3], "Nowhere")
    (inbox / "a_bad.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    good = [lines[0], *lines[5:]]
    (inbox / "b_good.csv").write_text("\n".join(good) + "\n", encoding="utf-8")
    with settings.overridden(gate_bulk_mb=DUCKDB):
        summary = load([inbox], tmp_path / "w" / "warehouse.duckdb", today=TODAY, strict=True)
    assert [f.status for f in summary.files] == ["rejected", "loaded"]
    tables = _raw_tables(tmp_path / "w" / "warehouse.duckdb")
    assert len(tables["takedowns"]) == len(lines) - 5


def test_cli_check_judges_big_files_in_duckdb_and_writes_nothing(corpus, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from dashboard.cli import app

    db = tmp_path / "never" / "warehouse.duckdb"
    monkeypatch.setenv("IPGOV_DB", str(db))
    monkeypatch.setenv("IPGOV_GATE_BULK_MB", "0")
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    runner = CliRunner()
    result = runner.invoke(app, ["check", "--json", str(corpus["unknown_platform"])])
    assert result.exit_code == 2, result.output
    report = json.loads(result.output)["files"][0]
    assert report["engine"] == "duckdb"
    assert (report["problems"][0]["row"], report["problems"][0]["rule"]) == (7, "code:platform")
    assert not db.parent.exists()
    assert not list((tmp_path / "tmp").glob("ipgov-bulk-*"))  # no copy left behind


def test_a_load_removes_copies_a_killed_load_left_behind(small_sample, tmp_path):
    db = tmp_path / "w" / "warehouse.duckdb"
    db.parent.mkdir()
    leftover = db.parent / "ipgov-bulk-abc123.csv"
    leftover.write_text("half a transcoded file")
    unrelated = db.parent / "notes.csv"
    unrelated.write_text("mine")
    load([small_sample / "takedowns_2024.csv"], db, today=TODAY, reports=False)
    assert not leftover.exists()
    assert unrelated.exists()


def test_files_rejected_while_prepared_ahead_are_rejected_like_gx_rejects_them(corpus, tmp_path):
    """The loader prepares the next big CSV in a thread; a fault found there is still that
    file's rejection, with the same code, and the other files load."""
    names = ["truncated_last_line", "undecodable_bytes", "unquoted_comma", "unknown_platform"]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        source = corpus[name]
        (inbox / source.name).write_bytes(source.read_bytes())
    outcomes = {}
    for engine in (GX, DUCKDB):
        with settings.overridden(gate_bulk_mb=engine):
            summary = load([inbox], tmp_path / engine / "warehouse.duckdb", today=TODAY)
        outcomes[engine] = [
            (f.path.name, f.status, f.report.reason_code, f.rows_loaded) for f in summary.files
        ]
        assert not list((tmp_path / engine).glob("ipgov-bulk-*"))
    assert outcomes[DUCKDB] == outcomes[GX]
    assert {status for _, status, _, _ in outcomes[GX]} == {"rejected", "loaded"}
