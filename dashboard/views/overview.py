"""Overview: headline KPIs against the previous period and the same period last year, and the
monthly trends of case volumes and takedown latency."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, queries
from dashboard.components import chart, page_setup, record_list
from dashboard.filters import Filters
from dashboard.i18n import t
from etl.kpis import KPI_KEYS, KpiValue

LOWER_IS_BETTER = {"cases_open_end", "takedown_median_workdays", "takedown_p90_workdays"}
SHARES = {"takedown_within_2wd_share"}
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


def shown(key: str, value: KpiValue) -> str:
    if value is None:
        return "–"
    if key in SHARES:
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,.0f}"


def change(key: str, now: KpiValue, before: KpiValue) -> str | None:
    if now is None or before is None:
        return None
    if key in SHARES:
        return f"{(now - before) * 100:+.1f} pp"
    return f"{now - before:+,.1f}" if isinstance(now, float) else f"{now - before:+,.0f}"


def render(lang: str) -> None:
    """The page, top to bottom."""
    ctx = page_setup(lang, "app_title", APPLIES)
    if ctx is None:
        return
    period = ctx.filters.period
    previous, last_year = period.previous(), period.year_before()
    now = queries.headline(ctx.snapshot, period)
    before = queries.headline(ctx.snapshot, previous)
    year_ago = queries.headline(ctx.snapshot, last_year)

    st.subheader(f"{t('section_headline', lang)} · {period.label}")
    st.caption(
        t("compared_with", lang, label=previous.label)
        + " · "
        + t("yoy", lang, label=last_year.label)
        + " · "
        + t("headline_scope", lang)
    )
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
    columns = st.columns(4)
    for i, key in enumerate(KPI_KEYS):
        with columns[i % 4]:
            st.metric(
                t(key, lang),
                shown(key, now[key]),
                change(key, now[key], before[key]),
                delta_color="inverse" if key in LOWER_IS_BETTER else "normal",
            )
            yoy = change(key, now[key], year_ago[key])
            st.caption(f"{t('yoy', lang, label=last_year.label)}: {yoy or '–'}")

    with st.expander(t("drill_down", lang)):
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
        record_list(RECORDS[key], ctx.snapshot, params, f"{key}_{period.label}", lang)

    st.subheader(t("section_trends", lang))
    params = ctx.trend_params("month")
    left, right = st.columns(2)
    with left:
        frame = queries.frame("case_trend", ctx.snapshot, params)
        chart(charts.cases_trend(frame, lang), frame, "overview_cases", lang)
    with right:
        frame = queries.frame("takedown_trend", ctx.snapshot, params)
        chart(charts.takedown_trend(frame, lang), frame, "overview_takedowns", lang)
