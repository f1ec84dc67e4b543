"""The SQL console's sandbox, shared by `ipgov sql` and the dashboard's SQL page.

Analysts type their own SQL, so every run is bounded by two independent layers:

1. **The engine** (`warehouse.open_sandbox`): a fresh DuckDB instance holding only the published
   snapshot, attached read-only; external access off (no files, no ATTACH, no extensions);
   configuration locked (no SET/RESET can lift a limit); a memory limit, a thread cap and no
   spilling to disk. The ingest database (raw tables, personal data) is never opened.
2. **This module**: DuckDB's own parser splits the text (`duckdb.extract_statements`), so comments,
   case and string tricks are seen exactly as the engine sees them. Exactly one statement, of an
   allowed type (SELECT, which covers WITH / FROM-first / VALUES / DESCRIBE / SHOW / SUMMARIZE, and
   EXPLAIN of a SELECT). The parsed tree (`json_serialize_sql`) is then checked for table functions
   outside a small allow-list (file readers, `query()`, Python scans, profiling switches) and for
   the few catalog functions and views that describe the server rather than the data
   (`duckdb_settings()`, `current_setting()`, `duckdb_databases()`, `PRAGMA database_list`: they
   show file paths and limits). Data-catalog functions (`duckdb_tables()`, `duckdb_columns()`,
   `duckdb_functions()` ...) stay allowed: the schema browser is built from them.

Each run has a time limit (a watchdog thread calls `interrupt()` on the connection), a cap on the
rows shown (`max_rows`, at most cap + 1 rows are fetched) and, for downloads, a cap on the rows
exported (streamed to the file batch by batch). A refusal is `SqlRefused`: one line saying what
was refused and why, never a traceback.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
import math
import re
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, BinaryIO

import duckdb
import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from etl import settings, transform, warehouse
from etl.errors import IpgovError

STARTER_FILE = Path(__file__).parent / "sql" / "starter_queries.sql"
FORMATS = ("csv", "xlsx", "parquet", "json")
MEDIA_TYPES = {
    "csv": "text/csv",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "parquet": "application/vnd.apache.parquet",
    "json": "application/json",
}
MAX_SQL_CHARS = 100_000
# Byte bounds besides the row caps: 10,000 rows of 100 MB strings would still exhaust the server.
DISPLAY_MAX_BYTES = 64 * 1024**2
EXPORT_MAX_BYTES = 1024**3
XLSX_MAX_ROWS = 1_048_575  # Excel's sheet limit, minus the header row
BATCH_ROWS = 10_000
NUMERIC_TYPES = frozenset(
    {"TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT", "UINTEGER"}
    | {"UBIGINT", "UHUGEINT", "FLOAT", "DOUBLE"}
)
EXAMPLE_ROWS = 1_000  # rows read per table for the schema browser's example values

ALLOWED_KINDS = "SELECT, WITH, DESCRIBE, SHOW, EXPLAIN and SUMMARIZE"
# Table functions that only compute or describe the data. Everything else is refused: file
# readers (also stopped by the engine), query()/query_table() (SQL in a string escapes this
# check), Python and Arrow scans, checkpoint, logging and profiling switches.
ALLOWED_TABLE_FUNCTIONS = frozenset(
    {
        "range",
        "generate_series",
        "unnest",
        "repeat",
        "repeat_row",
        "json_each",
        "json_tree",
        "duckdb_tables",
        "duckdb_views",
        "duckdb_columns",
        "duckdb_functions",
        "duckdb_types",
        "duckdb_schemas",
        "duckdb_constraints",
        "duckdb_indexes",
        "duckdb_keywords",
        "duckdb_sequences",
        "duckdb_dependencies",
        "pragma_table_info",
        "pragma_show",
        "pg_timezone_names",
        "icu_calendar_names",
    }
)
# Functions and views that describe the server (paths, limits, extensions, logs) or run SQL held
# in a string.
DENIED_FUNCTIONS = frozenset(
    {"current_setting", "write_log", "json_execute_serialized_sql", "json_serialize_plan"}
)
DENIED_RELATIONS = frozenset(
    {
        "duckdb_settings",
        "duckdb_databases",
        "pragma_database_list",
        "pg_settings",
        "duckdb_extensions",
        "duckdb_secrets",
        "duckdb_logs",
        "duckdb_temporary_files",
        "duckdb_memory",
    }
)
SERVER_CATALOG = DENIED_RELATIONS | {"current_setting"}
NOT_REACHABLE_HINT = (
    "the console sees only the published marts and KPI views (no raw tables, no personal data); "
    "see the schema browser or `ipgov sql --schema`"
)


REFUSAL_CODES = (
    "syntax",
    "too_long",
    "too_complex",
    "empty",
    "multiple",
    "statement",
    "function",
    "server_catalog",
    "time_limit",
    "memory_limit",
    "file_access",
    "not_found",
    "error",
)


class SqlRefused(IpgovError):
    """A statement the console will not run, or a run stopped by a limit.

    `code` (one of REFUSAL_CODES) and `values` let the dashboard say the same in Chinese; the
    message is English.
    """

    def __init__(self, code: str, message: str, **values: object) -> None:
        assert code in REFUSAL_CODES, code
        super().__init__(message)
        self.code = code
        self.values = values


@dataclass(frozen=True)
class Limits:
    """What one run may use; defaults from the IPGOV_SQL_* settings."""

    time_limit_seconds: float = 10.0
    max_rows: int = 10_000
    export_max_rows: int = 1_000_000
    export_time_limit_seconds: float = 120.0
    memory_limit: str = "1GB"
    threads: int = 2

    @classmethod
    def from_settings(cls) -> Limits:
        s = settings.current()  # SettingError for a value that is not a positive number
        return cls(
            time_limit_seconds=s.sql_time_limit_seconds,
            max_rows=s.sql_max_rows,
            export_max_rows=s.sql_export_max_rows,
            export_time_limit_seconds=s.sql_export_time_limit_seconds,
            memory_limit=s.sql_memory_limit,
            threads=s.sql_threads,
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
        """The shown rows as a polars frame (intervals and unions as text, polars has neither)."""
        return pl.from_arrow(self.table, rechunk=True)  # type: ignore[return-value]


@dataclass
class Export:
    """What an export wrote."""

    format: str
    rows: int
    truncated: bool
    elapsed_seconds: float
    limit_rows: int


@dataclass(frozen=True)
class StarterQuery:
    key: str
    title_zh: str
    title_en: str
    sql: str

    def title(self, lang: str) -> str:
        return self.title_zh if lang == "zh" else self.title_en


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str
    comment: str
    examples: list[str]


@dataclass(frozen=True)
class TableDoc:
    """One table, view or table macro of the snapshot, as the schema browser shows it."""

    name: str
    kind: str  # table | view | macro
    comment: str
    columns: list[ColumnDoc] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)
    rows: int | None = None


# --- statement checks -----------------------------------------------------------------------


def _first_line(error: BaseException) -> str:
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    if not lines:
        return type(error).__name__
    hint = next((line for line in lines[1:3] if line.lower().startswith("did you mean")), "")
    return f"{lines[0]} {hint}".strip()


def _explained(query: str) -> str:
    """The statement an EXPLAIN [ANALYZE] [(options)] wraps, found with DuckDB's tokenizer."""
    starts = [pos for pos, _ in duckdb.tokenize(query)]
    tokens = [
        (pos, query[pos:end].strip())
        for (pos, kind), end in zip(duckdb.tokenize(query), [*starts[1:], len(query)], strict=True)
        if kind.name != "comment"
    ]
    i = 1  # tokens[0] is EXPLAIN
    if i < len(tokens) and tokens[i][1].lower() in {"analyze", "analyse"}:
        i += 1
    if i < len(tokens) and tokens[i][1] == "(":
        depth = 0
        while i < len(tokens):
            depth += tokens[i][1].count("(") - tokens[i][1].count(")")
            i += 1
            if depth == 0:
                break
    return query[tokens[i][0] :] if i < len(tokens) else ""


