"""Loading: lineage, idempotence, latest version wins, personal data stops at staging."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path

import duckdb
import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from etl import warehouse
from etl.transform import models
from tests.conftest import query

CASES = [
    "case_id",
    "received_on",
    "service_type",
    "ip_type",
    "status",
    "contact_name",
    "contact_phone",
    "closed_on",
    "referral_direction",
    "referral_partner",
    "referred_on",
]


def _cases(write_csv, name: str, status: str = "in_progress", closed: str = "") -> Path:
    return write_csv(
        name,
        [
            CASES,
            [
                "WQ1",
                "2024-03-01",
                "mediation",
                "patent",
                status,
                "王芳",
                "13800138000",
                closed,
                "out",
                "中山",
                "2024-03-02",
            ],
            [
                "WQ2",
                "2024-03-04",
                "advisory opinion",
                "trademark",
                "received",
                "刘洋",
                "13900139000",
                "",
                "",
                "",
                "",
            ],
        ],
    )


def table_fingerprints(paths: warehouse.WarehousePaths) -> dict[str, str]:
    """Order-independent checksum of every table in the ingest database."""
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        tables = con.execute(
            "select schema_name || '.' || table_name from duckdb_tables() order by 1"
        ).fetchall()
        return {
            t: str(con.execute(f"select count(*), bit_xor(hash(x)) from {t} as x").fetchall())
            for (t,) in tables
        }
    finally:
        con.close()


def test_lineage_and_codes(write_csv, load_into, wh_paths):
    load_into(_cases(write_csv, "cases.csv"))
    con = duckdb.connect(str(wh_paths.db), read_only=True)
    lineage = con.execute(
        "select source_file, source_row, length(source_sha256) from raw.cases order by 2"
    ).fetchall()
    con.close()
    assert lineage == [("cases.csv", 2, 64), ("cases.csv", 3, 64)]
    rows = query(
        wh_paths, "select case_id, service_type, referral_partner from fct_cases order by case_id"
    )
    assert rows == [("WQ1", "mediation", "zhongshan"), ("WQ2", "advisory_opinion", None)]
    assert query(wh_paths, "select case_id, direction from fct_referrals") == [("WQ1", "out")]


def test_same_file_twice_changes_nothing(write_csv, load_into, wh_paths):
    path = _cases(write_csv, "cases.csv")
    first = load_into(path)
    before = table_fingerprints(wh_paths)
    snapshot = warehouse.current_snapshot(wh_paths)
    second = load_into(path)
    assert [f.status for f in second.files] == ["skipped"]
    assert second.snapshot is None
    assert table_fingerprints(wh_paths) == before
    assert warehouse.current_snapshot(wh_paths) == snapshot == first.snapshot


def test_corrected_file_latest_version_wins(write_csv, load_into, wh_paths):
    load_into(_cases(write_csv, "cases-v1.csv"))
    load_into(_cases(write_csv, "cases-v2.csv", status="已结案", closed="2024-03-20"))
    rows = query(
        wh_paths, "select case_id, status, closed_on::varchar from fct_cases order by case_id"
    )
    assert rows == [("WQ1", "closed", "2024-03-20"), ("WQ2", "received", None)]


def _case(case_id: str, status: str, closed: str = "") -> list[str]:
    return [case_id, "2024-03-01", "mediation", "patent", status, "", "", closed, "", "", ""]


@pytest.mark.parametrize("together", [True, False], ids=["one load", "a load each"])
def test_the_latest_version_wins_where_files_key_ranges_meet(
    write_csv, load_into, wh_paths, together
):
    # staging numbers versions only where two files' key ranges meet (latest_version.sql): two
    # files of disjoint ranges, then corrections reaching into both, one of them corrected twice;
    # in one load (a full snapshot) and in one load each (incremental snapshots of the keys)
    a = [CASES, _case("WQ10", "received"), _case("WQ19", "received")]
    b = [CASES, _case("WQ20", "received"), _case("WQ29", "received")]
    # a corrected key at neither end of the range two files share, and at its end
    c = [CASES, _case("WQ11", "received"), _case("WQ19", "in_progress"), _case("WQ25", "received")]
    d = [CASES, _case("WQ21", "received"), _case("WQ25", "已结案", "2024-03-20")]
    d.append(_case("WQ28", "received"))
    files = [write_csv(f"{n}.csv", rows) for n, rows in zip("abcd", (a, b, c, d), strict=True)]
    if together:
        load_into(*files)
    else:
        for path in files:
            load_into(path)
    rows = query(
        wh_paths, "select case_id, status, closed_on::varchar from fct_cases order by case_id"
    )
    assert rows == [
        ("WQ10", "received", None),
        ("WQ11", "received", None),
        ("WQ19", "in_progress", None),
        ("WQ20", "received", None),
        ("WQ21", "received", None),
        ("WQ25", "closed", "2024-03-20"),
        ("WQ28", "received", None),
        ("WQ29", "received", None),
    ]


def test_a_key_repeated_in_one_file_never_reaches_a_snapshot(
    write_csv, load_into, wh_paths, monkeypatch
):
    # the gate quarantines both rows of a key its file repeats; staging relies on that (a key
    # has versions only across files), and were the gate's rule ever gone, the mart's grain
    # check would refuse the snapshot rather than publish the case twice
    from etl.gate import engine
    from etl.snapshot import GrainError

    twice = write_csv("twice.csv", [CASES, _case("WQ1", "received"), _case("WQ1", "in_progress")])
    summary = load_into(twice)
    assert [(f.rows_loaded, f.rows_quarantined) for f in summary.files] == [(0, 2)]
    checked = engine.checked

    def without_unique(suite, everything):
        return [
            (position, e)
            for position, e in checked(suite, everything)
            if e["type"] != "expect_column_values_to_be_unique"
        ]

    monkeypatch.setattr(engine, "checked", without_unique)
    again = write_csv("twice-again.csv", [CASES, _case("WQ1", "closed"), _case("WQ1", "received")])
    with pytest.raises(GrainError, match=r"marts/fct_cases.*case_id.*'WQ1'"):
        load_into(again)
    assert warehouse.current_snapshot(wh_paths) == summary.snapshot


def test_personal_data_never_reaches_the_snapshot(write_csv, load_into, wh_paths):
    # WQ3's phone cell holds a name instead of a number: the row is quarantined, and the
    # quarantine mart must not publish the bad cell's personal data either.
    bad_pii = write_csv(
        "cases-bad-phone.csv",
        [CASES[:7], ["WQ3", "2024-03-05", "mediation", "patent", "received", "孙丽", "孙丽的电话"]],
    )
    load_into(_cases(write_csv, "cases.csv"), bad_pii)
    assert query(wh_paths, "select raw_value, rule from fct_quarantine") == [
        ("***", "phone_format")
    ]
    with warehouse.read_snapshot(wh_paths) as con:
        columns = {c for (c,) in con.execute("select column_name from duckdb_columns()").fetchall()}
        tables = [t for (t,) in con.execute("select table_name from duckdb_tables()").fetchall()]
        dump = " ".join(str(con.execute(f"select * from {t}").fetchall()) for t in tables)
    assert not columns & {"contact_name", "contact_phone", "requester_name", "applicant"}
    for secret in ("王芳", "13800138000", "刘洋", "孙丽"):
        assert secret not in dump
    assert not {t for t in tables if t.startswith(("raw", "stg_"))}


def test_snapshot_holds_every_mart_and_kpi(write_csv, load_into, wh_paths):
    load_into(_cases(write_csv, "cases.csv"))
    with warehouse.read_snapshot(wh_paths) as con:
        names = {
            n
            for (n,) in con.execute(
                "select table_name from duckdb_tables() union select view_name from duckdb_views() "
                "where not internal union select function_name from duckdb_functions() "
                "where function_type in ('table_macro', 'macro')"
            ).fetchall()
        }
        comments = dict(con.execute("select table_name, comment from duckdb_tables()").fetchall())
    expected = {m.name for layer in ("marts", "kpis") for m in models(layer)}
    assert expected <= names
    assert all(comments[m.name] for m in models("marts"))


def test_cli_load_and_kpis_json(write_csv, tmp_path):
    db = tmp_path / "cli" / "warehouse.duckdb"
    runner = CliRunner()
    result = runner.invoke(app, ["load", str(_cases(write_csv, "c.csv")), "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "published snapshot" in result.output
    result = runner.invoke(app, ["kpis", "--quarter", "2024Q1", "--json", "--db", str(db)])
    assert result.exit_code == 0, result.output
    payload = json.loads(result.output)
    assert payload["cases_accepted"] == 2 and payload["referrals_out"] == 1
    assert payload["period_start"] == "2024-01-01"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["load", "/nonexistent/file.csv"], "no such file or folder"),
        (["kpis", "--quarter", "2024Q5"], "is not like 2024Q3"),
        (["kpis", "--year", "2024", "--quarter", "2024Q1"], "give one of"),
        (["kpis"], "no data loaded yet"),
    ],
)
def test_cli_user_errors_exit_2_in_one_line(args, message, tmp_path):
    result = CliRunner().invoke(app, [*args, "--db", str(tmp_path / "x" / "w.duckdb")])
    assert result.exit_code == 2
    assert message in result.output
    assert "Traceback" not in result.output


def test_cli_rejected_file_exits_2(write_csv, tmp_path):
    bad = write_csv("bad.csv", [["foo", "bar"], ["1", "2"]])
    result = CliRunner().invoke(app, ["load", str(bad), "--db", str(tmp_path / "w.duckdb")])
    assert result.exit_code == 2
    assert "headers match no record kind" in result.output


def test_every_published_column_is_documented(write_csv, load_into, wh_paths):
    """The schema browser and the DuckDB catalog show each column's meaning (set in the SQL)."""
    load_into(_cases(write_csv, "cases.csv"))
    with warehouse.read_snapshot(wh_paths) as con:
        undocumented = con.execute(
            "select table_name || '.' || column_name from duckdb_columns() "
            "where schema_name = 'main' and (comment is null or comment = '') "
            "and table_name in (select table_name from duckdb_tables()) order by 1"
        ).fetchall()
    assert undocumented == []


