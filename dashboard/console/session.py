"""One console run in the sandbox, under its limits.

The engine (`warehouse.open_sandbox`): a fresh in-memory DuckDB instance holding only the
published snapshot, ATTACHed read-only; external access off (no files, no ATTACH, no
extensions); configuration locked (no SET/RESET can lift a limit); a memory limit, a thread cap
and no spilling to disk. The ingest database (raw tables, personal data) is never opened.

Each run is checked first (dashboard/console/guard.py), then has a time limit (a watchdog thread
calls `interrupt()` on the connection) and a cap on the rows and bytes read (at most cap + 1 rows
are fetched). Every DuckDB or Arrow error becomes a one-line `SqlRefused`.

This runs inside a console worker process (dashboard/console/worker.py), never in the
dashboard's own: DuckDB's memory limit does not cover every allocation and its interrupt is not
seen inside one huge value, so the process around it is what bounds a runaway
(dashboard/console/isolation.py)."""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING

import duckdb
import pyarrow as pa

from dashboard.console.convert import displayable, python_safe
from dashboard.console.guard import check_references, parse
from dashboard.console.limits import Limits
from dashboard.console.refusal import SqlRefused, first_line
from etl import warehouse

if TYPE_CHECKING:
    import polars as pl

# Byte bounds besides the row caps: 10,000 rows of 100 MB strings would still exhaust the server.
DISPLAY_MAX_BYTES = 64 * 1024**2
BATCH_ROWS = 10_000
NUMERIC_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER"}
    | {"UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE"}
)
NOT_REACHABLE_HINT = (
    "the console sees only the published marts and KPI views (no raw tables, no personal data); "
    "see the schema browser or `ipgov sql --schema`"
)


@dataclass
class Result:
    """The rows shown for one run (at most `max_rows`) and how the run went."""

    snapshot: str
    sql: str
    table: pa.Table
    types: list[str]
    truncated: bool
    elapsed_seconds: float
    limit_rows: int

    @property
    def columns(self) -> list[str]:
        return self.table.column_names

    @property
    def rows(self) -> int:
        return self.table.num_rows

    def frame(self) -> pl.DataFrame:
        """The shown rows as a polars frame (intervals and unions as text, polars has neither).

        polars is imported here, not at the top: the worker process never needs it, and not
        importing it makes a new worker start faster."""
        import polars as pl

        return pl.from_arrow(self.table, rechunk=True)  # type: ignore[return-value]


class Watchdog:
    """Interrupts the connection when the time limit passes (DuckDB checks between vectors)."""

    def __init__(self, con: duckdb.DuckDBPyConnection, seconds: float) -> None:
        self.seconds = seconds
        self.deadline = time.monotonic() + seconds
        self.fired = threading.Event()
        self._con = con
        self._timer = threading.Timer(seconds, self._fire)
        self._timer.daemon = True

    def _fire(self) -> None:
        self.fired.set()
        self._con.interrupt()

    def check(self) -> None:
        """Stop Python-side work (writing an export) at the same deadline."""
        if time.monotonic() > self.deadline:
            self.fired.set()
            raise self.refusal()

    def refusal(self) -> SqlRefused:
        return SqlRefused(
            "time_limit",
            f"stopped after {self.seconds:g} s (time limit)",
            seconds=f"{self.seconds:g}",
        )

    def __enter__(self) -> Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def refusal_of(error: Exception, limits: Limits, watchdog: Watchdog | None) -> SqlRefused:
    """A DuckDB (or, while streaming, Arrow) error as one line: what was stopped and why."""
    if watchdog is not None and (
        watchdog.fired.is_set() or isinstance(error, duckdb.InterruptException)
    ):
        return watchdog.refusal()
    if isinstance(error, duckdb.OutOfMemoryException | MemoryError) or (
        "Out of Memory Error" in str(error)
    ):
        return memory_refusal(limits.memory_limit)
    if "maximum total string size" in str(error):  # Arrow's 2 GiB of text per column and batch
        return SqlRefused(
            "too_large",
            "stopped: the result holds more text than can be shown (over 2 GB in one batch of "
            "rows) — select shorter values or fewer rows",
        )
    if isinstance(error, duckdb.PermissionException):
        return SqlRefused(
            "file_access",
            "refused: the console cannot read or write files, attach databases or load "
            "extensions (external access is off)",
        )
    line = first_line(error)
    if isinstance(error, duckdb.CatalogException | duckdb.BinderException) and (
        "not found" in line or "does not exist" in line
    ):
        what, name = _missing(line)
        return SqlRefused(
            "not_found", f"{line} — {NOT_REACHABLE_HINT}", detail=line, what=what, name=name
        )
    return SqlRefused("error", line, detail=line, category=_category(line))


def memory_refusal(limit: str) -> SqlRefused:
    return SqlRefused(
        "memory_limit",
        f"stopped: the query needs more than {limit} of memory (memory limit)",
        limit=limit,
    )


# What a DuckDB error is about, from the words that start its message ("Binder Error: …"), so
# the page can say it in the reader's language and keep DuckDB's English line for analysts.
ERROR_CATEGORIES = {
    "Binder Error": "binder",
    "Conversion Error": "conversion",
    "Invalid Input Error": "invalid_input",
    "Out of Range Error": "out_of_range",
    "Parser Error": "syntax",
    "Not implemented Error": "not_implemented",
    "Catalog Error": "catalog",
    "Invalid Error": "invalid_input",
}
_MISSING_PATTERNS = (
    (re.compile(r'Referenced column "([^"]+)" not found'), "column"),
    (re.compile(r'column "?([^"\s]+)"? (?:not found|does not exist)', re.I), "column"),
    (re.compile(r"(?:Scalar|Aggregate|Table|Macro) Function with name \"?([^\s\"!]+)"), "function"),
    (re.compile(r"(?:Table|View) with name \"?([^\s\"!]+)"), "table"),
    (re.compile(r"Schema with name \"?([^\s\"!]+)"), "schema"),
)


