"""`ipgov sql --out` never destroys what it did not write, and the page's downloads are bounded
in bytes (issue 12).

Every test runs the real command (typer's CliRunner) or the page's real download function and
asserts what is on disk afterwards: the bytes, the inode, the kind of file, no temporary file
left, the published snapshot still verifying. The warehouse whose files are attacked is a copy of
the session's sample, so a regression here cannot break the other tests' warehouse.
"""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import stat
import threading
import time
import tracemalloc
from pathlib import Path

import duckdb
import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import console, downloads
from dashboard.cli import app
from dashboard.console import target, writers
from dashboard.i18n import t
from etl import appdb, settings, warehouse

REFERRALS = "select case_id, direction, received_on from fct_referrals order by case_id"
RUNAWAY = "select count(*) from range(1000000) a, range(1000000) b"
WIDE = "select md5(i::varchar) || md5((i * 7)::varchar) as digest, i from range({rows}) t(i)"


@pytest.fixture(autouse=True)
def _default_sql_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    for setting in settings.SETTINGS:
        if setting.name.startswith(("sql_", "download_")):
            monkeypatch.delenv(f"IPGOV_{setting.name.upper()}", raising=False)


@pytest.fixture(scope="module")
def own_wh(sample_wh, tmp_path_factory) -> warehouse.WarehousePaths:
    """A copy of the sample warehouse (ingest db, snapshots, CURRENT) plus an app database."""
    folder = tmp_path_factory.mktemp("own-wh") / "wh"
    # the database files alone, not SQLite's -wal/-shm: copied while another test writes the
    # sample's app database, a write-ahead log could be torn (the listings compared below were
    # broken by an unclosed connection instead, see _unchanged)
    shutil.copytree(sample_wh.folder, folder, ignore=shutil.ignore_patterns("*-wal", "*-shm"))
    paths = warehouse.WarehousePaths(folder / sample_wh.db.name)
    appdb.save_query(paths, "referrals", REFERRALS, "every referral")
    return paths


