"""Numbers as the pack prints them: values, changes (shares in percentage points), and the
colour that says whether a change is for the better. Shared by the sentences, the PDF, the deck,
the CSV and the dashboard's preview, so every copy of a number reads the same."""

from __future__ import annotations

from decimal import Decimal

from dashboard.formats import change_amount
from dashboard.i18n import t
from etl.kpis import KpiValue

# How each number is shown; anything not listed is a count.
KINDS = {
    "takedown_median_workdays": "float",
    "takedown_p90_workdays": "float",
    "takedown_within_2wd_share": "share",
    "trademark_fines_yuan": "yuan",
    "opinion_within_2wd_share": "share",
    "design_median_cycle_days": "float",
    "median_hours": "float",
}
LOWER_IS_BETTER = {
    "cases_open_end",
    "takedown_median_workdays",
    "takedown_p90_workdays",
    "still_live",
    "design_median_cycle_days",
    "median_hours",
}
Color = tuple[int, int, int]
GOOD: Color = (22, 128, 60)
BAD: Color = (200, 40, 40)
NEUTRAL: Color = (110, 110, 110)
# the kind of each number for dashboard.formats, which computes every change figure
_FORMATS_KIND = {"share": "share", "float": "decimal", "yuan": "yuan", "int": "count"}


def format_value(key: str, value: KpiValue) -> str:
    """A number as the pack prints it: shares to 0.1 %, yuan to the fen, counts with commas."""
    if value is None:
        return "—"
    kind = KINDS.get(key, "int")
    if kind == "share":
        return f"{value:.1%}"
    if kind == "float":
        return f"{value:.1f}"
    if kind == "yuan":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def difference(key: str, now: KpiValue, before: KpiValue) -> float | Decimal | int | None:
    """The change between the numbers (shares in percentage points), rounded once from the
    unrounded values by `dashboard.formats.change_amount`, the computation the Overview's tiles
    use too: the same quarter's change reads the same on the page and in the pack. So "from 78.6%
    to 79.4%" may say +0.9 pp when the unrounded shares are 78.55% and 79.44%."""
    return change_amount(now, before, _FORMATS_KIND[KINDS.get(key, "int")])


def format_change(key: str, now: KpiValue, before: KpiValue, lang: str) -> str:
    """'▲ +27 (+28.4%)', '▼ -1.5 pp' (个百分点), '= 0', or '—' when there is nothing to compare."""
    diff = difference(key, now, before)
    if diff is None:
        return "—"
    kind = KINDS.get(key, "int")
    arrow = "▲" if diff > 0 else "▼" if diff < 0 else "="
    sign = "+" if diff > 0 else ""
    if kind == "share":
        text = f"{sign}{diff:.1f}{t('brief_pp', lang)}"
    elif kind == "float":
        text = f"{sign}{diff:.1f}"
    elif kind == "yuan":
        text = f"{sign}{diff:,.2f}"
    else:
        text = f"{sign}{diff:,}"
    if kind in ("int", "yuan") and before and diff:
        text += f" ({sign}{Decimal(diff) / Decimal(before):.1%})"
    return f"{arrow} {text}"


def change_color(key: str, now: KpiValue, before: KpiValue) -> Color:
    """Green when the change is for the better (lower latency, higher share…), red when worse."""
    diff = difference(key, now, before)
    if not diff:
        return NEUTRAL
    return GOOD if (diff > 0) != (key in LOWER_IS_BETTER) else BAD
