"""`ipgov load`: source files → quality gate → raw (append + lineage) → staging → marts → snapshot.

Every file passes the data-quality gate (etl/gate/) before anything of it is written: a file
rejected as a whole leaves the warehouse as it was (only its rejection is recorded, in
raw.load_rejections); a file with bad rows loads its good rows and sends the others to
raw.quarantine. Each file is loaded in its own transaction, so a crash leaves every file either
fully loaded or not at all; files are written in order, the next one read and judged while one is
written; a file whose SHA-256 was loaded before is skipped, so re-running a load is harmless.
Staging and marts are rebuilt in one transaction after the files, then published as a snapshot,
with a JSON report and GX data docs under the warehouse folder's reports/.

This module runs the steps in order and reports them; each step lives with its job: the gate in
etl/gate/, writing raw in etl/raw.py, the models and the snapshot in etl/publish.py.
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as dt
import json
import shutil
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import duckdb

from etl import publish, raw, reverts, snapshot, warehouse
from etl.errors import FileRejected, IpgovError
from etl.gate import FileReport, Gate, engine, report_json
from etl.gate.oracle import DataDocs
from etl.progress import OnProgress, for_file
from etl.sources.cells import is_small_file
from etl.sources.csv_files import remove_leftover_copies
from etl.sources.files import EXCEL_SUFFIXES, source_files
from etl.sources.stage import stage_ahead
from etl.sources.staged import StagedCells

GATE_RESULTS = ".gate-results.json"  # suffix of a load's saved gate results, in reports/


@dataclass
class FileOutcome:
    """What happened to one source file."""

    path: Path
    status: str  # loaded | skipped | rejected
    kind: str | None = None
    rows_read: int = 0
    rows_loaded: int = 0
    rows_quarantined: int = 0
    seconds: float = 0.0
    message: str = ""  # English; why a file was skipped or rejected
    message_zh: str = ""
    report: FileReport | None = None  # the quality gate's verdict (not for skipped)


@dataclass
class LoadSummary:
    load_id: str
    files: list[FileOutcome] = field(default_factory=list)
    snapshot: Path | None = None
    seconds: float = 0.0
    report: Path | None = None  # the JSON report of this load
    data_docs: Path | None = None  # GX's HTML data docs (index page), when asked for
    gate_results: Path | None = None  # what `ipgov data-docs` renders them from
    warnings: list[str] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)  # seconds: files, marts, snapshot…
    snapshot_build: str = ""  # full | incremental (etl/snapshot.py), when one was published
    snapshot_reason: str = ""  # why full; for incremental, what was recomputed
    snapshot_steps: dict[str, float] = field(default_factory=dict)  # seconds of its steps

    def phase(self, name: str, since: float) -> float:
        """Record the seconds of phase `name`, begun at `since`; the time it ended."""
        now = time.perf_counter()
        self.phases[name] = now - since
        return now

    @property
    def rejected(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "rejected"]

    @property
    def quarantined(self) -> list[FileOutcome]:
        return [f for f in self.files if f.status == "loaded" and f.rows_quarantined]


@dataclass
class Prepared:
    """What can be done for a file before its turn, in a thread beside DuckDB's work on the
    one before: its SHA-256 and, for a CSV, the reading checks (etl/sources/csv_files.py); for
    a workbook, calamine's reading of the data sheet (etl/sources/workbooks.py) — work on one
    core while DuckDB's threads are busy with the previous file."""

    sha256: str
    staged: StagedCells | FileRejected | None = None

    def discard(self) -> None:
        if isinstance(self.staged, StagedCells):
            self.staged.close_files()


def _prepare(
    path: Path,
    folder: Path,
    loaded: set[str],
    kind: str | None = None,
    on_progress: OnProgress | None = None,
) -> Prepared:
    progress = for_file(on_progress, path)
    prepared = Prepared(raw.sha256_of(path, progress))
    if prepared.sha256 in loaded:
        return prepared
    try:
        prepared.staged = stage_ahead(path, kind, folder, progress)
    except FileRejected as e:
        prepared.staged = e
    except Exception:
        if path.suffix.lower() not in EXCEL_SUFFIXES:
            raise
        # calamine failed without saying why: the gate reads the workbook again on its turn and
        # reports the failure as it always did (a rejection, never a stopped load)
    return prepared