def parse(sql: str, *, inside_explain: bool = False) -> str:
    """The one allowed statement in `sql`, or `SqlRefused` saying what and why.

    Pure (no connection): the save dialog checks a query with it before storing it.
    """
    if len(sql) > MAX_SQL_CHARS:
        raise SqlRefused(
            "too_long",
            f"refused: the query is longer than {MAX_SQL_CHARS:,} characters",
            limit=MAX_SQL_CHARS,
        )
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.ParserException as e:
        raise SqlRefused("syntax", _first_line(e), detail=_first_line(e)) from None
    except (duckdb.Error, ValueError):
        # the parser gave up in another way: refuse rather than guess
        raise SqlRefused(
            "statement",
            f"refused: a statement the console does not run — only {ALLOWED_KINDS}",
            statement="?",
        ) from None
    if not statements:
        raise SqlRefused("empty", "refused: the query is empty — write one SELECT")
    if len(statements) > 1:
        raise SqlRefused(
            "multiple",
            f"refused: {len(statements)} statements — the console runs exactly one per run",
            count=len(statements),
        )
    statement = statements[0]
    try:
        kind = statement.type.name
    except ValueError:  # e.g. UPDATE EXTENSIONS: a type the Python client cannot even name
        kind = "UNKNOWN"
    if kind == "EXPLAIN" and not inside_explain:
        inner = _explained(statement.query)
        try:
            parse(inner, inside_explain=True)
        except SqlRefused as e:
            if e.code != "statement":
                raise
            raise SqlRefused(
                "statement",
                f"refused: EXPLAIN of a {e.values['statement']} statement — EXPLAIN only shows "
                "the plan of a SELECT",
                statement=f"EXPLAIN {e.values['statement']}",
            ) from None
        return statement.query
    if kind != "SELECT":
        # MULTI: a PIVOT without an IN list, which first creates an ENUM type
        label = "PIVOT without IN (…)" if kind == "MULTI" else kind.replace("_", " ")
        raise SqlRefused(
            "statement",
            f"refused: {label} statement — the console only runs {ALLOWED_KINDS} (read-only)",
            statement=label,
        )
    return statement.query


