"""The data-quality gate: every source file is judged against its kind's expectation suite.

Files come from clerks' exports and other agencies' spreadsheets, so the gate decides what enters
the warehouse and tells a person exactly what to fix (docs/quality.md):

* **File-level** faults (unreadable, undecodable, empty, cut off, blank/merged/duplicate headers,
  missing required columns, unknown kind, no data sheet) are found by `etl.sources.reader` and
  reject the whole file before anything is written.
* **Row-level** rules are one Great Expectations (GX Core 1.x) suite per kind, versioned as
  `expectations/<kind>.json` and generated from the schemas in `etl/sources` and
  `etl/reference/codes.csv` by `python -m etl.validate --write-suites` (a test keeps the committed
  JSON equal to the generator). A row that breaks any rule goes to the quarantine with file, row,
  column, rule, the raw value and a message in Chinese and English; the good rows load.

Rules GX cannot express directly are computed in polars as helper columns (`_unparsed__<col>`:
a cell that does not parse to its type; `_code__<col>`: the code a value normalises to;
`_expected__<col>`: the hash a chain field must hold) and checked by an ordinary expectation, so
every rule is named in the suite and reported with its GX expectation type.

Great Expectations takes about 2 s to import, so it is imported only when a file is validated.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import sys
import tempfile
import time
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

import duckdb
import polars as pl

from etl import settings, warehouse
from etl.errors import FileRejected
from etl.sources import KINDS
from etl.sources.reader import ROW, ReadResult, read, reject
from etl.sources.schema import DATE, DECIMAL, INTEGER, STRING, TIMESTAMP, RecordKind

if TYPE_CHECKING:
    import pandas as pd

    from etl.sources.bulk import StagedCells
    from etl.validate_sql import StagedResult

    Judged = ReadResult | StagedResult  # a file's rows: in memory (GX) or waiting in DuckDB

SUITES_DIR = Path(__file__).resolve().parent.parent / "expectations"
CODES_CSV = Path(__file__).parent / "reference" / "codes.csv"
GENESIS_HASH = "0" * 64
SHA256_REGEX = r"^[0-9a-f]{64}$"
# Checked on the value's shape (digits → 9), so a phone number is never shown in a report.
PHONE_REGEX = r"^[+(]?[0-9][0-9 ()\-]{6,19}$"
PII_MASK = "***"

# Facts about the kinds that their schemas do not carry: which dates come in which order, which
# fields are SHA-256 hashes or phone numbers, which kind is a hash chain.
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
HASH_CHAIN_KINDS = ("notarizations",)

PROBLEM_COLUMNS = {
    ROW: pl.Int64,
    "column_name": pl.String,
    "rule": pl.String,
    "expectation_type": pl.String,
    "raw_value": pl.String,
    "key_value": pl.String,
    "is_pii": pl.Boolean,
    "message_zh": pl.String,
    "message_en": pl.String,
}

# What each rule says about a cell, (English, Chinese). Never the value itself: messages are
# published with the quarantine, and a value may be personal data.
RULE_TEXT: dict[str, tuple[str, str]] = {
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
    "record_hash": (
        "does not equal sha256(notarization_id|evidence_sha256|prev_record_hash): the record "
        "was altered after it was sealed",
        "与按“公证编号|证据哈希|前序记录哈希”计算的 SHA-256 不符，记录可能在封存后被改动",
    ),
    "chain_link": (
        "is not the record_hash of the row above: the evidence chain is broken here (a row "
        "missing, added or out of order)",
        "不等于上一行的“记录哈希”，证据链在此断开（可能缺行、多行或顺序被打乱）",
    ),
}
RULE_DOCS: dict[str, tuple[str, str]] = {  # one line per rule family, for the suites' notes
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
    "record_hash": (
        "record_hash = sha256(notarization_id|evidence_sha256|prev_record_hash).",
        "记录哈希必须与计算值一致。",
    ),
    "chain_link": (
        "prev_record_hash = record_hash of the previous row in the file (the first row may link "
        "to an earlier file; fct_notarizations.is_chain_linked checks that).",
        "前序记录哈希必须等于上一行的记录哈希。",
    ),
}


# ------------------------------------------------------------------------------------------------
# Reference codes
# ------------------------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def code_list() -> pl.DataFrame:
    """etl/reference/codes.csv: domain, code, name_zh, name_en, aliases."""
    return pl.read_csv(CODES_CSV, infer_schema=False)


def code_aliases() -> pl.DataFrame:
    """Every accepted spelling (lower-cased) of every code: the code, both names, the aliases."""
    codes = code_list()
    aliases = (
        pl.concat(
            [
                codes.select("domain", pl.col(source).alias("alias"), "code")
                for source in ("code", "name_zh", "name_en")
            ]
            + [
                codes.select(
                    "domain", pl.col("aliases").str.split("|").alias("alias"), "code"
                ).explode("alias")
            ]
        )
        .drop_nulls()
        .with_columns(pl.col("alias").str.strip_chars().str.to_lowercase())
    )
    return aliases.filter(pl.col("alias") != "").unique(["domain", "alias"], keep="first")


@lru_cache(maxsize=1)
def _alias_maps() -> dict[str, dict[str, str]]:
    maps: dict[str, dict[str, str]] = {}
    for domain, alias, code in code_aliases().iter_rows():
        maps.setdefault(domain, {})[alias] = code
    return maps


def _codes_of(domain: str) -> pl.DataFrame:
    return code_list().filter(pl.col("domain") == domain)


# ------------------------------------------------------------------------------------------------
# Suites: generated from the schemas, committed as expectations/<kind>.json
# ------------------------------------------------------------------------------------------------


def _expectation(
    type_: str, column: str, rule: str, kwargs: dict[str, Any], **meta: Any
) -> dict[str, Any]:
    family = rule.split(":")[0]
    en, zh = RULE_DOCS[family]
    return {
        "type": type_,
        "kwargs": kwargs,
        "meta": {"rule": rule, "column": column, **meta},
        "notes": f"{en} {zh}",
    }


def build_suite(kind: RecordKind) -> dict[str, Any]:
    """The kind's suite as GX 1.x ExpectationSuite JSON, in the order rules are reported."""
    expectations: list[dict[str, Any]] = []
    add = expectations.append
    for name in kind.required:
        add(
            _expectation(
                "expect_column_to_exist", name, "required_column", {"column": name}, level="file"
            )
        )
    for c in kind.columns:
        if c.type != STRING:
            add(
                _expectation(
                    "expect_column_values_to_be_null",
                    c.name,
                    f"type:{c.type}",
                    {"column": f"_unparsed__{c.name}"},
                )
            )
        if c.required:
            add(
                _expectation(
                    "expect_column_values_to_not_be_null", c.name, "required", {"column": c.name}
                )
            )
        if c.code_domain:
            add(
                _expectation(
                    "expect_column_values_to_be_in_set",
                    c.name,
                    f"code:{c.code_domain}",
                    {
                        "column": f"_code__{c.name}",
                        "value_set": sorted(_codes_of(c.code_domain)["code"].to_list()),
                    },
                )
            )
        if c.type in (DATE, TIMESTAMP):
            parameter = "today" if c.type == DATE else "end_of_today"
            add(
                _expectation(
                    "expect_column_values_to_be_between",
                    c.name,
                    "not_future",
                    {"column": c.name, "max_value": {"$PARAMETER": parameter}},
                )
            )
        if c.type in (INTEGER, DECIMAL):
            add(
                _expectation(
                    "expect_column_values_to_be_between",
                    c.name,
                    "non_negative",
                    {"column": c.name, "min_value": 0},
                )
            )
        if c.name in SHA256_COLUMNS.get(kind.name, ()):
            add(
                _expectation(
                    "expect_column_values_to_match_regex",
                    c.name,
                    "sha256_format",
                    {"column": c.name, "regex": SHA256_REGEX},
                )
            )
        if c.name in PHONE_COLUMNS.get(kind.name, ()):
            add(
                _expectation(
                    "expect_column_values_to_match_regex",
                    c.name,
                    "phone_format",
                    {"column": c.name, "regex": PHONE_REGEX},
                )
            )
    add(
        _expectation(
            "expect_column_values_to_be_unique", kind.key, "unique_key", {"column": kind.key}
        )
    )
    for earlier, later in DATE_ORDER.get(kind.name, ()):
        add(
            _expectation(
                "expect_column_pair_values_a_to_be_greater_than_b",
                later,
                "date_order",
                {
                    "column_A": later,
                    "column_B": earlier,
                    "or_equal": True,
                    "ignore_row_if": "either_value_is_missing",
                },
                other=earlier,
            )
        )
    if kind.name in HASH_CHAIN_KINDS:
        for column, rule in (("record_hash", "record_hash"), ("prev_record_hash", "chain_link")):
            add(
                _expectation(
                    "expect_column_pair_values_to_be_equal",
                    column,
                    rule,
                    {
                        "column_A": column,
                        "column_B": f"_expected__{column}",
                        "ignore_row_if": "either_value_is_missing",
                    },
                )
            )
    return {
        "name": kind.name,
        "expectations": expectations,
        "meta": {
            "kind": kind.name,
            "kind_zh": kind.zh,
            "natural_key": kind.key,
            "generated_by": "python -m etl.validate --write-suites",
            "parameters": {
                "today": "the load day (a date)",
                "end_of_today": "the last microsecond of the load day (a timestamp)",
            },
        },
        "notes": f"Data-quality gate for {kind.name} ({kind.zh}): {kind.grain} "
        "See docs/quality.md.",
    }