@dataclass
class _Judged:
    """A file between its two stages: judged on its cursor (its rows in that cursor's temporary
    tables), not yet written; or skipped, its bytes loaded before."""

    path: Path
    sha256: str
    started: float
    con: duckdb.DuckDBPyConnection
    report: FileReport | None = None
    result: engine.Judged | None = None
    skipped: FileOutcome | None = None


def _judge_file(
    con: duckdb.DuckDBPyConnection,
    gate: Gate,
    path: Path,
    kind: str | None,
    prepared: Prepared | None = None,
    on_progress: OnProgress | None = None,
) -> _Judged:
    """The first stage: skip a file whose bytes raw holds, else read and judge it on `con`."""
    started = time.perf_counter()
    progress = for_file(on_progress, path)
    sha256 = prepared.sha256 if prepared else raw.sha256_of(path, progress)
    seen = con.execute(
        f"select source_file, load_id from raw.load_files where source_sha256 = ? {raw.LIVE}",
        [sha256],
    ).fetchall()
    if seen:
        if prepared:
            prepared.discard()
        skipped = FileOutcome(
            path,
            "skipped",
            message=f"same bytes as {seen[0][0]} (load {seen[0][1]})",
            message_zh=f"与已加载的 {seen[0][0]}（批次 {seen[0][1]}）内容相同，跳过",
        )
        return _Judged(path, sha256, started, con, skipped=skipped)
    report, result = gate.check(
        path, kind, prepared.staged if prepared else None, on_progress, con=con
    )
    return _Judged(path, sha256, started, con, report, result)


def _write_file(
    judged: _Judged,
    load_id: str,
    loaded_at: dt.datetime,
    allow_revert: bool = False,
    on_progress: OnProgress | None = None,
) -> FileOutcome:
    """The second stage, on the cursor the file was judged on, after every file before it is
    written: the revert check against raw as those left it, then the rejection recorded or the
    good rows inserted, in one transaction."""
    if judged.skipped is not None:
        return judged.skipped
    con, path, sha256 = judged.con, judged.path, judged.sha256
    report, result = judged.report, judged.result
    assert report is not None
    progress = for_file(on_progress, path)
    back = None if result is None else reverts.find(con, result.kind, result.good_rows_sql())
    if back and not allow_revert:
        engine.drop_tables(con)
        report = dataclasses.replace(
            report,
            verdict="rejected",
            reason_code="revert",
            message_en=f"{path.name}: {back.message()}",
            message_zh=f"{path.name}：{back.message_zh()}",
        )
        result = None
    if result is None:
        engine.drop_tables(con)  # a file rejected by --strict after it was judged
        raw.record_rejection(con, report, path, sha256, load_id, loaded_at)
        return FileOutcome(
            path,
            "rejected",
            report.kind,
            report.rows_read,
            0,
            report.rows_quarantined,
            time.perf_counter() - judged.started,
            report.message_en,
            report.message_zh,
            report,
        )
    con.begin()
    try:
        raw.insert_file(con, result, path, sha256, load_id, loaded_at, progress)
        con.commit()
    except BaseException:
        warehouse.rollback(con)
        raise
    finally:
        engine.drop_tables(con)
    return FileOutcome(
        path,
        "loaded",
        result.kind.name,
        result.rows_read,
        result.rows_valid,
        result.rows_quarantined,
        time.perf_counter() - judged.started,
        # a revert loaded on purpose is said, not hidden
        f"put {back.count} record(s) back to an older version: {back.listed}" if back else "",
        f"已将 {back.count} 条记录恢复为较早的版本：{back.listed}" if back else "",
        report=report,
    )


