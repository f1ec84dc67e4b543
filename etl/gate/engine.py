"""The gate's one engine: the committed suites executed as SQL in DuckDB, for every file.

Each expectation of `expectations/<kind>.json` becomes one SQL predicate over the file's typed
rows (`gate_rows`, etl/sources/cells.py), and all of them one `union all` query that lists the
failing cells; the good rows then go from DuckDB into raw without passing through Python. Great
Expectations is not on this path: its pandas engine needs the whole file as Python objects
(about 7 µs a row, gigabytes for a yearly export) and its SQL engine cannot drive DuckDB here
(docs/quality.md). It is the oracle instead: tests/test_gate_oracle.py runs the same suites with
GX on the frame `helper_frame_sql` selects — the same parsed cells and helper columns — and holds
this engine to GX's failures, row for row, on the fault corpus and the sample.

Every expectation type the suites use has a translation; any other type fails loudly
(`GateError`, which rejects the file with `gate_error`): a new rule can never pass unchecked.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from functools import cached_property
from typing import Any

import duckdb
import polars as pl

from etl.gate.codes import code_sql, ensure_codes
from etl.gate.pii import pii_sql, shape_sql
from etl.gate.rules import SHA256_COLUMNS, TOTAL_REGEX, TOTAL_WORDS
from etl.progress import QUIET, FileProgress
from etl.sources.cells import ROWS_TABLE
from etl.sources.reader import Rows, drop_rows
from etl.sources.schema import ROW, STRING, RecordKind
from etl.sources.staged import quote_literal, quote_name

FOUND_TABLE = "gate_found"  # (ROW, position, column_name, rule, expectation_type) per failure
BAD_TABLE = "gate_bad"  # the rows with any failure
PII_PREFIX = "_pii__"  # in the problem rows' text: whether a cell is personal data


class GateError(Exception):
    """A rule the engine cannot evaluate: a bug in the gate, never the file's fault."""


def _in_list(values: list[str]) -> str:
    return "(" + ", ".join(quote_literal(v) for v in values) + ")"


# ------------------------------------------------------------------------------------------------
# The columns GX sees: values and helper columns, as SQL over gate_rows g
# ------------------------------------------------------------------------------------------------


def _value(kind: RecordKind, column: str) -> str:
    """The value the suite checks for `column`: hashes compared lower-cased."""
    name = f"g.{quote_name(column)}"
    return f"lower({name})" if column in SHA256_COLUMNS.get(kind.name, ()) else name


def _unparsed(rows: Rows, column: str) -> str:
    """`_unparsed__<column>`: the text of a cell that does not parse to its type."""
    text = rows.texts[column]
    return f"(case when {text} is not null and g.{quote_name(column)} is null then {text} end)"


def _code(rows: Rows, column: str, alias: str) -> tuple[str, str]:
    """`_code__<column>`: (JOIN clause, the code the cell means)."""
    domain = rows.kind.column(column).code_domain or ""
    return code_sql(domain, rows.texts[column], alias)


def helper_frame_sql(rows: Rows) -> str:
    """The frame GX validates (the oracle): ROW, each column's value as the suite checks it
    (personal data as its shape) and every helper column the suite names, one row per data row.
    The same expressions the engine's predicates use: one parser, one code rule."""
    kind = rows.kind
    joins, select = [], [f"{rows.row_sql()} as {ROW}"]
    for i, c in enumerate(kind.columns):
        value = _value(kind, c.name)
        pii = pii_sql(kind, c.name, rows.texts)
        if pii is not None:
            join, predicate = pii
            joins.append(join)
            value = f"(case when {predicate} then {shape_sql(value)} else {value} end)"
        select.append(f"{value} as {quote_name(c.name)}")
        if c.type != STRING:
            select.append(f"{_unparsed(rows, c.name)} as {quote_name('_unparsed__' + c.name)}")
        if c.code_domain:
            join, code = _code(rows, c.name, f"m{i}")
            joins.append(join)
            select.append(f"{code} as {quote_name('_code__' + c.name)}")
    return f"select {', '.join(select)} from {ROWS_TABLE} g{''.join(joins)} order by g.rowid"


# ------------------------------------------------------------------------------------------------
# The suite as SQL
# ------------------------------------------------------------------------------------------------


