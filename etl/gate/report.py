"""What the gate tells people: each bad cell described, the verdict per file, the JSON report.

A problem carries everything a clerk needs to fix the cell — file, row, column, rule, the raw
value (masked where it is personal data), the natural key and a message in Chinese and English —
and everything the loader needs to quarantine it (`raw.quarantine` takes these columns as they
are). `FileReport` is the verdict on one file; `report_json` the machine-readable report of a
load (`reports/<load_id>.json`) or of `ipgov check --json`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import polars as pl

from etl.errors import FileRejected
from etl.gate.engine import PII_PREFIX
from etl.gate.pii import shown_value
from etl.gate.rules import DATE_ORDER, VERDICTS, message
from etl.sources.schema import ROW, RecordKind

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


def describe(
    kind: RecordKind,
    found: pl.DataFrame,
    text: pl.DataFrame,
    file: str,
    sheet: str | None,
) -> pl.DataFrame:
    """The failing cells `found` (ROW, column_name, rule, expectation_type) with the raw value,
    key, personal-data flag and messages; `text`: the problem rows' text from the engine."""
    if found.is_empty():
        return pl.DataFrame(schema=PROBLEM_COLUMNS)
    flags = [c for c in text.columns if c.startswith(PII_PREFIX)]
    cells = text.drop(flags).unpivot(index=ROW, variable_name="column_name", value_name="raw_value")
    keys = text.select(ROW, pl.col(kind.key).alias("key_value"))
    pii = (
        text.select(ROW, *flags)
        .unpivot(index=ROW, variable_name="column_name", value_name="is_pii")
        .with_columns(pl.col("column_name").str.strip_prefix(PII_PREFIX))
    )
    out = (
        found.select(ROW, "column_name", "rule", "expectation_type")
        .join(cells, on=[ROW, "column_name"], how="left")
        .join(keys, on=ROW, how="left")
        .join(pii.cast({"is_pii": pl.Boolean}), on=[ROW, "column_name"], how="left")
        .with_columns(pl.col("is_pii").fill_null(False))
    )
    others = {(later, "date_order"): earlier for earlier, later in DATE_ORDER.get(kind.name, ())}
    texts = [
        message(kind, file, sheet, row, column, rule, others.get((column, rule)))
        for row, column, rule in out.select(ROW, "column_name", "rule").iter_rows()
    ]
    out = out.with_columns(
        pl.Series("message_zh", [zh for zh, _ in texts], dtype=pl.String),
        pl.Series("message_en", [en for _, en in texts], dtype=pl.String),
    )
    return out.select(list(PROBLEM_COLUMNS)).cast(PROBLEM_COLUMNS)  # type: ignore[arg-type]


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
    engine: str = "duckdb"  # the one engine (etl/gate/engine.py); kept so reports keep their shape

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
