"""Readers: encodings, Chinese headers, XLSX and Parquet, bad cells reported, never a traceback."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
import xlsxwriter
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from etl.errors import FileRejected
from etl.sources import KINDS
from etl.sources.reader import read

CASES_ZH = ["案件编号", "受理日期", "服务类型", "知识产权类型", "案件状态", "联系人", "电商平台"]


def test_gb18030_chinese_headers(write_csv):
    path = write_csv(
        "案件.csv",
        [
            CASES_ZH,
            ["WQ2023-0001", "2023/1/5", "调解", "专利", "已结案", "张伟", "天猫"],
            ["WQ2023-0002", "2023年2月6日", "咨询", "商标", "办理中", "李娜", "拼多多"],
        ],
        encoding="gb18030",
    )
    with pytest.raises(UnicodeDecodeError):
        path.read_bytes().decode("utf-8")
    result = read(path)
    assert result.kind.name == "cases"
    assert result.encoding == "gb18030"
    assert result.frame["received_on"].to_list() == [dt.date(2023, 1, 5), dt.date(2023, 2, 6)]
    assert result.frame["service_type"].to_list() == ["调解", "咨询"]
    assert result.frame["contact_name"].to_list() == ["张伟", "李娜"]
    assert result.problems.is_empty()


def test_utf8_bom_english_headers_and_bad_cells(write_csv, tmp_path):
    path = write_csv(
        "td.csv",
        [
            ["notice_id", "platform", "listing_url", "notice_sent_at", "removed_at", "extra"],
            ["TD1", "Tmall", "u1", "2024-01-02 09:00:00", "2024-01-02 18:00", "x"],
            ["TD2", "JD.com", "u2", "yesterday", "", "x"],  # bad timestamp
            ["TD3", "", "u3", "2024-01-02 09:00:00", "", "x"],  # required platform missing
        ],
        encoding="utf-8-sig",
    )
    result = read(path)
    assert result.encoding == "utf-8-sig"
    assert result.frame["notice_id"].to_list() == ["TD1"]
    assert result.frame["removed_at"].to_list() == [dt.datetime(2024, 1, 2, 18, 0)]
    problems = result.problems.sort("source_row").to_dicts()
    assert problems == [
        {
            "source_row": 3,
            "column_name": "notice_sent_at",
            "rule": "type:timestamp",
            "raw_value": "yesterday",
        },
        {"source_row": 4, "column_name": "platform", "rule": "required", "raw_value": None},
    ]
    assert result.rows_read == 3 and result.rows_quarantined == 2
    assert result.ignored_columns == ["extra"]


def test_xlsx_chinese_headers_dates_money_and_booleans(tmp_path: Path):
    path = tmp_path / "商标.xlsx"
    book = xlsxwriter.Workbook(path)
    sheet = book.add_worksheet("执法")
    date_format = book.add_format({"num_format": "yyyy-mm-dd"})
    headers = ["执法案件编号", "立案日期", "执法机构", "罚没金额", "查扣数量", "是否移送公安"]
    sheet.write_row(0, 0, headers)
    sheet.write_string(1, 0, "SB2023-0001")
    sheet.write_datetime(1, 1, dt.datetime(2023, 3, 9), date_format)
    sheet.write_row(1, 2, ["区市场监督管理局", 12345.5, 40, "是"])
    sheet.write_string(2, 0, "SB2023-0002")
    sheet.write_string(2, 1, "2023-04-01")
    sheet.write_row(2, 2, ["镇市场监管所", "1,000.00", "12", "否"])
    book.close()
    result = read(path)
    assert result.kind.name == "trademarks"
    assert result.problems.is_empty(), result.problems
    rows = result.frame.sort("enforcement_id").to_dicts()
    assert rows[0]["opened_on"] == dt.date(2023, 3, 9)
    assert rows[0]["fine_yuan"] == Decimal("12345.50")
    assert rows[1]["fine_yuan"] == Decimal("1000.00")
    assert [r["units_seized"] for r in rows] == [40, 12]
    assert [r["transferred_to_police"] for r in rows] == [True, False]


def test_parquet_typed_columns(tmp_path: Path):
    path = tmp_path / "patents.parquet"
    pl.DataFrame(
        {
            "preexam_id": ["YS1"],
            "applicant": ["某皮具有限公司"],
            "applicant_type": ["enterprise"],
            "patent_type": ["design"],
            "accepted_on": [dt.date(2023, 5, 1)],
            "authorized_on": [dt.date(2023, 7, 1)],
        }
    ).write_parquet(path)
    result = read(path)
    assert result.kind.name == "patents"
    assert result.frame["authorized_on"].to_list() == [dt.date(2023, 7, 1)]
    assert result.frame["source_row"].to_list() == [1]


@pytest.mark.parametrize(
    ("rows", "reason"),
    [
        ([["notice_id", "listing_url"], ["TD1", "u"]], "headers match no record kind"),
        ([["notice_id"]], "no data rows"),
    ],
)
def test_file_level_rejections(write_csv, rows, reason):
    with pytest.raises(FileRejected, match=reason):
        read(write_csv("bad.csv", rows))


def test_missing_required_column_named_in_both_languages(write_csv):
    path = write_csv("td.csv", [["notice_id", "platform", "listing_url"], ["TD1", "Tmall", "u"]])
    with pytest.raises(FileRejected, match=r"notice_sent_at \(通知发送时间\)"):
        read(path, "takedowns")


def test_kind_detection_covers_every_kind():
    from etl.sources.headers import detect_kind

    for kind in KINDS.values():
        assert detect_kind([c.zh for c in kind.columns]) is kind
        assert detect_kind([c.name for c in kind.columns]) is kind


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=400), suffix=st.sampled_from([".csv", ".xlsx", ".parquet"]))
@example(data=b"\r\x00", suffix=".csv")  # a CR inside the header line crashed csv.reader
@example(data=b"a,b\rc,d\r", suffix=".csv")  # lines ending in a bare CR
def test_arbitrary_bytes_never_crash(tmp_path: Path, data: bytes, suffix: str):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    try:
        result = read(path)
    except FileRejected as e:
        assert e.reason
    else:
        assert result.rows_read == result.frame.height + result.rows_quarantined


@settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(cells=st.lists(st.text(max_size=12), min_size=5, max_size=5))
def test_arbitrary_cells_are_loaded_or_reported(tmp_path: Path, cells: list[str]):
    frame = pl.DataFrame(
        {
            name: [cell]
            for name, cell in zip(
                ["notice_id", "platform", "listing_url", "notice_sent_at", "removed_at"],
                cells,
                strict=True,
            )
        }
    )
    path = tmp_path / "cells.parquet"
    frame.write_parquet(path)
    result = read(path, "takedowns")
    assert result.frame.height + result.problems["source_row"].n_unique() == 1


def test_line_endings_crlf_loads_every_value_and_bare_cr_is_refused(tmp_path: Path):
    # a CSV saved with Windows line endings loads each cell into its column; one with bare CR
    # line endings (old Mac) would be one long header line whose cells shift columns and lose
    # values without a word: it is refused, with a reason the clerk can act on
    head = ",".join(c.zh for c in KINDS["takedowns"].columns)
    rows = [
        "TD2024-000001,,淘宝,https://item.taobao.com/1,2024-03-01 09:00:00,2024-03-02 10:00:00",
        "TD2024-000002,WQ2024-0007,京东,https://item.jd.com/2,2024-03-04 09:00:00,",
    ]
    crlf = tmp_path / "td_crlf.csv"
    crlf.write_bytes(("\r\n".join([head, *rows]) + "\r\n").encode("utf-8"))
    result = read(crlf)
    assert result.frame.select(
        "source_row", "notice_id", "case_id", "platform", "removed_at"
    ).rows() == [
        (2, "TD2024-000001", None, "淘宝", dt.datetime(2024, 3, 2, 10, 0)),
        (3, "TD2024-000002", "WQ2024-0007", "京东", None),
    ]
    bare = tmp_path / "td_cr.csv"
    bare.write_bytes(("\r".join([head, *rows]) + "\r").encode("gb18030"))
    with pytest.raises(FileRejected) as rejected:
        read(bare)
    assert rejected.value.code == "line_endings"
    assert "换行符" in rejected.value.reason_zh


def test_small_and_big_file_plans_read_the_same_values(small_sample, corpus, monkeypatch):
    """A small file's parse is planned without DuckDB's common-subexpression optimizer (it is
    planned faster, cells.SMALL_FILE_BYTES); every cell reads the same either way — a file of
    each kind of the sample and every fault corpus file of bad cells — and the connection's own
    setting is back afterwards."""
    import duckdb

    from etl.sources import cells
    from tests.broken_files import FAULTS

    odd_cells = sorted(corpus[f.name] for f in FAULTS if f.verdict == "quarantined")
    first_of_kind = {p.name.split("_")[0]: p for p in sorted(small_sample.iterdir())}
    files = [*first_of_kind.values(), *odd_cells]
    assert {p.suffix for p in files} >= {".csv", ".parquet", ".xlsx"}
    for path in files:
        monkeypatch.setattr(cells, "SMALL_FILE_BYTES", 0)  # every file planned as a big one
        big = read(path)
        monkeypatch.setattr(cells, "SMALL_FILE_BYTES", 10**12)  # every file as a small one
        small = read(path)
        assert small.parsed.equals(big.parsed) and small.text.equals(big.text), path.name
        assert small.problems.equals(big.problems), path.name
    con = duckdb.connect()
    con.execute("set disabled_optimizers = 'top_n'")
    staged = cells.StagedCells(files[0], "range(1)", [], [], "utf-8", 2)
    with cells._planned_for(con, staged):
        setting = con.execute("select current_setting('disabled_optimizers')").fetchone()[0]
        assert "common_subexpressions" in setting and "top_n" in setting
    assert con.execute("select current_setting('disabled_optimizers')").fetchone()[0] == "top_n"