def _missing(line: str) -> tuple[str, str]:
    """What kind of name a 'not found' error is about and the name (a table, a column …)."""
    for pattern, what in _MISSING_PATTERNS:
        found = pattern.search(line)
        if found:
            return what, found.group(1)
    return "object", ""


def _category(line: str) -> str:
    head = line.split(":", 1)[0].strip()
    return ERROR_CATEGORIES.get(head, "other")


@contextlib.contextmanager
def open_session(
    paths: warehouse.WarehousePaths, limits: Limits, snapshot: str | None
) -> Iterator[tuple[str, duckdb.DuckDBPyConnection]]:
    snapshot_id, con = warehouse.open_sandbox(
        paths, limits.memory_limit, limits.threads, snapshot_id=snapshot
    )
    try:
        yield snapshot_id, con
    finally:
        con.close()


@dataclass
class Stream:
    """An open result: its snapshot, column types, and batches read under the time limit."""

    snapshot: str
    schema: pa.Schema
    types: list[str]
    reader: pa.RecordBatchReader
    watchdog: Watchdog

    def batches(self) -> Iterator[pa.RecordBatch]:
        while True:
            try:
                batch = self.reader.read_next_batch()
            except StopIteration:
                return
            self.watchdog.check()
            yield batch


@contextlib.contextmanager
def open_stream(
    paths: warehouse.WarehousePaths,
    sql: str,
    limits: Limits,
    snapshot: str | None,
    batch_rows: int,
    time_limit_seconds: float,
) -> Iterator[Stream]:
    """Check `sql`, open the sandbox, and yield its result as a stream under the time limit.

    Every DuckDB or Arrow error inside becomes a one-line `SqlRefused`.
    """
    statement = parse(sql)
    with open_session(paths, limits, snapshot) as (snapshot_id, con):
        try:
            check_references(con, statement)
        except duckdb.Error as e:
            raise refusal_of(e, limits, None) from None
        reader = None
        with Watchdog(con, time_limit_seconds) as watchdog:
            try:
                relation = con.sql(statement)
                if relation is None:  # a statement without rows; parse() refuses those first
                    raise SqlRefused("statement", "refused: the statement returns no rows")
                types = [str(t) for t in relation.types]
                reader = relation.to_arrow_reader(batch_rows)
                yield Stream(snapshot_id, reader.schema, types, reader, watchdog)
            # OSError: DuckDB's error as an Arrow stream reports it (through the C interface)
            except (duckdb.Error, pa.ArrowException, MemoryError, OSError) as e:
                raise refusal_of(e, limits, watchdog) from None
            except (OverflowError, ValueError) as e:  # a value Python cannot hold (infinite date)
                raise SqlRefused("error", f"a value cannot be shown or written: {e}") from None
            finally:
                if reader is not None:
                    reader.close()


@dataclass
class Cap:
    """Passes batches until `max_rows` rows or `max_bytes` bytes; remembers if it cut."""

    max_rows: int
    max_bytes: int
    rows: int = 0
    size: int = 0
    truncated: bool = False

    def take(self, batches: Iterator[pa.RecordBatch]) -> Iterator[pa.RecordBatch]:
        for batch in batches:
            room = self.max_rows - self.rows
            if batch.num_rows > room or self.size + batch.nbytes > self.max_bytes:
                self.truncated = True
                batch = _fit(batch.slice(0, max(room, 0)), self.max_bytes - self.size)
            self.rows += batch.num_rows
            self.size += batch.nbytes
            if batch.num_rows:
                yield batch
            if self.truncated:
                return


def _fit(batch: pa.RecordBatch, budget: int) -> pa.RecordBatch:
    """The longest prefix of `batch` within `budget` bytes (halving: a few slices at most)."""
    rows = batch.num_rows
    while rows > 0 and batch.slice(0, rows).nbytes > budget:
        rows //= 2
    return batch.slice(0, rows)


def run(
    paths: warehouse.WarehousePaths,
    sql: str,
    limits: Limits | None = None,
    snapshot: str | None = None,
) -> Result:
    """Run one statement in the sandbox and keep at most `max_rows` rows.

    The result is read in batches of at most max_rows + 1 rows and the query is cancelled as soon
    as the cap is passed, so `select * from range(1e12)` costs one batch.
    """
    limits = limits or Limits.from_settings()
    started = time.perf_counter()
    cap = Cap(limits.max_rows, DISPLAY_MAX_BYTES)
    batch_rows = min(limits.max_rows + 1, BATCH_ROWS)
    with open_stream(paths, sql, limits, snapshot, batch_rows, limits.time_limit_seconds) as stream:
        shown = python_safe(pa.Table.from_batches(list(cap.take(stream.batches())), stream.schema))
        batches = [displayable(b) for b in shown.to_batches()]
    table = pa.Table.from_batches(batches, displayable.schema(shown.schema))
    return Result(
        stream.snapshot,
        sql,
        table,
        stream.types,
        cap.truncated,
        time.perf_counter() - started,
        limits.max_rows,
    )