def _violation(
    rows: Rows, expectation: dict[str, Any], parameters: dict[str, str]
) -> tuple[str, str] | None:
    """(FROM-clause extra, WHERE predicate) true for the rows that fail one expectation, with
    GX's semantics for it (a NULL passes every rule but not-null; pairs skip a missing side)."""
    kind = rows.kind
    kwargs = expectation["kwargs"]
    type_ = expectation["type"]
    column = kwargs.get("column")
    if type_ == "expect_column_to_exist":
        return None  # the reader guarantees it (a missing column rejects the file)
    if type_ == "expect_column_values_to_be_null" and column.startswith("_unparsed__"):
        return "", f"{_unparsed(rows, column.removeprefix('_unparsed__'))} is not null"
    if type_ == "expect_column_values_to_not_be_null":
        return "", f"g.{quote_name(column)} is null"
    if type_ == "expect_column_values_to_be_in_set" and column.startswith("_code__"):
        name = column.removeprefix("_code__")
        join, code = _code(rows, name, "m")
        return join, f"{code} is not null and {code} not in {_in_list(kwargs['value_set'])}"
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
        # Personal data: GX sees the shape (pii.shape_sql); the shape of a cell matches the
        # suite's regexes exactly when the cell does, so the engine reads the value itself.
        value = _value(kind, column)
        regex = quote_literal(kwargs["regex"])
        return "", f"{value} is not null and not regexp_matches({value}, {regex})"
    if type_ == "expect_column_values_to_not_match_regex":
        value = _value(kind, column)
        match = f"regexp_matches({value}, {quote_literal(kwargs['regex'])})"
        if kwargs["regex"] == TOTAL_REGEX:
            # A total line starts with 合, 总 or 小: a byte-prefix test spares the regex the keys
            # of every other row (0.13 → 0.001 s per 4.6M-row file), and the regex decides
            starts = [f"starts_with({value}, {quote_literal(w[0])})" for w in TOTAL_WORDS]
            match = f"({' or '.join(starts)}) and {match}"
        return "", f"{value} is not null and {match}"
    if type_ == "expect_column_values_to_be_unique":
        name = quote_name(column)
        return "", (
            f"g.{name} is not null and g.{name} in (select {name} from {ROWS_TABLE} "
            f"where {name} is not null group by {name} having count(*) > 1)"
        )
    if type_ == "expect_column_pair_values_a_to_be_greater_than_b":
        a, b = _value(kind, kwargs["column_A"]), _value(kind, kwargs["column_B"])
        op = "<" if kwargs.get("or_equal") else "<="
        return "", f"{a} is not null and {b} is not null and {a} {op} {b}"
    if type_ == "expect_column_pair_values_to_be_equal":
        a, b = _value(kind, kwargs["column_A"]), _value(kind, kwargs["column_B"])
        return "", f"{a} is not null and {b} is not null and {a} <> {b}"
    raise GateError(f"the SQL gate has no translation for {type_} on {column}")


def checked(suite: dict[str, Any], everything: bool) -> list[tuple[int, dict[str, Any]]]:
    """(position in the suite, expectation) of the rules a run checks: all of them, or with
    `everything=False` the parser's own type and required checks only (a benchmark baseline)."""
    return [
        (position, expectation)
        for position, expectation in enumerate(suite["expectations"])
        if everything
        or expectation.get("meta", {}).get("rule", "").split(":")[0] in ("type", "required")
    ]


def suite_parameters(today: dt.date) -> dict[str, Any]:
    """The suites' `$PARAMETER`s for a load on `today`, as Python values (for GX)."""
    return {"today": today, "end_of_today": dt.datetime.combine(today, dt.time.max)}


def suite_sql(rows: Rows, suite: dict[str, Any], today: dt.date, everything: bool) -> str:
    """One query: (ROW, position, column_name, rule, expectation_type) per failing expectation
    and row."""
    values = suite_parameters(today)
    parameters = {
        "today": f"date '{values['today'].isoformat()}'",
        "end_of_today": f"timestamp '{values['end_of_today'].isoformat(sep=' ')}'",
    }
    parts = []
    for position, expectation in checked(suite, everything):
        meta = expectation.get("meta", {})
        found = _violation(rows, expectation, parameters)
        if found is None:
            continue
        join, predicate = found
        source = f"{ROWS_TABLE} g{join}"
        select = (
            f"select {rows.row_sql()} as {ROW}, {position} as position, "
            f"{quote_literal(meta['column'])} as column_name, "
            f"{quote_literal(meta.get('rule', ''))} as rule, "
            f"{quote_literal(expectation['type'])} as expectation_type"
        )
        if " over (" in predicate:  # a window cannot sit in WHERE: compute it first
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
class Judged:
    """A file judged in DuckDB: counts and problems in Python, the rows still in the
    connection's temporary tables (gate_rows, gate_bad) until the loader inserts them or the
    gate judges the next file."""

    rows: Rows
    problems: pl.DataFrame  # report.PROBLEM_COLUMNS, one row per bad cell
    rows_bad: int
    con: duckdb.DuckDBPyConnection

    @property
    def kind(self) -> RecordKind:
        return self.rows.kind

    @property
    def rows_read(self) -> int:
        return self.rows.rows_read

    @property
    def rows_valid(self) -> int:
        return self.rows.rows_read - self.rows_bad

    @property
    def rows_quarantined(self) -> int:
        return self.rows_bad

    @property
    def encoding(self) -> str:
        return self.rows.encoding

    @property
    def sheet(self) -> str | None:
        return self.rows.sheet

    @property
    def ignored_columns(self) -> list[str]:
        return self.rows.ignored_columns

    def with_problems(self, problems: pl.DataFrame) -> Judged:
        return replace(self, problems=problems)

    def good_rows_sql(self) -> str:
        """The rows that load: ROW + canonical columns. In no particular order: nothing reads
        raw in its physical order (each row carries its file_seq and source_row, and staging
        picks versions by them), and sorting a 4.5M-row file before its insert cost a
        scale-1000 load ~1 s per file (docs/performance.md, "Load")."""
        columns = ", ".join(f"g.{quote_name(c.name)}" for c in self.kind.columns)
        row = self.rows.row_sql()
        good = f"select cast({row} as bigint) as {ROW}, {columns} from {ROWS_TABLE} g"
        return (
            f"{good} where {row} not in (select {ROW} from {BAD_TABLE})" if self.rows_bad else good
        )

    @cached_property
    def frame(self) -> pl.DataFrame:
        """The rows that load, fetched into polars (tools and tests; the loader inserts them
        with `good_rows_sql` instead)."""
        return self.con.sql(f"{self.good_rows_sql()} order by {ROW}").pl()

    @cached_property
    def text(self) -> pl.DataFrame:
        """Every row as the file wrote it (ROW + canonical columns, blank = null)."""
        columns = ", ".join(
            f"{self.rows.texts[c.name]} as {quote_name(c.name)}" for c in self.kind.columns
        )
        return self.con.sql(
            f"select cast({self.rows.row_sql()} as bigint) as {ROW}, {columns} "
            f"from {ROWS_TABLE} g order by g.rowid"
        ).pl()


