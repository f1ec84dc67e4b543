"""Spreadsheets as offices really save them (issue #13): the sample's own records re-saved the way
office software saves them must load the same values as the originals, or be refused naming the
file, row and column — never a wrong value silently.

Each test writes an office-shaped copy of a real sample file (GB18030 CSV for cases, XLSX through
xlsxwriter for trademarks, UTF-16 "Unicode text"), loads it into a fresh warehouse and asserts the
loaded values against the original's.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter

from tests.conftest import query

FULL_WIDTH = str.maketrans("0123456789-", "０１２３４５６７８９－")
CASES_2023 = 408  # cases the sample's 2023 file holds, all received in 2023
CASES_SQL = "select case_id, received_on, status, closed_on from fct_cases order by case_id"
TM_SQL = (
    "select enforcement_id, opened_on, closed_on, agency, units_seized, goods_value_yuan, "
    "fine_yuan, is_transferred_to_police from fct_trademark_cases order by enforcement_id"
)


# ------------------------------------------------------------------------------------------------
# Office-shaped copies of the sample's files
# ------------------------------------------------------------------------------------------------


def case_rows(sample: Path) -> list[list[str]]:
    """The 2023 cases file (GB18030, Chinese headers) as rows of cells, header first."""
    text = (sample / "cases_2023.csv").read_bytes().decode("gb18030")
    return list(csv.reader(io.StringIO(text)))


def write_gb18030(path: Path, rows: list[list[str]], encoding: str = "gb18030") -> Path:
    """A CSV the way the office's register exports it: GB18030, CRLF, quoted where needed."""
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(buffer.getvalue().encode(encoding))
    return path


def with_ids(rows: list[list[str]], change: Callable[[str], str]) -> list[list[str]]:
    return [rows[0]] + [[change(r[0]), *r[1:]] for r in rows[1:]]


def trademark_frame(sample: Path) -> pl.DataFrame:
    return pl.read_excel(sample / "trademarks_2023.xlsx")


def write_workbook(
    path: Path,
    frame: pl.DataFrame,
    cell: Callable[[str, object], object] | None = None,
    formula: Callable[[str, int, object], tuple[str, object] | None] | None = None,
) -> Path:
    """A workbook like a clerk's, through xlsxwriter: dates as real dates, numbers as numbers.
    `cell(header, value)` may rewrite a value (text is written as text); `formula(header, row,
    value)` may return (formula, cached result) for a cell — cached '' saves no result."""
    path.parent.mkdir(parents=True, exist_ok=True)
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("执法台账")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    sheet.write_row(0, 0, frame.columns)
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, (header, value) in enumerate(zip(frame.columns, row, strict=True)):
            found = formula(header, r, value) if formula else None
            if found is not None:
                sheet.write_formula(r, c, found[0], None, found[1])
                continue
            value = cell(header, value) if cell else value
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_datetime(r, c, dt.datetime.combine(value, dt.time()), date_format)
            elif isinstance(value, str):
                sheet.write_string(r, c, value)
            else:
                sheet.write_number(r, c, value)
    book.close()
    return path


