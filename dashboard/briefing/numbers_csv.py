"""numbers.csv: one row per number the pack prints, with the query it came from, for analysts
who check the pack or reuse its numbers."""

from __future__ import annotations

import csv
from pathlib import Path

from dashboard.briefing.content import BriefData
from dashboard.briefing.printed import difference, format_change, format_value

CSV_COLUMNS = (
    "section",
    "key",
    "label",
    "quarter",
    "value",
    "shown",
    "previous_quarter",
    "previous_value",
    "qoq_change",
    "qoq_shown",
    "year_before",
    "year_before_value",
    "yoy_change",
    "yoy_shown",
    "source",
)


def _csv_value(value: object) -> object:
    return "" if value is None else value


def write_numbers_csv(data: BriefData, path: Path) -> int:
    """One row per number printed in the pack (changes of shares in percentage points), with the
    query it came from. UTF-8 with BOM, so Excel opens the Chinese labels. Returns the rows."""
    shown_in = {key: s.spec.key for s in data.sections for key in s.spec.kpis}
    rows = [(shown_in.get(m.key, "summary"), m) for m in data.headline]
    rows += [
        (s.spec.key, m) for s in data.sections for m in s.metrics if m.source != "kpi_headline"
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for section, m in rows:
            writer.writerow(
                [
                    section,
                    m.key,
                    m.label,
                    data.quarter.label,
                    _csv_value(m.now),
                    format_value(m.key, m.now, data.lang),
                    data.previous.label,
                    _csv_value(m.previous),
                    _csv_value(difference(m.key, m.now, m.previous)),
                    format_change(m.key, m.now, m.previous, data.lang),
                    data.year_before.label,
                    _csv_value(m.year_before),
                    _csv_value(difference(m.key, m.now, m.year_before)),
                    format_change(m.key, m.now, m.year_before, data.lang),
                    m.source,
                ]
            )
    return len(rows)
