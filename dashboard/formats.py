"""How numbers, money, dates and periods read in each language: one place for the dashboard,
its tables, its charts and the briefing, so a figure reads the same wherever it appears.

Pure functions (no Streamlit): officials read Chinese first, so the zh forms follow Chinese
office usage — 2024年3月, 2024年第三季度, 万元 for large sums, 个百分点 for share changes — and a
missing value is "—", never "None" or "nan".
"""

from __future__ import annotations

import datetime as dt
import math
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # only the type: chart builders use this module and never import etl
    from etl.periods import Period

MISSING = "—"
QUARTER_ZH = {1: "一", 2: "二", 3: "三", 4: "四"}
MONTH_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
WAN = 10_000  # 1 万元 = 10,000 元


def is_missing(value: object) -> bool:
    return value is None or (isinstance(value, float) and math.isnan(value))


def count(value: object) -> str:
    """A whole number with thousands separators: 4,165."""
    return MISSING if is_missing(value) else f"{float(value):,.0f}"  # type: ignore[arg-type]


def decimal(value: object, digits: int = 1) -> str:
    """A measured quantity such as working days: 1.5."""
    return MISSING if is_missing(value) else f"{float(value):,.{digits}f}"  # type: ignore[arg-type]


def size(n_bytes: int) -> str:
    """A file's size as people say it: 830 KB, 500 MB, 1.2 GB (1 MB = 1,000,000 bytes, as
    Streamlit's file picker shows the same file right above the bars: one file, one size on
    the page; whole units from 10 up, one decimal below)."""
    value, unit = float(n_bytes), "B"
    for next_unit in ("KB", "MB", "GB", "TB"):
        if value < 1000:
            break
        value, unit = value / 1000, next_unit
    if unit == "B" or value >= 10:
        return f"{value:,.0f} {unit}"
    return f"{value:.1f} {unit}"


def share(value: object, digits: int = 1) -> str:
    """A share as a percentage: 85.8%."""
    if is_missing(value):
        return MISSING
    return f"{float(value) * 100:.{digits}f}%"  # type: ignore[arg-type]


def yuan(value: object, lang: str) -> str:
    """Money with its unit: under 10,000 yuan in 元, from there in 万元 (zh) or yuan (en)."""
    if is_missing(value):
        return MISSING
    amount = float(value)  # type: ignore[arg-type]  # DECIMAL from the marts, or a float
    if lang == "zh":
        if abs(amount) >= WAN:
            return f"{amount / WAN:,.1f} 万元"
        return f"{amount:,.0f} 元"
    return f"{amount:,.0f} yuan"


def of_kind(value: object, kind: str, lang: str) -> str:
    """A figure as the KPI tiles show it, by its kind: `share` in %, `decimal` to one place,
    `yuan` with its unit, anything else a count (the Overview's tiles and the Compare page)."""
    if kind == "share":
        return share(value)
    if kind == "decimal":
        return decimal(value)
    if kind == "yuan":
        return yuan(value, lang)
    return count(value)


def change_amount(now: object, before: object, kind: str) -> float | int | Decimal | None:
    """The change from `before` to `now` as it is shown, rounded once from the unrounded values:
    shares in percentage points to 0.1, decimals (working days, hours) to 0.1, money to the fen,
    counts whole; None when either is missing. The one computation behind every change figure,
    the Overview's tiles and the briefing's sentences, table, PDF, deck and CSV alike (issue 14:
    the Overview said +3.3 pp and the briefing +3.4 个百分点 for the same quarter, one rounding
    the values first, the other the difference)."""
    if is_missing(now) or is_missing(before):
        return None
    if kind == "share":
        return round((float(now) - float(before)) * 100, 1)  # type: ignore[arg-type]
    if kind == "decimal":
        return round(float(now) - float(before), 1)  # type: ignore[arg-type]
    if kind == "yuan":
        return round(Decimal(str(now)) - Decimal(str(before)), 2)
    return round(float(now) - float(before))  # type: ignore[arg-type]


def change(now: object, before: object, kind: str, lang: str) -> str:
    """A change shown beside a figure, signed once: +27, −1.5, +3.3 个百分点 (shares), 0 when
    nothing changed (no sign, so it is not read as a rise); the amount from `change_amount`."""
    amount = change_amount(now, before, kind)
    if amount is None:
        return MISSING
    if kind == "share":
        unit = " 个百分点" if lang == "zh" else " pp"
        return ("0" if amount == 0 else f"{amount:+.1f}") + unit
    if kind == "yuan":
        if round(amount) == 0:
            return "0"
        text = yuan(abs(amount), lang)
        return ("+" if amount > 0 else "−") + text
    if kind == "decimal":
        return "0" if amount == 0 else f"{amount:+,.1f}"
    return "0" if amount == 0 else f"{amount:+,.0f}"


def day(value: object) -> str:
    """A date without a time of day: 2026-07-01."""
    if is_missing(value):
        return MISSING
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def moment(value: object) -> str:
    """A time stamp to the minute: 2026-07-01 09:30 (no seconds, no fraction)."""
    if is_missing(value):
        return MISSING
    if isinstance(value, dt.datetime):
        return value.strftime("%Y-%m-%d %H:%M")
    return day(value)


def month_label(first_day: dt.date, lang: str) -> str:
    """2024年3月 / Mar 2024."""
    if lang == "zh":
        return f"{first_day.year}年{first_day.month}月"
    return f"{MONTH_EN[first_day.month - 1]} {first_day.year}"


def quarter_label(first_day: dt.date, lang: str, short: bool = False) -> str:
    """2024年第三季度 / Q3 2024; short: 24年三季度 / Q3 '24 (for crowded chart axes)."""
    q = (first_day.month - 1) // 3 + 1
    if lang == "zh":
        if short:
            return f"{first_day.year % 100:02d}年{QUARTER_ZH[q]}季度"
        return f"{first_day.year}年第{QUARTER_ZH[q]}季度"
    return f"Q{q} '{first_day.year % 100:02d}" if short else f"Q{q} {first_day.year}"


def period_start_label(first_day: dt.date, grain: str, lang: str) -> str:
    """The label of a trend's period by its first day: a month or a quarter."""
    return quarter_label(first_day, lang) if grain == "quarter" else month_label(first_day, lang)


def period_label(period: Period, lang: str) -> str:
    """A reporting period in words: 2024年第三季度, 2023年, or 2024-03-01 至 2024-05-31."""
    start, end = period.start, period.end
    if start.day == 1 and start.month in (1, 4, 7, 10) and end == _quarter_end(start):
        return quarter_label(start, lang)
    if start == dt.date(start.year, 1, 1) and end == dt.date(start.year, 12, 31):
        return f"{start.year}年" if lang == "zh" else str(start.year)
    joiner = " 至 " if lang == "zh" else " to "
    return f"{start.isoformat()}{joiner}{end.isoformat()}"


def _quarter_end(start: dt.date) -> dt.date:
    index = start.year * 12 + start.month - 1 + 3
    return dt.date(index // 12, index % 12 + 1, 1) - dt.timedelta(days=1)
