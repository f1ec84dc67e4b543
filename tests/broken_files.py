"""A corpus of broken source files, made from the sample: every way a real export goes wrong.

Each `Fault` builds one file from the sample's files (in their own formats: GB18030 CSV for cases,
UTF-8 CSV for takedowns, Parquet for patents, XLSX for trademarks, BOM-prefixed CSV for
notarizations) and says what the quality gate must answer: the verdict, and for a rejected file
its reason code (and the row or column the message must name), for a quarantined file the row,
column and rule of the bad cell. tests/test_quality_gate.py runs them all.
"""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import polars as pl
import xlsxwriter

Build = Callable[[Path, Path], Path]  # (sample folder, output folder) -> the broken file


@dataclass(frozen=True)
class Fault:
    name: str
    build: Build
    verdict: str  # ok | quarantined | rejected
    code: str | None = None  # the rejection's reason code
    row: int | None = None  # the row the message must name (clerk's numbering: header = 1)
    column: str | None = None  # the column the message must name (canonical or Excel letter)
    rule: str | None = None  # the broken row-level rule
    kind: str | None = None  # --kind, when the test must name it


# ------------------------------------------------------------------------------------------------
# Reading and writing the sample's files in their own formats
# ------------------------------------------------------------------------------------------------

N = 12  # data rows kept per file: small, fast, and still realistic


def _csv_lines(path: Path, encoding: str) -> list[str]:
    text = path.read_bytes().decode(encoding)
    return text.replace("\r\n", "\n").rstrip("\n").split("\n")[: N + 1]


def _write_lines(out: Path, lines: list[str], encoding: str, newline: str = "\n") -> Path:
    out.write_bytes((newline.join(lines) + newline).encode(encoding))
    return out


def _cells(line: str) -> list[str]:
    return line.split(",")  # the sample's CSVs quote nothing


def _set(lines: list[str], row: int, column: str, value: str) -> list[str]:
    """Set one cell; `row` is the clerk's row number (header = 1)."""
    header = _cells(lines[0])
    cells = _cells(lines[row - 1])
    cells[header.index(column)] = value
    lines = list(lines)
    lines[row - 1] = ",".join(cells)
    return lines


def takedowns(sample: Path) -> list[str]:
    return _csv_lines(sample / "takedowns_2024.csv", "utf-8")


def cases(sample: Path) -> list[str]:
    return _csv_lines(sample / "cases_2024.csv", "gb18030")


def notarizations(sample: Path) -> list[str]:
    return _csv_lines(sample / "notarizations.csv", "utf-8-sig")


def patents(sample: Path) -> pl.DataFrame:
    return pl.read_parquet(sample / "patents_2024.parquet").head(N)


def trademarks(sample: Path) -> pl.DataFrame:
    """Chinese headers, as the sample's workbook has them."""
    return pl.read_excel(sample / "trademarks_2024.xlsx").head(N)


