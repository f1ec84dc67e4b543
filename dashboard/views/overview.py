"""Overview, the officials' cockpit: first the few numbers leadership asks about (each against
its target where the center has one, with a status colour, and its change against the previous
period and the same period last year), then what needs attention now (late notices, late
advisory opinions, the oldest open cases) with the records behind each, then the other KPIs,
the records behind every KPI, and the monthly trends."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import charts, formats, prefetch, queries, targets
from dashboard.components import (
    PageContext,
    chart,
    fmt,
    lazy_expander,
    page_setup,
    provisional_note,
    record_list,
)
from dashboard.filters import Filters
from dashboard.i18n import CATALOG, t
from etl.kpis import KPI_KEYS, KpiValue
from etl.periods import Period

# The cockpit: KPI (headline key, or the advisory-opinion share from case_summary) → its kind
COCKPIT = {
    "takedown_within_2wd_share": "share",
    "opinion_within_2wd_share": "share",
    "cases_accepted": "count",
    "cases_closed": "count",
    "cases_open_end": "count",
    "patent_preexam_accepted": "count",
}
KINDS = {
    "takedown_median_workdays": "decimal",
    "takedown_p90_workdays": "decimal",
    "takedown_within_2wd_share": "share",
    "trademark_fines_yuan": "yuan",
}
LOWER_IS_BETTER = {"cases_open_end", "takedown_median_workdays", "takedown_p90_workdays"}
STATUS_BADGE = {"ok": "green", "watch": "orange", "alert": "red"}
APPLIES = ("platforms", "locations", "ip_types", "regions")  # to the trend charts only
# KPI → the dashboard query listing the records it counts (district-wide, like the KPI)
RECORDS = {
    "patent_preexam_accepted": "patent_records",
    "patent_preexam_authorized": "patent_records_authorized",
    "cases_accepted": "case_records",
    "cases_closed": "case_records_closed",
    "cases_open_end": "case_open_age",
    "trademark_cases": "trademark_records",
    "trademark_fines_yuan": "trademark_records_closed",
    "notarizations": "notary_records",
    "takedown_requests": "takedown_records",
    "takedown_median_workdays": "takedown_records",
    "takedown_p90_workdays": "takedown_records",
    "takedown_within_2wd_share": "takedown_records",
    "referrals_out": "referral_records",
    "referrals_in": "referral_records",
}
DIRECTIONS = {"referrals_out": ("out",), "referrals_in": ("in",)}  # referral_records' $directions
ATTENTION = ("attention_notices", "attention_opinions", "attention_cases")
ATTENTION_ROWS = 200


def figures(snapshot: str, period: Period, last_day: dt.date) -> dict[str, KpiValue]:
    """The headline KPIs and the advisory-opinion share of one period, district-wide."""
    values = queries.headline(snapshot, period)
    params = Filters(period).params() | {"as_of": min(period.end, last_day)}
    summary = queries.frame("case_summary", snapshot, params).row(0, named=True)
    takedowns = queries.frame("takedown_summary", snapshot, params).row(0, named=True)
    return values | {
        "opinion_within_2wd_share": summary["opinion_within_2wd_share"],
        "takedown_2wd_pending": takedowns["pending_2wd"],  # left out of the share
    }


def _delta(key: str, now: KpiValue, before: KpiValue, lang: str) -> tuple[str | None, str]:
    """The change text and its colour mode: a zero change is neutral, never a red arrow."""
    if formats.is_missing(now) or formats.is_missing(before):
        return None, "off"
    kind = KINDS.get(key, COCKPIT.get(key, "count"))
    text = formats.change(now, before, kind, lang)
    if text.startswith("0"):
        return text, "off"
    return text, "inverse" if key in LOWER_IS_BETTER else "normal"


def _value(key: str, value: KpiValue, lang: str) -> str:
    kind = KINDS.get(key, COCKPIT.get(key, "count"))
    return fmt(value, {"decimal": "float", "count": "int"}.get(kind, kind), lang)


def _tile(key: str, now: dict, before: dict, lang: str, label: str, **extra: object) -> None:
    """A KPI with its change against the previous period (`label`); a zero change is grey."""
    delta, colour = _delta(key, now[key], before[key], lang)
    st.metric(
        _label(key, lang),
        _value(key, now[key], lang),
        delta,
        delta_color=colour,
        delta_arrow="off" if colour == "off" else "auto",
        delta_description=t("qoq_short", lang, label=label) if delta else None,
        **extra,
    )


def _label(key: str, lang: str) -> str:
    """A tile's own label where the KPI's name carries a unit the value now states."""
    return t(f"tile_{key}" if f"tile_{key}" in CATALOG else key, lang)


def cockpit(ctx: PageContext, now: dict, before: dict, year_ago: dict, labels: tuple) -> None:
    lang = ctx.lang
    goals = targets.targets()
    columns = st.columns(3)
    for i, key in enumerate(COCKPIT):
        with columns[i % 3], st.container(border=True):
            defined = f"brief_def_{key}" in CATALOG
            _tile(
                key,
                now,
                before,
                lang,
                labels[0],
                help=t(f"brief_def_{key}", lang) if defined else None,
            )
            yoy, _ = _delta(key, now[key], year_ago[key], lang)
            line = t("yoy_short", lang, label=labels[1], change=yoy or formats.MISSING)
            if key == "takedown_within_2wd_share" and now["takedown_2wd_pending"]:
                line += " · " + t("pending_2wd_short", lang, n=now["takedown_2wd_pending"])
            goal = goals.get(key)
            if goal is not None:
                status = goal.status(None if now[key] is None else float(now[key]))
                target = t("target_is", lang, value=formats.share(goal.value, 0))
                if status:
                    badge = f":{STATUS_BADGE[status]}-badge[{t(f'status_{status}', lang)}]"
                    line = f"{badge} {target} · {line}"
                else:
                    line = f"{target} · {line}"
            st.caption(line)


def attention(ctx: PageContext, last_day: dt.date) -> None:
    """Open items past their deadline on the data's last day, each list one click away."""
    lang = ctx.lang
    st.subheader(t("section_attention", lang, date=last_day.isoformat()))
    params = (
        Filters(Period(last_day, last_day, "")).params()
        | {"as_of": last_day, "min_age_days": targets.case_open_days()}
        | targets.deadlines().params()  # the worklist's deadlines (issue 16)
    )
    for name in ATTENTION:
        found = queries.records(name, ctx.snapshot, params, ATTENTION_ROWS)
        label = t(name, lang, n=found.total, days=targets.case_open_days())
        if found.total == 0:
            st.markdown(f":green-badge[0] {label}")
            continue
        with lazy_expander(f":red[**{found.total:,}**] {label}", f"exp_{name}") as box:
            if box.open:
                record_list(name, ctx.snapshot, params, f"{name}_{last_day}", lang)


