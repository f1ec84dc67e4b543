"""Patents: pre-examinations accepted vs granted, authorization rate, cycle time, type mix
(design patents dominate leather goods), top applicants."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, queries
from dashboard.components import chart, drill_down, fmt, grain_picker, page_setup
from dashboard.i18n import t

APPLIES: tuple[str, ...] = ()


def render(lang: str) -> None:
    ctx = page_setup(lang, "page_patents", APPLIES)
    if ctx is None:
        return
    grain = grain_picker(lang)
    trend = queries.frame("patent_trend", ctx.snapshot, ctx.trend_params(grain))
    types = queries.frame("patent_types", ctx.snapshot, ctx.params())
    summary = queries.frame("patent_summary", ctx.snapshot, ctx.params()).row(0, named=True)
    accepted, authorized = summary["accepted"], summary["authorized"]
    tiles = st.columns(4)
    tiles[0].metric(t("accepted", lang), fmt(accepted))
    tiles[1].metric(t("authorized", lang), fmt(authorized))
    tiles[2].metric(
        t("authorization_rate", lang), fmt(authorized / accepted if accepted else None, "share")
    )
    tiles[3].metric(t("median_cycle_days", lang), fmt(summary["design_median_cycle_days"], "float"))
    drill_down(ctx, "patent_records")

    left, right = st.columns(2)
    with left:
        chart(charts.patent_trend(trend, lang, grain=grain), trend, "patent_trend", lang)
    with right:
        chart(charts.patent_rate_trend(trend, lang, grain=grain), trend, "patent_rate", lang)
    left, right = st.columns(2)
    with left:
        chart(charts.patent_types(types, lang), types, "patent_types", lang)
    with right:
        applicants = queries.frame("patent_applicants", ctx.snapshot, ctx.params())
        chart(
            charts.ranked_bars(
                applicants, "applicant_name", "accepted", t("chart_top_applicants", lang), lang
            ),
            applicants,
            "patent_applicants",
            lang,
        )
