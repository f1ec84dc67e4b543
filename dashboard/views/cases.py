"""Cases: rights-protection assistance received, closed and open; service and IP mix; outcomes;
advisory-opinion turnaround against the 2-working-day target; age of open cases."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, queries
from dashboard.components import chart, drill_down, fmt, grain_picker, page_setup
from dashboard.i18n import t

APPLIES = ("platforms", "locations", "ip_types", "regions")


def render(lang: str) -> None:
    ctx = page_setup(lang, "page_cases", APPLIES)
    if ctx is None:
        return
    grain = grain_picker(lang)
    trend = queries.frame("case_trend", ctx.snapshot, ctx.trend_params(grain))
    opinions = queries.frame("case_opinions", ctx.snapshot, ctx.params())
    open_cases = queries.frame("case_open_age", ctx.snapshot, ctx.params(limit=None))
    summary = queries.frame("case_summary", ctx.snapshot, ctx.params()).row(0, named=True)

    tiles = st.columns(4)
    tiles[0].metric(t("received", lang), fmt(summary["received"]))
    tiles[1].metric(t("closed", lang), fmt(summary["closed"]))
    tiles[2].metric(t("open_end", lang), fmt(summary["open_end"]))
    tiles[3].metric(
        t("opinion_within_target", lang), fmt(summary["opinion_within_2wd_share"], "share")
    )
    drill_down(ctx, "case_records")

    chart(charts.cases_trend(trend, lang, grain=grain), trend, "case_trend", lang)
    left, right = st.columns(2)
    with left:
        mix = queries.frame("case_mix", ctx.snapshot, ctx.params())
        chart(charts.case_mix(mix, lang), mix, "case_mix", lang)
    with right:
        outcomes = queries.frame("case_outcomes", ctx.snapshot, ctx.params())
        outcomes = outcomes.with_columns(pl.coalesce(f"name_{lang}", "outcome").alias("label"))
        chart(
            charts.ranked_bars(outcomes, "label", "cases", t("chart_outcomes", lang), lang),
            outcomes,
            "case_outcomes",
            lang,
        )
    left, right = st.columns(2)
    with left:
        chart(charts.opinion_turnaround(opinions, lang), opinions, "case_opinions", lang)
    with right:
        chart(charts.open_case_age(open_cases, lang), open_cases, "case_open_age", lang)