@pytest.fixture(scope="module")
def original_cases(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    """What the sample's own 2023 cases file loads."""
    from etl import warehouse
    from etl.load import load
    from tests.conftest import TODAY

    db = tmp_path_factory.mktemp("office-cases") / "warehouse.duckdb"
    assert not load([sample_dir / "cases_2023.csv"], db, today=TODAY, reports=False).rejected
    return query(warehouse.WarehousePaths(db), CASES_SQL)


@pytest.fixture(scope="module")
def original_trademarks(sample_dir: Path, tmp_path_factory: pytest.TempPathFactory) -> list[tuple]:
    from etl import warehouse
    from etl.load import load
    from tests.conftest import TODAY

    db = tmp_path_factory.mktemp("office-tm") / "warehouse.duckdb"
    summary = load([sample_dir / "trademarks_2023.xlsx"], db, today=TODAY, reports=False)
    assert not summary.rejected
    return query(warehouse.WarehousePaths(db), TM_SQL)


def fines(rows: list[tuple]) -> Decimal:
    return sum((r[6] or Decimal(0) for r in rows), Decimal(0))


def problems(wh_paths, file_name: str) -> list[tuple]:
    return query(
        wh_paths,
        "select source_row, column_name, rule from fct_quarantine q join fct_load_files f "
        "using (file_seq) where f.source_file like ? order by all",
        [f"%{file_name}"],
    )


# ------------------------------------------------------------------------------------------------
# Identifiers: the same id is the same record
# ------------------------------------------------------------------------------------------------

ID_SHAPES = {
    "full_width_digits": lambda i: i.translate(FULL_WIDTH),
    "zero_width_space_after": lambda i: i + "\u200b",
    "excel_text_formula": lambda i: f'="{i}"',
    "bom_at_row_start": lambda i: "\ufeff" + i,
}


@pytest.mark.parametrize("shape", list(ID_SHAPES))
def test_an_id_saved_another_way_is_the_same_case(
    shape, sample_dir, original_cases, load_into, wh_paths, tmp_path
):
    """Before: 408 new cases (816 accepted in 2023). After: the copy is a new version of the
    same 408 cases, with the same values."""
    copy = write_gb18030(
        tmp_path / "in" / f"cases_2023_{shape}.csv",
        with_ids(case_rows(sample_dir), ID_SHAPES[shape]),
        encoding="utf-8" if shape == "bom_at_row_start" else "gb18030",
    )
    summary = load_into(sample_dir / "cases_2023.csv", copy)
    assert [f.rows_loaded for f in summary.files] == [CASES_2023, CASES_2023]
    assert query(wh_paths, CASES_SQL) == original_cases
    accepted = query(wh_paths, "select count(*) from fct_cases where year(received_on) = 2023")
    assert accepted == [(CASES_2023,)]


def test_numeric_ids_in_a_workbook_keep_no_decimal_point(sample_dir, load_into, wh_paths, tmp_path):
    """A numeric id cell (20230001) was loaded as '20230001.0'; the same id typed as text in a
    later CSV must update that record, not add one."""
    frame = trademark_frame(sample_dir).with_columns(
        pl.int_range(20230001, 20230001 + pl.len()).alias("执法案件编号")
    )
    book = write_workbook(tmp_path / "in" / "tm_numeric_ids.xlsx", frame)
    text_copy = tmp_path / "in" / "tm_text_ids.csv"
    frame.write_csv(text_copy)
    load_into(book, text_copy)
    ids = [r[0] for r in query(wh_paths, TM_SQL)]
    assert ids == [str(20230001 + i) for i in range(frame.height)]


# ------------------------------------------------------------------------------------------------
# Numbers: decimal commas, units in the header or the cell
# ------------------------------------------------------------------------------------------------


def _comma(value: object) -> object:
    return f"{value:.2f}".replace(".", ",") if isinstance(value, float) else value


def _european(value: object) -> object:
    if not isinstance(value, float):
        return value
    return f"{value:,.2f}".replace(",", " ").replace(".", ",").replace(" ", ".")


@pytest.mark.parametrize(
    "name, change",
    [
        ("decimal_comma", _comma),  # 273344,75
        ("european", _european),  # 273.344,75
        ("thousands", lambda v: f"{v:,.2f}" if isinstance(v, float) else v),  # 273,344.75
        ("wan_in_cell", lambda v: f"{v / 10000}万元" if isinstance(v, float) else v),
        ("full_width", lambda v: f"{v:.2f}".translate(FULL_WIDTH) if isinstance(v, float) else v),
    ],
)
def test_amounts_written_as_offices_write_them(
    name, change, sample_dir, original_trademarks, load_into, wh_paths, tmp_path
):
    """Before (decimal comma): fines 100 times too large, 3.84 M → 356 M yuan. After: the same
    amounts as the original workbook, to the fen."""
    amounts = ("涉案货值", "罚没金额")
    book = write_workbook(
        tmp_path / "in" / f"tm_{name}.xlsx",
        trademark_frame(sample_dir),
        cell=lambda header, value: change(value) if header in amounts else value,
    )
    summary = load_into(book)
    assert summary.files[0].rows_quarantined == 0
    loaded = query(wh_paths, TM_SQL)
    assert loaded == original_trademarks
    assert fines(loaded) == fines(original_trademarks)


def test_an_ambiguous_amount_is_refused_with_row_and_column(
    sample_dir, load_into, wh_paths, tmp_path
):
    """1.234 could be 1.234 yuan or 1234 written the European way: held back, never guessed."""
    book = write_workbook(
        tmp_path / "in" / "tm_ambiguous.xlsx",
        trademark_frame(sample_dir),
        cell=lambda header, value: "1.234" if header == "罚没金额" and value == 14934.26 else value,
    )
    summary = load_into(book)
    assert summary.files[0].rows_quarantined == 1
    assert problems(wh_paths, "tm_ambiguous.xlsx") == [(3, "fine_yuan", "type:decimal")]


def test_accounting_parentheses_are_a_negative_amount_held_back_by_its_rule(
    sample_dir, original_trademarks, load_into, wh_paths, tmp_path
):
    """(14,934.26) is accounting's -14,934.26: read as that, not as a wrong positive amount nor
    a silent empty; a fine is never negative (fine_yuan ≥ 0), so the row is held back naming
    the row and the column, and every other row loads its original values."""
    book = write_workbook(
        tmp_path / "in" / "tm_parentheses.xlsx",
        trademark_frame(sample_dir),
        cell=lambda header, value: (
            "(14,934.26)" if header == "罚没金额" and value == 14934.26 else value
        ),
    )
    summary = load_into(book)
    assert summary.files[0].rows_quarantined == 1
    ((row, column, rule),) = problems(wh_paths, "tm_parentheses.xlsx")
    assert (row, column, rule) == (3, "fine_yuan", "non_negative")
    (held,) = query(wh_paths, "select raw_value from fct_quarantine where column_name = ?",
                    ["fine_yuan"])  # fmt: skip
    assert held == ("(14,934.26)",)
    loaded = query(wh_paths, TM_SQL)
    assert loaded == [r for r in original_trademarks if r[6] != Decimal("14934.26")]


@pytest.mark.parametrize(
    "fine_header, goods_header, factor",
    [("罚没金额（元）", "涉案货值(元)", 1), ("罚没金额（万元）", "涉案货值（万元）", 10_000)],
)
def test_a_header_with_its_unit(
    fine_header,
    goods_header,
    factor,
    sample_dir,
    original_trademarks,
    load_into,
    wh_paths,
    tmp_path,
):
    """Before: the column was dropped and every amount loaded empty. After: （元） is read as
    is, （万元） multiplied by 10,000."""
    frame = trademark_frame(sample_dir).with_columns(
        (pl.col("罚没金额") / factor).alias("罚没金额"),
        (pl.col("涉案货值") / factor).alias("涉案货值"),
    )
    frame = frame.rename({"罚没金额": fine_header, "涉案货值": goods_header})
    load_into(write_workbook(tmp_path / "in" / "tm_units.xlsx", frame))
    loaded = query(wh_paths, TM_SQL)
    assert loaded == original_trademarks
    assert fines(loaded) > 0


def test_a_unit_ipgov_does_not_convert_refuses_the_file(sample_dir, load_into, tmp_path):
    frame = trademark_frame(sample_dir).rename({"罚没金额": "罚没金额（美元）"})
    summary = load_into(write_workbook(tmp_path / "in" / "tm_usd.xlsx", frame))
    outcome = summary.files[0]
    assert outcome.status == "rejected" and outcome.report.reason_code == "header_unit"
    assert "罚没金额（美元）" in outcome.message and "fine_yuan" in outcome.message


# ------------------------------------------------------------------------------------------------
# Booleans and dates as offices write them
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "name, change",
    [
        ("ticks", {"是": "√", "否": "×"}),
        ("y_n", {"是": "Y", "否": "N"}),
        ("ones", {"是": 1, "否": 0}),
    ],
)
def test_yes_no_written_as_offices_write_them(
    name, change, sample_dir, original_trademarks, load_into, wh_paths, tmp_path
):
    book = write_workbook(
        tmp_path / "in" / f"tm_{name}.xlsx",
        trademark_frame(sample_dir),
        cell=lambda header, value: change.get(value, value) if header == "是否移送公安" else value,
    )
    load_into(book)
    assert query(wh_paths, TM_SQL) == original_trademarks