def test_a_snapshot_that_breaks_a_grain_is_not_published(
    write_csv, load_into, wh_paths, monkeypatch
):
    # a model bug that counts a case twice: here fct_cases declared unique by ip_type, which
    # the two cases of the second file share ("patent" both) — the load must refuse to publish
    from etl import transform
    from etl.snapshot import GrainError

    first = load_into(_cases(write_csv, "cases-v1.csv"))
    models_of = transform.models

    def wrong_grain(layer: str) -> list:
        return [
            m if m.name != "fct_cases" else replace(m, unique=("ip_type",))
            for m in models_of(layer)
        ]

    monkeypatch.setattr(transform, "models", wrong_grain)
    second = _cases(write_csv, "cases-v2.csv", status="已结案", closed="2024-03-20")
    rows = second.read_text(encoding="utf-8").replace("trademark", "patent")
    second.write_text(rows, encoding="utf-8")
    with pytest.raises(GrainError, match=r"marts/fct_cases.*ip_type.*'patent'"):
        load_into(second)
    assert warehouse.current_snapshot(wh_paths) == first.snapshot  # the last good one stays
    assert not list(wh_paths.snapshots.glob(".*.building*"))  # and no half-built file
    monkeypatch.setattr(transform, "models", models_of)
    fixed = load_into(second)  # the fix in place: the same file loads and publishes
    assert fixed.snapshot is not None and fixed.snapshot != first.snapshot