def sql(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(app, ["sql", *args], env=env)


def fingerprint(path: Path) -> tuple[int, int, int, str]:
    """What must not change: inode, size, mtime and the bytes (lstat: a link is not followed)."""
    info = path.lstat()
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if stat.S_ISREG(info.st_mode) else ""
    return info.st_ino, info.st_size, info.st_mtime_ns, digest


def listing(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


def referrals(paths: warehouse.WarehousePaths) -> list[tuple]:
    return console.run(paths, REFERRALS, console.Limits(max_rows=100_000)).table.to_pylist()


# --- a refused, failed or stopped query leaves the target as it was ---------------------------


@pytest.mark.parametrize(
    ("query", "env", "says"),
    [
        ("drop table fct_cases", {}, "refused: DROP statement"),  # refused by the guard
        ("select * from no_such_table", {}, "no_such_table"),  # refused by the engine
        ("select cast('x' || range as integer) from range(10)", {}, "Conversion Error"),
        # fails while the file is being written: after the first batches are in the file (a
        # date Python cannot hold no longer fails: it is written as text since the worker)
        (
            "select case when range < 50000 then range::varchar "
            "else error('stopped on purpose') end as v from range(100000)",
            {},
            "stopped on purpose",
        ),
        (RUNAWAY, {"IPGOV_SQL_EXPORT_TIME_LIMIT_SECONDS": "1"}, "stopped after 1 s (time limit)"),
    ],
    ids=["refused", "not-found", "failed", "failed-writing", "timed-out"],
)
def test_a_query_that_does_not_finish_leaves_the_file_byte_identical(
    own_wh, tmp_path, query, env, says
):
    out = tmp_path / "result.json"
    out.write_text('[{"kept": true}]\n', encoding="utf-8")
    before, files = fingerprint(out), listing(tmp_path)
    result = sql(query, "--out", str(out), "--overwrite", "--db", str(own_wh.db), env=env)
    assert result.exit_code == 2, result.output
    assert says in result.output and len(result.output.strip().splitlines()) == 1
    assert fingerprint(out) == before
    assert listing(tmp_path) == files  # no temporary file left behind


def test_a_stopped_query_creates_no_file(own_wh, tmp_path):
    out = tmp_path / "runaway.csv"
    result = sql(
        RUNAWAY,
        "--out",
        str(out),
        "--db",
        str(own_wh.db),
        env={"IPGOV_SQL_EXPORT_TIME_LIMIT_SECONDS": "1"},
    )
    assert result.exit_code == 2 and "time limit" in result.output
    assert listing(tmp_path) == []


# --- the warehouse's own files are refused, even with --overwrite -----------------------------


def _protected(paths: warehouse.WarehousePaths) -> dict[str, Path]:
    current = warehouse.published_snapshot(paths)
    return {
        "ingest-db": paths.db,
        "current-snapshot": current,
        "CURRENT": paths.current_pointer,
        "app-db": paths.app_db,
    }


def _unchanged(paths: warehouse.WarehousePaths) -> dict[str, object]:
    """The protected files' fingerprints; for the app database its rows but the audit trail's,
    which records the refused statement itself (issue 12: every statement is audited)."""
    import sqlite3
    from contextlib import closing

    prints: dict[str, object] = {
        name: fingerprint(p) for name, p in _protected(paths).items() if name != "app-db"
    }
    # closed here, not when the collector finds it: an open connection keeps SQLite's -wal and
    # -shm beside the app database, and its closing later removed them in the middle of a
    # listing compared below (failed once in CI)
    with closing(sqlite3.connect(paths.app_db)) as con:
        tables = [r[0] for r in con.execute("select name from sqlite_master where type = 'table'")]
        prints["app-db"] = {
            t: con.execute(f"select * from {t} order by 1").fetchall()
            for t in tables
            if t not in ("audit_log", "sqlite_sequence")
        }
    return prints


@pytest.mark.parametrize("which", ["ingest-db", "current-snapshot", "CURRENT", "app-db"])
@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_the_warehouses_files_are_refused_and_unchanged(own_wh, which, fmt):
    from dashboard.access import audit

    victim = _protected(own_wh)[which]
    before = _unchanged(own_wh)
    folders = {own_wh.folder: listing(own_wh.folder), own_wh.snapshots: listing(own_wh.snapshots)}
    result = sql(
        "select 1 as one",
        "--format",
        fmt,
        "--out",
        str(victim),
        "--overwrite",
        "--db",
        str(own_wh.db),
    )
    assert result.exit_code == 2, result.output
    line = result.output.strip()
    assert line.startswith(f"error: refused: {victim} is ") and "warehouse's own files" in line
    assert _unchanged(own_wh) == before
    (refused,) = audit.entries(own_wh, action="sql", limit=1)
    assert (refused.outcome, refused.target) == ("refused", str(victim))
    assert {folder: listing(folder) for folder in folders} == folders
    warehouse.verify_snapshot(own_wh)  # the dashboard's snapshot still reads, every block
    assert len(referrals(own_wh)) > 0
    assert [q.name for q in appdb.saved_queries(own_wh)] == ["referrals"]


@pytest.mark.parametrize(
    "name", ["warehouse.duckdb.wal", "warehouse.snapshots/new.parquet", "warehouse.app.sqlite-wal"]
)
def test_new_files_among_the_warehouses_are_refused_and_not_created(own_wh, name):
    victim = own_wh.folder / name
    before = {folder: listing(folder) for folder in (own_wh.folder, own_wh.snapshots)}
    result = sql("select 1", "--format", "parquet", "--out", str(victim), "--db", str(own_wh.db))
    assert result.exit_code == 2 and "warehouse's own files" in result.output
    assert not os.path.lexists(victim)
    assert {folder: listing(folder) for folder in before} == before


def test_the_default_warehouse_is_protected_too(own_wh, sample_wh, tmp_path, monkeypatch):
    """--db names another warehouse, but IPGOV_DB's files are refused all the same."""
    monkeypatch.setenv("IPGOV_DB", str(own_wh.db))
    other = tmp_path / "other" / "warehouse.duckdb"
    before = fingerprint(own_wh.db)
    result = sql("select 1", "--format", "csv", "--out", str(own_wh.db), "--db", str(other))
    assert result.exit_code == 2 and "the ingest warehouse" in result.output
    assert fingerprint(own_wh.db) == before


def test_any_database_file_is_refused(own_wh, tmp_path):
    """Another warehouse's files are not known by name, but they are databases."""
    copy = tmp_path / "copy.duckdb"
    shutil.copy(warehouse.published_snapshot(own_wh), copy)
    before = fingerprint(copy)
    result = sql("select 1", "--format", "csv", "--out", str(copy), "--overwrite")
    assert result.exit_code == 2 and f"{copy} is a DuckDB database" in result.output
    assert fingerprint(copy) == before


# --- special files, links, folders ------------------------------------------------------------


def test_dev_null_is_refused_and_still_there(own_wh):
    """Only the check, on the machine's real /dev/null: run through the command, a regression
    would delete it for every process on the machine (the old code did, run as root). The whole
    command is tested on a device of the test's own, below."""
    before = os.lstat("/dev/null")
    with pytest.raises(target.TargetRefused) as refused:
        target.check(Path("/dev/null"), own_wh, overwrite=True)
    assert str(refused.value).startswith(
        "refused: /dev/null is not a regular file (a device, FIFO or socket)"
    )
    after = os.lstat("/dev/null")
    assert stat.S_ISCHR(after.st_mode) and after.st_rdev == before.st_rdev


def test_a_device_is_refused_and_still_there(own_wh, tmp_path):
    device = tmp_path / "null.csv"
    try:
        os.mknod(device, stat.S_IFCHR | 0o666, os.makedev(1, 3))  # /dev/null's numbers
    except PermissionError:
        pytest.skip("making a device needs root")
    before = fingerprint(device)
    result = sql("select 1", "--out", str(device), "--overwrite", "--db", str(own_wh.db))
    assert result.exit_code == 2
    assert f"{device} is not a regular file (a device, FIFO or socket)" in result.output
    assert stat.S_ISCHR(device.lstat().st_mode) and fingerprint(device) == before
    assert listing(tmp_path) == ["null.csv"]


def test_a_fifo_is_refused_and_still_there(own_wh, tmp_path):
    fifo = tmp_path / "pipe.csv"
    os.mkfifo(fifo)
    reader = os.open(fifo, os.O_RDONLY | os.O_NONBLOCK)  # so a regression fails, not hangs
    try:
        result = sql("select 1", "--out", str(fifo), "--overwrite", "--db", str(own_wh.db))
    finally:
        os.close(reader)
    assert result.exit_code == 2 and "is not a regular file" in result.output
    assert stat.S_ISFIFO(fifo.lstat().st_mode)
    assert listing(tmp_path) == ["pipe.csv"]


@pytest.mark.parametrize("dangling", [False, True])
def test_a_symlink_is_refused_and_neither_it_nor_its_target_changes(own_wh, tmp_path, dangling):
    real = tmp_path / "real.csv"
    if not dangling:
        real.write_text("kept\n")
    link = tmp_path / "link.csv"
    link.symlink_to(real)
    before = fingerprint(link), (fingerprint(real) if not dangling else None)
    result = sql("select 1", "--out", str(link), "--overwrite", "--db", str(own_wh.db))
    assert result.exit_code == 2 and f"{link} is a symbolic link" in result.output
    assert link.is_symlink() and os.readlink(link) == str(real)
    assert (fingerprint(link), (fingerprint(real) if not dangling else None)) == before
    assert os.path.exists(real) is not dangling  # a dangling link's target is not created


def test_a_folder_is_refused(own_wh, tmp_path):
    folder = tmp_path / "result.csv"
    folder.mkdir()
    result = sql("select 1", "--out", str(folder), "--overwrite", "--db", str(own_wh.db))
    assert result.exit_code == 2 and "is a folder" in result.output
    assert folder.is_dir() and listing(folder) == []


def test_a_missing_folder_is_refused_and_not_created(own_wh, tmp_path):
    out = tmp_path / "no" / "such" / "result.csv"
    result = sql("select 1", "--out", str(out), "--db", str(own_wh.db))
    assert result.exit_code == 2
    assert f"the folder {out.parent} does not exist" in result.output
    assert not (tmp_path / "no").exists()


# --- existing files, --overwrite, and what a success writes -----------------------------------


def test_an_existing_file_needs_overwrite(own_wh, tmp_path):
    out = tmp_path / "result.csv"
    out.write_text("my own notes\n")
    before = fingerprint(out)
    refused = sql(REFERRALS, "--out", str(out), "--db", str(own_wh.db))
    assert refused.exit_code == 2
    assert refused.output.strip() == (
        f"error: refused: {out} already exists; add --overwrite to replace it"
    )
    assert fingerprint(out) == before

    replaced = sql(REFERRALS, "--out", str(out), "--overwrite", "--db", str(own_wh.db))
    assert replaced.exit_code == 0, replaced.output
    got = duckdb.sql(f"select * from read_csv('{out}') order by case_id").fetchall()
    want = [tuple(r.values()) for r in referrals(own_wh)]
    assert got == want and len(got) > 100
    assert listing(tmp_path) == ["result.csv"]
    assert out.stat().st_mode & 0o777 == 0o666 & ~_umask()  # an ordinary file, not 0600


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def _read_back(path: Path) -> list[tuple]:
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        return [tuple(r.values()) for r in table.to_pylist()]
    if path.suffix == ".csv":
        return duckdb.sql(f"select * from read_csv('{path}')").fetchall()
    if path.suffix == ".json":
        return [tuple(r.values()) for r in json.loads(path.read_text(encoding="utf-8"))]
    sheet = openpyxl.load_workbook(path, read_only=True).active
    return [tuple(row) for row in list(sheet.iter_rows(values_only=True))[1:]]


@pytest.mark.parametrize("fmt", console.FORMATS)
def test_success_writes_the_right_rows(own_wh, tmp_path, fmt):
    out = tmp_path / f"referrals.{fmt}"
    result = sql(REFERRALS, "--out", str(out), "--db", str(own_wh.db))
    assert result.exit_code == 0, result.output
    want = referrals(own_wh)
    assert f"wrote {len(want):,} rows to {out}" in result.output
    got = _read_back(out)
    assert len(got) == len(want)
    assert [(r[0], r[1]) for r in got] == [(w["case_id"], w["direction"]) for w in want]
    first = str(got[0][2])[:10]
    assert first == want[0]["received_on"].isoformat()
    assert listing(tmp_path) == [out.name]


def test_overwrite_without_out_is_a_mistake(own_wh):
    result = sql("select 1", "--overwrite", "--db", str(own_wh.db))
    assert result.exit_code == 2 and "--overwrite needs --out FILE" in result.output


def test_the_target_is_checked_again_before_it_is_put_in_place(own_wh, tmp_path, monkeypatch):
    """A name made a symlink while the query ran is refused at the end, and not followed."""
    out = tmp_path / "result.csv"
    elsewhere = tmp_path / "elsewhere.csv"
    elsewhere.write_text("kept\n")
    checked = target.check

    def check(path: Path, paths: warehouse.WarehousePaths, overwrite: bool) -> None:
        checked(path, paths, overwrite)
        if not out.is_symlink():  # the first check passed; now someone swaps the name
            out.symlink_to(elsewhere)

    monkeypatch.setattr(target, "check", check)
    with pytest.raises(target.TargetRefused, match="symbolic link"):
        console.export(own_wh, "select 1 as one", "csv", out, overwrite=True)
    assert out.is_symlink() and elsewhere.read_text() == "kept\n"
    assert listing(tmp_path) == ["elsewhere.csv", "result.csv"]


def test_without_overwrite_a_file_that_appears_meanwhile_is_kept(own_wh, tmp_path, monkeypatch):
    out = tmp_path / "result.csv"
    checked = target.check
    calls = []

    def check(path: Path, paths: warehouse.WarehousePaths, overwrite: bool) -> None:
        calls.append(path)
        if len(calls) == 2:  # someone writes the name while the query runs
            out.write_text("theirs\n")
            return
        checked(path, paths, overwrite)

    monkeypatch.setattr(target, "check", check)
    with pytest.raises(target.TargetRefused, match="appeared while the query ran"):
        console.export(own_wh, "select 1 as one", "csv", out)
    assert out.read_text() == "theirs\n" and listing(tmp_path) == ["result.csv"]


# --- the byte cap -----------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", console.FORMATS)
def test_the_byte_cap_cuts_and_the_file_stays_within_it(own_wh, tmp_path, fmt):
    cap = 256 * 1024
    sink = io.BytesIO()
    done = console.export(own_wh, WIDE.format(rows=100_000), fmt, sink, max_bytes=cap)
    data = sink.getvalue()
    assert done.cut_by == "bytes" and done.truncated and 0 < done.rows < 100_000
    assert len(data) == done.bytes <= cap
    assert done.bytes > cap * 0.8, "cut near the cap, not far below it"
    path = tmp_path / f"cut.{fmt}"
    path.write_bytes(data)
    got = _read_back(path)  # a whole, readable file: the first rows in order
    assert len(got) == done.rows
    assert [int(r[1]) for r in got] == list(range(done.rows))


@pytest.mark.parametrize("fmt", ["parquet", "xlsx"])
def test_a_file_over_the_cap_is_written_again_with_fewer_rows(own_wh, fmt, monkeypatch):
    """Parquet and XLSX are measured only when finished: with no reserve and no per-row
    estimate, the first pass comes out over the cap, and the second pass fits."""
    monkeypatch.setattr(writers, "_rows_that_fit", lambda spent, rows, batch_rows, room: batch_rows)
    cap = 256 * 1024
    sink = io.BytesIO()
    done = console.export(own_wh, WIDE.format(rows=30_000), fmt, sink, max_bytes=cap)
    assert done.passes > 1 and done.cut_by == "bytes"
    assert len(sink.getvalue()) == done.bytes <= cap


def test_a_result_within_the_cap_is_not_cut(own_wh):
    sink = io.BytesIO()
    done = console.export(own_wh, REFERRALS, "parquet", sink, max_bytes=1024**2)
    assert done.cut_by == "" and not done.truncated and done.passes == 1
    assert pq.read_table(sink).num_rows == len(referrals(own_wh))


def test_the_row_cap_is_told_apart_from_the_byte_cap(own_wh, tmp_path):
    out = tmp_path / "rows.csv"
    result = sql(
        "select * from range(50)",
        "--out",
        str(out),
        "--db",
        str(own_wh.db),
        env={"IPGOV_SQL_EXPORT_MAX_ROWS": "20"},
    )
    assert result.exit_code == 0, result.output
    assert "stopped at 20 rows (the export's row cap, IPGOV_SQL_EXPORT_MAX_ROWS)" in result.output
    assert len(out.read_text().splitlines()) == 21


def test_a_page_download_is_capped_in_bytes_and_says_so(own_wh, monkeypatch):
    from dashboard import queries

    monkeypatch.setenv("IPGOV_DB", str(own_wh.db))
    monkeypatch.setenv("IPGOV_DOWNLOAD_MAX_MB", "1")
    query = WIDE.format(rows=200_000)  # 13 MB of CSV
    snapshot = queries.snapshot_id()
    data = queries.sql_export(query, "csv", snapshot)
    assert len(data) <= 1024**2
    assert data.startswith(b"\xef\xbb\xbf")
    frame = pl.read_csv(io.BytesIO(data[3:]))
    build = queries.sql_download_outcome(query, "csv", snapshot)
    assert build is not None and build.export is not None
    assert build.export.cut_by == "bytes" and frame.height == build.export.rows
    assert frame["i"].to_list() == list(range(frame.height))


@pytest.mark.parametrize("fmt", ["csv", "parquet", "xlsx"])
def test_a_capped_download_holds_about_the_cap_in_memory(own_wh, monkeypatch, fmt):
    """Python's own allocations while the page builds a 1 MiB download of a ~70 MB result stay
    within a few MiB: the file is built on disk and read once; the result is never held.
    (DuckDB's and Arrow's memory is not traced here; benchmarks/downloads.py measures the whole
    process: docs/performance.md#sql-console-downloads.)"""
    from dashboard import queries

    monkeypatch.setenv("IPGOV_DB", str(own_wh.db))
    monkeypatch.setenv("IPGOV_DOWNLOAD_MAX_MB", "1")
    query = WIDE.format(rows=1_000_000)
    snapshot = queries.snapshot_id()
    queries.sql_export("select 1 as one", fmt, snapshot)  # one-time imports are not the download
    tracemalloc.start()
    try:
        data = queries.sql_export(query, fmt, snapshot)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert 0.9 * 1024**2 < len(data) <= 1024**2
    assert peak < 4 * 1024**2, f"peak {peak / 1024**2:.1f} MiB"


# --- the page: the caps, and what a download did ----------------------------------------------


def sql_page(lang: str) -> None:
    from dashboard.views import sql

    sql.render(lang)


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_says_a_download_was_cut(own_wh, monkeypatch, lang):
    from dashboard import queries

    monkeypatch.setenv("IPGOV_DB", str(own_wh.db))
    monkeypatch.setenv("IPGOV_DOWNLOAD_MAX_MB", "1")
    query = WIDE.format(rows=123_450 + len(lang) + ord(lang[0]))  # one registry key per test
    at = AppTest.from_function(sql_page, args=(lang,), default_timeout=60).run()
    at.text_area(key="sql_text").set_value(query)
    at.button(key="sql_run").click().run()
    assert not at.exception and not at.error
    caps = t("sql_download_caps", lang, rows="1,000,000", mb="1")
    assert caps in [c.value for c in at.caption]
    shown = [w.value for w in at.warning]
    assert shown == [t("sql_truncated", lang, rows="10,000", export="1,000,000")]

    # what a click runs, in Streamlit's worker thread; then the click's rerun
    queries.sql_export(query, "parquet", queries.snapshot_id())
    at.run()
    build = queries.sql_download_outcome(query, "parquet", queries.snapshot_id())
    assert build is not None and build.export is not None
    rows = f"{build.export.rows:,}"
    want = t("sql_download_cut_bytes", lang, fmt="Parquet", rows=rows, mb="1")
    assert [w.value for w in at.warning] == [*shown, want]


def test_a_click_waits_for_its_download(monkeypatch):
    """The click's rerun (on_click) waits for the build the same click started in a worker."""
    key = ("snap", f"select {time.time()}", "csv")
    started = time.monotonic()
    result: list[downloads.Build | None] = []
    waiter = threading.Thread(target=lambda: result.append(downloads.wait(key, started, 30)))
    waiter.start()
    time.sleep(0.2)
    with downloads.building(key) as build:
        time.sleep(0.3)
        build.export = console.Export("csv", 1, True, 0.3, 10, 100, "bytes", 100)
    waiter.join(5)
    assert result and result[0] is build and result[0].export.cut_by == "bytes"


def test_a_click_without_a_download_does_not_hang(monkeypatch):
    monkeypatch.setattr(downloads, "START_GRACE_SECONDS", 0.2)
    started = time.monotonic()
    assert downloads.wait(("snap", "never built", "csv"), started, 30) is None
    assert time.monotonic() - started < 2


def test_a_failed_download_is_recorded(own_wh, monkeypatch):
    from dashboard import queries

    monkeypatch.setenv("IPGOV_DB", str(own_wh.db))
    # fails while the file is being written (an infinite date no longer does: the worker
    # writes it as text)
    query = "select case when range < 50000 then range else error('stopped on purpose') end as v "
    query += "from range(100000)"
    with pytest.raises(console.SqlRefused):
        queries.sql_export(query, "xlsx", queries.snapshot_id())
    build = queries.sql_download_outcome(query, "xlsx", queries.snapshot_id())
    assert build is not None and build.export is None
    assert "stopped on purpose" in str(build.error)