def _serial(value: object) -> object:
    return (value - dt.date(1899, 12, 30)).days if isinstance(value, dt.date) else value


@pytest.mark.parametrize(
    "name, change",
    [
        ("chinese", lambda v: f"{v.year}年{v.month}月{v.day}日" if isinstance(v, dt.date) else v),
        ("slashes", lambda v: f"{v.year}/{v.month}/{v.day}" if isinstance(v, dt.date) else v),
        ("dots", lambda v: v.strftime("%Y.%m.%d") if isinstance(v, dt.date) else v),
        ("excel_serial", _serial),  # a date column formatted General: day numbers
    ],
)
def test_dates_written_as_offices_write_them(
    name, change, sample_dir, original_trademarks, load_into, wh_paths, tmp_path
):
    book = write_workbook(
        tmp_path / "in" / f"tm_{name}.xlsx",
        trademark_frame(sample_dir),
        cell=lambda header, value: change(value) if header in ("立案日期", "结案日期") else value,
    )
    load_into(book)
    assert query(wh_paths, TM_SQL) == original_trademarks


def test_a_date_range_is_refused_not_truncated(sample_dir, load_into, wh_paths, tmp_path):
    """Before: `2023/1/3 至 2099/12/31` loaded as 2023-01-03. After: row 2 held back."""
    rows = case_rows(sample_dir)
    rows[1][1] = "2023/1/3 至 2099/12/31"
    copy = write_gb18030(tmp_path / "in" / "cases_2023_range.csv", rows)
    summary = load_into(copy)
    assert (summary.files[0].rows_loaded, summary.files[0].rows_quarantined) == (407, 1)
    assert problems(wh_paths, "cases_2023_range.csv") == [(2, "received_on", "type:date")]
    assert query(wh_paths, "select count(*) from fct_cases where case_id = ?", [rows[1][0]]) == [
        (0,)
    ]