def test_a_small_file_loads_on_one_thread_and_the_rest_as_configured(
    write_csv, load_into, monkeypatch
):
    from etl import raw
    from etl.sources import cells

    seen = _threads_seen(monkeypatch, raw, "insert_file")
    path = _cases(write_csv, "cases_small.csv")
    load_into(path)
    monkeypatch.setattr(cells, "SMALL_FILE_BYTES", 0)  # now every file counts as big
    load_into(_cases(write_csv, "cases_big.csv", status="closed", closed="2024-03-05"))
    assert seen == [1, _configured_threads()]


def _threads_seen(monkeypatch, module, name: str) -> list[int]:
    """The DuckDB thread setting each call of `module.name(con, …)` runs with, as it runs."""
    seen: list[int] = []
    function = getattr(module, name)

    def watched(con, *args, **kwargs):
        seen.append(con.execute("select current_setting('threads')").fetchall()[0][0])
        return function(con, *args, **kwargs)

    monkeypatch.setattr(module, name, watched)
    return seen


def _configured_threads() -> int:
    return duckdb.connect().execute("select current_setting('threads')").fetchall()[0][0]


def test_threads_are_restored_after_the_block_whatever_happens():
    con = duckdb.connect()
    (before,) = con.execute("select current_setting('threads')").fetchall()[0]
    with pytest.raises(RuntimeError), warehouse.threads(con, 1):
        assert con.execute("select current_setting('threads')").fetchall()[0][0] == 1
        raise RuntimeError("a file's fault")
    assert con.execute("select current_setting('threads')").fetchall()[0][0] == before
    with warehouse.threads(con, None):
        assert con.execute("select current_setting('threads')").fetchall()[0][0] == before