def _load_files(
    con: duckdb.DuckDBPyConnection,
    gate: Gate,
    files: list[Path],
    kind: str | None,
    folder: Path,
    load_id: str,
    loaded_at: dt.datetime,
    allow_revert: bool = False,
    on_progress: OnProgress | None = None,
) -> Iterator[FileOutcome]:
    """Each file in two stages, judged then written, and one file written while the next is
    judged: two cursors take turns, a file's rows staying in the temporary tables of the one it
    was judged on. The file after that is prepared in a third thread meanwhile.

    A file's writing waits for the one before it (one writer thread), so its revert check sees
    raw as every earlier file left it, and a failed write stops the load before any later file
    is written; only the judging, which reads the file and writes nothing, runs ahead. Two files
    with the same bytes are not judged side by side: the second waits for the first to be
    written, then is skipped. Scale 50: the files phase 5.2–5.4 → 4.0–4.4 s (a file's insert
    and commit kept 1.2 of the 2 cores busy; docs/performance.md, session 16)."""
    loaded = {
        sha
        for (sha,) in con.execute(
            f"select source_sha256 from raw.load_files where true {raw.LIVE}"
        ).fetchall()
    }
    cursors = [con, con.cursor()]
    (configured,) = con.execute("select current_setting('threads')").fetchall()[0]
    ahead: Future[Prepared] | None = None
    writing: Future[FileOutcome] | None = None
    writing_sha, writing_small = "", False
    with (
        warehouse.threads(con, configured),  # whatever the files set, restored after
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipgov-prepare") as pool,
        ThreadPoolExecutor(max_workers=1, thread_name_prefix="ipgov-write") as writer,
    ):
        try:
            for i, path in enumerate(files):
                current = ahead or pool.submit(_prepare, path, folder, loaded, kind, on_progress)
                ahead = None
                if i + 1 < len(files):
                    ahead = pool.submit(_prepare, files[i + 1], folder, loaded, kind, on_progress)
                prepared = current.result()
                if writing is not None and prepared.sha256 == writing_sha:
                    yield writing.result()  # the same bytes again: skipped once those are in
                    writing = None
                small = is_small_file(path)
                # small files on one thread: their queries are a few row groups at most, and a
                # second thread only waits, burning CPU (docs/performance.md, session 15). The
                # setting is the database's, so one only when the file written beside is small
                # too; a big file's statement never loses a thread while it runs.
                cursor = cursors[i % 2]  # the other one may be writing the file before
                count = 1 if small and (writing is None or writing_small) else configured
                cursor.execute(f"set threads = {int(count)}")
                judged = _judge_file(cursor, gate, path, kind, prepared, on_progress)
                if writing is not None:
                    yield writing.result()
                writing = writer.submit(
                    _write_file, judged, load_id, loaded_at, allow_revert, on_progress
                )
                writing_sha, writing_small = judged.sha256, small
            if writing is not None:
                outcome, writing = writing.result(), None
                yield outcome
        finally:
            if writing is not None:  # a failure beside it: let the write end, then stop
                with contextlib.suppress(BaseException):
                    writing.result()
            if ahead is not None:
                ahead.cancel()
                with contextlib.suppress(BaseException):
                    ahead.result().discard()
            cursors[1].close()


def load(
    inputs: Iterable[Path],
    db: Path,
    kind: str | None = None,
    on_file: Callable[[FileOutcome], None] | None = None,
    today: dt.date | None = None,
    *,
    strict: bool = False,
    validate: bool = True,
    reports: bool = True,
    data_docs: bool = False,
    allow_revert: bool = False,
    on_progress: OnProgress | None = None,
) -> LoadSummary:
    """Load source files into the warehouse at `db` and publish a new snapshot if anything new.

    on_progress: told how far each file's steps have come (etl/progress.py: hash, scan, parse,
    judge, insert), from this thread and the read-ahead one; on_file: each file's outcome.

    allow_revert: load a file even if it puts records back to an older version (etl/reverts.py;
    said in its outcome); without it such a file is rejected, naming the records.
    strict: a file with any bad row is rejected as a whole. validate=False checks only the
    suites' type and required rules (the parser's own): for the benchmark, not for users.
    reports=False writes no JSON report and no gate results. data_docs=True also renders GX's
    data docs now (`render_data_docs` does it later from the saved results).
    """
    started = time.perf_counter()
    inputs = list(inputs)
    files = source_files(inputs)
    if not files:
        raise IpgovError("no CSV, XLSX or Parquet files found in " + ", ".join(map(str, inputs)))
    paths = warehouse.WarehousePaths(db)
    summary = LoadSummary(raw.new_load_id())
    loaded_at = dt.datetime.now(dt.UTC).replace(tzinfo=None)
    today = today or dt.date.today()
    con = warehouse.connect_ingest(paths)
    gate = Gate(  # files are judged on this connection, their rows inserted from it
        today,
        strict=strict,
        validate=validate,
        docs_dir=paths.reports / "data_docs" if reports else None,
        run_name=summary.load_id,
        con=con,
        scratch=paths.folder,
    )
    try:
        raw.ensure_raw(con)
        warehouse.remove_unfinished_snapshots(paths)  # we hold the ingest lock: no one builds
        remove_leftover_copies(paths.folder)  # a killed load's transcoded files
        phase = time.perf_counter()
        for outcome in _load_files(
            con,
            gate,
            files,
            kind,
            paths.folder,
            summary.load_id,
            loaded_at,
            allow_revert,
            on_progress,
        ):
            summary.files.append(outcome)
            if on_file:
                on_file(outcome)
        phase = summary.phase("files", phase)
        # A rejection is news too: officials see it on the Data quality page.
        changed = any(f.status in ("loaded", "rejected") for f in summary.files)
        if changed or publish.snapshot_is_stale(con, paths, today):
            publish.rebuild_marts(con, today)
            phase = summary.phase("marts", phase)
            built = snapshot.build(con, paths, summary.load_id)
            summary.snapshot, summary.snapshot_build = built.path, built.mode
            summary.snapshot_reason, summary.snapshot_steps = built.reason, built.steps
            phase = summary.phase("snapshot", phase)
            publish.prune(con, paths)
    except (duckdb.Error, OSError) as e:
        # disk full, read-only folder, damaged file: the transactions and the atomic publish
        # leave the last good state in place; say so in one line instead of a traceback
        fault = warehouse.environment_fault(e, paths.db)
        if fault is None:
            raise
        raise IpgovError(fault) from e
    finally:
        con.close()
    if reports:
        phase = time.perf_counter()
        _write_reports(summary, gate, paths, today, strict, data_docs)
        summary.phase("reports", phase)
    summary.seconds = time.perf_counter() - started
    return summary