# ------------------------------------------------------------------------------------------------
# Layout: a title and blank lines above the header
# ------------------------------------------------------------------------------------------------

ABOVE_HEADER = {
    "title_and_blank_line": [["2023年维权援助案件登记表"], []],
    "title_date_and_blank_lines": [
        ["2023年维权援助案件登记表"],
        ["制表日期：2024年1月5日"],
        [],
        [],
    ],
    "title_in_a_row_of_commas": [["2023年维权援助案件登记表", "", "", ""], ["", "", "", ""]],
}


@pytest.mark.parametrize("encoding", ["gb18030", "utf-8"])
@pytest.mark.parametrize("shape", list(ABOVE_HEADER))
def test_a_title_above_the_header_loads_the_same_cases(
    shape, encoding, sample_dir, original_cases, load_into, wh_paths, tmp_path
):
    """Before: a one-cell title taken for the header ("row 3 has 18 cells but the header has
    1"), or the load hanging on the blank line under it. After: the same 408 cases."""
    rows = [*ABOVE_HEADER[shape], *case_rows(sample_dir)]
    copy = write_gb18030(tmp_path / "in" / f"cases_2023_{shape}.csv", rows, encoding=encoding)
    summary = load_into(copy)
    assert [(f.status, f.rows_loaded) for f in summary.files] == [("loaded", CASES_2023)]
    assert query(wh_paths, CASES_SQL) == original_cases


