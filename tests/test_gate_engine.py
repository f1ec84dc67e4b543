"""What the one engine meets that small clean files do not: streamed checks past the first chunk,
blank lines, quoted line breaks, encodings transcoded in a stream, DuckDB's CSV scanner refusing
a file, a suite rule without SQL, copies left by a killed load, and files staged ahead in a
thread. (Its failures are held to GX's in tests/test_gate_oracle.py; its parser in
tests/test_gate_parsers.py.)"""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest

from etl.gate import Gate, suites
from etl.load import load
from tests.broken_files import FAULTS
from tests.conftest import TODAY
from tests.test_gate_oracle import engine_and_oracle

BY_NAME = {f.name: f for f in FAULTS}


def _judge(path: Path, kind: str | None = None) -> dict:
    gate = Gate(TODAY)
    try:
        report, _ = gate.check(path, kind)
    finally:
        gate.close()
    summary = report.to_json()
    for volatile in ("seconds", "engine", "path"):
        summary.pop(volatile)
    return summary


def _raw_tables(db: Path) -> dict[str, list[tuple]]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'raw' order by 1"
            ).fetchall()
        ]
        return {t: con.execute(f"select * from raw.{t}").fetchall() for t in tables}
    finally:
        con.close()


@pytest.fixture
def tiny_buffers(monkeypatch):
    """Read heads, tails and chunks a few bytes at a time, so small files exercise the paths a
    big file takes (a fault beyond the first chunk, a tail that is not the whole file)."""
    from etl.sources import csv_files

    monkeypatch.setattr(csv_files, "CHUNK", 64)
    monkeypatch.setattr(csv_files, "TAIL", 200)
    monkeypatch.setattr(csv_files, "HEAD", 100)


def _takedowns_lines(small_sample: Path) -> list[str]:
    return (small_sample / "takedowns_2024.csv").read_text(encoding="utf-8").splitlines()[:40]


def _set_platform(line: str, value: str) -> str:
    cells = line.split(",")
    cells[2] = value  # notice_id, case_id, platform, …
    return ",".join(cells)


def test_blank_lines_keep_the_row_numbers_a_clerk_sees(small_sample, tmp_path, tiny_buffers):
    lines = _takedowns_lines(small_sample)
    lines[10:10] = ["", ""]  # rows 11 and 12 are blank: quarantined, later rows keep their numbers
    lines[30] = _set_platform(lines[30], "Alibaba Cloud")
    path = tmp_path / "blank.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = _judge(path)
    assert report["verdict"] == "quarantined"
    assert (report["rows_read"], report["rows_quarantined"]) == (len(lines) - 1, 3)
    required = ("notice_id", "platform", "listing_url", "notice_sent_at")
    assert [(p["row"], p["column"], p["rule"]) for p in report["problems"]] == [
        *((11, c, "required") for c in required),
        *((12, c, "required") for c in required),
        (31, "platform", "code:platform"),
    ]
    _, by_engine, by_gx, _ = engine_and_oracle(path)
    assert by_engine == by_gx


def test_quoted_line_breaks_are_read_by_the_serial_scanner(small_sample, tmp_path):
    lines = _takedowns_lines(small_sample)
    cells = lines[5].split(",")
    cells[3] = '"https://shop.example/a\nsecond line"'
    lines[5] = ",".join(cells)
    lines[8] = ",".join(lines[8].split(",")[:-1])  # a short row: padded with nothing
    path = tmp_path / "quoted.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = _judge(path)
    assert report["verdict"] == "ok", report
    assert report["rows_read"] == len(lines) - 1
    gate = Gate(TODAY)
    try:
        _, judged = gate.check(path)
        urls = judged.frame["listing_url"].to_list()
        assert "https://shop.example/a\nsecond line" in urls
    finally:
        gate.close()


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
    report = _judge(path)
    expected = {
        "truncated": ("truncated", "row 40"),
        "ragged": ("ragged_row", "row 34"),
        "undecodable": ("encoding", "row "),
        "gb18030_undecodable": ("encoding", "row "),
    }.get(damage)
    if expected:
        assert report["rejection"]["code"] == expected[0]
        assert expected[1] in report["rejection"]["message_en"]
    else:
        assert report["verdict"] == "ok" and report["rows_read"] == len(lines) - 1
        assert report["encoding"] == {"gb18030": "gb18030", "utf16": "utf-16"}[damage]


def test_a_suite_rule_without_sql_rejects_the_file_instead_of_passing_it(small_sample, monkeypatch):
    real = suites.load_suite

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

    monkeypatch.setattr(suites, "load_suite", with_unknown_rule)
    report = _judge(small_sample / "takedowns_2024.csv")
    assert report["verdict"] == "rejected"
    assert report["rejection"]["code"] == "gate_error"
    assert "expect_column_values_to_be_dateutil_parseable" in report["rejection"]["message_en"]