def drop_tables(con: duckdb.DuckDBPyConnection) -> None:
    """Free the last file's rows (they live in memory or DuckDB's spill files)."""
    drop_rows(con)
    for table in (FOUND_TABLE, BAD_TABLE):
        con.execute(f"drop table if exists temp.{table}")


def judge(
    con: duckdb.DuckDBPyConnection,
    rows: Rows,
    suite: dict[str, Any],
    today: dt.date,
    everything: bool = True,
    progress: FileProgress = QUIET,
) -> tuple[pl.DataFrame, pl.DataFrame, int, list[dict[str, Any]]]:
    """Judge the rows `reader.read_rows` left in gate_rows against `suite` (`progress`: DuckDB's
    estimate of the one query that finds every failing cell, the long part).

    Returns the failing cells (ROW, column_name, rule, expectation_type; one per cell, the first
    rule in suite order: a date that does not parse is "not a date", not also "missing"), the
    problem rows' text (ROW, every column's text, `_pii__<column>` flags), the number of rows
    with a problem, and a summary per rule (success, failed rows)."""
    ensure_codes(con)
    with progress.statement(con, "judge", rows.rows_read):
        con.execute(
            f"create or replace temp table {FOUND_TABLE} as "
            + suite_sql(rows, suite, today, everything)
        )
    # Most files fail nothing: then one count is all the rest costs (a statement is 1–3 ms of
    # a small file's ~20, docs/performance.md), and gate_bad is never made
    (rows_bad,) = con.execute(f"select count(distinct {ROW}) from {FOUND_TABLE}").fetchall()[0]
    failed: dict[int, int] = {}
    found = pl.DataFrame(
        schema={
            ROW: pl.Int64,
            "column_name": pl.String,
            "rule": pl.String,
            "expectation_type": pl.String,
        }
    )
    text = pl.DataFrame()
    if rows_bad:
        con.execute(
            f"create or replace temp table {BAD_TABLE} as select distinct {ROW} from {FOUND_TABLE}"
        )
        found = con.sql(
            f"select {ROW}, column_name, rule, expectation_type from {FOUND_TABLE} "
            f"qualify row_number() over (partition by {ROW}, column_name order by position) = 1 "
            f"order by {ROW}, position"
        ).pl()
        failed = dict(
            con.execute(
                f"select position, count(*) from {FOUND_TABLE} group by position"
            ).fetchall()
        )
        text = _problem_text(con, rows)
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
    return found.cast({ROW: pl.Int64}), text, rows_bad, rules


def failing_rows(con: duckdb.DuckDBPyConnection, limit: int) -> dict[int, list[int]]:
    """The first `limit` failing rows of each expectation (by suite position) of the file
    judged last: what the data docs list."""
    return dict(
        con.execute(
            f"select position, list({ROW} order by {ROW})[1:{limit}] from {FOUND_TABLE} "
            "group by position"
        ).fetchall()
    )


def _problem_text(con: duckdb.DuckDBPyConnection, rows: Rows) -> pl.DataFrame:
    """ROW, each column's text and whether it is personal data, for the rows with a problem."""
    kind = rows.kind
    select = [f"cast({rows.row_sql()} as bigint) as {ROW}"]
    joins = []
    for c in kind.columns:
        select.append(f"{rows.texts[c.name]} as {quote_name(c.name)}")
        pii = pii_sql(kind, c.name, rows.texts)
        if pii is not None:
            joins.append(pii[0])
            select.append(f"{pii[1]} as {quote_name(PII_PREFIX + c.name)}")
    return con.sql(
        f"select {', '.join(select)} from {ROWS_TABLE} g{''.join(joins)} "
        f"where {rows.row_sql()} in (select {ROW} from {BAD_TABLE}) order by g.rowid"
    ).pl()
