"""The gate's rule vocabulary: facts about the kinds, and what each rule says to a clerk.

The suites (etl/gate/suites.py) are generated from these facts and the schemas; the engine
(etl/gate/engine.py) reports each failing cell under its rule, and `message` turns (file, row,
column, rule) into the words a clerk reads, in Chinese and English. Messages never contain the
value: they are published with the quarantine, and a value may be personal data.
"""

from __future__ import annotations

from etl.gate.codes import allowed
from etl.sources.schema import RecordKind

SHA256_REGEX = r"^[0-9a-f]{64}$"
# Checked on the value's shape (digits → 9), so a phone number is never shown in a report.
PHONE_REGEX = r"^[+(]?[0-9][0-9 ()\-]{6,19}$"
# A sheet's total line (合计, 总计, 小计) in the key column is no record, whatever else it holds
# (a date, sums): loaded, it would count as a case and double the totals.
TOTAL_WORDS = ("合计", "总计", "小计")
TOTAL_REGEX = "^(?:" + "|".join(w[0] + r"\s*" + w[1:] for w in TOTAL_WORDS) + ")"
VERDICTS = ("ok", "quarantined", "rejected")

# Facts about the kinds that their schemas do not carry: which dates come in which order, which
# fields are SHA-256 hashes or phone numbers. The evidence hash chain is not a gate rule: an
# altered or out-of-place record loads and fct_notarizations shows where and what (chain_status).
DATE_ORDER: dict[str, tuple[tuple[str, str], ...]] = {
    "cases": (
        ("received_on", "closed_on"),
        ("received_on", "advisory_opinion_on"),
        ("referred_on", "referral_closed_on"),
    ),
    "takedowns": (("notice_sent_at", "removed_at"),),
    "patents": (("accepted_on", "authorized_on"),),
    "trademarks": (("opened_on", "closed_on"),),
    "notarizations": (("requested_at", "notarized_at"),),
}
SHA256_COLUMNS: dict[str, tuple[str, ...]] = {
    "notarizations": ("evidence_sha256", "prev_record_hash", "record_hash"),
}
PHONE_COLUMNS: dict[str, tuple[str, ...]] = {"cases": ("contact_phone",)}

# What each rule says about a cell, (English, Chinese). Never the value itself: messages are
# published with the quarantine, and a value may be personal data.
RULE_TEXT: dict[str, tuple[str, str]] = {
    "total_row": (
        "is a total line (合计/总计/小计), not a record: delete the row",
        "是合计/总计/小计行，不是一条记录，请删除该行",
    ),
    "required": ("is empty, but it is required", "为空，此项必填"),
    "type:date": (
        "is not a date (write it like 2024-03-01)",
        "不是有效日期（请写成 2024-03-01 这样的格式）",
    ),
    "type:timestamp": (
        "is not a date and time (write it like 2024-03-01 09:30:00)",
        "不是有效的日期时间（请写成 2024-03-01 09:30:00 这样的格式）",
    ),
    "type:integer": ("is not a whole number", "不是整数"),
    "type:decimal": ("is not an amount in yuan (like 1234.50)", "不是金额数字（如 1234.50）"),
    "type:boolean": ("is not yes/no (是/否)", "应填“是”或“否”"),
    "code": (
        "is not one of the allowed values: {allowed_en}",
        "不在允许的取值中（可填：{allowed_zh}）",
    ),
    "not_future": ("is in the future", "晚于今天（不能是将来的日期）"),
    "date_order": (
        "is earlier than {other} ({other_zh})",
        "早于“{other_zh}”，日期先后顺序不对",
    ),
    "unique_key": (
        "appears more than once in this file; every row with it is held back until one remains",
        "在本文件中重复出现；无法判断哪一行正确，所有重复行均暂不加载",
    ),
    "non_negative": ("is negative", "不能为负数"),
    "sha256_format": (
        "is not a SHA-256 hash (64 hexadecimal digits)",
        "不是 SHA-256 哈希值（应为 64 位十六进制字符）",
    ),
    "phone_format": (
        "is not a phone number (digits, spaces, + - ( ) only, 7 to 20 characters)",
        "不是有效的电话号码（只能含数字、空格和 + - ( )，7 至 20 位）",
    ),
}
RULE_DOCS: dict[str, tuple[str, str]] = {  # one line per rule family, for the suites' notes
    "total_row": (
        "A total line (合计, 总计, 小计 in the key column) is not a record.",
        "合计、总计、小计行不是记录。",
    ),
    "required_column": ("The column must be in the file.", "文件必须包含此列。"),
    "required": ("Every row must have a value.", "每一行都必须填写。"),
    "type": (
        "Every value must parse to the column's type (helper _unparsed__<column> holds the "
        "cells that do not).",
        "每个值都必须能解析为该列的类型。",
    ),
    "code": (
        "Values must be a listed code, name or alias (helper _code__<column> holds the "
        "normalised code).",
        "取值必须是代码表中的代码、名称或别名。",
    ),
    "not_future": ("Dates must not be after the load day.", "日期不能晚于加载当天。"),
    "date_order": ("The later date must not be before the earlier one.", "日期先后顺序必须正确。"),
    "unique_key": ("The natural key is unique within a file.", "同一文件中编号不能重复。"),
    "non_negative": ("Counts and amounts are not negative.", "数量和金额不能为负数。"),
    "sha256_format": ("64 lower-case hexadecimal digits.", "64 位十六进制 SHA-256 值。"),
    "phone_format": ("A phone number (checked on its shape only).", "电话号码格式。"),
}


def _column_names(kind: RecordKind, column: str) -> tuple[str, str]:
    try:
        return column, kind.column(column).zh
    except KeyError:
        return column, column


def message(
    kind: RecordKind,
    file: str,
    sheet: str | None,
    row: int,
    column: str,
    rule: str,
    other: str | None = None,
) -> tuple[str, str]:
    """(Chinese, English) words for one bad cell: file, row, column and what is wrong."""
    family = "code" if rule.startswith("code:") else rule
    en, zh = RULE_TEXT.get(family, ("breaks rule " + rule, "不符合规则 " + rule))
    values: dict[str, str] = {}
    if family == "code":
        values["allowed_en"], values["allowed_zh"] = allowed(rule.split(":", 1)[1])
    if other:
        values["other"], values["other_zh"] = _column_names(kind, other)
    name, name_zh = _column_names(kind, column)
    where_en = f"{file}, sheet {sheet}" if sheet else file
    where_zh = f"{file} 工作表“{sheet}”" if sheet else file
    return (
        f"{where_zh} 第{row}行“{name_zh}”（{name}）{zh.format(**values)}",
        f"{where_en}, row {row}, column {name} ({name_zh}) {en.format(**values)}",
    )
