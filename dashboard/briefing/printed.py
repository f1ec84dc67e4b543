"""Numbers as the pack prints them: values, changes (shares in percentage points, money in
万元), and the colour that says whether a change is for the better. Shared by the sentences, the
PDF, the deck, the Word document, the CSV and the dashboard's preview, so every copy of a number
reads the same.

Plain typography (issue 17): one sign per change (+27, −3; no ▲ beside a +), at most one level
of brackets (+27（+28.4%）), 个百分点 for shares, 万元 for money in Chinese, so a fine never wraps
inside a table cell. Colour, not an arrow, says better or worse.
"""

from __future__ import annotations

from decimal import Decimal

from dashboard.formats import WAN, change_amount
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
MINUS = "−"  # U+2212, the typographic minus: one sign, never "▼ -3"
# the kind of each number for dashboard.formats, which computes every change figure
_FORMATS_KIND = {"share": "share", "float": "decimal", "yuan": "yuan", "int": "count"}


def kind(key: str) -> str:
    """'share', 'float', 'yuan' or 'int' (a count)."""
    return KINDS.get(key, "int")


def _money(amount: float | Decimal, lang: str) -> str:
    """Money without its sign: 200.24万元 (two decimals of 万元) / ¥2,002,379 (whole yuan), never
    the fen, so an amount fits its table cell."""
    value = abs(float(amount))
    if lang == "zh":
        return f"{value / WAN:,.2f}万元"
    return f"¥{value:,.0f}"


def format_value(key: str, value: KpiValue, lang: str = "zh") -> str:
    """A number as the pack prints it: shares to 0.1 %, money in 万元 to two decimals (whole
    yuan in English), counts with thousands separators, working days and hours to 0.1."""
    if value is None:
        return "—"
    k = kind(key)
    if k == "share":
        return f"{value:.1%}"
    if k == "float":
        return f"{value:.1f}"
    if k == "yuan":
        return _money(value, lang)
    return f"{value:,.0f}"


def difference(key: str, now: KpiValue, before: KpiValue) -> float | Decimal | int | None:
    """The change between the numbers (shares in percentage points), rounded once from the
    unrounded values by `dashboard.formats.change_amount`, the computation the Overview's tiles
    use too: the same quarter's change reads the same on the page and in the pack. So "from 78.6%
    to 79.4%" may say +0.9 pp when the unrounded shares are 78.55% and 79.44%."""
    return change_amount(now, before, _FORMATS_KIND[kind(key)])


def relative(key: str, now: KpiValue, before: KpiValue) -> Decimal | None:
    """The relative change of a count or an amount (0.284 for +28.4%); None for shares and
    durations, or when the earlier value is zero or missing."""
    diff = difference(key, now, before)
    if kind(key) not in ("int", "yuan") or diff is None or not before:
        return None
    return Decimal(diff) / Decimal(before)  # type: ignore[arg-type]


def signed(number: float | Decimal | int, text: str) -> str:
    """'+' or '−' before `text` (the unsigned amount), none for zero."""
    return ("+" if number > 0 else MINUS if number < 0 else "") + text


def amount_text(key: str, diff: float | Decimal | int, lang: str) -> str:
    """The size of a change without its sign: 27, 0.9个百分点, 73.76万元, 0.5."""
    k = kind(key)
    if k == "share":
        return f"{abs(diff):.1f}" + ("个百分点" if lang == "zh" else " pp")
    if k == "float":
        return f"{abs(diff):.1f}"
    if k == "yuan":
        return _money(diff, lang)
    return f"{abs(diff):,}"


def percent_text(rel: Decimal) -> str:
    """A relative change without its sign: 28.4%."""
    return f"{abs(rel):.1%}"


def format_change(
    key: str, now: KpiValue, before: KpiValue, lang: str, with_percent: bool = True
) -> str:
    """'+27（+28.4%）' (zh) / '+27 (+28.4%)', '−1.5个百分点', '+73.76万元（+58.3%）', '持平' /
    'no change', or '—' when there is nothing to compare with. One sign, one bracket level.
    `with_percent=False`: the amount alone (+27), as the Compare page shows a change."""
    diff = difference(key, now, before)
    if diff is None:
        return "—"
    if not diff:
        return "持平" if lang == "zh" else "no change"
    text = signed(diff, amount_text(key, diff, lang))
    rel = relative(key, now, before) if with_percent else None
    if rel is not None:
        percent = signed(rel, percent_text(rel))
        text += f"（{percent}）" if lang == "zh" else f" ({percent})"
    return text


def change_color(key: str, now: KpiValue, before: KpiValue) -> Color:
    """Green when the change is for the better (lower latency, higher share…), red when worse."""
    diff = difference(key, now, before)
    if not diff:
        return NEUTRAL
    return GOOD if better(key, diff) else BAD


def better(key: str, diff: float | Decimal | int) -> bool:
    """Whether a change of `diff` is for the better (a fall is, for latencies and backlogs)."""
    return (diff > 0) != (key in LOWER_IS_BETTER)