def test_a_rejected_file_leaves_no_rows_behind(small_sample, tmp_path):
    """--strict judges a file in DuckDB, rejects it, and the next file starts clean."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lines = _takedowns_lines(small_sample)
    lines[3] = _set_platform(lines[3], "Nowhere")
    (inbox / "a_bad.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    good = [lines[0], *lines[5:]]
    (inbox / "b_good.csv").write_text("\n".join(good) + "\n", encoding="utf-8")
    summary = load([inbox], tmp_path / "w" / "warehouse.duckdb", today=TODAY, strict=True)
    assert [f.status for f in summary.files] == ["rejected", "loaded"]
    tables = _raw_tables(tmp_path / "w" / "warehouse.duckdb")
    assert len(tables["takedowns"]) == len(lines) - 5


def test_cli_check_judges_in_duckdb_and_writes_nothing(corpus, tmp_path, monkeypatch):
    from typer.testing import CliRunner

    from dashboard.cli import app

    db = tmp_path / "never" / "warehouse.duckdb"
    monkeypatch.setenv("IPGOV_DB", str(db))
    monkeypatch.setenv("TMPDIR", str(tmp_path / "tmp"))
    (tmp_path / "tmp").mkdir()
    runner = CliRunner()
    result = runner.invoke(
        app,
        ["check", "--json", str(corpus["unknown_platform"]), str(corpus["gb18030_labelled_utf8"])],
    )
    assert result.exit_code == 2, result.output
    reports = json.loads(result.output)["files"]
    report = reports[0]
    assert report["engine"] == "duckdb"
    assert (report["problems"][0]["row"], report["problems"][0]["rule"]) == (7, "code:platform")
    assert reports[1]["encoding"] == "gb18030" and reports[1]["verdict"] == "ok"
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


def test_files_rejected_while_prepared_ahead_are_rejected_with_their_code(corpus, tmp_path):
    """The loader stages the next CSV in a thread; a fault found there is still that file's
    rejection, with its code, and the other files load."""
    names = ["truncated_last_line", "undecodable_bytes", "unquoted_comma", "unknown_platform"]
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in names:
        source = corpus[name]
        (inbox / source.name).write_bytes(source.read_bytes())
    summary = load([inbox], tmp_path / "w" / "warehouse.duckdb", today=TODAY)
    outcomes = {f.path.name: (f.status, f.report.reason_code, f.rows_loaded) for f in summary.files}
    for name in names:
        fault = BY_NAME[name]
        status, code, loaded = outcomes[corpus[name].name]
        if fault.verdict == "rejected":
            assert (status, code, loaded) == ("rejected", fault.code, 0)
        else:
            assert (status, code, loaded) == ("loaded", None, 11)  # 12 rows, one quarantined
    assert not list((tmp_path / "w").glob("ipgov-bulk-*"))


def test_the_total_line_rule_flags_exactly_what_its_regex_matches():
    """The engine tests a key's first character before the total-line regex (a speed-up): it
    must flag exactly the keys the regex alone matches, near misses included."""
    from etl.gate import engine
    from etl.gate.rules import TOTAL_REGEX
    from etl.sources import KINDS
    from etl.sources.reader import Rows

    keys = [
        "合计", "合 计", "合\t计", "合  计：12", "总计", "小计（本页）", "合", "计",
        "合x计", "X合计", "计合", "合\u3000计", "小", "总 计", " 合计", "TD-0001",
        "合计TD", "小计小计", "", None,
    ]  # fmt: skip
    con = duckdb.connect()
    con.execute(f"create temp table {engine.ROWS_TABLE} (notice_id varchar)")
    con.executemany(f"insert into {engine.ROWS_TABLE} values (?)", [[k] for k in keys])
    rows = Rows(KINDS["takedowns"], {}, len(keys), "utf-8", [], None, 2)
    expectation = {
        "type": "expect_column_values_to_not_match_regex",
        "kwargs": {"column": "notice_id", "regex": TOTAL_REGEX},
    }
    _, predicate = engine._violation(rows, expectation, {})
    assert "starts_with" in predicate  # the guarded form is what runs
    flagged = con.execute(
        f"select g.notice_id from {engine.ROWS_TABLE} g where {predicate} order by g.rowid"
    ).fetchall()
    matched = con.execute(
        f"select notice_id from {engine.ROWS_TABLE} where notice_id is not null "
        "and regexp_matches(notice_id, ?) order by rowid",
        [TOTAL_REGEX],
    ).fetchall()
    assert flagged == matched
    # white space between the two characters counts, an ideographic one does not (RE2's \s),
    # as before the guard
    assert [k for (k,) in flagged] == [
        "合计", "合 计", "合\t计", "合  计：12", "总计", "小计（本页）",
        "总 计", "合计TD", "小计小计",
    ]  # fmt: skip
