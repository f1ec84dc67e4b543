"""The one cell parser (etl/sources/cells.py, SQL) pinned on explicit cells and, for cells drawn
at random from the pieces real exports are made of, held to a reference written here in Python
from the documented grammar (docs/quality.md): an independent second implementation, as the
polars reader was before the gate had one engine."""

from __future__ import annotations

import datetime as dt
import math
import re
from decimal import ROUND_HALF_EVEN, Decimal

import duckdb
import pytest
from hypothesis import HealthCheck, given
from hypothesis import settings as hsettings
from hypothesis import strategies as st

from etl.sources.cells import parse_sql, text_sql
from etl.sources.schema import BOOLEAN, DATE, DECIMAL, INTEGER, STRING, TIMESTAMP

# Unicode's White_Space property: what a cell is trimmed of.
WHITE = "".join(
    chr(c)
    for c in (
        *range(9, 14),
        32,
        0x85,
        0xA0,
        0x1680,
        *range(0x2000, 0x200B),
        *(0x2028, 0x2029, 0x202F, 0x205F, 0x3000),
    )
)
TRUE = {"是", "y", "yes", "true", "t", "1", "已移送"}
FALSE = {"否", "n", "no", "false", "f", "0", "未移送"}
NUMBER = re.compile(r"[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?")
TIME_SHAPE = re.compile(
    r"[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}( [0-9]{1,2}:[0-9]{1,2}(:[0-9]{1,2}(\.[0-9]+)?)?)?"
)
BIGINT = 2**63


def ref_text(cell: str | None) -> str | None:
    if cell is None:
        return None
    text = cell.strip(WHITE)
    return text or None


def _date_text(text: str) -> str:
    return re.sub("[年月/.]", "-", text).replace("日", "").replace("T", " ", 1)


def _strptime(text: str, fmt: str) -> dt.datetime | None:
    try:
        return dt.datetime.strptime(text, fmt)
    except ValueError:
        return None


def ref_date(cell: str | None) -> dt.date | None:
    text = ref_text(cell)
    if text is None:
        return None
    t = _date_text(text)
    iso = re.fullmatch(r"([0-9]{4}-[0-9]{1,2}-[0-9]{1,2})(?:[\t\n\f\r ].*)?", t)
    found = _strptime(iso.group(1), "%Y-%m-%d") if iso else None
    if found is None and re.fullmatch("[0-9]{8}", t):
        found = _strptime(t, "%Y%m%d")
    return found.date() if found else None


def ref_timestamp(cell: str | None) -> dt.datetime | None:
    text = ref_text(cell)
    if text is None:
        return None
    t = _date_text(text)
    if not TIME_SHAPE.fullmatch(t):
        return None
    for fmt in ("%Y-%m-%d %H:%M:%S.%f", "%Y-%m-%d %H:%M:%S", "%Y-%m-%d %H:%M", "%Y-%m-%d"):
        found = _strptime(t, fmt)
        if found is not None:
            return found
    return None


def _number(text: str) -> float | None:
    """A number's shape only; 1e999 (no double holds it) is no number."""
    number = float(text) if NUMBER.fullmatch(text) else None
    return number if number is not None and math.isfinite(number) else None


def ref_integer(cell: str | None) -> int | None:
    text = ref_text(cell)
    number = None if text is None else _number(text.replace(",", ""))
    if number is None or number != int(number) or not -BIGINT <= int(number) < BIGINT:
        return None
    return int(number)


def ref_decimal(cell: str | None) -> Decimal | None:
    text = ref_text(cell)
    number = None if text is None else _number(re.sub(f"[,¥￥元{WHITE}]", "", text))
    if number is None or not abs(number) < 1e16:
        return None
    return Decimal(number).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def ref_boolean(cell: str | None) -> bool | None:
    text = ref_text(cell)
    if text is None:
        return None
    lowered = text.lower()
    return True if lowered in TRUE else False if lowered in FALSE else None


REFERENCE = {
    DATE: ref_date,
    TIMESTAMP: ref_timestamp,
    INTEGER: ref_integer,
    DECIMAL: ref_decimal,
    BOOLEAN: ref_boolean,
    STRING: ref_text,
}


@pytest.fixture(scope="module")
def con():
    connection = duckdb.connect()
    yield connection
    connection.close()


def parse(con, cells: list[str | None], logical: str) -> list:
    con.execute("create or replace temp table cells (i integer, _c0 varchar)")
    con.executemany("insert into cells values (?, ?)", list(enumerate(cells)))
    value = parse_sql("_c0", logical, "VARCHAR", text_sql("_c0"))
    return [row[0] for row in con.execute(f"select {value} from cells order by i").fetchall()]


# ------------------------------------------------------------------------------------------------
# Explicit cells, each with the value a clerk would expect (None: held back as not parseable)
# ------------------------------------------------------------------------------------------------

