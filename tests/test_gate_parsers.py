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
# and what no one sees: zero-width space, joiners, word joiner, byte-order mark
WHITE += "\u200b\u200c\u200d\u2060\ufeff"
TRUE = {"是", "y", "yes", "true", "t", "1", "已移送", "√", "✓", "✔"}
FALSE = {"否", "n", "no", "false", "f", "0", "未移送", "×", "✗", "✘"}
NUMBER = re.compile(r"[+-]?([0-9]+[.]?[0-9]*|[.][0-9]+)([eE][+-]?[0-9]+)?")
# the number shapes of docs/data-model.md and how each is read (None: refused as ambiguous)
SHAPES: list[tuple[re.Pattern[str], object]] = [
    (re.compile(r"[+-]?[1-9][0-9]{0,2}[.][0-9]{3}"), None),
    (NUMBER, lambda t: t),
    (re.compile(r"[+-]?[1-9][0-9]{0,2}(,[0-9]{3})+([.][0-9]+)?"), lambda t: t.replace(",", "")),
    (re.compile(r"[+-]?[0-9]+,[0-9]{1,2}"), lambda t: t.replace(",", ".")),
    (
        re.compile(r"[+-]?[1-9][0-9]{0,2}([.][0-9]{3})+,[0-9]{1,2}"),
        lambda t: t.replace(".", "").replace(",", "."),
    ),
    (re.compile(r"[+-]?[1-9][0-9]{0,2}([.][0-9]{3}){2,}"), lambda t: t.replace(".", "")),
]
FULL_WIDTH = str.maketrans({chr(c): chr(c - 0xFEE0) for c in range(0xFF01, 0xFF5F)})
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
    text = text.translate(FULL_WIDTH)
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
    # a date, or a date and a valid time; anything else after it (a range) is no date
    found = ref_timestamp(text)
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
    """One of the number shapes only; 1e999 (no double holds it) is no number."""
    for shape, read in SHAPES:
        if shape.fullmatch(text):
            if read is None:
                return None
            number = float(read(text))  # type: ignore[operator]
            return number if math.isfinite(number) else None
    return None


def _accounting(text: str) -> tuple[str, int]:
    """(1,234) is accounting's -1,234: the text inside and the sign; no sign of its own inside."""
    if re.fullmatch(r"\([^()+-]+\)", text):
        return text[1:-1], -1
    return text, 1


def ref_integer(cell: str | None) -> int | None:
    text = ref_text(cell)
    body, sign = _accounting(text.translate(FULL_WIDTH)) if text is not None else ("", 1)
    number = None if text is None else _number(body)
    number = None if number is None else number * sign
    if number is None or number != int(number) or not -BIGINT <= int(number) < BIGINT:
        return None
    return int(number)


def ref_decimal(cell: str | None) -> Decimal | None:
    text = ref_text(cell)
    if text is None:
        return None
    cleaned, sign = _accounting(re.sub(f"[¥￥元{WHITE[:-5]}]", "", text.translate(FULL_WIDTH)))
    wan = cleaned.endswith("万")
    body = cleaned[:-1] if wan else cleaned
    number = float(body) if wan and NUMBER.fullmatch(body) else _number(body)
    number = number if number is None or math.isfinite(number) else None
    number = number * 10000 if wan and number is not None else number
    number = None if number is None else number * sign
    if number is None or not abs(number) < 1e16:
        return None
    return Decimal(number).quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


def ref_boolean(cell: str | None) -> bool | None:
    text = ref_text(cell)
    if text is None:
        return None
    lowered = text.translate(FULL_WIDTH).lower()
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


