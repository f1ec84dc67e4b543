"""Progress inside one file (etl/progress.py, issue 13): DuckDB's estimate sampled by a thread
while a real statement runs, bytes read for the Python passes, through the real load and check
paths; the poller gone after success and failure; the throttle; the bar text in both languages
(dashboard/progress_text.py) and a bar drawn from another thread (dashboard/file_bars.py)."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import duckdb
import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import CATALOG
from dashboard.progress_text import progress_label
from etl import warehouse
from etl.gate import check_paths
from etl.load import load
from etl.progress import (
    QUIET,
    RUNNING_CAP,
    STEPS,
    FileProgress,
    Progress,
    Throttled,
)
from tests.conftest import TODAY

ROWS = 6_000_000  # a statement of about a second on the test machine: several samples
SLOW = f"create or replace table t as select i, md5(i::varchar) as h from range({ROWS}) r(i)"
MIB = 1 << 20


def _pollers() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name == "ipgov-progress"]


def _setting(con: duckdb.DuckDBPyConnection) -> bool:
    return con.execute("select current_setting('enable_progress_bar')").fetchall()[0][0]


def _fractions(events: list[Progress], step: str) -> list[float | None]:
    return [e.fraction for e in events if e.step == step]


@pytest.fixture
def con():
    con = warehouse.connect_scratch()
    yield con
    con.close()


def test_a_running_statement_reports_growing_fractions_then_done(con, tmp_path):
    path = tmp_path / "takedowns.csv"
    path.write_bytes(b"x" * 1000)
    events: list[Progress] = []
    with FileProgress(events.append, path).statement(con, "judge", rows=ROWS):
        con.execute(SLOW)
    fractions = _fractions(events, "judge")
    assert fractions[0] == 0.0 and fractions[-1] == 1.0  # said at the start, done at the end
    running = fractions[1:-1]
    assert len(running) >= 3, fractions  # sampled from DuckDB while the statement ran
    assert all(0.0 < f <= RUNNING_CAP for f in running), fractions
    assert fractions == sorted(fractions)
    assert {e.rows for e in events} == {ROWS} and {e.size_bytes for e in events} == {1000}
    assert not _pollers()  # the thread is gone with the statement
    assert con.execute("select count(*) from t").fetchall() == [(ROWS,)]
    assert _setting(con) is False  # DuckDB's estimate switched off again


def test_a_failing_statement_raises_as_without_progress_and_leaves_no_thread(con, tmp_path):
    path = tmp_path / "takedowns.csv"
    path.write_bytes(b"x")
    events: list[Progress] = []
    failing = (  # fails on its last row, after a while of work
        "create or replace table t as select cast(case when i = "
        f"{ROWS - 1} then 'x' else i::varchar end as integer) as n from range({ROWS}) r(i)"
    )
    with (
        pytest.raises(duckdb.ConversionException),
        FileProgress(events.append, path).statement(con, "parse"),
    ):
        con.execute(failing)
    assert not _pollers()
    assert 1.0 not in _fractions(events, "parse")  # never said done
    assert con.execute("select 42").fetchall() == [(42,)]  # the connection still works
    assert _setting(con) is False


def test_an_error_of_the_hook_is_raised_after_the_statement_not_inside_it(con, tmp_path):
    path = tmp_path / "takedowns.csv"
    path.write_bytes(b"x")

    def broken(progress: Progress) -> None:
        if progress.fraction and progress.fraction < 1:
            raise RuntimeError("the bar broke")

    with (
        pytest.raises(RuntimeError, match="the bar broke"),
        FileProgress(broken, path).statement(con, "parse"),
    ):
        con.execute(SLOW)
    assert con.execute("select count(*) from t").fetchall() == [(ROWS,)]  # it ran to the end
    assert not _pollers()


def test_without_a_hook_nothing_is_measured(con):
    before = _setting(con)
    with QUIET.statement(con, "parse"):
        assert not _pollers()
        con.execute("select 1").fetchall()
    assert _setting(con) == before and QUIET.reader("hash") is None and not QUIET.active


def test_fractions_of_a_step_only_grow_until_it_restarts(tmp_path):
    path = tmp_path / "f.csv"
    path.write_bytes(b"x" * 10)
    events: list[Progress] = []
    progress = FileProgress(events.append, path)
    for f in (0.2, 0.5, 0.3, 1.7):
        progress.report("scan", f)
    progress.restart("scan")
    progress.report("scan", 0.1)
    assert _fractions(events, "scan") == [0.2, 0.5, 0.5, 1.0, 0.1]
    assert [e.bytes_done for e in events] == [2, 5, 5, 10, 1]


def test_throttle_passes_each_step_start_its_end_and_whole_percents(tmp_path):
    a, b = tmp_path / "a.csv", tmp_path / "b.csv"
    passed: list[Progress] = []
    slow = Throttled(passed.append, seconds=3600)
    for f in (0.0, 0.1, 0.5, 0.99, 1.0):
        slow(Progress(a, "parse", f))
    slow(Progress(a, "judge", None))
    slow(Progress(b, "parse", 0.3))  # another file has its own clock
    assert [(p.name, p.step, p.fraction) for p in passed] == [
        ("a.csv", "parse", 0.0), ("a.csv", "parse", 1.0), ("a.csv", "judge", None),
        ("b.csv", "parse", 0.3)]  # fmt: skip
    passed.clear()
    fast = Throttled(passed.append, seconds=0)
    for f in (0.0, 0.001, 0.009, 0.01, 0.015, 0.02, 0.5):
        fast(Progress(a, "parse", f))
    assert [p.fraction for p in passed] == [0.0, 0.01, 0.02, 0.5]  # each whole percent once


def big_takedowns(sample: Path, out: Path, rows: int) -> Path:
    """The sample's 2023 takedowns repeated to `rows` rows, each with its own notice id: an
    office-shaped file of ~120 bytes a row."""
    source = pl.read_csv(sample / "takedowns_2023.csv", infer_schema=False)
    repeated = pl.concat([source] * (rows // source.height + 1)).head(rows)
    numbered = pl.format("TD2023-{}", pl.int_range(1, rows + 1).cast(pl.String).str.zfill(7))
    out.parent.mkdir(parents=True, exist_ok=True)
    repeated.with_columns(numbered.alias("notice_id")).write_csv(out)
    return out


@pytest.fixture(scope="module")
def big_file(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A 400,000-row takedowns CSV of about 49 MB."""
    return big_takedowns(sample_dir, tmp_path_factory.mktemp("big") / "takedowns_big.csv", 400_000)