EXPLICIT = {
    DATE: [
        ("2024-03-01", dt.date(2024, 3, 1)),
        ("2024/3/1", dt.date(2024, 3, 1)),
        ("2024.3.1", dt.date(2024, 3, 1)),
        ("2024年3月1日", dt.date(2024, 3, 1)),
        ("20240301", dt.date(2024, 3, 1)),
        ("2024-03-01 09:30:00", dt.date(2024, 3, 1)),
        ("2024-03-01T09:30", dt.date(2024, 3, 1)),
        ("\u30002024-03-01 ", dt.date(2024, 3, 1)),
        ("2024/2/30", None),
        ("2024-13-01", None),
        ("yesterday", None),
        ("24-3-1", None),
        ("", None),
        ("   ", None),
        (None, None),
    ],
    TIMESTAMP: [
        ("2024-03-01 09:30:00", dt.datetime(2024, 3, 1, 9, 30)),
        ("2024-03-01 09:30", dt.datetime(2024, 3, 1, 9, 30)),
        ("2024-03-01T09:30:05", dt.datetime(2024, 3, 1, 9, 30, 5)),
        # '.' is a date separator (2024.3.1), so a fraction of a second does not parse: held
        # back, never misread (as the polars reader did; the sample writes none)
        ("2024-03-01 09:30:05.5", None),
        ("2024/3/1 9:05", dt.datetime(2024, 3, 1, 9, 5)),
        ("2024年3月1日 9:05", dt.datetime(2024, 3, 1, 9, 5)),
        ("2024-03-01", dt.datetime(2024, 3, 1)),
        ("2024-03-019:9", None),  # chrono read this as 09:09: a malformed time is not a time
        ("2024-03-01 24:00:00", None),
        ("2024-03-01 09:60", None),
        ("-52024-03-01", None),
        ("yesterday", None),
    ],
    INTEGER: [
        ("12", 12),
        ("1,000", 1000),
        ("-3", -3),
        ("12.0", 12),
        ("1e3", 1000),
        (" 7 ", 7),
        ("12.5", None),
        ("十二件", None),
        ("1_000", None),
        ("+-1", None),
        ("inf", None),
        ("9" * 19, None),
    ],
    DECIMAL: [
        ("12345.5", Decimal("12345.50")),
        ("1,000.00", Decimal("1000.00")),
        ("¥1,234.56", Decimal("1234.56")),
        ("1234.56元", Decimal("1234.56")),
        ("0.125", Decimal("0.12")),  # half to even
        ("-500", Decimal("-500.00")),
        ("9999999999999999", None),  # 10^16 and more: what DECIMAL(18,2) cannot hold
        ("1e20", None),
        ("一万", None),
        ("1_000", None),
    ],
    BOOLEAN: [
        ("是", True),
        ("否", False),
        ("Yes", True),
        ("N", False),
        ("TRUE", True),
        ("0", False),
        ("已移送", True),
        ("未移送", False),
        ("待定", None),
        ("maybe", None),
    ],
    STRING: [
        ("  Tmall ", "Tmall"),
        ("\u3000天猫\t", "天猫"),
        ("x y", "x y"),
        ("\u00a0", None),
        ("", None),
    ],
}


@pytest.mark.parametrize("logical", list(EXPLICIT))
def test_each_parser_on_explicit_cells(logical, con):
    cells = [cell for cell, _ in EXPLICIT[logical]]
    expected = [value for _, value in EXPLICIT[logical]]
    got = parse(con, cells, logical)
    assert got == expected, [(c, g, e) for c, g, e in zip(cells, got, expected, strict=True)]
    assert [REFERENCE[logical](c) for c in cells] == expected  # the reference agrees too


# ------------------------------------------------------------------------------------------------
# Random cells from the pieces exports are made of: the SQL parser equals the reference
# ------------------------------------------------------------------------------------------------

_PIECES = {
    DATE: [
        *("2024", "2023", "1999", "3", "03", "12", "31", "30", "2", "-", "/", ".", "年", "月"),
        *("日", " ", "T", "20240301", "\u3000", "x", "0", "13", "09:30"),
    ],
    TIMESTAMP: [
        *("2024-03-01", "2024/3/1", " ", "T", "9", "09", ":", "30", "00", ".5", ".123456"),
        *("60", "24", "-", "年", "月", "日", "Z", "\t", "2024-02-30"),
    ],
    INTEGER: [
        *("1", "0", "-", "+", ",", ".", "5", "e", "3", "_", " ", "inf", "nan", "9" * 19),
        *("00", "x", "\u00a0"),
    ],
    DECIMAL: [
        *("1", "0", "-", ",", ".", "5", "125", "¥", "￥", "元", " ", "e", "_", "\u3000"),
        *("99", "0.125", "1e20", "x"),
    ],
    BOOLEAN: [
        *("是", "否", "Y", "n", "yes", "NO", "True", "f", "1", "0", "已移送", "未移送", " "),
        "maybe",
    ],
    STRING: ["a", " ", "\u3000", "\t", "中", "\u00a0", "x y", "\u2003", "\n"],
}


def _cells(logical: str) -> st.SearchStrategy[list[str | None]]:
    cell = st.lists(st.sampled_from(_PIECES[logical]), max_size=6).map("".join)
    return st.lists(st.none() | cell, min_size=1, max_size=30)


@pytest.mark.parametrize("logical", [DATE, TIMESTAMP, INTEGER, DECIMAL, BOOLEAN, STRING])
@hsettings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.data())
def test_sql_parsers_equal_the_reference_on_text_cells(logical, data, con):
    cells = data.draw(_cells(logical))
    got = parse(con, cells, logical)
    expected = [REFERENCE[logical](cell) for cell in cells]
    assert got == expected, list(zip(cells, got, expected, strict=True))