def suite_json(kind: RecordKind) -> str:
    return json.dumps(build_suite(kind), ensure_ascii=False, indent=2) + "\n"


def write_suites(folder: Path = SUITES_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS.values():
        path = folder / f"{kind.name}.json"
        path.write_text(suite_json(kind), encoding="utf-8")
        written.append(path)
    return written


def load_suite(kind: RecordKind) -> dict[str, Any]:
    """The committed suite; the generator's output when the package runs without its repo."""
    path = SUITES_DIR / f"{kind.name}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return build_suite(kind)


# ------------------------------------------------------------------------------------------------
# The frame GX checks: parsed values, plus helper columns for rules GX cannot express
# ------------------------------------------------------------------------------------------------


def _shape(values: pl.Expr) -> pl.Expr:
    """A personal-data value's shape (digits → 9, letters → X): enough to check a format."""
    return values.str.replace_all(r"[0-9]", "9").str.replace_all(r"[^9+()\- ]", "X")


def _pii_rows(result: ReadResult, column: str) -> pl.Series | None:
    """Rows whose `column` cell is personal data; None when the column never is."""
    kind = result.kind
    if kind.column(column).pii:
        return pl.repeat(True, result.text.height, eager=True)
    if kind.name == "patents" and column == "applicant":
        types = result.text["applicant_type"].str.strip_chars().str.to_lowercase()
        code = types.replace_strict(_alias_maps().get("applicant_type", {}), default=None)
        return ~code.is_in(["enterprise", "institution"]).fill_null(False)
    return None


def helper_frame(result: ReadResult) -> pl.DataFrame:
    """What GX validates, as polars: ROW, the parsed columns and the helper columns."""
    kind, parsed, text = result.kind, result.parsed, result.text
    columns: list[pl.Series] = [parsed[ROW]]
    for c in kind.columns:
        value = parsed[c.name]
        if c.type == STRING and c.name in SHA256_COLUMNS.get(kind.name, ()):
            value = value.str.to_lowercase()
        pii = _pii_rows(result, c.name)
        if pii is not None:
            shaped = pl.select(_shape(pl.lit(value))).to_series()
            value = pl.select(
                pl.when(pl.lit(pii)).then(pl.lit(shaped)).otherwise(pl.lit(value))
            ).to_series()
        columns.append(value.alias(c.name))
        if c.type != STRING:
            unparsed = pl.select(
                pl.when(pl.lit(text[c.name]).is_not_null() & pl.lit(parsed[c.name]).is_null())
                .then(pl.lit(text[c.name]))
                .otherwise(None)
            ).to_series()
            columns.append(unparsed.alias(f"_unparsed__{c.name}"))
        if c.code_domain:
            spelled = text[c.name].str.strip_chars().str.to_lowercase()
            mapping = _alias_maps().get(c.code_domain, {})
            code = pl.select(pl.lit(spelled).replace_strict(mapping, default=pl.lit(spelled)))
            columns.append(code.to_series().alias(f"_code__{c.name}"))
    frame = pl.DataFrame(columns)
    if kind.name in HASH_CHAIN_KINDS:
        frame = frame.with_columns(
            _expected__record_hash=pl.Series(
                [
                    hashlib.sha256(f"{i}|{e}|{p}".encode()).hexdigest()
                    if i is not None and e is not None and p is not None
                    else None
                    for i, e, p in frame.select(
                        "notarization_id", "evidence_sha256", "prev_record_hash"
                    ).iter_rows()
                ],
                dtype=pl.String,
            ),
            # File order is chain order; the first row may link to a file loaded earlier.
            _expected__prev_record_hash=pl.col("record_hash")
            .shift(1)
            .fill_null(pl.col("prev_record_hash")),
        )
    return frame


def to_pandas(frame: pl.DataFrame) -> pd.DataFrame:
    """Numbers as float64, everything else as Python objects with None for empty.

    GX compares Python date/datetime objects several times faster than datetime64 columns, and
    object columns keep one meaning of "missing" (None) across pandas versions.
    """
    import pandas as pd

    data: dict[str, Any] = {}
    for name, dtype in frame.schema.items():
        series = frame[name]
        if name == ROW:
            data[name] = series.to_numpy()
        elif dtype.is_numeric():
            data[name] = series.cast(pl.Float64).to_numpy()
        else:
            data[name] = pd.Series(series.to_list(), dtype=object)
    return pd.DataFrame(data)


# ------------------------------------------------------------------------------------------------
# Problems and messages
# ------------------------------------------------------------------------------------------------


def _column_names(kind: RecordKind, column: str) -> tuple[str, str]:
    try:
        return column, kind.column(column).zh
    except KeyError:
        return column, column


def _allowed(domain: str) -> tuple[str, str]:
    codes = _codes_of(domain)
    return ", ".join(codes["name_en"].to_list()), "、".join(codes["name_zh"].to_list())


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
        values["allowed_en"], values["allowed_zh"] = _allowed(rule.split(":", 1)[1])
    if other:
        values["other"], values["other_zh"] = _column_names(kind, other)
    name, name_zh = _column_names(kind, column)
    where_en = f"{file}, sheet {sheet}" if sheet else file
    where_zh = f"{file} 工作表“{sheet}”" if sheet else file
    return (
        f"{where_zh} 第{row}行“{name_zh}”（{name}）{zh.format(**values)}",
        f"{where_en}, row {row}, column {name} ({name_zh}) {en.format(**values)}",
    )


def describe(
    result: ReadResult,
    problems: pl.DataFrame,
    file: str,
    others: dict[tuple[str, str], str] | None = None,
) -> pl.DataFrame:
    """Problems with everything a person needs: raw value, key, messages, personal-data flag.

    `problems` holds at least ROW, column_name, rule (and expectation_type when GX found them).
    """
    kind = result.kind
    if problems.is_empty():
        return pl.DataFrame(schema=PROBLEM_COLUMNS)
    if "expectation_type" not in problems.columns:
        problems = problems.with_columns(pl.lit(None, dtype=pl.String).alias("expectation_type"))
    rows = problems[ROW].unique().implode()
    text = result.text.filter(pl.col(ROW).is_in(rows))
    cells = text.unpivot(index=ROW, variable_name="column_name", value_name="raw_value")
    keys = text.select(ROW, pl.col(kind.key).alias("key_value"))
    pii_frames = []
    for c in kind.columns:
        flags = _pii_rows(result, c.name)
        if flags is not None:
            pii_frames.append(
                result.text.select(ROW).with_columns(
                    pl.lit(c.name).alias("column_name"), flags.alias("is_pii")
                )
            )
    pii = (
        pl.concat(pii_frames)
        if pii_frames
        else pl.DataFrame(schema={ROW: pl.Int64, "column_name": pl.String, "is_pii": pl.Boolean})
    )
    out = (
        problems.select(ROW, "column_name", "rule", "expectation_type")
        .join(cells, on=[ROW, "column_name"], how="left")
        .join(keys, on=ROW, how="left")
        .join(pii, on=[ROW, "column_name"], how="left")
        .with_columns(pl.col("is_pii").fill_null(False))
    )
    others = others or {}
    texts = [
        message(kind, file, result.sheet, row, column, rule, others.get((column, rule)))
        for row, column, rule in out.select(ROW, "column_name", "rule").iter_rows()
    ]
    out = out.with_columns(
        pl.Series("message_zh", [zh for zh, _ in texts], dtype=pl.String),
        pl.Series("message_en", [en for _, en in texts], dtype=pl.String),
    )
    return out.select(list(PROBLEM_COLUMNS)).cast(PROBLEM_COLUMNS)  # type: ignore[arg-type]


def shown_value(value: str | None, is_pii: bool) -> str | None:
    """A raw value as reports and the snapshot show it: personal data masked."""
    return PII_MASK if is_pii and value is not None else value


# ------------------------------------------------------------------------------------------------
# Reports
# ------------------------------------------------------------------------------------------------

VERDICTS = ("ok", "quarantined", "rejected")


@dataclass
class FileReport:
    """The gate's verdict on one file: what a clerk reads, and what the loader acts on."""

    path: Path
    verdict: str  # ok | quarantined | rejected
    kind: str | None = None
    encoding: str | None = None
    sheet: str | None = None
    rows_read: int = 0
    rows_valid: int = 0
    rows_quarantined: int = 0
    problems: pl.DataFrame = field(default_factory=lambda: pl.DataFrame(schema=PROBLEM_COLUMNS))
    rules: list[dict[str, Any]] = field(default_factory=list)
    reason_code: str | None = None
    message_en: str = ""
    message_zh: str = ""
    seconds: float = 0.0
    ignored_columns: list[str] = field(default_factory=list)
    engine: str = "gx"  # gx | duckdb (etl/validate_sql.py, for big files)

    @property
    def failed(self) -> bool:
        return self.verdict != "ok"

    def to_json(self, max_problems: int | None = None) -> dict[str, Any]:
        problems = self.problems if max_problems is None else self.problems.head(max_problems)
        return {
            "file": self.path.name,
            "path": str(self.path),
            "kind": self.kind,
            "encoding": self.encoding,
            "sheet": self.sheet,
            "verdict": self.verdict,
            "rows_read": self.rows_read,
            "rows_valid": self.rows_valid,
            "rows_quarantined": self.rows_quarantined,
            "rejection": None
            if self.reason_code is None
            else {
                "code": self.reason_code,
                "message_en": self.message_en,
                "message_zh": self.message_zh,
            },
            "ignored_columns": self.ignored_columns,
            "rules": self.rules,
            "problems_total": self.problems.height,
            "problems": [
                {
                    "row": p[ROW],
                    "column": p["column_name"],
                    "rule": p["rule"],
                    "expectation_type": p["expectation_type"],
                    "value": shown_value(p["raw_value"], p["is_pii"]),
                    "key": p["key_value"],
                    "message_zh": p["message_zh"],
                    "message_en": p["message_en"],
                }
                for p in problems.iter_rows(named=True)
            ],
            "engine": self.engine,
            "seconds": round(self.seconds, 3),
        }


def rejected_report(path: Path, error: FileRejected, seconds: float = 0.0) -> FileReport:
    return FileReport(
        path,
        "rejected",
        reason_code=error.code,
        message_en=error.reason,
        message_zh=error.reason_zh,
        seconds=seconds,
    )


# ------------------------------------------------------------------------------------------------
# The gate
# ------------------------------------------------------------------------------------------------


class GateError(Exception):
    """GX could not evaluate a rule: a bug in the gate, never the file's fault."""


class Gate:
    """Validates files one by one; holds one ephemeral GX context for a whole run.

    `validate=False` keeps only the reader's own type and required checks (the benchmark's
    baseline); `docs_dir` makes GX write its HTML data docs there when `build_docs` is called.

    Files of `gate_bulk_mb` or more are read and judged inside DuckDB (etl/validate_sql.py) on
    `con` — the loader passes its own connection, so the judged rows are inserted from where
    they already are — or on a private in-memory connection (`ipgov check`). `scratch` is where
    a transcoded copy of a big GB18030 file may be written.
    """

    def __init__(
        self,
        today: dt.date | None = None,
        *,
        strict: bool = False,
        validate: bool = True,
        docs_dir: Path | None = None,
        run_name: str | None = None,
        con: duckdb.DuckDBPyConnection | None = None,
        scratch: Path | None = None,
    ) -> None:
        self.today = today or dt.date.today()
        self.con = con
        self.scratch = scratch
        self._own_con: duckdb.DuckDBPyConnection | None = None
        self.bulk_bytes = float(settings.get("gate_bulk_mb")) * 1024 * 1024
        self.strict = strict
        self.validate = validate
        self.docs_dir = docs_dir
        self.run_name = run_name or dt.datetime.now(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
        self._context: Any = None
        self._suites: dict[str, Any] = {}
        self._files = 0

    # GX plumbing -------------------------------------------------------------------------------

    def _gx(self) -> Any:
        if self._context is None:
            settings.quiet_libraries()
            import great_expectations as gx
            from great_expectations.data_context.types.base import ProgressBarsConfig

            context = gx.get_context(mode="ephemeral")
            context.variables.progress_bars = ProgressBarsConfig(
                globally=False, metric_calculations=False
            )
            if self.docs_dir is not None:
                context.add_data_docs_site(
                    "ipgov",
                    {
                        "class_name": "SiteBuilder",
                        "show_how_to_buttons": False,
                        "store_backend": {
                            "class_name": "TupleFilesystemStoreBackend",
                            "base_directory": str(self.docs_dir),
                        },
                        "site_index_builder": {"class_name": "DefaultSiteIndexBuilder"},
                    },
                )
            context.data_sources.add_pandas("ipgov")
            self._context = context
        return self._context

    def _suite(self, kind: RecordKind) -> Any:
        if kind.name not in self._suites:
            import great_expectations as gx

            suite = gx.ExpectationSuite(**load_suite(kind))
            self._suites[kind.name] = self._gx().suites.add(suite)
        return self._suites[kind.name]

    def _run_gx(self, result: ReadResult, label: str) -> tuple[pl.DataFrame, list[dict[str, Any]]]:
        """Failing cells (ROW, column_name, rule, expectation_type) and a summary per rule."""
        import great_expectations as gx
        from great_expectations.core.run_identifier import RunIdentifier

        context = self._gx()
        suite = self._suite(result.kind)
        self._files += 1
        asset = context.data_sources.get("ipgov").add_dataframe_asset(f"{self._files:04d} {label}")
        batch = asset.add_batch_definition_whole_dataframe("file")
        definition = context.validation_definitions.add(
            gx.ValidationDefinition(name=f"{self._files:04d} {label}", data=batch, suite=suite)
        )
        frame = to_pandas(helper_frame(result))
        end_of_today = dt.datetime.combine(self.today, dt.time.max)
        outcome = definition.run(
            batch_parameters={"dataframe": frame},
            expectation_parameters={"today": self.today, "end_of_today": end_of_today},
            result_format={"result_format": "COMPLETE", "unexpected_index_column_names": [ROW]},
            run_id=RunIdentifier(run_name=self.run_name, run_time=dt.datetime.now(dt.UTC)),
        )
        order = {e.id: i for i, e in enumerate(suite.expectations)}
        found: list[tuple[int, int, str, str, str]] = []
        rules: list[tuple[int, dict[str, Any]]] = []
        for check in outcome.results:
            config = check.expectation_config
            meta = config.meta or {}
            info = check.exception_info or {}
            if info.get("raised_exception"):
                raise GateError(
                    f"{config.type} on {meta.get('column')}: {info.get('exception_message')}"
                )
            position = order.get(config.id, len(order))
            unexpected = check.result.get("unexpected_index_list") or []
            rules.append(
                (
                    position,
                    {
                        "rule": meta.get("rule"),
                        "column": meta.get("column"),
                        "expectation_type": config.type,
                        "success": bool(check.success),
                        "failed_rows": len(unexpected),
                    },
                )
            )
            if meta.get("level") == "file" and not check.success:
                raise GateError(f"{config.type} failed after the reader accepted the file")
            for item in unexpected:
                found.append((int(item[ROW]), position, meta["column"], meta["rule"], config.type))
        found.sort()
        problems = pl.DataFrame(
            found,
            schema={
                ROW: pl.Int64,
                "position": pl.Int64,
                "column_name": pl.String,
                "rule": pl.String,
                "expectation_type": pl.String,
            },
            orient="row",
        )
        # One problem per cell: the first rule in suite order (a date that does not parse is
        # "not a date", not also "missing").
        problems = problems.unique([ROW, "column_name"], keep="first", maintain_order=True)
        return problems.drop("position"), [r for _, r in sorted(rules, key=lambda r: r[0])]

    # Public ------------------------------------------------------------------------------------

    def is_bulk(self, path: Path) -> bool:
        """Judged in DuckDB rather than by GX: a file of `gate_bulk_mb` or more."""
        try:
            return path.stat().st_size >= self.bulk_bytes
        except OSError:
            return False

    def _connection(self) -> duckdb.DuckDBPyConnection:
        if self.con is not None:
            return self.con
        if self._own_con is None:
            self._own_con = warehouse.connect_scratch()
        return self._own_con

    def close(self) -> None:
        """Close the private connection of a gate that was given none."""
        if self._own_con is not None:
            self._own_con.close()
            self._own_con = None

    def _judge_bulk(
        self, path: Path, kind: str | None, staged: StagedCells | FileRejected | None
    ) -> tuple[FileReport, Judged]:
        from etl import validate_sql

        if isinstance(staged, FileRejected):  # found while the file was prepared
            raise staged
        con = self._connection()
        folder = self.scratch or Path(tempfile.gettempdir())
        result, found, rules = validate_sql.judge(
            con, path, kind, self.today, folder, everything=self.validate, staged=staged
        )
        if self.con is None:  # nobody will insert these rows
            validate_sql.drop_tables(con)
        report, result = self._judge(path, result, found, rules)
        report.engine = "duckdb"
        return report, result

    def check(
        self,
        path: Path,
        kind: str | None = None,
        staged: StagedCells | FileRejected | None = None,
    ) -> tuple[FileReport, Judged | None]:
        """The verdict on one file and, unless rejected, the rows to load (a `ReadResult`, or a
        `validate_sql.StagedResult` whose rows wait in DuckDB). Never raises for anything about
        the file; an unexpected error rejects the file with `gate_error`. `staged`: a big
        file's reading checks, already made (load._prepare), or the fault they found."""
        started = time.perf_counter()
        bulk = self.is_bulk(path)
        try:
            if bulk:
                report, result = self._judge_bulk(path, kind, staged)
                report.seconds = time.perf_counter() - started
                return report, (None if report.verdict == "rejected" else result)
            result = read(path, kind)
        except FileRejected as e:
            return rejected_report(path, e, time.perf_counter() - started), None
        except (duckdb.Error, OSError) as e:
            if bulk and warehouse.environment_fault(e, path) is not None:
                raise  # a full disk is the machine's fault, not the file's: the load stops
            error = reject(path, "gate_error", detail=f"{type(e).__name__}: {e}")
            return rejected_report(path, error, time.perf_counter() - started), None
        except Exception as e:  # the reader's own bug: still never half-load a file
            error = reject(path, "gate_error", detail=f"{type(e).__name__}: {e}")
            return rejected_report(path, error, time.perf_counter() - started), None
        try:
            if self.validate:
                found, rules = self._run_gx(result, path.name)
            else:
                found, rules = result.problems, []
            report, result = self._judge(path, result, found, rules)
        except Exception as e:
            error = reject(path, "gate_error", detail=f"{type(e).__name__}: {e}")
            return rejected_report(path, error, time.perf_counter() - started), None
        report.seconds = time.perf_counter() - started
        return report, (None if report.verdict == "rejected" else result)

    def _judge(
        self, path: Path, result: Judged, found: pl.DataFrame, rules: list[dict[str, Any]]
    ) -> tuple[FileReport, Judged]:
        """The report on a read file from the failing cells its engine found."""
        others = {
            (later, "date_order"): earlier
            for earlier, later in DATE_ORDER.get(result.kind.name, ())
        }
        problems = describe(result, found, path.name, others)
        result = result.with_problems(problems)
        report = FileReport(
            path,
            "quarantined" if problems.height else "ok",
            kind=result.kind.name,
            encoding=result.encoding,
            sheet=result.sheet,
            rows_read=result.rows_read,
            rows_valid=result.rows_valid,
            rows_quarantined=result.rows_quarantined,
            problems=problems,
            rules=rules,
            ignored_columns=result.ignored_columns,
        )
        if self.strict and problems.height:
            first = problems.row(0, named=True)
            error = reject(
                path,
                "strict",
                rows=report.rows_quarantined,
                rows_read=report.rows_read,
                first=first["message_en"],
                first_zh=first["message_zh"],
            )
            report.verdict = "rejected"
            report.reason_code = error.code
            report.message_en, report.message_zh = error.reason, error.reason_zh
        return report, result

    def build_docs(self) -> Path | None:
        """Write GX's HTML data docs for every file validated so far; the index page."""
        if self.docs_dir is None or self._context is None:
            return None
        self._context.build_data_docs(site_names=["ipgov"])
        return self.docs_dir / "index.html"


def check_paths(
    paths: list[Path], kind: str | None = None, strict: bool = False, today: dt.date | None = None
) -> list[FileReport]:
    """`ipgov check`: the load's validation on every file, writing nothing."""
    from etl.load import source_files

    gate = Gate(today, strict=strict)
    try:
        return [gate.check(path, kind)[0] for path in source_files(paths)]
    finally:
        gate.close()


def report_json(
    reports: list[FileReport], max_problems: int | None = 1000, **about: Any
) -> dict[str, Any]:
    """The machine-readable report of a load or a check."""
    return {
        **about,
        "files": [r.to_json(max_problems) for r in reports],
        "totals": {
            "files": len(reports),
            **{verdict: sum(r.verdict == verdict for r in reports) for verdict in VERDICTS},
            "rows_read": sum(r.rows_read for r in reports),
            "rows_valid": sum(r.rows_valid for r in reports),
            "rows_quarantined": sum(r.rows_quarantined for r in reports),
        },
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.validate", description=__doc__)
    parser.add_argument("--write-suites", action="store_true", help="regenerate expectations/")
    args = parser.parse_args(argv)
    if args.write_suites:
        for path in write_suites():
            print(f"wrote {path}")
        return 0
    parser.print_help()
    return 0


if __name__ == "__main__":
    sys.exit(main())