def other_kpis(now: dict, before: dict, year_ago: dict, lang: str, labels: tuple) -> None:
    """Every other headline KPI, smaller: the cockpit stays the first thing read."""
    st.subheader(t("section_other_kpis", lang))
    rest = [k for k in KPI_KEYS if k not in COCKPIT]
    columns = st.columns(4)
    for i, key in enumerate(rest):
        with columns[i % 4]:
            _tile(key, now, before, lang, labels[0])
            yoy, _ = _delta(key, now[key], year_ago[key], lang)
            st.caption(t("yoy_short", lang, label=labels[1], change=yoy or formats.MISSING))


def drill(ctx: PageContext, period: Period) -> None:
    """The records behind the KPI the user picks."""
    lang = ctx.lang
    key = st.selectbox(
        t("drill_down", lang),
        KPI_KEYS,
        format_func=lambda k: t(k, lang),
        key="drill_kpi",
        label_visibility="collapsed",
    )
    params = Filters(period).params() | {
        "as_of": period.end,
        "directions": DIRECTIONS.get(key, ()),
    }
    name = f"{key}_{period.start}_{period.end}"
    record_list(RECORDS[key], ctx.snapshot, params, name, lang)


def render(lang: str) -> None:
    """The page, top to bottom."""
    ctx = page_setup(lang, "app_title", APPLIES)
    if ctx is None:
        return
    last_day = queries.data_days(ctx.snapshot)[1]
    period = ctx.filters.period
    previous, last_year = period.previous(), period.year_before()
    now = figures(ctx.snapshot, period, last_day)
    before = figures(ctx.snapshot, previous, last_day)
    year_ago = figures(ctx.snapshot, last_year, last_day)
    labels = (formats.period_label(previous, lang), formats.period_label(last_year, lang))

    st.subheader(t("section_headline", lang))
    st.caption(t("headline_scope", lang))
    if not any(
        now[k]
        for k in (
            "takedown_requests",
            "cases_accepted",
            "patent_preexam_accepted",
            "trademark_cases",
            "notarizations",
        )
    ):
        st.info(t("no_records", lang))
    cockpit(ctx, now, before, year_ago, labels)
    provisional_note(ctx, lang, district=True)
    attention(ctx, last_day)
    other_kpis(now, before, year_ago, lang, labels)

    with lazy_expander(t("drill_down", lang), "exp_overview_drill") as box:
        if box.open:
            drill(ctx, period)

    # The trends are drawn on opening: the first chart of a visit makes the browser load and
    # run Plotly.js (~1 s of CPU), and the cockpit above answers the first questions without it
    # (docs/performance.md, "Dashboard pages"). Each topic page has its own trend charts.
    with lazy_expander(t("section_trends", lang), "exp_overview_trends") as box:
        if box.open:
            trends(ctx, lang)
    prefetch.plotly_when_idle()


def trends(ctx: PageContext, lang: str) -> None:
    """Monthly cases and takedowns side by side, for the period chosen."""
    params = ctx.trend_params("month")
    left, right = st.columns(2)
    with left:
        frame = queries.frame("case_trend", ctx.snapshot, params)
        chart(charts.cases_trend(frame, lang), frame, "overview_cases", lang)
    with right:
        frame = queries.frame("takedown_trend", ctx.snapshot, params)
        chart(charts.takedown_trend(frame, lang), frame, "overview_takedowns", lang)
