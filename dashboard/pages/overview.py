"""Overview: headline KPIs for a period against the previous one, and monthly trends."""

import streamlit as st

from dashboard import charts, queries
from dashboard.i18n import t
from dashboard.state import lang
from etl.kpis import KPI_KEYS
from etl.periods import Period, quarters_between, year

LOWER_IS_BETTER = {"cases_open_end", "takedown_median_workdays", "takedown_p90_workdays"}
SHARES = {"takedown_within_2wd_share"}

L = lang()
st.title(t("app_title", L))

snapshot = queries.snapshot_id()
span = queries.data_span(snapshot) if snapshot else None
if snapshot is None or span is None:
    st.info(t("no_data", L))
    st.stop()

first_month, last_month = span
quarters = quarters_between(first_month, last_month)
kinds = ["period_quarter", "period_year", "period_custom"]
kind = st.sidebar.radio(t("period_kind", L), kinds, format_func=lambda k: t(k, L), key="kind")
if kind == "period_quarter":
    period = st.sidebar.selectbox(
        t("period", L), quarters, format_func=lambda p: p.label, key="quarter"
    )
elif kind == "period_year":
    years = list(range(last_month.year, first_month.year - 1, -1))
    period = year(st.sidebar.selectbox(t("period", L), years, key="year"))
else:
    picked = st.sidebar.date_input(
        t("date_range", L), (quarters[0].start, quarters[0].end), key="range"
    )
    start, end = picked if len(picked) == 2 else (picked[0], picked[0])
    period = Period(start, end, f"{start} – {end}")
previous = period.previous()

current_kpis = queries.headline(snapshot, period)
previous_kpis = queries.headline(snapshot, previous)

st.caption(t("data_as_of", L, date=f"{last_month:%Y-%m}", snapshot=snapshot))
st.subheader(f"{t('section_headline', L)} · {period.label}")
st.caption(t("compared_with", L, label=previous.label))


def shown(key: str, value: object) -> str:
    if value is None:
        return "–"
    if key in SHARES:
        return f"{value:.0%}"
    if isinstance(value, float):
        return f"{value:.1f}"
    return f"{value:,.0f}"


def change(key: str, now: object, before: object) -> str | None:
    if now is None or before is None:
        return None
    if key in SHARES:
        return f"{(now - before) * 100:+.1f} pp"
    return f"{now - before:+,.1f}" if isinstance(now, float) else f"{now - before:+,.0f}"


if (
    not current_kpis["takedown_requests"]
    and not current_kpis["cases_accepted"]
    and not (current_kpis["patent_preexam_accepted"])
):
    st.info(t("no_records", L))

columns = st.columns(4)
for i, key in enumerate(KPI_KEYS):
    with columns[i % 4]:
        st.metric(
            t(key, L),
            shown(key, current_kpis[key]),
            change(key, current_kpis[key], previous_kpis[key]),
            delta_color="inverse" if key in LOWER_IS_BETTER else "normal",
        )

st.subheader(t("section_trends", L))
trend = queries.monthly(snapshot, end=period.end)
left, right = st.columns(2)
left.plotly_chart(charts.cases_trend(trend, L), width="stretch")
right.plotly_chart(charts.takedown_latency_trend(trend, L), width="stretch")
