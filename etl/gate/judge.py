"""The gate's one call: `Gate.check(path) -> (FileReport, Judged | None)`, for every file.

Whatever the file's size or format, the reader (etl/sources/reader.py) stages it and parses its
cells into DuckDB, the engine (etl/gate/engine.py) executes the kind's committed suite over them,
and the report (etl/gate/report.py) describes each failing cell for the clerk. The loader passes
its own connection, so the good rows are inserted from where they already are; `ipgov check`
judges on a private in-memory connection and writes nothing.

The gate never raises for anything about a file: a file-level fault rejects the file with its
code, any other exception inside the gate rejects it with `gate_error` (a bug, said so) — never a
half-loaded file. Only a fault of the machine (a full disk, a read-only folder) stops the load.
"""

from __future__ import annotations

import datetime as dt
import tempfile
import time
from pathlib import Path

import duckdb

from etl import warehouse
from etl.errors import FileRejected
from etl.gate import engine, suites
from etl.gate.engine import Judged
from etl.gate.oracle import PARTIAL_ROWS, DataDocs
from etl.gate.report import FileReport, describe, rejected_report
from etl.progress import OnProgress, for_file
from etl.sources.faults import reject
from etl.sources.files import source_files
from etl.sources.reader import read_rows
from etl.sources.staged import StagedCells


class Gate:
    """Judges files one by one on one DuckDB connection, for a whole load or check.

    `validate=False` keeps only the parser's own type and required checks (the benchmark's
    baseline); `docs_dir` makes `build_docs` render GX's HTML data docs there. `con`: the
    loader's connection (else a private in-memory one); `scratch`: where a transcoded copy of a
    GB18030 or UTF-16 file may be written.
    """

    def __init__(
        self,
        today: dt.date | None = None,
        *,
        strict: bool = False,
        validate: bool = True,
        docs_dir: Path | None = None,
        run_name: str | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
        scratch: Path | None = None,
    ) -> None:
        self.today = today or dt.date.today()
        self.con = con
        self.scratch = scratch
        self._own_con: duckdb.DuckDBPyConnection | None = None
        self.strict = strict
        self.validate = validate
        self.docs_dir = docs_dir
        self.run_name = run_name or dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        self._docs = DataDocs(docs_dir, self.run_name, self.today) if docs_dir else None

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self.con is not None:
            return self.con
        if self._own_con is None:
            self._own_con = warehouse.connect_scratch()
        return self._own_con

    def close(self) -> None:
        """Close the private connection of a gate that was given none."""
        if self._own_con is not None:
            self._own_con.close()
            self._own_con = None

    def check(
        self,
        path: Path,
        kind: str | None = None,
        staged: StagedCells | FileRejected | None = None,
        on_progress: OnProgress | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
    ) -> tuple[FileReport, Judged | None]:
        """The verdict on one file and, unless rejected, its judged rows (waiting in DuckDB
        until the loader inserts them; on a gate's own connection, until the next check).
        `staged`: the file's cells staged ahead (load._prepare), or the fault found doing so.
        `on_progress`: how far reading, parsing and judging it have come (etl/progress.py).
        `con`: judge on this connection instead of the gate's own (the loader's cursors take
        turns: one file judged while the one before is written, etl/load.py)."""
        started = time.perf_counter()
        progress = for_file(on_progress, path)
        con = con or self._connection()
        if self.con is None:
            engine.drop_tables(con)  # the previous file's rows: nobody will insert them
        try:
            if isinstance(staged, FileRejected):
                raise staged
            folder = self.scratch or Path(tempfile.gettempdir())
            rows = read_rows(con, path, kind, folder, staged, progress)
            suite = suites.load_suite(rows.kind)
            found, text, rows_bad, rules = engine.judge(
                con, rows, suite, self.today, self.validate, progress
            )
            problems = describe(rows.kind, found, text, path.name, rows.sheet)
            judged = Judged(rows, problems, rows_bad, con)
            report = self._report(path, judged, rules)
            if self._docs is not None:
                positions = [p for p, _ in engine.checked(suite, self.validate)]
                failing = engine.failing_rows(con, PARTIAL_ROWS) if rows_bad else {}
                self._docs.add(
                    path.name,
                    suite,
                    dict(zip(positions, rules, strict=True)),
                    judged.rows_read,
                    failing,
                )
        except FileRejected as e:
            engine.drop_tables(con)
            return rejected_report(path, e, time.perf_counter() - started), None
        except (duckdb.Error, OSError) as e:
            engine.drop_tables(con)
            if warehouse.environment_fault(e, path) is not None:
                raise  # a full disk is the machine's fault, not the file's: the load stops
            return self._gate_error(path, e, started), None
        except Exception as e:  # a bug in the gate: still never half-load a file
            engine.drop_tables(con)
            return self._gate_error(path, e, started), None
        report.seconds = time.perf_counter() - started
        return report, (None if report.verdict == "rejected" else judged)

    def _gate_error(self, path: Path, error: BaseException, started: float) -> FileReport:
        rejection = reject(path, "gate_error", detail=f"{type(error).__name__}: {error}")
        return rejected_report(path, rejection, time.perf_counter() - started)

    def _report(self, path: Path, judged: Judged, rules: list[dict]) -> FileReport:
        """The verdict on a judged file; `--strict` turns any bad row into a rejection."""
        problems = judged.problems
        report = FileReport(
            path,
            "quarantined" if problems.height else "ok",
            kind=judged.kind.name,
            encoding=judged.encoding,
            sheet=judged.sheet,
            rows_read=judged.rows_read,
            rows_valid=judged.rows_valid,
            rows_quarantined=judged.rows_quarantined,
            problems=problems,
            rules=rules,
            ignored_columns=judged.ignored_columns,
        )
        if self.strict and problems.height:
            first = problems.row(0, named=True)
            error = reject(
                path,
                "strict",
                rows=report.rows_quarantined,
                rows_read=report.rows_read,
                first=first["message_en"],
                first_zh=first["message_zh"],
            )
            report.verdict = "rejected"
            report.reason_code = error.code
            report.message_en, report.message_zh = error.reason, error.reason_zh
        return report

    def build_docs(self) -> Path | None:
        """Render GX's HTML data docs for every file judged so far; the index page."""
        return self._docs.build() if self._docs is not None else None

    def save_docs(self, path: Path) -> Path | None:
        """Keep what the data docs are rendered from (etl/gate/oracle.py, `DataDocs.save`)."""
        return self._docs.save(path) if self._docs is not None else None


def check_paths(
    paths: list[Path],
    kind: str | None = None,
    strict: bool = False,
    today: dt.date | None = None,
    on_progress: OnProgress | None = None,
) -> list[FileReport]:
    """`ipgov check`: the load's validation on every file, writing nothing."""
    gate = Gate(today, strict=strict)
    try:
        return [gate.check(path, kind, on_progress=on_progress)[0] for path in source_files(paths)]
    finally:
        gate.close()