def test_rows_below_a_title_keep_the_numbers_the_clerk_sees(
    sample_dir, load_into, wh_paths, tmp_path
):
    """A bad cell and a ragged row are named by their line in the file, title lines counted."""
    rows = case_rows(sample_dir)
    bad = [list(r) for r in rows]
    bad[3][1] = "2023/13/45"  # the 3rd data row: line 6 under a title and a blank line
    copy = write_gb18030(tmp_path / "in" / "cases_title_bad.csv", [["登记表"], [], *bad])
    load_into(copy)
    assert problems(wh_paths, "cases_title_bad.csv") == [(6, "received_on", "type:date")]
    ragged = [list(r) for r in rows]
    ragged[5].append("多出的一格")  # the 5th data row: line 8
    copy = write_gb18030(tmp_path / "in" / "cases_title_ragged.csv", [["登记表"], [], *ragged])
    summary = load_into(copy)
    [rejected] = summary.rejected
    assert "row 8 has 19 cells but the header has 18 columns" in rejected.message
    assert "第8行有 19 个单元格" in rejected.message_zh


def test_one_huge_line_is_named_by_its_row(sample_dir, load_into, tmp_path):
    """Rows joined into one line longer than the tail the last-line check reads (an export
    that lost its line breaks, ended by one): before, "the last line (row 3) is cut off: it
    has 0 of 18 cells"; now the row and its cells."""
    rows = case_rows(sample_dir)
    path = tmp_path / "in" / "cases_one_line.csv"
    path.parent.mkdir(parents=True)
    line = ",".join(["x" * 1000] * 18 * 200)  # 3.6 MB, 3,600 cells
    path.write_bytes((",".join(rows[0]) + "\r\n" + line + "\r\n").encode("gb18030"))
    [rejected] = load_into(path).rejected
    assert "row 2 has 3600 cells but the header has 18 columns" in rejected.message


def test_a_one_column_file_with_blank_lines_is_judged_not_hung(load_into, tmp_path):
    """A blank line under a one-cell first line made the blank-line filler loop forever."""
    path = tmp_path / "in" / "note.csv"
    path.parent.mkdir(parents=True)
    path.write_bytes("只有一列\r\n\r\n\r\n说明\r\n".encode("gb18030"))
    summary = load_into(path)
    assert [f.status for f in summary.files] == ["rejected"]


# ------------------------------------------------------------------------------------------------
# Total lines and formulas
# ------------------------------------------------------------------------------------------------


def test_a_total_line_is_not_a_case(sample_dir, load_into, wh_paths, tmp_path):
    """A 合计 row with a date and every required cell filled loaded as a case (409 in 2023)."""
    rows = case_rows(sample_dir)
    total = ["合计", "2023/12/31", "维权援助", "商标"] + [""] * (len(rows[0]) - 4)
    total[rows[0].index("案件状态")] = "已结案"
    copy = write_gb18030(tmp_path / "in" / "cases_2023_total.csv", [*rows, total])
    summary = load_into(copy)
    assert (summary.files[0].rows_loaded, summary.files[0].rows_quarantined) == (CASES_2023, 1)
    assert problems(wh_paths, "cases_2023_total.csv") == [(len(rows) + 1, "case_id", "total_row")]
    accepted = query(wh_paths, "select count(*) from fct_cases where year(received_on) = 2023")
    assert accepted == [(CASES_2023,)]


def test_a_total_line_in_a_workbook_does_not_double_the_fines(
    sample_dir, original_trademarks, load_into, wh_paths, tmp_path
):
    frame = trademark_frame(sample_dir)
    total = {c: None for c in frame.columns} | {
        "执法案件编号": "总 计",
        "立案日期": dt.date(2023, 12, 31),
        "执法机构": frame["执法机构"][0],
        "罚没金额": frame["罚没金额"].sum(),
    }
    frame = pl.concat([frame, pl.DataFrame([total], schema=frame.schema)])
    load_into(write_workbook(tmp_path / "in" / "tm_total.xlsx", frame))
    assert query(wh_paths, TM_SQL) == original_trademarks
    assert problems(wh_paths, "tm_total.xlsx") == [
        (frame.height + 1, "enforcement_id", "total_row")
    ]