def _walk(tree: Any) -> Iterator[dict]:
    """Every object in a parse tree (iteratively: deep trees must not exhaust the stack)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _bare(name: str) -> str:
    return name.strip().strip('"').lower()


def check_references(con: duckdb.DuckDBPyConnection, statement: str) -> None:
    """Refuse table functions outside the allow-list and catalog objects about the server."""
    kind = duckdb.extract_statements(statement)[0].type.name
    text = _explained(statement) if kind == "EXPLAIN" else statement
    serialized = con.execute("select json_serialize_sql(?)", [text]).fetchone()
    try:
        tree = json.loads(serialized[0]) if serialized else {"error": True}
    except RecursionError:
        raise SqlRefused(
            "too_complex", "refused: the query is nested too deeply to be checked"
        ) from None
    if tree.get("error"):
        message = tree.get("error_message", "the statement could not be analysed")
        raise SqlRefused("syntax", f"refused: {message}", detail=message)
    macros = {
        name
        for (name,) in con.execute(
            "select function_name from duckdb_functions() "
            "where not internal and function_type = 'table_macro'"
        ).fetchall()
    }
    for node in _walk(tree["statements"]):
        if node.get("type") == "TABLE_FUNCTION" and isinstance(node.get("function"), dict):
            name = _bare(node["function"].get("function_name", ""))
            if name in SERVER_CATALOG:
                raise _server_catalog(f"{name}()")
            if name not in ALLOWED_TABLE_FUNCTIONS and name not in macros:
                raise SqlRefused(
                    "function",
                    f"refused: table function {name}() — the console reads only the published "
                    "tables (no files, no SQL in strings, no server switches)",
                    name=name,
                )
        if node.get("class") == "FUNCTION" and _bare(node.get("function_name", "")) in (
            DENIED_FUNCTIONS
        ):
            name = _bare(node["function_name"])
            if name in SERVER_CATALOG:
                raise _server_catalog(f"{name}()")
            raise SqlRefused(
                "function",
                f"refused: function {name}() — it runs SQL held in a string or writes to the "
                "server's log",
                name=name,
            )
        if node.get("type") in {"BASE_TABLE", "SHOW_REF"}:
            name = _bare(node.get("table_name") or "")
            if name in DENIED_RELATIONS:
                raise _server_catalog(name)


def _server_catalog(name: str) -> SqlRefused:
    return SqlRefused(
        "server_catalog",
        f"refused: {name} describes the server (paths, settings), not the data — use "
        "duckdb_tables(), duckdb_columns() or the schema browser",
        name=name,
    )


# --- running ----------------------------------------------------------------------------------


class _Watchdog:
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

    def __enter__(self) -> _Watchdog:
        self._timer.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._timer.cancel()


def _refusal(error: Exception, limits: Limits, watchdog: _Watchdog | None) -> SqlRefused:
    """A DuckDB (or, while streaming, Arrow) error as one line: what was stopped and why."""
    if watchdog is not None and (
        watchdog.fired.is_set() or isinstance(error, duckdb.InterruptException)
    ):
        return watchdog.refusal()
    if isinstance(error, duckdb.OutOfMemoryException) or "Out of Memory Error" in str(error):
        return SqlRefused(
            "memory_limit",
            f"stopped: the query needs more than {limits.memory_limit} of memory (memory limit)",
            limit=limits.memory_limit,
        )
    if isinstance(error, duckdb.PermissionException):
        return SqlRefused(
            "file_access",
            "refused: the console cannot read or write files, attach databases or load "
            "extensions (external access is off)",
        )
    line = _first_line(error)
    if isinstance(error, duckdb.CatalogException | duckdb.BinderException) and (
        "not found" in line or "does not exist" in line
    ):
        what, name = _missing(line)
        return SqlRefused(
            "not_found", f"{line} — {NOT_REACHABLE_HINT}", detail=line, what=what, name=name
        )
    return SqlRefused("error", line, detail=line, category=_category(line))


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
def _session(
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
class _Stream:
    """An open result: its snapshot, column types, and batches read under the time limit."""

    snapshot: str
    schema: pa.Schema
    types: list[str]
    reader: pa.RecordBatchReader
    watchdog: _Watchdog

    def batches(self) -> Iterator[pa.RecordBatch]:
        while True:
            try:
                batch = self.reader.read_next_batch()
            except StopIteration:
                return
            self.watchdog.check()
            yield batch


@contextlib.contextmanager
def _stream(
    paths: warehouse.WarehousePaths,
    sql: str,
    limits: Limits,
    snapshot: str | None,
    batch_rows: int,
    time_limit_seconds: float,
) -> Iterator[_Stream]:
    """Check `sql`, open the sandbox, and yield its result as a stream under the time limit.

    Every DuckDB or Arrow error inside becomes a one-line `SqlRefused`.
    """
    statement = parse(sql)
    with _session(paths, limits, snapshot) as (snapshot_id, con):
        try:
            check_references(con, statement)
        except duckdb.Error as e:
            raise _refusal(e, limits, None) from None
        reader = None
        with _Watchdog(con, time_limit_seconds) as watchdog:
            try:
                relation = con.sql(statement)
                if relation is None:  # a statement without rows; parse() refuses those first
                    raise SqlRefused("statement", "refused: the statement returns no rows")
                types = [str(t) for t in relation.types]
                reader = relation.to_arrow_reader(batch_rows)
                yield _Stream(snapshot_id, reader.schema, types, reader, watchdog)
            except (duckdb.Error, pa.ArrowException) as e:
                raise _refusal(e, limits, watchdog) from None
            except (OverflowError, ValueError) as e:  # a value Python cannot hold (infinite date)
                raise SqlRefused("error", f"a value cannot be shown or written: {e}") from None
            finally:
                if reader is not None:
                    reader.close()


@dataclass
class _Cap:
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
    cap = _Cap(limits.max_rows, DISPLAY_MAX_BYTES)
    batch_rows = min(limits.max_rows + 1, BATCH_ROWS)
    with _stream(paths, sql, limits, snapshot, batch_rows, limits.time_limit_seconds) as stream:
        batches = [_displayable(b) for b in cap.take(stream.batches())]
    table = pa.Table.from_batches(batches, _displayable.schema(stream.schema))
    return Result(
        stream.snapshot,
        sql,
        table,
        stream.types,
        cap.truncated,
        time.perf_counter() - started,
        limits.max_rows,
    )


# --- value conversion -------------------------------------------------------------------------


def _interval_text(value: Any) -> str:
    """A month-day-nano interval as DuckDB prints it: '1 year 2 months 3 days 04:05:06'."""
    months, days, nanos = value.months, value.days, value.nanoseconds
    parts = []
    years, months = divmod(months, 12)
    for count, unit in ((years, "year"), (months, "month"), (days, "day")):
        if count:
            parts.append(f"{count} {unit}{'s' if abs(count) != 1 else ''}")
    if nanos or not parts:
        sign = "-" if nanos < 0 else ""
        seconds, nanos = divmod(abs(nanos), 1_000_000_000)
        clock = f"{sign}{seconds // 3600:02d}:{seconds // 60 % 60:02d}:{seconds % 60:02d}"
        parts.append(clock + (f".{nanos // 1000:06d}".rstrip("0") if nanos else ""))
    return " ".join(parts)


def _text(value: Any) -> str | None:
    """Any value as text: JSON for nested values, DuckDB's notation for intervals."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"  # as SQL writes them
    if hasattr(value, "nanoseconds") and hasattr(value, "months"):
        return _interval_text(value)
    if isinstance(value, bytes):
        return value.hex()
    if isinstance(value, list | dict | tuple):
        return json.dumps(value, ensure_ascii=False, default=_json_default)
    return str(value)


