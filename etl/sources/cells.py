"""Cells → typed values, in SQL: the one parser of source cells, for every file and format.

Each canonical column's text (trimmed, blank = NULL) and typed value are computed in one pass over
the staged relation into the temporary table `gate_rows` (one row per data row, in file order:
`rowid + first_row` is the clerk's row number). A cell whose text does not parse to its column's
type gets a NULL value beside its text, which is how the gate's `type:*` rule finds it; the cell
is never guessed.

What is accepted (docs/data-model.md, "Cells as offices write them"): full-width digits and
signs anywhere (read as ASCII); dates as 2024-03-01, 2024/3/1, 2024.3.1, 2024年3月1日 or
20240301, optionally followed by a valid time (anything else after the date — `2023/1/3 至
2099/12/31` — is no date), and in a workbook an Excel serial day number; times after a space or
an ISO 'T', to the second or fraction; numbers in one of a few unambiguous shapes (thousands
commas in 3-digit groups, a decimal comma with one or two decimals, `1.234,56`), amounts with
¥/￥/元, white space and a 万 suffix (× 10,000), times the header's unit (`（万元）`), and in
accounting's parentheses as negative (`(1,234)` = -1,234, then held to its column's rules); 是/否,
yes/no, true/false, y/n, t/f, 1/0, √/×, 已移送/未移送. A malformed time such as `2024-03-019:9`,
an ambiguous number (`1.234`: 1.234 yuan, or 1234 written the European way?) and an amount of
10^16 yuan or more (what DECIMAL(18,2) cannot hold) do not parse. Identifiers (`Column.is_id`)
are read the way a clerk sees them: full-width letters and digits as ASCII, invisible
characters (zero-width space, byte-order mark) removed and Excel's `="…"` text trick unwrapped,
so the same id is the same record. tests/test_gate_parsers.py pins each parser on explicit
cells and properties.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import duckdb

from etl.progress import QUIET, FileProgress
from etl.sources.csv_files import careful, read_error, serial
from etl.sources.faults import first_line, reject
from etl.sources.headers import unit_factor
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
TRUE_WORDS = ["是", "y", "yes", "true", "t", "1", "已移送", "√", "✓", "✔"]
FALSE_WORDS = ["否", "n", "no", "false", "f", "0", "未移送", "×", "✗", "✘"]
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
# Characters no one sees: a zero-width space pasted after an id, a byte-order mark at the start of
# a data row (a file concatenated from two exports). Trimmed from every cell like white space,
# and removed from inside identifiers.
INVISIBLE = "\u200b\u200c\u200d\u2060\ufeff"
_TRIMMED = _WHITESPACE + INVISIBLE
# As one literal, not a chain of chr() calls: DuckDB plans a query per file, and planning the
# chain for every text column cost more than parsing a district's file (63 ms → 6 ms for six
# timestamp columns).
WS_SQL = quote_literal(_TRIMMED)
WS_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in _WHITESPACE) + "]"
INVISIBLE_CLASS = "[" + "".join(f"\\x{{{ord(c):x}}}" for c in INVISIBLE) + "]"
# Full-width forms (U+FF01..U+FF5E: ０-９, Ａ-Ｚ, ，．－／：…) are their ASCII twins typed with a
# Chinese input method; translate() maps each to U+0021..U+007E.
FULL_WIDTH = "".join(chr(c) for c in range(0xFF01, 0xFF5F))
HALF_WIDTH = "".join(chr(c) for c in range(0x21, 0x7F))
_FULL_SQL, _HALF_SQL = quote_literal(FULL_WIDTH), quote_literal(HALF_WIDTH)
_FULL_CLASS = quote_literal("[\\x{ff01}-\\x{ff5e}]")
# a fraction, seconds, minutes, the date alone: in this order (_strptime_date_first unpacks
# it and tries them date first)
TIMESTAMP_FORMATS = ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d")
_INTEGER_TYPES = ("TINYINT", "SMALLINT", "INTEGER", "BIGINT", "HUGEINT", "UTINYINT", "USMALLINT")
_NUMERIC_PREFIXES = ("FLOAT", "DOUBLE", "DECIMAL", "REAL", "UINTEGER", "UBIGINT", *_INTEGER_TYPES)
# The shapes a number may take (after full-width → ASCII), each with how it is read. Anything
# else does not parse: `1,2345` (no 3-digit group), `1.234` (a lone dot and exactly three
# decimals: 1.234, or 1234 written the European way — money has two decimals, so it is held
# back rather than guessed), `1.234,567`, `0,123`.
NUMBER_SHAPE = r"^[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?$"  # 1234.5, 1e3: as is
AMBIGUOUS_DOT = r"^[+-]?[1-9][0-9]{0,2}[.][0-9]{3}$"  # 1.234: refused
COMMA_GROUPS = r"^[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+([.][0-9]+)?$"  # 1,234,567.8: commas dropped
DECIMAL_COMMA = r"^[+-]?[0-9]+,[0-9]{1,2}$"  # 521923,13: the comma is the decimal point
DOT_GROUPS_COMMA = r"^[+-]?[1-9][0-9]{0,2}([.][0-9]{3})+,[0-9]{1,2}$"  # 1.234,56 (European)
DOT_GROUPS = r"^[+-]?[1-9][0-9]{0,2}([.][0-9]{3}){2,}$"  # 1.234.567 (European, no decimals)
# Accounting's negative: (1,234) is -1,234 (any of the shapes above inside, no sign of its own:
# (-1,234) is a mistake, not 1,234). A negative value then meets its column's rules: every count
# and amount the center records is at least 0 (expectations/*.json), so there it is held back
# naming the row and the column; a column that allows negatives would load it.
ACCOUNTING_NEGATIVE = r"^[(][^()+-]+[)]$"
EXCEL_SERIAL = r"^[0-9]{1,7}([.][0-9]+)?$"  # a day number in a workbook's date column
EXCEL_EPOCH = "1899-12-30"  # serial 61 = 1900-03-01 (Excel's 1900 leap-year bug before it)
EXCEL_SERIAL_RANGE = (61, 2958466)  # 1900-03-01 .. 9999-12-31
TEXT_PREFIX = "t__"  # gate_rows holds each column's text as t__<name> and its value as <name>
# Below this size a file's parse is planned without DuckDB's common-subexpression optimizer:
# planning the parse of a district's file took longer than running it, half of it that
# optimizer (a 5-row cases file 0.051 → 0.030 s; scale 1's 21 files, ~0.3 s); above it the
# shared subexpressions pay (a 12 MB takedowns file 0.17–0.25 s with it, 0.27–0.29 without).
SMALL_FILE_BYTES = 512 * 1024
# The loader also reads, judges and inserts such a file on one DuckDB thread (etl/load.py).


def is_small_file(path: Path) -> bool:
    """Under SMALL_FILE_BYTES (a district's month is 2 MiB in 21 files); a file that cannot be
    stat'ed counts as big, and its reading says what is wrong with it."""
    try:
        return path.stat().st_size < SMALL_FILE_BYTES
    except OSError:
        return False


def _in_list(values: list[str]) -> str:
    return "(" + ", ".join(quote_literal(v) for v in values) + ")"


def text_sql(column: str, source_type: str = "VARCHAR") -> str:
    """The cell as text, trimmed, blank = NULL: what "empty" means for every rule.

    trim() with a set of characters costs ten times a plain copy, so it runs only on the cells
    that start or end with one of them (measured: 0.79 s → 0.1 s for 2M cells)."""
    text = column if source_type.upper() == "VARCHAR" else _as_text(column, source_type)
    edge = f"contains({WS_SQL}, left({text}, 1)) or contains({WS_SQL}, right({text}, 1))"
    return f"nullif(case when {edge} then trim({text}, {WS_SQL}) else {text} end, '')"


def _as_text(column: str, source_type: str) -> str:
    """A typed cell as text. A whole number read from a workbook as a float is written without
    its `.0` (a numeric id 20230001 is "20230001", as the clerk sees it, not "20230001.0")."""
    if source_type.upper() in ("DOUBLE", "FLOAT", "REAL"):
        whole = f"{column} = trunc({column}) and abs({column}) < 1e15"
        return (
            f"(case when {whole} then cast(cast({column} as bigint) as varchar) "
            f"else cast({column} as varchar) end)"
        )
    return f"cast({column} as varchar)"


def let(value: str, name: str, body: Callable[[str], str]) -> str:
    """`body(name)` with `name` standing for `value`, computed once per row: a one-element list
    mapped by a lambda (DuckDB has no LET). A text used several times in a CASE is otherwise
    written, bound and optimized once per use, and the number parser's steps use theirs many
    times over: a workbook's parse was 57k characters, 48–61 ms of planning for a 200-row file
    (docs/performance.md, session 14). `name` must not be a column of the relation."""
    return f"list_transform([{value}], lambda {name}: {body(name)})[1]"


def ascii_sql(text: str) -> str:
    """Full-width letters, digits and signs as ASCII.

    DuckDB's translate() costs ~3 µs a cell whatever the cell holds (0.62 s for 218k dates,
    against 0.02 s for the regular expression that finds a full-width character), and a date's
    text was translated three times on its way to a value: so only a cell that holds one is
    translated (a district's cases file, 22k rows: 0.55 → 0.2 s of CPU with
    _strptime_date_first, docs/performance.md)."""
    return (
        f"(case when regexp_matches({text}, {_FULL_CLASS}) "
        f"then translate({text}, {_FULL_SQL}, {_HALF_SQL}) else {text} end)"
    )


def id_sql(text: str) -> str:
    """An identifier's text as the clerk means it: `ＷＱ２０２３－０００１`, `WQ2023-0001` followed
    by a zero-width space and Excel's `="WQ2023-0001"` are all `WQ2023-0001` (else each would
    be a new record). Plain ASCII ids (nearly all) are taken as they are."""
    unwrapped = (
        f"regexp_replace(regexp_replace({ascii_sql(text)}, {quote_literal(INVISIBLE_CLASS)}, "
        f"'', 'g'), '^=\"(.*)\"$', '\\1')"
    )
    plain = f"strlen({text}) = length({text}) and left({text}, 1) <> '='"
    return f"(case when {plain} then {text} else nullif(trim({unwrapped}, {WS_SQL}), '') end)"


def _date_text(text: str) -> str:
    """2024年3月1日, 2024/3/1, 2024.3.1 (full-width digits too) → 2024-3-1; an ISO 'T' →
    space."""
    dashed = f"replace(regexp_replace({ascii_sql(text)}, '[年月/.]', '-', 'g'), '日', '')"
    return f"regexp_replace({dashed}, 'T', ' ')"


def _serial(text: str) -> str:
    """An Excel serial day number (a workbook's date cell stored as a number), as DOUBLE; NULL
    when the text is not one or lies outside 1900-03-01 .. 9999-12-31."""
    low, high = EXCEL_SERIAL_RANGE

    def day(t: str) -> str:
        number = f"try_cast({t} as double)"
        return (
            f"(case when regexp_matches({t}, {quote_literal(EXCEL_SERIAL)}) "
            f"and {number} >= {low} and {number} < {high} then {number} end)"
        )

    return let(text, "_serial", day)


def number_sql(cleaned: str) -> str:
    """Text → DOUBLE for the number shapes above, NULL for any other: DuckDB's cast alone also
    takes 1_000, ' 1' and +-1, and stripping every comma read a decimal comma as a thousands
    separator (521923,13 → 52192313: fines 93 times too large)."""

    def shapes(c: str) -> str:
        def matches(shape: str) -> str:
            return f"regexp_matches({c}, {quote_literal(shape)})"

        no_dots = f"replace({c}, '.', '')"
        return (
            f"(case when {matches(AMBIGUOUS_DOT)} then null "
            f"when {matches(NUMBER_SHAPE)} then try_cast({c} as double) "
            f"when {matches(COMMA_GROUPS)} then try_cast(replace({c}, ',', '') as double) "
            f"when {matches(DECIMAL_COMMA)} then try_cast(replace({c}, ',', '.') as double) "
            f"when {matches(DOT_GROUPS_COMMA)} "
            f"then try_cast(replace({no_dots}, ',', '.') as double) "
            f"when {matches(DOT_GROUPS)} then try_cast({no_dots} as double) end)"
        )

    return let(cleaned, "_num", shapes)


def _signed_number(text: str, body_to_number: Callable[[str], str]) -> str:
    """A number's text `text` read by `body_to_number` (the text without accounting's
    parentheses → DOUBLE) and signed: `(1,234)` is -1,234, anything else as it reads."""

    def signed(t: str) -> str:
        negative = f"regexp_matches({t}, {quote_literal(ACCOUNTING_NEGATIVE)})"
        body = f"(case when {negative} then substr({t}, 2, length({t}) - 2) else {t} end)"
        return f"({body_to_number(body)} * (case when {negative} then -1 else 1 end))"

    return let(text, "_acc", signed)


def parse_sql(
    column: str,
    logical: str,
    source_type: str,
    text: str | None = None,
    *,
    factor: int = 1,
    excel: bool = False,
    is_id: bool = False,
) -> str:
    """The value of one cell of `source_type`, NULL where it does not
    parse. `column` is the cell's SQL expression; `text`, if given, its text_sql already
    computed (gate_rows computes each column's text once and parses that). `factor`: the
    header's unit (`罚没金额（万元）` → 10000), applied to a number. `excel`: the cell is from a
    workbook, where a number in a date column is an Excel serial day. `is_id`: an identifier
    (`id_sql`).

    Dates and times written the usual way (2024-03-01, 2024-03-01 09:30:00), and dates the way
    government exports write them (2024/3/1), take a fast path of one strptime; the general path
    gives the same value for them (tests/test_gate_parsers.py checks) and costs five times as
    much."""
    source_type = source_type.upper()
    text = text or text_sql(column)
    if logical == DATE:
        if source_type == "DATE":
            return column
        if source_type.startswith("TIMESTAMP"):
            return f"cast({column} as date)"
        days = f"cast(floor({_serial(ascii_sql(text))}) as integer)"
        serial = f", cast(date '{EXCEL_EPOCH}' + {days} as date)" if excel else ""

        def dated(t: str) -> str:
            compact = f"case when regexp_matches({t}, '^[0-9]{{8}}$') then {t} end"
            return (
                f"coalesce(cast({_timestamp_general(t)} as date), "
                f"cast(try_strptime({compact}, '%Y%m%d') as date){serial})"
            )

        # only the cells the fast paths below leave pay for the one-row list `let` makes
        general = let(_date_text(text), "_day", dated)
        usual = f"regexp_matches({text}, '^[0-9]{{4}}-[0-9]{{2}}-[0-9]{{2}}$')"
        fast = f"cast(try_strptime({text}, '%Y-%m-%d') as date)"
        slashed = f"regexp_matches({text}, '^[0-9]{{4}}/[0-9]{{1,2}}/[0-9]{{1,2}}$')"
        fast_slashed = f"cast(try_strptime({text}, '%Y/%m/%d') as date)"
        return (
            f"(case when {usual} then {fast} when {slashed} then {fast_slashed} else {general} end)"
        )
    if logical == TIMESTAMP:
        if source_type.startswith("TIMESTAMP") or source_type == "DATE":
            return f"cast({column} as timestamp)"
        usual = (
            f"regexp_matches({text}, "
            "'^[0-9]{4}-[0-9]{2}-[0-9]{2} [0-9]{2}:[0-9]{2}:[0-9]{2}$')"
        )
        fast = f"try_strptime({text}, '%Y-%m-%d %H:%M:%S')"
        general = let(_date_text(text), "_time", _timestamp_general)
        if excel:
            seconds = f"cast(round({_serial(ascii_sql(text))} * 86400) as bigint)"
            general = f"coalesce({general}, timestamp '{EXCEL_EPOCH}' + to_seconds({seconds}))"
        return f"(case when {usual} then {fast} else {general} end)"
    if logical == INTEGER:
        if source_type in _INTEGER_TYPES:
            return (
                f"(cast({column} as bigint) * {factor})"
                if factor != 1
                else f"cast({column} as bigint)"
            )
        number = _signed_number(ascii_sql(text), number_sql)
        if factor != 1:
            number = f"({number} * {factor})"
        return let(
            number,
            "_int",
            lambda n: f"(case when {n} = round({n}, 0) then try_cast({n} as bigint) end)",
        )
    if logical == DECIMAL:
        if source_type.startswith(_NUMERIC_PREFIXES):
            number = f"cast({column} as double)"
        else:
            # 12.5万 is 125,000 yuan; under a header that has a unit already it is refused
            # (万 twice is a mistake, not an amount)
            scale = "null" if factor != 1 else "10000"

            def amount(cleaned: str) -> str:
                wan = f"ends_with({cleaned}, '万')"

                def read(body: str) -> str:
                    # before 万 a lone dot is a decimal point (1.234万 is 12,340 yuan: no one
                    # groups thousands of 万)
                    plain = f"{wan} and regexp_matches({body}, {quote_literal(NUMBER_SHAPE)})"
                    return (
                        f"(case when {plain} then try_cast({body} as double) "
                        f"else {number_sql(body)} end)"
                    )

                body = f"(case when {wan} then left({cleaned}, -1) else {cleaned} end)"
                return f"({let(body, '_wan', read)} * (case when {wan} then {scale} else 1 end))"

            unmarked = (
                f"regexp_replace({ascii_sql(text)}, {quote_literal(f'[¥￥元{WS_CLASS[1:-1]}]')},"
                " '', 'g')"
            )
            number = _signed_number(unmarked, amount)
        if factor != 1:
            number = f"({number} * {factor})"
        return let(
            number,
            "_dec",
            lambda n: (
                f"(case when abs({n}) < {DECIMAL_LIMIT:.0f} "
                f"then try_cast(round_even({n}, 2) as decimal(18, 2)) end)"
            ),
        )
    if logical == BOOLEAN:
        if source_type == "BOOLEAN":
            return column
        return let(
            f"lower({ascii_sql(text)})",
            "_word",
            lambda word: (
                f"(case when {word} in {_in_list(TRUE_WORDS)} then true "
                f"when {word} in {_in_list(FALSE_WORDS)} then false end)"
            ),
        )
    if logical == STRING:
        return id_sql(text) if is_id else text
    raise ValueError(f"unknown logical type {logical}")


def _timestamp_general(t: str) -> str:
    """A date, or a date and a valid time, in the dashed text `t` (TIMESTAMP_SHAPE); NULL for
    anything else, such as a range `2023-1-3 至 2099-12-31`."""
    shape = quote_literal(TIMESTAMP_SHAPE)
    return f"(case when regexp_matches({t}, {shape}) then {_strptime_date_first(t)} end)"


def _strptime_date_first(t: str) -> str:
    """try_strptime of a TIMESTAMP_SHAPE text with TIMESTAMP_FORMATS tried date first: a text
    matches one format at most, so the order changes no value, only the cost — DuckDB's list
    form stops at the first that parses, and each one tried before it costs (218k dates: 0.22 s
    with the date last, 0.008 s first). `t` is written out once: each copy of it costs every
    file's plan a little (a 5-row file: +8 ms with eight copies)."""
    with_fraction, with_seconds, to_minute, date_only = (
        quote_literal(f) for f in TIMESTAMP_FORMATS
    )
    return f"try_strptime({t}, [{date_only}, {with_seconds}, {to_minute}, {with_fraction}])"


# Source types whose values a logical type takes as they are: nothing to parse, nothing can fail.
_SAME_TYPE = {
    DATE: ("DATE",),
    TIMESTAMP: ("TIMESTAMP",),
    INTEGER: _INTEGER_TYPES,
    BOOLEAN: ("BOOLEAN",),
}


def materialize(
    con: duckdb.DuckDBPyConnection,
    staged: StagedCells,
    kind: RecordKind,
    renames: dict[str, str],
    progress: FileProgress = QUIET,
) -> dict[str, str]:
    """gate_rows: each canonical column's value, and its text where the text is more than the
    value (t__<name>), in one pass over the file. Returns each column's text as SQL over
    gate_rows: a text column's value is its text, a typed column's text is its value written
    out; only a column that is parsed from text keeps both (half the rows to store).
    `progress`: DuckDB's estimate of the one pass (step parse), a careful re-read by bytes."""
    source_of = {canonical: position for position, canonical in renames.items()}
    types = dict(zip((f"_c{i}" for i in range(len(staged.types))), staged.types, strict=True))
    excel = staged.encoding == "xlsx"
    inner, outer, texts = [], [], {}  # inner: texts; outer: values parsed from them
    for c in kind.columns:
        position = source_of.get(c.name)
        name, text = quote_name(c.name), quote_name(TEXT_PREFIX + c.name)
        source_type = types[position].upper() if position else "VARCHAR"
        if position is None:
            outer.append(f"cast(null as {DUCKDB_TYPES[c.type]}) as {name}")
            texts[c.name] = "null::varchar"
            continue
        factor = unit_factor(staged.headers[int(position.removeprefix("_c"))])
        if c.type == STRING:
            value = text_sql(position, source_type)
            if c.is_id:  # the text once, as a column: id_sql uses it several times
                inner.append(f"{value} as {text}")
                outer.append(f"{id_sql(text)} as {name}")
            else:
                inner.append(f"{value} as {name}")
                outer.append(name)
            texts[c.name] = name
        elif source_type in _SAME_TYPE.get(c.type, ()) and factor == 1:
            inner.append(position)
            outer.append(f"{parse_sql(position, c.type, source_type)} as {name}")
            texts[c.name] = f"cast({name} as varchar)"
        else:
            value = parse_sql(position, c.type, source_type, text, factor=factor, excel=excel)
            inner.append(f"{text_sql(position, source_type)} as {text}, {position}")
            outer.append(f"{text}, {value} as {name}")
            texts[c.name] = text
    inner = inner or ["1 as _none"]
    serial_tried = False
    while True:
        try:
            with _planned_for(con, staged), progress.statement(con, "parse"):
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
                careful(staged, progress)
                progress.restart("parse")
                continue
            raise
        if staged.expected_rows is None:
            return texts
        rows = con.execute(f"select count(*) from {ROWS_TABLE}").fetchall()[0][0]
        if rows == staged.expected_rows or not careful(staged, progress):
            return texts
        progress.restart("parse")


@contextlib.contextmanager
def _planned_for(con: duckdb.DuckDBPyConnection, staged: StagedCells) -> Iterator[None]:
    """The parse of a small file (SMALL_FILE_BYTES) planned without common-subexpression
    elimination; the connection's own optimizer setting is restored after."""
    if not is_small_file(staged.path):
        yield
        return
    (before,) = con.execute("select current_setting('disabled_optimizers')").fetchone()
    off = ",".join(filter(None, [before, "common_subexpressions"]))
    con.execute(f"set disabled_optimizers = {quote_literal(off)}")
    try:
        yield
    finally:
        con.execute(f"set disabled_optimizers = {quote_literal(before)}")


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
