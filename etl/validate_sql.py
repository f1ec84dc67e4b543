"""The quality gate's suites executed by DuckDB, for files too big for GX's pandas engine.

Great Expectations validates a district's files (etl/validate.py). A province's yearly export —
2M takedown notices, 4.5M patent rows — would cost GX's pandas engine minutes and gigabytes per
file (a full pandas copy of object columns, measured in docs/performance.md), and GX's SQL engine
cannot drive DuckDB here (duckdb-engine reads results after SQLAlchemy has rolled the connection
back, so every metric comes back empty: docs/quality.md). So big files are judged by the same
committed suite (`expectations/<kind>.json`), each expectation translated to one SQL predicate
over the file's rows in DuckDB, streamed from `read_csv` / `read_parquet` without passing through
Python. Every expectation type the suites use has a translation; a suite with any other type
fails loudly (`GateError`), never silently. tests/test_bulk_gate.py holds both engines to the same
verdicts, rows and rules on the fault corpus and the sample, and hypothesis holds the SQL parsers
to the polars ones.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from etl import validate
from etl.errors import FileRejected
from etl.sources import KINDS, bulk, reader
from etl.sources.bulk import StagedCells, quote_literal, quote_name
from etl.sources.reader import ROW, reject
from etl.sources.schema import (
    BOOLEAN,
    DATE,
    DECIMAL,
    DUCKDB_TYPES,
    INTEGER,
    STRING,
    TIMESTAMP,
    RecordKind,
)

# What polars' str.strip_chars() strips (Rust's char::is_whitespace); DuckDB's trim() strips
# spaces only unless told.
_WHITESPACE = "".join(
    chr(c)
    for c in (
        *range(9, 14),
        32,
        0x85,
        0xA0,
        0x1680,
        *range(0x2000, 0x200B),
        0x2028,
        0x2029,
        0x202F,
        0x205F,
        0x3000,
    )
)
WS_SQL = "(" + " || ".join(f"chr({ord(c)})" for c in _WHITESPACE) + ")"
WS_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _WHITESPACE) + "]"
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT")
_NUMERIC_PREFIXES = ("FLOAT", "DOUBLE", "DECIMAL", "REAL", "UINTEGER", "UBIGINT", *_INTEGER_TYPES)
NUMBER_SHAPE = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"
TEXT_PREFIX = "t__"  # gate_rows holds each column's text as t__<name> and its value as <name>


def _in_list(values: list[str]) -> str:
    return "(" + ", ".join(quote_literal(v) for v in values) + ")"


def text_sql(column: str, source_type: str = "VARCHAR") -> str:
    """reader._as_text: the cell as text, trimmed, blank = NULL.

    trim() with a set of characters costs ten times a plain copy, so it runs only on the cells
    that start or end with one of them (measured: 0.79 s → 0.1 s for 2M cells)."""
    text = column if source_type.upper() == "VARCHAR" else f"cast({column} as varchar)"
    edge = f"contains({WS_SQL}, left({text}, 1)) or contains({WS_SQL}, right({text}, 1))"
    return f"nullif(case when {edge} then trim({text}, {WS_SQL}) else {text} end, '')"


def _date_text(text: str) -> str:
    """reader._date_text: 2024年3月1日, 2024/3/1, 2024.3.1 → 2024-3-1; an ISO 'T' → space."""
    dashed = f"replace(regexp_replace({text}, '[年月/.]', '-', 'g'), '日', '')"
    return f"regexp_replace({dashed}, 'T', ' ')"


def _number_text(text: str, strip_regex: str) -> str:
    """Text → DOUBLE the way polars casts it: DuckDB also takes 1_000, ' 1' and +-1; polars
    does not. (Words like inf and nan parse in both, and no KPI column keeps them.)"""
    cleaned = f"regexp_replace({text}, {quote_literal(strip_regex)}, '', 'g')"
    return (
        f"(case when regexp_matches({cleaned}, {quote_literal(NUMBER_SHAPE)}) "
        f"then try_cast({cleaned} as double) end)"
    )


def parse_sql(column: str, logical: str, source_type: str, text: str | None = None) -> str:
    """reader._parse in SQL: the value of one cell of `source_type`, NULL where it does not
    parse. `column` is the cell's SQL expression; `text`, if given, its text_sql already
    computed (gate_rows computes each column's text once and parses that).

    Dates and times written the usual way (2024-03-01, 2024-03-01 09:30:00) take a fast path
    of one strptime; the general path gives the same value for them (test_bulk_gate's
    hypothesis test checks) and costs five times as much."""
    source_type = source_type.upper()
    text = text or text_sql(column)
    if logical == DATE:
        if source_type == "DATE":
            return column
        if source_type.startswith("TIMESTAMP"):
            return f"cast({column} as date)"
        t = _date_text(text)
        iso = f"regexp_extract({t}, '^(\\d{{4}}-\\d{{1,2}}-\\d{{1,2}})(?:\\s.*)?$', 1)"
        compact = f"case when regexp_matches({t}, '^[0-9]{{8}}$') then {t} end"
        general = (
            f"coalesce(cast(try_strptime({iso}, '%Y-%m-%d') as date), "
            f"cast(try_strptime({compact}, '%Y%m%d') as date))"
        )
        usual = f"regexp_matches({text}, '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$')"
        fast = f"cast(try_strptime({text}, '%Y-%m-%d') as date)"
        return f"(case when {usual} then {fast} else {general} end)"
    if logical == TIMESTAMP:
        if source_type.startswith("TIMESTAMP") or source_type == "DATE":
            return f"cast({column} as timestamp)"
        formats = "[" + ", ".join(quote_literal(f) for f in TIMESTAMP_FORMATS) + "]"
        t = _date_text(text)
        shape = quote_literal(reader.TIMESTAMP_SHAPE)
        usual = (
            f"regexp_matches({text}, "
            "'^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$')"
        )
        fast = f"try_strptime({text}, '%Y-%m-%d %H:%M:%S')"
        general = f"case when regexp_matches({t}, {shape}) then try_strptime({t}, {formats}) end"
        return f"(case when {usual} then {fast} else {general} end)"
    if logical == INTEGER:
        if source_type in _INTEGER_TYPES:
            return f"cast({column} as bigint)"
        number = _number_text(text, ",")
        return f"(case when {number} = round({number}, 0) then try_cast({number} as bigint) end)"
    if logical == DECIMAL:
        if source_type.startswith(_NUMERIC_PREFIXES):
            number = f"cast({column} as double)"
        else:
            number = _number_text(text, f"[,¥￥元{WS_CLASS[1:-1]}]")
        return (
            f"(case when abs({number}) < {reader.DECIMAL_LIMIT:.0f} "
            f"then try_cast(round_even({number}, 2) as decimal(18, 2)) end)"
        )
    if logical == BOOLEAN:
        if source_type == "BOOLEAN":
            return column
        lowered = f"lower({text})"
        return (
            f"(case when {lowered} in {_in_list(reader._TRUE)} then true "
            f"when {lowered} in {_in_list(reader._FALSE)} then false end)"
        )
    if logical == STRING:
        return text
    raise ValueError(f"unknown logical type {logical}")


# ------------------------------------------------------------------------------------------------
# The suite as SQL
# ------------------------------------------------------------------------------------------------


def _value(kind: RecordKind, column: str) -> str:
    """The value GX checks for `column` (validate.helper_frame): hashes compared lower-cased."""
    name = quote_name(column)
    return f"lower({name})" if column in validate.SHA256_COLUMNS.get(kind.name, ()) else name


def _expected(kind: RecordKind, helper: str) -> str:
    """The hash-chain helper columns of validate.helper_frame."""
    if helper == "_expected__record_hash":
        parts = ("notarization_id", "evidence_sha256", "prev_record_hash")
        values = [_value(kind, p) for p in parts]
        missing = " or ".join(f"{v} is null" for v in values)
        joined = " || '|' || ".join(values)
        return f"(case when {missing} then null else sha256({joined}) end)"
    if helper == "_expected__prev_record_hash":
        return (
            f"coalesce(lag({_value(kind, 'record_hash')}) over (order by g.rowid), "
            f"{_value(kind, 'prev_record_hash')})"
        )
    raise validate.GateError(f"no SQL for helper column {helper}")


def _violation(
    kind: RecordKind, expectation: dict[str, Any], parameters: dict[str, str], texts: dict[str, str]
) -> tuple[str, str] | None:
    """(FROM-clause extra, WHERE predicate) true for the rows that fail one expectation."""
    kwargs = expectation["kwargs"]
    type_ = expectation["type"]
    column = kwargs.get("column")
    if type_ == "expect_column_to_exist":
        return None  # the reader guarantees it (a missing column rejects the file)
    if type_ == "expect_column_values_to_be_null" and column.startswith("_unparsed__"):
        name = column.removeprefix("_unparsed__")
        return "", f"{texts[name]} is not null and {quote_name(name)} is null"
    if type_ == "expect_column_values_to_not_be_null":
        return "", f"{quote_name(column)} is null"
    if type_ == "expect_column_values_to_be_in_set" and column.startswith("_code__"):
        name = column.removeprefix("_code__")
        domain = kind.column(name).code_domain
        spelled = f"lower({texts[name]})"
        join = (
            f" left join gate_codes m on m.domain = {quote_literal(domain or '')} "
            f"and m.alias = {spelled}"
        )
        code = f"coalesce(m.code, {spelled})"
        return join, f"{spelled} is not null and {code} not in {_in_list(kwargs['value_set'])}"
    if type_ == "expect_column_values_to_be_between":
        value = _value(kind, column)
        tests = []
        for key, op in (("min_value", "<"), ("max_value", ">")):
            bound = kwargs.get(key)
            if bound is None:
                continue
            bound = parameters[bound["$PARAMETER"]] if isinstance(bound, dict) else str(bound)
            strict = kwargs.get("strict_" + key.split("_")[0], False)
            tests.append(f"{value} {op}{'=' if strict else ''} {bound}")
        return "", f"{value} is not null and ({' or '.join(tests)})"
    if type_ == "expect_column_values_to_match_regex":
        value = _value(kind, column)
        regex = quote_literal(kwargs["regex"])
        return "", f"{value} is not null and not regexp_matches({value}, {regex})"
    if type_ == "expect_column_values_to_be_unique":
        name = quote_name(column)
        return "", (
            f"{name} is not null and {name} in (select {name} from gate_rows "
            f"where {name} is not null group by {name} having count(*) > 1)"
        )
    if type_ == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = _value(kind, kwargs["column_A"]), _value(kind, kwargs["column_B"])
        op = "<" if kwargs.get("or_equal") else "<="
        return "", f"{a} is not null and {b} is not null and {a} {op} {b}"
    if type_ == "expect_column_pair_values_to_be_equal":
        a = _value(kind, kwargs["column_A"])
        b = kwargs["column_B"]
        expected = _expected(kind, b) if b.startswith("_expected__") else _value(kind, b)
        return "", f"{a} is not null and {expected} is not null and {a} <> {expected}"
    raise validate.GateError(f"the SQL gate has no translation for {type_} on {column}")


def checked(suite: dict[str, Any], everything: bool) -> list[tuple[int, dict[str, Any]]]:
    """(position in the suite, expectation) of the rules a run checks: all of them, or with
    `everything=False` the reader's own type and required checks only."""
    return [
        (position, expectation)
        for position, expectation in enumerate(suite["expectations"])
        if everything
        or expectation.get("meta", {}).get("rule", "").split(":")[0] in ("type", "required")
    ]


def suite_sql(
    kind: RecordKind,
    suite: dict[str, Any],
    first_row: int,
    today: dt.date,
    everything: bool,
    texts: dict[str, str],
) -> str:
    """One query: (source_row, position, column_name, rule, expectation_type) per failing
    expectation and row. `everything=False` keeps the reader's type and required checks only.
    `texts`: each column's text as SQL over gate_rows (`_materialize`)."""
    end_of_today = dt.datetime.combine(today, dt.time.max)
    parameters = {
        "today": f"date '{today.isoformat()}'",
        "end_of_today": f"timestamp '{end_of_today.isoformat(sep=' ')}'",
    }
    parts = []
    for position, expectation in checked(suite, everything):
        meta = expectation.get("meta", {})
        rule = meta.get("rule", "")
        found = _violation(kind, expectation, parameters, texts)
        if found is None:
            continue
        join, predicate = found
        window = "over" in predicate
        source = f"gate_rows g{join}"
        select = (
            f"select g.rowid + {first_row} as {ROW}, {position} as position, "
            f"{quote_literal(meta['column'])} as column_name, {quote_literal(rule)} as rule, "
            f"{quote_literal(expectation['type'])} as expectation_type"
        )
        if window:  # a window cannot sit in WHERE: compute it first
            parts.append(
                f"select * exclude (failing) from ({select}, ({predicate}) as failing "
                f"from {source}) where failing"
            )
        else:
            parts.append(f"{select} from {source} where {predicate}")
    if not parts:
        return (
            f"select null::bigint as {ROW}, null::bigint as position, null::varchar as "
            "column_name, null::varchar as rule, null::varchar as expectation_type limit 0"
        )
    return "\nunion all\n".join(parts)


# ------------------------------------------------------------------------------------------------
# One file
# ------------------------------------------------------------------------------------------------


@dataclass
class StagedResult:
    """A file judged in DuckDB: the counts and problems in Python, the rows still in DuckDB
    (temporary tables gate_rows and gate_bad of the connection) until the loader inserts them."""

    kind: RecordKind
    text: pl.DataFrame  # ROW + canonical columns as written, for the rows with a problem only
    problems: pl.DataFrame
    rows_read: int
    rows_bad: int
    encoding: str
    ignored_columns: list[str]
    sheet: str | None
    first_row: int

    @property
    def rows_valid(self) -> int:
        return self.rows_read - self.rows_bad

    @property
    def rows_quarantined(self) -> int:
        return self.rows_bad

    def with_problems(self, problems: pl.DataFrame) -> StagedResult:
        return replace(self, problems=problems)

    def good_rows_sql(self) -> str:
        """The rows that load: canonical columns + ROW."""
        columns = ", ".join(quote_name(c.name) for c in self.kind.columns)
        return (
            f"select g.rowid + {self.first_row} as {ROW}, {columns} from gate_rows g "
            f"where g.rowid + {self.first_row} not in (select {ROW} from gate_bad)"
        )


def drop_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Free the last file's rows (they live in memory or DuckDB's spill files)."""
    for table in ("gate_rows", "gate_found", "gate_bad"):
        con.execute(f"drop table if exists temp.{table}")


def _ensure_codes(con: duckdb.DuckDBPyConnection) -> None:
    tables = con.execute(
        "select 1 from duckdb_tables() where temporary and table_name = 'gate_codes'"
    ).fetchall()
    if not tables:
        con.register("gate_codes_in", validate.code_aliases().to_arrow())
        con.execute("create temp table gate_codes as from gate_codes_in")
        con.unregister("gate_codes_in")


# Source types whose values a logical type takes as they are: nothing to parse, nothing can fail.
_SAME_TYPE = {
    DATE: ("DATE",),
    TIMESTAMP: ("TIMESTAMP",),
    INTEGER: _INTEGER_TYPES,
    BOOLEAN: ("BOOLEAN",),
}


def _materialize(
    con: duckdb.DuckDBPyConnection, staged: StagedCells, kind: RecordKind, renames: dict[str, str]
) -> dict[str, str]:
    """gate_rows: each canonical column's value, and its text where the text is more than the
    value (t__<name>), in one pass over the file. Returns each column's text as SQL over
    gate_rows: a text column's value is its text, a typed column's text is its value written
    out; only a column that is parsed from text keeps both (half the rows to store)."""
    source_of = {canonical: position for position, canonical in renames.items()}
    types = dict(zip((f"_c{i}" for i in range(len(staged.types))), staged.types, strict=True))
    inner, outer, texts = [], [], {}  # inner: texts; outer: values parsed from them
    for c in kind.columns:
        position = source_of.get(c.name)
        name, text = quote_name(c.name), quote_name(TEXT_PREFIX + c.name)
        source_type = types[position].upper() if position else "VARCHAR"
        if position is None:
            outer.append(f"cast(null as {DUCKDB_TYPES[c.type]}) as {name}")
            texts[c.name] = "null::varchar"
        elif c.type == STRING:
            inner.append(f"{text_sql(position, source_type)} as {name}")
            outer.append(name)
            texts[c.name] = name
        elif source_type in _SAME_TYPE.get(c.type, ()):
            inner.append(position)
            outer.append(f"{parse_sql(position, c.type, source_type)} as {name}")
            texts[c.name] = f"cast({name} as varchar)"
        else:
            inner.append(f"{text_sql(position, source_type)} as {text}, {position}")
            outer.append(f"{text}, {parse_sql(position, c.type, source_type, text)} as {name}")
            texts[c.name] = text
    inner = inner or ["1 as _none"]
    serial_tried = False
    while True:
        try:
            con.execute(
                "create or replace temp table gate_rows as "
                f"select {', '.join(outer)} from (select {', '.join(inner)} "
                f"from {staged.relation})"
            )
        except duckdb.Error as e:
            if staged.source is None:  # Parquet / a sheet: the file itself is unreadable
                what = "Parquet" if staged.encoding == "parquet" else "XLSX"
                raise reject(
                    staged.path, "unreadable", what=what, detail=reader._first_line(e)
                ) from e
            action = bulk.read_error(staged, e)
            if action == "serial" and not serial_tried:
                serial_tried = True
                bulk.serial(staged)
                continue
            if action == "careful":
                bulk.careful(staged)
                continue
            raise
        if staged.expected_rows is None:
            return texts
        rows = con.execute("select count(*) from gate_rows").fetchall()[0][0]
        if rows == staged.expected_rows or not bulk.careful(staged):
            return texts


def _has_values(con: duckdb.DuckDBPyConnection, staged: StagedCells) -> Any:
    def has_values(position: str) -> bool:
        if position not in {f"_c{i}" for i in range(len(staged.headers))}:
            return False
        try:
            rows = con.execute(
                f"select 1 from {staged.relation} where {text_sql(position)} is not null limit 1"
            ).fetchall()
        except duckdb.Error:
            return True  # unreadable data under a blank header: the header fault is the news
        return bool(rows)

    return has_values


def judge(
    con: duckdb.DuckDBPyConnection,
    path: Path,
    kind_name: str | None,
    today: dt.date,
    folder: Path,
    everything: bool = True,
    staged: StagedCells | None = None,
) -> tuple[StagedResult, pl.DataFrame, list[dict[str, Any]]]:
    """Read and judge one file in DuckDB: the result, the failing cells (ROW, column_name, rule,
    expectation_type; one per cell, the first rule in suite order) and a summary per rule.

    Raises FileRejected for the file-level faults, like `reader.read`."""
    if kind_name is not None and kind_name not in KINDS:
        if staged is not None:
            staged.close_files()
        raise reject(path, "bad_kind", kind=kind_name, kinds=", ".join(KINDS))
    staged = staged or bulk.stage(con, path, kind_name, folder)
    try:
        if not any(staged.headers):
            raise reject(path, "empty")
        kind = reader.resolve_kind(path, staged.headers, kind_name)
        renames, ignored = reader.map_headers(
            path, staged.headers, staged.sheet, _has_values(con, staged), kind
        )
        texts = _materialize(con, staged, kind, renames)
        rows_read = con.execute("select count(*) from gate_rows").fetchall()[0][0]
        if rows_read == 0:
            raise reject(path, "empty")
        _ensure_codes(con)
        suite = validate.load_suite(kind)
        con.execute(
            "create or replace temp table gate_found as "
            + suite_sql(kind, suite, staged.first_row, today, everything, texts)
        )
        con.execute(
            f"create or replace temp table gate_bad as select distinct {ROW} from gate_found"
        )
        rows_bad = con.execute("select count(*) from gate_bad").fetchall()[0][0]
        found = con.sql(
            f"select {ROW}, column_name, rule, expectation_type from gate_found "
            f"qualify row_number() over (partition by {ROW}, column_name order by position) = 1 "
            f"order by {ROW}, position"
        ).pl()
        failed = dict(
            con.execute("select position, count(*) from gate_found group by position").fetchall()
        )
        text_columns = ", ".join(f"{texts[c.name]} as {quote_name(c.name)}" for c in kind.columns)
        text = con.sql(
            f"select g.rowid + {staged.first_row} as {ROW}, {text_columns} from gate_rows g "
            f"where g.rowid + {staged.first_row} in (select {ROW} from gate_bad) order by g.rowid"
        ).pl()
    except FileRejected:
        drop_tables(con)
        raise
    finally:
        staged.close(con)
    rules = []
    for position, expectation in checked(suite, everything):
        meta = expectation.get("meta", {})
        rules.append(
            {
                "rule": meta.get("rule"),
                "column": meta.get("column"),
                "expectation_type": expectation["type"],
                "success": failed.get(position, 0) == 0,
                "failed_rows": failed.get(position, 0),
            }
        )
    result = StagedResult(
        kind,
        text.cast({ROW: pl.Int64}),
        pl.DataFrame(schema=validate.PROBLEM_COLUMNS),
        rows_read,
        rows_bad,
        staged.encoding,
        ignored,
        staged.sheet,
        staged.first_row,
    )
    return result, found.cast({ROW: pl.Int64}), rules