def parse(con, cells: list[str | None], logical: str, **options) -> list:
    con.execute("create or replace temp table cells (i integer, _c0 varchar)")
    con.executemany("insert into cells values (?, ?)", list(enumerate(cells)))
    # as gate_rows is built (cells.materialize): the text computed once, in an inner select,
    # and parsed by name; written out inside the value instead, a decimal's expression is
    # 370 KB and takes DuckDB ~1 s to plan (the whole property test: 57 s)
    value = parse_sql("_c0", logical, "VARCHAR", "t", **options)
    inner = f"select i, _c0, {text_sql('_c0')} as t from cells"
    return [r[0] for r in con.execute(f"select {value} from ({inner}) order by i").fetchall()]


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
        ("２０２４年３月５日", dt.date(2024, 3, 5)),  # full-width digits
        ("2024.03.05", dt.date(2024, 3, 5)),
        ("2024/3/5", dt.date(2024, 3, 5)),
        # the shape government exports write (its own fast path): leap days, padding, a time
        ("2024/02/29", dt.date(2024, 2, 29)),
        ("2023/2/29", None),
        ("2024/12/31", dt.date(2024, 12, 31)),
        ("2024/3/1 9:05", dt.date(2024, 3, 1)),
        ("2024/3/", None),
        ("2024/003/1", None),
        # a range is refused, never read as its first day (issue #13)
        ("2023/1/3 至 2099/12/31", None),
        ("2023-01-03 到期", None),
        ("2024-03-01 25:00", None),
        ("45000", None),  # a serial day number only in a workbook (test_excel_serial_days)
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
        ("１２", 12),  # full-width digits
        ("１，０００", 1000),
        ("1,234,567", 1234567),
        ("1.234.567", 1234567),  # dot groups (European), no decimals
        ("1,2345", None),  # commas only between 3-digit groups
        ("12,34,567", None),
        ("1.234", None),  # ambiguous: 1.234 or 1234
        ("1,5", None),  # a decimal comma: 1.5 is no whole number
        # accounting's negatives
        ("(1,234)", -1234),
        ("（１２）", -12),  # full-width parentheses and digits
        ("(-12)", None),  # a sign inside the parentheses: a mistake, not 12
        ("((12))", None),
        ("(12", None),
        ("()", None),
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
        # decimal commas: only the shapes that cannot be anything else (issue #13: stripping
        # every comma loaded fines 93 times too large)
        ("521923,13", Decimal("521923.13")),
        ("0,5", Decimal("0.50")),
        ("1.234,56", Decimal("1234.56")),
        ("1.234.567,8", Decimal("1234567.80")),
        ("1,234", Decimal("1234.00")),  # a comma before three digits is a thousands separator
        ("1.234", None),  # 1.234 yuan, or 1234 written the European way: refused
        ("1.234,567", None),
        ("0,125", None),
        ("1,234,5", None),
        ("1,2345.6", None),
        ("1 234,56", Decimal("1234.56")),
        # 万 in the cell: × 10,000
        ("(1,234.50)", Decimal("-1234.50")),  # accounting's negative
        ("(¥1,234)", Decimal("-1234.00")),
        ("¥(1,234)", Decimal("-1234.00")),
        ("(12.5万)", Decimal("-125000.00")),
        ("(521923,13)", Decimal("-521923.13")),
        ("(1.234)", None),  # still ambiguous inside parentheses
        ("(+5)", None),
        ("12.5万", Decimal("125000.00")),
        ("12.5万元", Decimal("125000.00")),
        ("1,234.5678万", Decimal("12345678.00")),
        ("1.234万", Decimal("12340.00")),  # before 万 a dot is a decimal point
        ("万", None),
        ("１２３．４５", Decimal("123.45")),  # full-width digits and point
        ("￥５００", Decimal("500.00")),
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
        ("√", True),
        ("×", False),
        ("✓", True),
        ("Ｙ", True),
        ("１", True),
        ("待定", None),
        ("maybe", None),
    ],
    STRING: [
        ("  Tmall ", "Tmall"),
        ("\u3000天猫\t", "天猫"),
        ("x y", "x y"),
        ("\u00a0", None),
        ("", None),
        ("\ufeffWQ2023-0001", "WQ2023-0001"),  # a byte-order mark at the start of a row
        ("WQ2023-0001\u200b", "WQ2023-0001"),  # a zero-width space pasted after it
        ("\u200b", None),
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
        *("日", " ", "T", "20240301", "\u3000", "x", "0", "13", "09:30", "２", "至"),
    ],
    TIMESTAMP: [
        *("2024-03-01", "2024/3/1", " ", "T", "9", "09", ":", "30", "00", ".5", ".123456"),
        *("60", "24", "-", "年", "月", "日", "Z", "\t", "2024-02-30"),
    ],
    INTEGER: [
        *("1", "0", "-", "+", ",", ".", "5", "e", "3", "_", " ", "inf", "nan", "9" * 19),
        *("00", "x", "\u00a0", "１", "000", "234", "(", ")", "（", "）"),
    ],
    DECIMAL: [
        *("1", "0", "-", ",", ".", "5", "125", "¥", "￥", "元", " ", "e", "_", "\u3000"),
        *("99", "0.125", "1e20", "x", "万", "２", "，", "．", "234", ".000", "(", ")", "（"),
    ],
    BOOLEAN: [
        *("是", "否", "Y", "n", "yes", "NO", "True", "f", "1", "0", "已移送", "未移送", " "),
        *("maybe", "√", "×", "Ｙ", "\ufeff"),
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


# ------------------------------------------------------------------------------------------------
# Options of the one parser: identifiers, header units, workbook serial days (issue #13)
# ------------------------------------------------------------------------------------------------


def test_identifiers_are_read_as_the_clerk_sees_them(con):
    """The same id typed in full width, with a zero-width space or a byte-order mark, or
    through Excel's ="…" text trick, is one id: each loaded as a new record before."""
    cells = [
        "WQ2023-0001",
        "ＷＱ２０２３－０００１",
        "WQ2023-0001\u200b",
        "\ufeffWQ2023-0001",
        "WQ2023\u200b-0001",
        '="WQ2023-0001"',
        '=" WQ2023-0001 "',
        "wq2023-0001",  # case is kept: ids are not case-folded
        '=""',
        None,
    ]
    got = parse(con, cells, STRING, is_id=True)
    assert got == ["WQ2023-0001"] * 7 + ["wq2023-0001", None, None]
    assert parse(con, ["ＷＱ１"], STRING) == ["ＷＱ１"]  # other text is kept as written


def test_a_header_unit_multiplies_numbers(con):
    """罚没金额（万元）: 12.5 is 125,000 yuan; a 万 in the cell as well is refused, not applied
    twice."""
    got = parse(con, ["12.5", "1,234.56", "0,5", "3万", None], DECIMAL, factor=10000)
    assert got == [Decimal("125000.00"), Decimal("12345600.00"), Decimal("5000.00"), None, None]
    assert parse(con, ["3", "1.5"], INTEGER, factor=10000) == [30000, 15000]


def test_excel_serial_days(con):
    """In a workbook a date column may hold day numbers (General format): 45000 = 2023-03-15.
    Only there; a CSV's 45000 stays no date."""
    cells = ["45000", "45000.5", "20240301", "60", "2958466", "2024-03-01", "45000.x"]
    assert parse(con, cells, DATE, excel=True) == [
        dt.date(2023, 3, 15),
        dt.date(2023, 3, 15),
        dt.date(2024, 3, 1),  # 8 digits: a compact date (no serial is that large)
        None,  # before 1900-03-01 (Excel's 1900 leap-year bug)
        None,
        dt.date(2024, 3, 1),
        None,
    ]
    assert parse(con, ["45000.5", "45000.395833333"], TIMESTAMP, excel=True) == [
        dt.datetime(2023, 3, 15, 12),
        dt.datetime(2023, 3, 15, 9, 30),
    ]
    assert parse(con, ["45000"], DATE) == [None]


@pytest.mark.parametrize("logical", [DATE, TIMESTAMP, INTEGER, DECIMAL, BOOLEAN, STRING])
@pytest.mark.parametrize("excel", [False, True])
def test_a_cell_is_written_into_its_parse_a_few_times_only(logical, excel, con):
    """DuckDB plans every copy of an expression: the number steps wrote a cell's text into the
    one after 405 (integer) and 990 (amount) times, a 57k-character parse for a 200-row
    workbook. Each step now names its input once (cells.let). Values: the tests above."""
    value = parse_sql("_c0", logical, "VARCHAR", "cell_text", excel=excel, is_id=True)
    assert value.count("cell_text") <= 10
    assert len(value) < 2500
    # and the expression is one DuckDB plans and runs
    con.execute("create or replace temp table one (cell_text varchar, _c0 varchar)")
    con.execute("insert into one values ('12', '12')")
    con.execute(f"select {value} from one").fetchall()
