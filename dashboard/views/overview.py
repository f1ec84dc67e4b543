"""Overview: headline KPIs for a period against the previous one, and monthly trends."""

from __future__ import annotations

import datetime as dt

import streamlit as st

from dashboard import charts, queries
from dashboard.i18n import t
from etl.kpis import KPI_KEYS, KpiValue
from etl.periods import Period, quarters_between, year

LOWER_IS_BETTER = {"cases_open_end", "takedown_median_workdays", "takedown_p90_workdays"}
SHARES = {"takedown_within_2wd_share"}
PERIOD_KINDS = ["period_quarter", "period_year", "period_custom"]
EARLIEST = dt.date(2004, 1, 1)  # first year of the working-day calendar


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


def period_picker(lang: str, first_month: dt.date, last_month: dt.date) -> Period:
    """Sidebar: a quarter (default: the latest with data), a year, or a date range."""
    quarters = quarters_between(first_month, last_month)
    kind = st.sidebar.radio(
        t("period_kind", lang), PERIOD_KINDS, format_func=lambda k: t(k, lang), key="kind"
    )
    if kind == "period_quarter":
        return st.sidebar.selectbox(
            t("period", lang), quarters, format_func=lambda p: p.label, key="quarter"
        )
    if kind == "period_year":
        years = list(range(last_month.year, first_month.year - 1, -1))
        return year(st.sidebar.selectbox(t("period", lang), years, key="year"))
    picked = st.sidebar.date_input(
        t("date_range", lang),
        (quarters[0].start, quarters[0].end),
        min_value=EARLIEST,
        max_value=quarters[0].end + dt.timedelta(days=366),
        key="range",
    )
    start, end = picked if len(picked) == 2 else (picked[0], picked[0])
    return Period(start, end, f"{start} – {end}")


def render(lang: str) -> None:
    """The page, top to bottom."""
    st.title(t("app_title", lang))
    snapshot = queries.snapshot_id()
    span = queries.data_span(snapshot) if snapshot else None
    if snapshot is None or span is None:
        st.info(t("no_data", lang))
        return

    period = period_picker(lang, *span)
    previous = period.previous()
    now = queries.headline(snapshot, period)
    before = queries.headline(snapshot, previous)

    st.caption(t("data_as_of", lang, date=f"{span[1]:%Y-%m}", snapshot=snapshot))
    st.subheader(f"{t('section_headline', lang)} · {period.label}")
    st.caption(t("compared_with", lang, label=previous.label))
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
        columns[i % 4].metric(
            t(key, lang),
            shown(key, now[key]),
            change(key, now[key], before[key]),
            delta_color="inverse" if key in LOWER_IS_BETTER else "normal",
        )

    st.subheader(t("section_trends", lang))
    trend = queries.monthly(snapshot, end=period.end)
    left, right = st.columns(2)
    left.plotly_chart(charts.cases_trend(trend, lang), width="stretch")
    right.plotly_chart(charts.takedown_latency_trend(trend, lang), width="stretch")