def test_the_next_file_is_judged_while_one_is_written(write_csv, load_into, monkeypatch):
    """The two stages overlap: the first file's insert waits (up to 10 s) for the gate to start
    on the second file, which only happens if judging runs beside writing."""
    import threading

    from etl import raw
    from etl.gate import Gate

    first = _cases(write_csv, "cases_a.csv")
    second = _cases(write_csv, "cases_b.csv", status="closed", closed="2024-03-05")
    second_judged = threading.Event()
    overlapped: list[bool] = []
    check, insert_file = Gate.check, raw.insert_file

    def watched_check(self, path, *args, **kwargs):
        if path == second:
            second_judged.set()
        return check(self, path, *args, **kwargs)

    def waiting_insert(con, result, path, *args, **kwargs):
        if path == first:
            overlapped.append(second_judged.wait(timeout=10))
        return insert_file(con, result, path, *args, **kwargs)

    monkeypatch.setattr(Gate, "check", watched_check)
    monkeypatch.setattr(raw, "insert_file", waiting_insert)
    summary = load_into(first, second)
    assert overlapped == [True]
    assert [f.status for f in summary.files] == ["loaded", "loaded"]  # in the order given


def test_the_same_bytes_twice_in_one_load_are_loaded_once(write_csv, load_into, wh_paths):
    """The second copy is judged only once the first is written, then skipped as loaded."""
    first = _cases(write_csv, "cases_a.csv")
    copy = first.with_name("cases_a_again.csv")
    copy.write_bytes(first.read_bytes())
    summary = load_into(first, copy)
    assert [f.status for f in summary.files] == ["loaded", "skipped"]
    assert "same bytes as cases_a.csv" in summary.files[1].message
    assert query(wh_paths, "select count(*) from fct_cases") == [(2,)]


def test_a_failed_write_stops_the_load_before_the_file_judged_beside_it(
    write_csv, load_into, wh_paths, monkeypatch
):
    from etl import raw

    first = _cases(write_csv, "cases_a.csv")
    second = _cases(write_csv, "cases_b.csv", status="closed", closed="2024-03-05")
    insert_file = raw.insert_file

    def failing(con, result, path, *args, **kwargs):
        if path == first:
            raise RuntimeError("the disk went away")
        return insert_file(con, result, path, *args, **kwargs)

    monkeypatch.setattr(raw, "insert_file", failing)
    with pytest.raises(RuntimeError, match="the disk went away"):
        load_into(first, second)
    con = duckdb.connect(str(wh_paths.db), read_only=True)
    try:
        assert con.execute("select count(*) from raw.load_files").fetchone() == (0,)
        assert con.execute("select count(*) from raw.cases").fetchone() == (0,)
    finally:
        con.close()
    assert warehouse.current_snapshot(wh_paths) is None


def test_the_snapshot_is_built_on_every_thread_after_small_files(write_csv, load_into, monkeypatch):
    from etl import snapshot

    seen = _threads_seen(monkeypatch, snapshot, "build")
    load_into(
        _cases(write_csv, "cases_a.csv"),
        _cases(write_csv, "cases_b.csv", status="closed", closed="2024-03-05"),
    )
    assert _configured_threads() > 1 and seen == [_configured_threads()]
