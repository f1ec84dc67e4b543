"""Every reason a whole source file is rejected, in English and Chinese: one table, one builder.

A rejected file writes nothing but its rejection (docs/quality.md), so the reason is all the
clerk who sent it gets: each says what is wrong, where, and what to do.
"""

from __future__ import annotations

from pathlib import Path

from etl.errors import FileRejected

# Every reason a whole file is rejected: code → (English, Chinese). Written for the clerk who has
# to fix the file: say what is wrong, where, and what to do. {placeholders} are filled per file.
FILE_FAULTS: dict[str, tuple[str, str]] = {
    "unsupported_type": (
        "unsupported file type {suffix!r} (use CSV, XLSX or Parquet)",
        "不支持的文件类型“{suffix}”（请使用 CSV、XLSX 或 Parquet）",
    ),
    "unreadable": (
        "cannot be read as {what}: {detail}",
        "无法按 {what} 读取该文件（{detail}），请确认文件未损坏、格式与扩展名一致",
    ),
    "empty": (
        "has no data rows",
        "文件没有数据行（空文件或只有表头）",
    ),
    "encoding": (
        "row {row}: bytes at offset {offset} are neither UTF-8 nor GB18030; save the file as "
        "UTF-8 or GB18030 (mixed encodings?)",
        "第{row}行（第{offset}字节处）的内容既不是 UTF-8 也不是 GB18030 编码，"
        "请将文件另存为 UTF-8 或 GB18030（文件可能混用了多种编码）",
    ),
    "truncated": (
        "the last line (row {row}) is cut off: {detail}; the file looks truncated, export or "
        "copy it again",
        "最后一行（第{row}行）不完整：{detail_zh}；文件可能在导出或传输中被截断，请重新导出",
    ),
    "line_endings": (
        "its lines end in a bare carriage return (old Mac line endings); save it again as CSV "
        "with Windows or Unix line endings",
        "文件的换行符是单独的回车符（旧版 Mac 格式），无法正确分行；请重新另存为 CSV"
        "（Windows 或 Unix 换行符）",
    ),
    "ragged_row": (
        "row {row} has {cells} cells but the header has {columns} columns; a comma inside a "
        "value must be quoted",
        "第{row}行有 {cells} 个单元格，但表头只有 {columns} 列；值中含逗号时须加英文双引号",
    ),
    "blank_header": (
        "{where}column {column} has values but no header; give every column a name in row 1",
        "{where_zh}第 {column} 列有数据但没有表头，请在第1行为每一列填写列名",
    ),
    "merged_header": (
        "{where}column {column} has values but an empty header cell (merged header cells?); "
        "unmerge the header so every column has its own name in one header row",
        "{where_zh}第 {column} 列有数据但表头单元格为空（表头可能有合并单元格）；"
        "请取消合并，使每一列在同一表头行中都有自己的列名",
    ),
    "duplicate_header": (
        "columns {first!r} and {second!r} both mean {canonical}",
        "“{first}”和“{second}”两列都表示“{canonical_zh}”（{canonical}），请删除其中一列",
    ),
    "formula_uncached": (
        "sheet {sheet!r}: cell {cell} holds a formula saved without its result, which would load "
        "as empty; open the workbook in Excel or WPS and save it again (or paste the values)",
        "工作表“{sheet}”的 {cell} 单元格是未保存计算结果的公式，读入会变成空值；"
        "请用 Excel 或 WPS 打开后重新保存（或粘贴为数值）",
    ),
    "header_unit": (
        "column {header!r} means {canonical}, but its unit {unit!r} is not one ipgov reads for "
        "it (units it converts: {units}); write the amount in one of them, or drop the unit",
        "“{header}”列表示“{canonical_zh}”（{canonical}），但单位“{unit}”无法识别或不适用"
        "（可用单位：{units}）；请换算为其中一种单位，或去掉表头中的单位",
    ),
    "missing_columns": (
        "missing required column(s) for {kind}: {names}",
        "缺少{kind_zh}的必填列：{names}",
    ),
    "unknown_kind": (
        "headers match no record kind; name it with --kind ({kinds})",
        "表头与任何记录类型都不匹配，请核对表头，或用 --kind 指定类型（{kinds}）",
    ),
    "bad_kind": (
        "unknown kind {kind!r}; one of {kinds}",
        "未知的记录类型“{kind}”，应为：{kinds}",
    ),
    "no_data_sheet": (
        "no sheet holds a table of a known record kind (sheets: {sheets})",
        "工作簿中没有可识别的数据表（工作表：{sheets}），请确认数据在第1行为表头的工作表中",
    ),
    # Raised by the quality gate (etl/gate/), listed here so all file faults are in one place.
    "strict": (
        "{rows} of {rows_read} rows failed validation and --strict rejects the whole file; "
        "first: {first}",
        "共 {rows_read} 行中有 {rows} 行未通过校验，--strict 模式下整个文件不予加载；"
        "第一处：{first_zh}",
    ),
    "gate_error": (
        "the quality gate failed on this file ({detail}); nothing of it was loaded. This is a "
        "fault in ipgov, not in the file: report it with the file attached",
        "质量校验程序处理此文件时出错（{detail}），文件未加载。这是系统问题而非文件问题，"
        "请将文件发给系统维护人员",
    ),
}


def reject(path: Path | str, code: str, **values: object) -> FileRejected:
    """The FileRejected for fault `code`, with its English and Chinese reasons filled in."""
    en, zh = FILE_FAULTS[code]
    return FileRejected(str(path), en.format(**values), reason_zh=zh.format(**values), code=code)


def decode_fault(path: Path, row: int, offset: int, at_end: bool) -> FileRejected:
    """Bytes that do not decode at `offset` (on the clerk's `row`): a cut-off file when they are
    its last bytes, else a wrong or mixed encoding."""
    if at_end:
        return reject(
            path,
            "truncated",
            row=row,
            detail="it ends in the middle of a character",
            detail_zh="文件在一个字符的中间结束",
        )
    return reject(path, "encoding", row=row, offset=offset)


# `encoding` when the file is Chinese in UTF-8 on some lines and not UTF-8 on others: both rows
# named, so the clerk sees which parts were saved which way.
MIXED_ENCODING = (
    "row {row}: bytes at offset {offset} are not UTF-8 (GBK or GB18030?), while row {utf8_row} "
    "is Chinese written in UTF-8: the file mixes encodings; save it again in one, UTF-8 or "
    "GB18030",
    "第{row}行（第{offset}字节处）不是 UTF-8 编码（可能是 GBK 或 GB18030），而第{utf8_row}行是"
    " UTF-8 编码的中文：文件混用了多种编码，请统一另存为 UTF-8 或 GB18030",
)


def mixed_encoding(path: Path, row: int, offset: int, utf8_row: int) -> FileRejected:
    """The `encoding` fault of a file mixing UTF-8 Chinese lines with lines in another
    encoding, naming the first of each."""
    en, zh = MIXED_ENCODING
    values = {"row": row, "offset": offset, "utf8_row": utf8_row}
    return FileRejected(
        str(path), en.format(**values), reason_zh=zh.format(**values), code="encoding"
    )


def first_line(error: BaseException) -> str:
    """A library's error in one line, for an `unreadable` reason."""
    text = str(error).strip()
    return text.splitlines()[0] if text else type(error).__name__
