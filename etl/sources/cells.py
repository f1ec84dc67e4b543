"""Cells → typed values, in SQL: the one parser of source cells, for every file and format.

Each canonical column's text (trimmed, blank = NULL) and typed value are computed in one pass over
the staged relation into the temporary table `gate_rows` (one row per data row, in file order:
`rowid + first_row` is the clerk's row number). A cell whose text does not parse to its column's
type gets a NULL value beside its text, which is how the gate's `type:*` rule finds it; the cell
is never guessed.

What is accepted (docs/quality.md): dates as 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 or
20240301; times after a space or an ISO 'T', to the second or fraction; numbers with thousands
commas, amounts with ¥/￥/元 and white space; 是/否, yes/no, true/false, y/n, t/f, 1/0,
已移送/未移送. A malformed time such as `2024-03-019:9` and an amount of 10^16 yuan or more (what
DECIMAL(18,2) cannot hold) do not parse. tests/test_gate_parsers.py pins each parser on explicit
cells and properties.
"""

from __future__ import annotations

from collections.abc import Callable

import duckdb

from etl.sources.csv_files import careful, read_error, serial
from etl.sources.faults import first_line, reject
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
from etl.sources.staged import StagedCells, quote_literal, quote_name

# What a date-and-time cell may look like once 年月日 / . are dashes: DuckDB's strptime alone
# would also take "2024-03-019:9" (as 09:09) or a signed five-digit year.
TIMESTAMP_SHAPE = (
    r"^[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}( [0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]+)?)?)?$"
)
DECIMAL_LIMIT = 1e16  # DECIMAL(18,2) holds amounts below this
TRUE_WORDS = ["是", "y", "yes", "true", "t", "1", "已移送"]
FALSE_WORDS = ["否", "n", "no", "false", "f", "0", "未移送"]
ROWS_TABLE = "gate_rows"

# White space trimmed from a cell (Unicode's, as Rust's char::is_whitespace has it: what the
# polars reader trimmed); DuckDB's trim() strips spaces only unless told.
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
# As one literal, not a chain of chr() calls: DuckDB plans a query per file, and planning the
# chain for every text column cost more than parsing a district's file (63 ms → 6 ms for six
# timestamp columns).
WS_SQL = quote_literal(_WHITESPACE)
WS_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _WHITESPACE) + "]"
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT")
_NUMERIC_PREFIXES = ("FLOAT", "DOUBLE", "DECIMAL", "REAL", "UINTEGER", "UBIGINT", *_INTEGER_TYPES)
NUMBER_SHAPE = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"
TEXT_PREFIX = "t__"  # gate_rows holds each column's text as t__<name> and its value as <name>


def _in_list(values: list[str]) -> str:
    return "(" + ", ".join(quote_literal(v) for v in values) + ")"


def text_sql(column: str, source_type: str = "VARCHAR") -> str:
    """The cell as text, trimmed, blank = NULL: what "empty" means for every rule.

    trim() with a set of characters costs ten times a plain copy, so it runs only on the cells
    that start or end with one of them (measured: 0.79 s → 0.1 s for 2M cells)."""
    text = column if source_type.upper() == "VARCHAR" else f"cast({column} as varchar)"
    edge = f"contains({WS_SQL}, left({text}, 1)) or contains({WS_SQL}, right({text}, 1))"
    return f"nullif(case when {edge} then trim({text}, {WS_SQL}) else {text} end, '')"


def _date_text(text: str) -> str:
    """2024年3月1日, 2024/3/1, 2024.3.1 → 2024-3-1; an ISO 'T' → space."""
    dashed = f"replace(regexp_replace({text}, '[年月/.]', '-', 'g'), '日', '')"
    return f"regexp_replace({dashed}, 'T', ' ')"


def _number_text(text: str, strip_regex: str) -> str:
    """Text → DOUBLE, only for the shape of a number: DuckDB's cast alone also takes 1_000,
    ' 1' and +-1. (Words like inf and nan parse, and no KPI column keeps them.)"""
    cleaned = f"regexp_replace({text}, {quote_literal(strip_regex)}, '', 'g')"
    return (
        f"(case when regexp_matches({cleaned}, {quote_literal(NUMBER_SHAPE)}) "
        f"then try_cast({cleaned} as double) end)"
    )


def parse_sql(column: str, logical: str, source_type: str, text: str | None = None) -> str:
    """The value of one cell of `source_type`, NULL where it does not
    parse. `column` is the cell's SQL expression; `text`, if given, its text_sql already
    computed (gate_rows computes each column's text once and parses that).

    Dates and times written the usual way (2024-03-01, 2024-03-01 09:30:00) take a fast path
    of one strptime; the general path gives the same value for them (tests/test_gate_parsers.py
    checks) and costs five times as much."""
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
        shape = quote_literal(TIMESTAMP_SHAPE)
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
            f"(case when abs({number}) < {DECIMAL_LIMIT:.0f} "
            f"then try_cast(round_even({number}, 2) as decimal(18, 2)) end)"
        )
    if logical == BOOLEAN:
        if source_type == "BOOLEAN":
            return column
        lowered = f"lower({text})"
        return (
            f"(case when {lowered} in {_in_list(TRUE_WORDS)} then true "
            f"when {lowered} in {_in_list(FALSE_WORDS)} then false end)"
        )
    if logical == STRING:
        return text
    raise ValueError(f"unknown logical type {logical}")


# Source types whose values a logical type takes as they are: nothing to parse, nothing can fail.
_SAME_TYPE = {
    DATE: ("DATE",),
    TIMESTAMP: ("TIMESTAMP",),
    INTEGER: _INTEGER_TYPES,
    BOOLEAN: ("BOOLEAN",),
}


def materialize(
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
                f"create or replace temp table {ROWS_TABLE} as "
                f"select {', '.join(outer)} from (select {', '.join(inner)} "
                f"from {staged.relation})"
            )
        except duckdb.Error as e:
            if staged.source is None:  # Parquet / a sheet: the file itself is unreadable
                what = "Parquet" if staged.encoding == "parquet" else "XLSX"
                raise reject(staged.path, "unreadable", what=what, detail=first_line(e)) from e
            action = read_error(staged, e)
            if action == "serial" and not serial_tried:
                serial_tried = True
                serial(staged)
                continue
            if action == "careful":
                careful(staged)
                continue
            raise
        if staged.expected_rows is None:
            return texts
        rows = con.execute(f"select count(*) from {ROWS_TABLE}").fetchall()[0][0]
        if rows == staged.expected_rows or not careful(staged):
            return texts


def has_values(con: duckdb.DuckDBPyConnection, staged: StagedCells) -> Callable[[str], bool]:
    """Whether a positional column holds any value (a blank header over data is a fault)."""

    def check(position: str) -> bool:
        if position not in {f"_c{i}" for i in range(len(staged.headers))}:
            return False
        try:
            rows = con.execute(
                f"select 1 from {staged.relation} where {text_sql(position)} is not null limit 1"
            ).fetchall()
        except duckdb.Error:
            return True  # unreadable data under a blank header: the header fault is the news
        return bool(rows)

    return check