def test_a_load_reports_each_step_of_a_big_file(big_file, tmp_path):
    events: list[Progress] = []
    lock = threading.Lock()

    def hook(progress: Progress) -> None:
        with lock:  # called from the read-ahead and the poller threads too
            events.append(progress)

    summary = load([big_file], tmp_path / "wh" / "warehouse.duckdb", today=TODAY,
                   reports=False, on_progress=hook)  # fmt: skip
    assert [f.rows_loaded for f in summary.files] == [400_000]
    size = big_file.stat().st_size
    assert {e.path for e in events} == {big_file} and {e.size_bytes for e in events} == {size}
    order = list(dict.fromkeys(e.step for e in events))
    assert order == ["hash", "scan", "parse", "judge", "insert"]
    assert set(order) <= set(STEPS)
    for step in order:
        fractions = _fractions(events, step)
        assert fractions == sorted(fractions) and fractions[-1] == 1.0, (step, fractions)
        assert all(0.0 <= f <= 1.0 for f in fractions)
    # the SHA-256 reads 1 MiB at a time: each chunk is said, as a share of the file's bytes
    chunks = -(-size // MIB)
    hashed = _fractions(events, "hash")
    assert hashed == [min(k * MIB, size) / size for k in range(1, chunks)] + [RUNNING_CAP, 1.0]
    assert len(_fractions(events, "scan")) >= 3  # 16 MiB chunks of the line count
    parsed = [f for f in _fractions(events, "parse") if 0 < f < 1]
    assert parsed, _fractions(events, "parse")  # DuckDB's estimate while it parsed the cells
    assert {e.rows for e in events if e.step in ("judge", "insert")} == {400_000}
    assert not _pollers()


def test_check_reports_reading_and_parsing_of_each_file(big_file, sample_dir):
    events: list[Progress] = []
    lock = threading.Lock()

    def hook(progress: Progress) -> None:
        with lock:
            events.append(progress)

    small = sample_dir / "trademarks_2023.xlsx"  # a workbook: read in one call, no percentage
    reports = check_paths([big_file, small], today=TODAY, on_progress=hook)
    assert [r.verdict for r in reports] == ["ok", "ok"]
    steps = {path: list(dict.fromkeys(e.step for e in events if e.path == path))
             for path in (big_file, small)}  # fmt: skip
    assert steps == {big_file: ["scan", "parse", "judge"], small: ["scan", "parse", "judge"]}
    assert [e.fraction for e in events if e.path == small and e.step == "scan"] == [None, 1.0]
    assert all(_fractions(events, s)[-1] == 1.0 for s in ("scan", "parse", "judge"))


GB_1_2 = 1_200_000_000  # 1.2 GB as the file picker counts it (decimal)


@pytest.mark.parametrize(
    ("step", "fraction", "zh", "en"),
    [
        ("judge", 0.42, "正在检查 takedowns.csv：42%（约 504 MB / 1.2 GB）",
         "Checking takedowns.csv: 42% (about 504 MB of 1.2 GB)"),
        ("hash", 0.5, "正在计算校验值 takedowns.csv：50%（600 MB / 1.2 GB）",
         "Hashing takedowns.csv: 50% (600 MB of 1.2 GB)"),
        ("scan", 0.005, "正在读取 takedowns.csv：0%（6.0 MB / 1.2 GB）",
         "Reading takedowns.csv: 0% (6.0 MB of 1.2 GB)"),
        ("parse", 0.0, "正在解析 takedowns.csv：0%", "Parsing takedowns.csv: 0%"),
        ("compare", None, "正在与数据仓库比对 takedowns.csv…",
         "Comparing with the warehouse: takedowns.csv…"),
    ],
)  # fmt: skip
def test_the_bar_text_in_both_languages(step, fraction, zh, en):
    progress = Progress(Path("up/takedowns.csv"), step, fraction, 5, GB_1_2)
    assert progress_label(progress, "zh") == zh
    assert progress_label(progress, "en") == en


def test_every_step_is_named_in_both_languages():
    keys = [f"up_progress_{step}" for step in STEPS] + [
        "up_progress_bytes", "up_progress_estimate", "up_progress_percent",
        "up_progress_unknown", "up_progress_waiting", "up_progress_done"]  # fmt: skip
    for key in keys:
        assert set(CATALOG[key]) == {"zh", "en"} and all(CATALOG[key].values()), key
    for step in STEPS:  # the Chinese page speaks Chinese: no English word in a step's name
        assert not any(c.isascii() and c.isalpha() for c in CATALOG[f"up_progress_{step}"]["zh"])


def _bar_from_another_thread(path: str, size: int) -> None:
    """A page drawing a file's bar, then a report arriving from a thread Streamlit did not
    start (as DuckDB's poller's and the read-ahead's do)."""
    import threading
    from pathlib import Path

    import streamlit as st

    from dashboard.file_bars import FileBars
    from etl.progress import Progress

    bars = FileBars([Path(path)], "zh")
    report = Progress(Path(path), "judge", 0.42, None, size)
    worker = threading.Thread(target=bars.hook, args=(report,))
    worker.start()
    worker.join()
    st.session_state["updates"] = bars.updates


def test_a_report_from_another_thread_reaches_the_page(tmp_path):
    path = tmp_path / "takedowns.csv"
    at = AppTest.from_function(_bar_from_another_thread, args=(str(path), GB_1_2))
    at.run(timeout=30)
    assert not at.exception, at.exception
    (bar,) = at.get("progress")
    assert (bar.proto.value, bar.proto.text) == (
        42,
        "正在检查 takedowns.csv：42%（约 504 MB / 1.2 GB）",
    )
    assert at.session_state["updates"] == 1


def test_the_cli_off_a_terminal_says_each_step_once_and_nothing_with_json(sample_dir, tmp_path):
    from typer.testing import CliRunner

    from dashboard.cli import app

    path = sample_dir / "takedowns_2023.csv"
    db = tmp_path / "wh" / "warehouse.duckdb"
    loaded = CliRunner().invoke(app, ["load", str(path), "--db", str(db)])
    assert loaded.exit_code == 0, loaded.output
    steps = [line for line in loaded.stderr.splitlines() if line.startswith(path.name + ": ")]
    assert steps == [f"{path.name}: {s}…" for s in ("hash", "scan", "parse", "judge", "insert")]
    checked = CliRunner().invoke(app, ["check", str(path), "--json"])
    assert checked.exit_code == 0 and checked.stderr == ""
    assert json.loads(checked.stdout)["files"][0]["rows_read"] == 2000