def _fine_formula(cached: bool) -> Callable[[str, int, object], tuple[str, object] | None]:
    def formula(header: str, row: int, value: object) -> tuple[str, object] | None:
        if header != "罚没金额" or value is None:
            return None
        return f"=ROUND({value}*1,2)", value if cached else ""

    return formula


def test_formulas_load_their_saved_results(
    sample_dir, original_trademarks, load_into, wh_paths, tmp_path
):
    book = write_workbook(
        tmp_path / "in" / "tm_formulas.xlsx",
        trademark_frame(sample_dir),
        formula=_fine_formula(True),
    )
    load_into(book)
    assert query(wh_paths, TM_SQL) == original_trademarks


def test_formulas_saved_without_results_refuse_the_file(sample_dir, load_into, tmp_path):
    """Before: every fine loaded as empty. After: rejected, naming the sheet and first cell."""
    book = write_workbook(
        tmp_path / "in" / "tm_no_results.xlsx",
        trademark_frame(sample_dir),
        formula=_fine_formula(False),
    )
    outcome = load_into(book).files[0]
    assert outcome.status == "rejected" and outcome.report.reason_code == "formula_uncached"
    assert "执法台账" in outcome.message and "cell K2" in outcome.message


# ------------------------------------------------------------------------------------------------
# Encodings
# ------------------------------------------------------------------------------------------------


def test_unicode_text_export_loads_the_same_cases(
    sample_dir, original_cases, load_into, wh_paths, tmp_path
):
    """Excel's "Unicode text": UTF-16 with a byte-order mark, tab-separated."""
    buffer = io.StringIO()
    csv.writer(buffer, delimiter="\t", lineterminator="\r\n").writerows(case_rows(sample_dir))
    copy = tmp_path / "in" / "cases_2023.txt"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(buffer.getvalue().encode("utf-16"))
    summary = load_into(copy)
    assert summary.files[0].report.encoding == "utf-16"
    assert query(wh_paths, CASES_SQL) == original_cases  # status codes read from Chinese


def test_a_utf8_file_with_one_gbk_row_is_refused(sample_dir, load_into, tmp_path):
    """Before: a mostly-ASCII UTF-8 takedowns file with one GBK row was read whole as GB18030,
    its UTF-8 Chinese turned to mojibake (广州皮具 → 骞垮窞鐨…). After: refused, naming the row."""
    lines = (sample_dir / "takedowns_2023.csv").read_text(encoding="utf-8").splitlines()

    def with_url(line: str, url: str) -> str:
        cells = line.split(",")
        cells[3] = url
        return ",".join(cells)

    data = b""
    for n, line in enumerate(lines):
        if n == 2:
            data += with_url(line, "广州皮具").encode("utf-8") + b"\n"
        elif n == 7:
            data += with_url(line, "白云区广州皮具批发市场档口商品").encode("gbk") + b"\n"
        else:
            data += line.encode("utf-8") + b"\n"
    copy = tmp_path / "in" / "td_mixed.csv"
    copy.parent.mkdir(parents=True)
    copy.write_bytes(data)
    outcome = load_into(copy).files[0]
    assert outcome.status == "rejected" and outcome.report.reason_code == "encoding"
    # both rows named: the first not in UTF-8 (GBK) and the first Chinese in UTF-8
    assert outcome.message.startswith("row 8: bytes at offset ")
    assert "while row 3 is Chinese written in UTF-8" in outcome.message
    assert outcome.message_zh.startswith("第8行")
    assert "而第3行是 UTF-8 编码的中文" in outcome.message_zh