def _json_default(value: Any) -> Any:
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, dt.date | dt.datetime | dt.time):
        return value.isoformat()
    if isinstance(value, dt.timedelta):
        return value.total_seconds()
    return _text(value)


def _finite(value: Any) -> Any:
    """NaN and infinity become null: JSON has neither."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_finite(v) for v in value]
    return value


def _json_row(row: dict[str, Any]) -> str:
    try:
        return json.dumps(row, ensure_ascii=False, default=_json_default, allow_nan=False)
    except ValueError:
        return json.dumps(_finite(row), ensure_ascii=False, default=_json_default)


def _as_text(column: pa.Array | pa.ChunkedArray) -> pa.Array:
    return pa.array([_text(v) for v in column.to_pylist()], pa.string())


@dataclass(frozen=True)
class _Converter:
    """Turns every column whose type is not `kept` into text (for a format that lacks it)."""

    kept: Callable[[pa.DataType], bool]

    def schema(self, schema: pa.Schema) -> pa.Schema:
        return pa.schema(
            [f if self.kept(f.type) else pa.field(f.name, pa.string()) for f in schema]
        )

    def __call__(self, batch: pa.RecordBatch) -> pa.RecordBatch:
        if all(self.kept(f.type) for f in batch.schema):
            return batch
        columns = [
            col if self.kept(f.type) else _as_text(col)
            for f, col in zip(batch.schema, batch.columns, strict=True)
        ]
        return pa.RecordBatch.from_arrays(columns, schema=self.schema(batch.schema))


def _polars_can(t: pa.DataType) -> bool:
    if pa.types.is_interval(t) or pa.types.is_union(t):
        return False
    if pa.types.is_struct(t):
        return t.num_fields > 0 and all(_polars_can(t.field(i).type) for i in range(t.num_fields))
    if pa.types.is_list(t) or pa.types.is_large_list(t) or pa.types.is_fixed_size_list(t):
        return _polars_can(t.value_type)
    if pa.types.is_map(t):
        return _polars_can(t.key_type) and _polars_can(t.item_type)
    return not isinstance(t, pa.BaseExtensionType)


def _flat(t: pa.DataType) -> bool:
    """Types a CSV or spreadsheet cell holds as they are."""
    return (
        pa.types.is_integer(t)
        or pa.types.is_floating(t)
        or pa.types.is_decimal(t)
        or pa.types.is_boolean(t)
        or pa.types.is_string(t)
        or pa.types.is_large_string(t)
        or pa.types.is_date(t)
        or pa.types.is_timestamp(t)
        or pa.types.is_time(t)
        or pa.types.is_null(t)
    )


def _parquet_can(t: pa.DataType) -> bool:
    if isinstance(t, pa.BaseExtensionType):
        return _parquet_can(t.storage_type)
    return _polars_can(t)


_displayable = _Converter(_polars_can)
CONVERTERS = {
    "csv": _Converter(_flat),
    "xlsx": _Converter(_flat),
    "json": _Converter(_polars_can),
    "parquet": _Converter(_parquet_can),
}


# --- exports ----------------------------------------------------------------------------------


class _Writer:
    """Streams converted batches to one file format."""

    def __init__(self, fmt: str, sink: BinaryIO, schema: pa.Schema) -> None:
        self.fmt = fmt
        self.sink = sink
        self.schema = schema
        self.rows = 0
        if fmt == "csv":
            self._csv = pa_csv.CSVWriter(sink, schema)
        elif fmt == "parquet":
            self._parquet = pq.ParquetWriter(sink, schema)
        elif fmt == "json":
            sink.write(b"[")
        elif fmt == "xlsx":
            import xlsxwriter

            self._book = xlsxwriter.Workbook(sink, {"constant_memory": True, "in_memory": False})
            self._sheet = self._book.add_worksheet("result")
            bold = self._book.add_format({"bold": True})
            self._dates = self._book.add_format({"num_format": "yyyy-mm-dd"})
            self._times = self._book.add_format({"num_format": "yyyy-mm-dd hh:mm:ss"})
            self._sheet.write_row(0, 0, schema.names, bold)

    def write(self, batch: pa.RecordBatch) -> None:
        if self.fmt == "csv":
            self._csv.write_batch(batch)
        elif self.fmt == "parquet":
            self._parquet.write_batch(batch)
        elif self.fmt == "json":
            for row in batch.to_pylist():
                self.sink.write(b",\n" if self.rows else b"\n")
                text = _json_row(row)
                self.sink.write(text.encode("utf-8"))
                self.rows += 1
            return
        elif self.fmt == "xlsx":
            for values in zip(*(c.to_pylist() for c in batch.columns), strict=True):
                self.rows += 1
                for col, value in enumerate(values):
                    self._cell(self.rows, col, value)
            return
        self.rows += batch.num_rows

    def _cell(self, row: int, col: int, value: Any) -> None:
        if value is None:
            return
        if isinstance(value, Decimal):
            value = float(value)
        if isinstance(value, dt.datetime):
            self._sheet.write_datetime(row, col, value.replace(tzinfo=None), self._times)
        elif isinstance(value, dt.date):
            self._sheet.write_datetime(row, col, value, self._dates)
        elif isinstance(value, dt.time):
            self._sheet.write_string(row, col, value.isoformat())
        elif isinstance(value, str):
            self._sheet.write_string(row, col, value)
        elif isinstance(value, float) and not math.isfinite(value):
            self._sheet.write_string(row, col, str(value))  # Excel has no NaN or infinity
        else:
            self._sheet.write(row, col, value)

    def close(self) -> None:
        if self.fmt == "csv":
            self._csv.close()
        elif self.fmt == "parquet":
            self._parquet.close()
        elif self.fmt == "json":
            self.sink.write(b"\n]\n" if self.rows else b"]\n")
        elif self.fmt == "xlsx":
            self._book.close()


def export(
    paths: warehouse.WarehousePaths,
    sql: str,
    fmt: str,
    sink: Path | BinaryIO,
    limits: Limits | None = None,
    snapshot: str | None = None,
) -> Export:
    """Stream the whole result (up to `export_max_rows`) to a CSV, XLSX, Parquet or JSON file.

    Batch by batch, so memory stays at one batch whatever the cap. A refused or stopped export
    leaves no partial file behind.
    """
    if fmt not in FORMATS:
        raise IpgovError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")
    limits = limits or Limits.from_settings()
    rows = min(limits.export_max_rows, XLSX_MAX_ROWS) if fmt == "xlsx" else limits.export_max_rows
    cap = _Cap(rows, EXPORT_MAX_BYTES)
    convert = CONVERTERS[fmt]
    started = time.perf_counter()
    try:
        with contextlib.ExitStack() as stack:
            stream = stack.enter_context(
                _stream(paths, sql, limits, snapshot, BATCH_ROWS, limits.export_time_limit_seconds)
            )
            if isinstance(sink, Path):
                sink.parent.mkdir(parents=True, exist_ok=True)
                out: BinaryIO = stack.enter_context(sink.open("wb"))
            else:
                out = sink
            writer = _Writer(fmt, out, convert.schema(stream.schema))
            try:
                for batch in cap.take(stream.batches()):
                    writer.write(convert(batch))
            finally:
                writer.close()
    except BaseException:
        if isinstance(sink, Path):
            sink.unlink(missing_ok=True)
        raise
    return Export(fmt, cap.rows, cap.truncated, time.perf_counter() - started, rows)


# --- schema browser ---------------------------------------------------------------------------


def _examples(column: pa.ChunkedArray, count: int) -> list[str]:
    seen: list[str] = []
    for value in column.to_pylist():
        text = _text(value) if not isinstance(value, str) else value
        if text is None or text in seen:
            continue
        seen.append(text if len(text) <= 40 else text[:39] + "…")
        if len(seen) == count:
            break
    return seen


def catalog(
    paths: warehouse.WarehousePaths,
    examples: int = 3,
    limits: Limits | None = None,
    snapshot: str | None = None,
) -> tuple[str, list[TableDoc]]:
    """Every table, view and table macro of the snapshot with its columns, their types, their
    meaning (the comments set from the mart SQL) and a few example values (from at most
    EXAMPLE_ROWS rows per table)."""
    limits = limits or Limits.from_settings()
    db = warehouse.SANDBOX_DATABASE
    with _session(paths, limits, snapshot) as (snapshot_id, con):
        objects = con.execute(
            "select table_name, 'table', coalesce(comment, ''), estimated_size "
            "from duckdb_tables() where database_name = ? and not internal "
            "union all select view_name, 'view', coalesce(comment, ''), null "
            "from duckdb_views() where database_name = ? and not internal order by 1",
            [db, db],
        ).fetchall()
        columns = con.execute(
            "select table_name, column_name, data_type, coalesce(comment, '') "
            "from duckdb_columns() where database_name = ? order by table_name, column_index",
            [db],
        ).fetchall()
        macros = con.execute(
            "select function_name, parameters from duckdb_functions() "
            "where database_name = ? and not internal and function_type = 'table_macro' "
            "order by 1",
            [db],
        ).fetchall()
        docs = []
        with _Watchdog(con, limits.time_limit_seconds) as watchdog:
            for name, kind, comment, rows in objects:
                quoted = '"' + name.replace('"', '""') + '"'
                try:
                    sample = con.sql(
                        f"select * from {quoted} limit {EXAMPLE_ROWS}"
                    ).to_arrow_table()
                except duckdb.Error as e:
                    raise _refusal(e, limits, watchdog) from None
                table_columns = [
                    ColumnDoc(
                        column,
                        data_type,
                        doc,
                        _examples(sample.column(column), examples) if examples else [],
                    )
                    for table, column, data_type, doc in columns
                    if table == name
                ]
                docs.append(TableDoc(name, kind, comment, table_columns, rows=rows))
    described = {m.name: m.description for m in transform.models("kpis")}
    docs += [
        TableDoc(name, "macro", described.get(name, ""), parameters=list(parameters))
        for name, parameters in macros
    ]
    return snapshot_id, docs


def catalog_as_json(snapshot: str, docs: list[TableDoc]) -> dict[str, Any]:
    """The catalogue as plain data (for `ipgov sql --schema --format json`)."""
    return {
        "snapshot": snapshot,
        "objects": [
            {
                "name": d.name,
                "kind": d.kind,
                "comment": d.comment,
                "rows": d.rows,
                "parameters": d.parameters,
                "columns": [
                    {"name": c.name, "type": c.type, "comment": c.comment, "examples": c.examples}
                    for c in d.columns
                ],
            }
            for d in docs
        ],
    }


# --- starter queries --------------------------------------------------------------------------

_HEADER = re.compile(r"^--\s*(name|zh|en)\s*:\s*(.+?)\s*$")


def starter_queries() -> list[StarterQuery]:
    """The console's starter queries from etl/sql/starter_queries.sql (`-- name:` blocks)."""
    blocks: list[dict[str, Any]] = []
    for line in STARTER_FILE.read_text(encoding="utf-8").splitlines():
        header = _HEADER.match(line)
        if header and header.group(1) == "name":
            blocks.append({"name": header.group(2), "sql": []})
        elif header and blocks:
            blocks[-1][header.group(1)] = header.group(2)
        elif blocks:
            blocks[-1]["sql"].append(line)
    return [
        StarterQuery(
            b["name"],
            b.get("zh", b["name"]),
            b.get("en", b["name"]),
            "\n".join(b["sql"]).strip().rstrip(";").strip(),
        )
        for b in blocks
    ]