def write_xlsx(
    out: Path,
    frame: pl.DataFrame,
    merge: tuple[int, int, int, int, str] | None = None,
    title: str | None = None,
) -> Path:
    """A workbook like a clerk's: optional title row or merged header cells."""
    book = xlsxwriter.Workbook(out)
    sheet = book.add_worksheet("执法台账")
    top = 0
    if title is not None:
        sheet.merge_range(0, 0, 0, frame.width - 1, title)
        top = 1
    headers: list[str | None] = list(frame.columns)
    if merge is not None:  # Excel keeps only the top-left value of a merged range
        _, first_col, _, last_col, text = merge
        headers[first_col : last_col + 1] = [text] + [None] * (last_col - first_col)
    for c, header in enumerate(headers):
        if header is not None:
            sheet.write_string(top, c, header)
    for r, row in enumerate(frame.iter_rows(), start=top + 1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if isinstance(value, dt.date):
                sheet.write_string(r, c, value.isoformat())
            else:
                sheet.write(r, c, value)
    if merge is not None:
        sheet.merge_range(*merge)
    book.close()
    return out


# ------------------------------------------------------------------------------------------------
# Row-level faults: the row is quarantined, the rest loads
# ------------------------------------------------------------------------------------------------


def _cases_set(row: int, column: str, value: str) -> Build:
    def build(sample: Path, out: Path) -> Path:
        target = out / f"cases_{column}_{row}.csv"
        return _write_lines(
            target, _set(cases(sample), row, _zh("cases", column), value), "gb18030", "\r\n"
        )

    return build


def _takedowns_set(name: str, row: int, column: str, value: str) -> Build:
    def build(sample: Path, out: Path) -> Path:
        return _write_lines(
            out / f"{name}.csv", _set(takedowns(sample), row, column, value), "utf-8"
        )

    return build


def _zh(kind: str, column: str) -> str:
    from etl.sources import KINDS

    return KINDS[kind].column(column).zh


def _trademarks_set(name: str, row: int, column: str, value: str) -> Build:
    def build(sample: Path, out: Path) -> Path:
        header = _zh("trademarks", column)
        frame = trademarks(sample).with_columns(
            pl.when(pl.int_range(pl.len()) == row - 2)
            .then(pl.lit(value))
            .otherwise(pl.col(header).cast(pl.String))
            .alias(header)
        )
        return write_xlsx(out / f"{name}.xlsx", frame)

    return build


def _trademarks_negative_fine(sample: Path, out: Path) -> Path:
    frame = trademarks(sample).with_columns(
        pl.when(pl.int_range(pl.len()) == 3)
        .then(-500.0)
        .otherwise(pl.col("罚没金额"))
        .alias("罚没金额")
    )
    return write_xlsx(out / "trademarks_negative_fine.xlsx", frame)


def _patents_change(name: str, change: Callable[[pl.DataFrame], pl.DataFrame]) -> Build:
    def build(sample: Path, out: Path) -> Path:
        path = out / f"{name}.parquet"
        change(patents(sample)).write_parquet(path)
        return path

    return build


def _at(index: int, column: str, value: object, dtype: pl.DataType) -> Callable:
    def change(frame: pl.DataFrame) -> pl.DataFrame:
        return frame.with_columns(
            pl.when(pl.int_range(pl.len()) == index)
            .then(pl.lit(value, dtype=dtype))
            .otherwise(pl.col(column))
            .alias(column)
        )

    return change


def _removed_before_notice(sample: Path, out: Path) -> Path:
    lines = takedowns(sample)
    sent = _cells(lines[4])[_cells(lines[0]).index("notice_sent_at")]
    earlier = (dt.datetime.fromisoformat(sent) - dt.timedelta(days=2)).isoformat(sep=" ")
    return _write_lines(
        out / "td_removed_early.csv", _set(lines, 5, "removed_at", earlier), "utf-8"
    )


def _closed_before_received(sample: Path, out: Path) -> Path:
    lines = _set(cases(sample), 4, "受理日期", "2024/6/30")
    lines = _set(lines, 4, "结案日期", "2024/6/1")
    return _write_lines(out / "cases_closed_early.csv", lines, "gb18030", "\r\n")


def _duplicate_key(sample: Path, out: Path) -> Path:
    lines = takedowns(sample)
    key = _cells(lines[2])[0]
    return _write_lines(out / "td_duplicate.csv", _set(lines, 4, "notice_id", key), "utf-8")


def _notary_set(name: str, row: int, column: str, value: str) -> Build:
    def build(sample: Path, out: Path) -> Path:
        return _write_lines(
            out / f"{name}.csv", _set(notarizations(sample), row, column, value), "utf-8-sig"
        )

    return build


def _broken_chain(sample: Path, out: Path) -> Path:
    lines = notarizations(sample)
    del lines[4]  # row 5 goes missing: the row after it links to no loaded record (a gap)
    return _write_lines(out / "notary_row_missing.csv", lines, "utf-8-sig")


def _gb18030_with_utf8_bom(sample: Path, out: Path) -> Path:
    body = (sample / "cases_2024.csv").read_bytes()
    target = out / "cases_bom_gb18030.csv"
    target.write_bytes(b"\xef\xbb\xbf" + body)
    return target


def _cases_total_line(sample: Path, out: Path) -> Path:
    """A 合计 line under the table, its date and required cells filled (issue #13). From the
    2023 file: its other rows must not resolve the 2024 faults' quarantined rows."""
    lines = _csv_lines(sample / "cases_2023.csv", "gb18030")
    header = _cells(lines[0])
    total = ["" for _ in header]
    for column, value in (
        ("case_id", "合计"),
        ("received_on", "2024/12/31"),
        ("service_type", "维权援助"),
        ("ip_type", "商标"),
        ("status", "已结案"),
    ):
        total[header.index(_zh("cases", column))] = value
    return _write_lines(out / "cases_total_line.csv", [*lines, ",".join(total)], "gb18030", "\r\n")


def _trademarks_unknown_unit(sample: Path, out: Path) -> Path:
    return write_xlsx(
        out / "trademarks_usd.xlsx", trademarks(sample).rename({"罚没金额": "罚没金额（美元）"})
    )


def _trademarks_formulas_without_results(sample: Path, out: Path) -> Path:
    """Formulas saved without their results (as some generators write them): they would load
    as empty cells."""
    target = write_xlsx(out / "trademarks_formulas.xlsx", trademarks(sample))
    book = xlsxwriter.Workbook(target)
    sheet = book.add_worksheet("执法台账")
    frame = trademarks(sample)
    sheet.write_row(0, 0, frame.columns)
    for r, row in enumerate(frame.iter_rows(), start=1):
        for c, value in enumerate(row):
            if value is None:
                continue
            if frame.columns[c] == "罚没金额":
                sheet.write_formula(r, c, f"={value}*1", None, "")
            elif isinstance(value, dt.date):
                sheet.write_string(r, c, value.isoformat())
            else:
                sheet.write(r, c, value)
    book.close()
    return target


# ------------------------------------------------------------------------------------------------
# File-level faults: the whole file is rejected, nothing of it is written
# ------------------------------------------------------------------------------------------------


def _bytes(name: str, data: bytes) -> Build:
    def build(sample: Path, out: Path) -> Path:
        target = out / name
        target.write_bytes(data)
        return target

    return build


def _header_only(sample: Path, out: Path) -> Path:
    return _write_lines(out / "td_header_only.csv", takedowns(sample)[:1], "utf-8")


def _undecodable(sample: Path, out: Path) -> Path:
    lines = takedowns(sample)
    data = (
        ("\n".join(lines[:3]) + "\n").encode() + b"TD\xff\xfe,x\n" + "\n".join(lines[4:]).encode()
    )
    target = out / "td_undecodable.csv"
    target.write_bytes(data)
    return target


def _mixed_encoding(sample: Path, out: Path) -> Path:
    lines = notarizations(sample)
    data = b"\xef\xbb\xbf" + "\n".join(lines[:5]).encode("utf-8") + b"\n"
    data += lines[5].encode("gb18030") + b"\n" + "\n".join(lines[6:]).encode("utf-8") + b"\n"
    target = out / "notary_mixed_encoding.csv"
    target.write_bytes(data)
    return target


def _truncated(sample: Path, out: Path) -> Path:
    text = "\n".join(takedowns(sample)).encode()
    target = out / "td_truncated.csv"
    target.write_bytes(text[: len(text) - 40])
    return target


def _bare_cr(sample: Path, out: Path) -> Path:
    """Lines ended by a bare CR (classic Mac): read as one line, cells would shift columns."""
    target = out / "td_bare_cr.csv"
    target.write_bytes(("\r".join(takedowns(sample)) + "\r").encode())
    return target


def _cut_mid_character(sample: Path, out: Path) -> Path:
    lines = _set(notarizations(sample)[:7], 7, "requester_name", "张三")
    data = ("\n".join(lines) + "\n").encode("utf-8-sig")
    cut = data.rindex("张三".encode()) + 1  # the file ends inside 张's three bytes
    target = out / "notary_cut_mid_character.csv"
    target.write_bytes(data[:cut])
    return target


def _unclosed_quote(sample: Path, out: Path) -> Path:
    lines = takedowns(sample)
    lines[-1] = lines[-1].replace("https://", '"https://', 1)
    return _write_lines(out / "td_unclosed_quote.csv", lines, "utf-8")


def _ragged(sample: Path, out: Path) -> Path:
    lines = takedowns(sample)
    lines[4] = lines[4].replace("https://", "https://a,b/", 1)
    return _write_lines(out / "td_ragged.csv", lines, "utf-8")


def _drop_column(sample: Path, out: Path) -> Path:
    frame = pl.read_csv(io.StringIO("\n".join(takedowns(sample))), infer_schema=False)
    target = out / "td_no_sent_at.csv"
    frame.drop("notice_sent_at").write_csv(target)
    return target


def _duplicate_header(sample: Path, out: Path) -> Path:
    lines = takedowns(sample)
    lines = [line + "," + _cells(line)[2] for line in lines]  # platform once more at the end
    return _write_lines(out / "td_platform_twice.csv", lines, "utf-8")


def _same_column_two_names(sample: Path, out: Path) -> Path:
    lines = cases(sample)
    lines = [lines[0] + ",case_id"] + [line + "," + _cells(line)[0] for line in lines[1:]]
    return _write_lines(out / "cases_id_twice.csv", lines, "gb18030", "\r\n")


def _blank_header(sample: Path, out: Path) -> Path:
    lines = takedowns(sample)
    lines = [
        ",".join([*_cells(line)[:3], "" if i == 0 else "note", *_cells(line)[3:]])
        for i, line in enumerate(lines)
    ]
    return _write_lines(out / "td_blank_header.csv", lines, "utf-8")


def _unknown_headers(sample: Path, out: Path) -> Path:
    return _write_lines(out / "unknown.csv", ["编号,名称,金额", "1,甲,3", "2,乙,4"], "utf-8")


def _xlsx_merged_header(sample: Path, out: Path) -> Path:
    frame = trademarks(sample)
    # a two-level header: 日期 merged over 立案日期|结案日期 (columns B:C), sub-headers gone
    return write_xlsx(out / "trademarks_merged_header.xlsx", frame, merge=(0, 1, 0, 2, "日期"))


def _xlsx_title_row(sample: Path, out: Path) -> Path:
    return write_xlsx(
        out / "trademarks_title_row.xlsx", trademarks(sample), title="2024年商标执法案件台账"
    )


def _xlsx_no_data_sheet(sample: Path, out: Path) -> Path:
    target = out / "trademarks_cover_only.xlsx"
    book = xlsxwriter.Workbook(target)
    cover = book.add_worksheet("说明")
    cover.write(0, 0, "本表由区市场监督管理局报送")
    cover.write(1, 0, "数据见附件")
    book.add_worksheet("Sheet2")
    book.close()
    return target


def _corrupt(name: str, source: str, keep: int) -> Build:
    def build(sample: Path, out: Path) -> Path:
        target = out / name
        target.write_bytes((sample / source).read_bytes()[:keep])
        return target

    return build


FAULTS: tuple[Fault, ...] = (
    # row level -----------------------------------------------------------------------------
    Fault(
        "bad_date",
        _cases_set(3, "received_on", "2024/2/30"),
        "quarantined",
        row=3,
        column="received_on",
        rule="type:date",
    ),
    Fault(
        "bad_timestamp",
        _takedowns_set("td_bad_time", 4, "notice_sent_at", "yesterday"),
        "quarantined",
        row=4,
        column="notice_sent_at",
        rule="type:timestamp",
    ),
    Fault(
        "bad_integer",
        _trademarks_set("trademarks_bad_units", 3, "units_seized", "十二件"),
        "quarantined",
        row=3,
        column="units_seized",
        rule="type:integer",
    ),
    Fault(
        "bad_decimal",
        _trademarks_set("trademarks_bad_fine", 5, "fine_yuan", "一万"),
        "quarantined",
        row=5,
        column="fine_yuan",
        rule="type:decimal",
    ),
    Fault(
        "bad_boolean",
        _trademarks_set("trademarks_bad_flag", 6, "transferred_to_police", "待定"),
        "quarantined",
        row=6,
        column="transferred_to_police",
        rule="type:boolean",
    ),
    Fault(
        "missing_value",
        _takedowns_set("td_no_url", 6, "listing_url", ""),
        "quarantined",
        row=6,
        column="listing_url",
        rule="required",
    ),
    Fault(
        "unknown_platform",
        _takedowns_set("td_temu", 7, "platform", "Temu"),
        "quarantined",
        row=7,
        column="platform",
        rule="code:platform",
    ),
    Fault(
        "unknown_patent_type",
        _patents_change("patents_bad_type", _at(2, "patent_type", "plant variety", pl.String)),
        "quarantined",
        row=3,
        column="patent_type",
        rule="code:patent_type",
    ),
    Fault(
        "unknown_region",
        _cases_set(5, "respondent_region", "火星"),
        "quarantined",
        row=5,
        column="respondent_region",
        rule="code:region",
    ),
    Fault(
        "removal_before_notice",
        _removed_before_notice,
        "quarantined",
        row=5,
        column="removed_at",
        rule="date_order",
    ),
    Fault(
        "closed_before_received",
        _closed_before_received,
        "quarantined",
        row=4,
        column="closed_on",
        rule="date_order",
    ),
    Fault(
        "granted_before_accepted",
        _patents_change(
            "patents_granted_early", _at(4, "authorized_on", dt.date(2023, 6, 1), pl.Date)
        ),
        "quarantined",
        row=5,
        column="authorized_on",
        rule="date_order",
    ),
    Fault(
        "future_date",
        _patents_change(
            "patents_future",
            lambda f: _at(5, "authorized_on", None, pl.Date)(
                _at(5, "accepted_on", dt.date(2027, 1, 4), pl.Date)(f)
            ),
        ),
        "quarantined",
        row=6,
        column="accepted_on",
        rule="not_future",
    ),
    Fault(
        "duplicate_key", _duplicate_key, "quarantined", row=4, column="notice_id", rule="unique_key"
    ),
    Fault(
        "negative_amount",
        _trademarks_negative_fine,
        "quarantined",
        row=5,
        column="fine_yuan",
        rule="non_negative",
    ),
    Fault(
        "bad_sha256",
        _notary_set("notary_bad_hash", 4, "evidence_sha256", "not-a-hash"),
        "quarantined",
        row=4,
        column="evidence_sha256",
        rule="sha256_format",
    ),
    # The evidence chain is no gate rule (issue 14): an altered record and a missing one pass the
    # gate and load, and fct_notarizations names them (tests/test_evidence_chain.py).
    Fault("tampered_record", _notary_set("notary_tampered", 5, "evidence_sha256", "ab" * 32), "ok"),
    Fault("broken_chain", _broken_chain, "ok"),
    Fault(
        "bad_phone",
        _cases_set(6, "contact_phone", "王芳办公室"),
        "quarantined",
        row=6,
        column="contact_phone",
        rule="phone_format",
    ),
    Fault(
        "total_line",
        _cases_total_line,
        "quarantined",
        row=N + 2,
        column="case_id",
        rule="total_row",
    ),
    # read correctly despite the label ------------------------------------------------------
    Fault("gb18030_labelled_utf8", _gb18030_with_utf8_bom, "ok"),
    # file level ----------------------------------------------------------------------------
    Fault("empty_file", _bytes("td_empty.csv", b""), "rejected", code="empty"),
    Fault("header_only", _header_only, "rejected", code="empty"),
    Fault("undecodable_bytes", _undecodable, "rejected", code="encoding", row=4),
    Fault("mixed_encoding", _mixed_encoding, "rejected", code="encoding", row=6),
    Fault("truncated_last_line", _truncated, "rejected", code="truncated", row=13),
    Fault("cut_mid_character", _cut_mid_character, "rejected", code="truncated", row=7),
    Fault("unclosed_quote", _unclosed_quote, "rejected", code="truncated", row=13),
    Fault("unquoted_comma", _ragged, "rejected", code="ragged_row", row=5),
    Fault("bare_cr_line_endings", _bare_cr, "rejected", code="line_endings"),
    Fault(
        "missing_required_column",
        _drop_column,
        "rejected",
        code="missing_columns",
        column="notice_sent_at",
    ),
    Fault(
        "duplicate_header",
        _duplicate_header,
        "rejected",
        code="duplicate_header",
        column="platform",
    ),
    Fault(
        "one_column_two_names",
        _same_column_two_names,
        "rejected",
        code="duplicate_header",
        column="case_id",
    ),
    Fault("blank_header", _blank_header, "rejected", code="blank_header", column="4"),
    Fault("unknown_kind", _unknown_headers, "rejected", code="unknown_kind"),
    Fault(
        "unknown_kind_option",
        _takedowns_set("td_for_lawsuits", 2, "platform", "Tmall"),
        "rejected",
        code="bad_kind",
        kind="lawsuits",
    ),
    Fault(
        "xlsx_merged_header_cells",
        _xlsx_merged_header,
        "rejected",
        code="merged_header",
        column="C",
    ),
    Fault("xlsx_title_row", _xlsx_title_row, "rejected", code="merged_header", column="B"),
    Fault("xlsx_no_data_sheet", _xlsx_no_data_sheet, "rejected", code="no_data_sheet"),
    Fault(
        "header_unknown_unit",
        _trademarks_unknown_unit,
        "rejected",
        code="header_unit",
        column="fine_yuan",
    ),
    Fault(
        "xlsx_formulas_without_results",
        _trademarks_formulas_without_results,
        "rejected",
        code="formula_uncached",
        column="K2",
    ),
    Fault(
        "xlsx_corrupt",
        _corrupt("trademarks_corrupt.xlsx", "trademarks_2024.xlsx", 900),
        "rejected",
        code="unreadable",
    ),
    Fault(
        "parquet_corrupt",
        _corrupt("patents_corrupt.parquet", "patents_2024.parquet", 500),
        "rejected",
        code="unreadable",
    ),
    Fault(
        "unsupported_type",
        _bytes("report.docx", b"PK\x03\x04 not a table"),
        "rejected",
        code="unsupported_type",
    ),
)


def build_corpus(sample: Path, out: Path) -> dict[str, Path]:
    """Every fault's file, written into `out`."""
    out.mkdir(parents=True, exist_ok=True)
    return {fault.name: fault.build(sample, out) for fault in FAULTS}