def _write_reports(
    summary: LoadSummary,
    gate: Gate,
    paths: warehouse.WarehousePaths,
    today: dt.date,
    strict: bool,
    data_docs: bool,
) -> None:
    """reports/<load_id>.json, the gate's results (reports/<load_id>.gate-results.json) and,
    when asked for, GX's data docs. The data is loaded by now, so a report that cannot be
    written is a warning, never a failed load."""
    try:
        summary.gate_results = gate.save_docs(paths.reports / f"{summary.load_id}{GATE_RESULTS}")
    except OSError as e:
        summary.warnings.append(f"gate results not written: {e}")
    if data_docs:
        try:
            summary.data_docs = gate.build_docs()
        except Exception as e:  # GX rendering is not worth failing a finished load for
            summary.warnings.append(f"data docs not written: {type(e).__name__}: {e}")
    judged = [f.report for f in summary.files if f.report is not None]
    payload = report_json(
        judged,
        load_id=summary.load_id,
        today=today.isoformat(),
        strict=strict,
        snapshot=summary.snapshot.name if summary.snapshot else None,
        snapshot_build={
            "mode": summary.snapshot_build,
            "detail": summary.snapshot_reason,
            "seconds": summary.snapshot_steps,
        }
        if summary.snapshot
        else None,
        data_docs=str(summary.data_docs) if summary.data_docs else None,
        skipped=[
            {"file": f.path.name, "message": f.message, "message_zh": f.message_zh}
            for f in summary.files
            if f.status == "skipped"
        ],
    )
    try:
        paths.reports.mkdir(parents=True, exist_ok=True)
        target = paths.reports / f"{summary.load_id}.json"
        target.write_text(json.dumps(payload, ensure_ascii=False, indent=2, default=str) + "\n")
        summary.report = target
    except OSError as e:
        summary.warnings.append(f"report not written: {e}")


def render_data_docs(db: Path, load_id: str | None = None) -> Path:
    """GX's HTML data docs of a load (default: the latest that judged a file), rendered from the
    results it saved, into reports/data_docs/ beside the warehouse (replacing the site rendered
    there before); the index page."""
    paths = warehouse.WarehousePaths(db)
    if load_id is None:
        saved = sorted(paths.reports.glob(f"*{GATE_RESULTS}"))
        if not saved:
            raise IpgovError(f"no load of {db} has saved gate results in {paths.reports}")
        results = saved[-1]
    else:
        results = paths.reports / f"{load_id}{GATE_RESULTS}"
        if not results.is_file():
            raise IpgovError(f"load {load_id} saved no gate results ({results} is missing)")
    site = paths.reports / "data_docs"
    shutil.rmtree(site, ignore_errors=True)  # generated pages only: no page of another load
    docs = DataDocs.read(results, site).build()
    assert docs is not None  # a saved file lists at least one judged file
    return docs
