"""Takedowns: how fast infringing listings come down, in China working days, by platform."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, queries
from dashboard.components import chart, drill_down, fmt, grain_picker, page_setup, table
from dashboard.i18n import t

APPLIES = ("platforms",)


def render(lang: str) -> None:
    ctx = page_setup(lang, "page_takedowns", APPLIES)
    if ctx is None:
        return
    summary = queries.frame("takedown_summary", ctx.snapshot, ctx.params()).row(0, named=True)
    tiles = st.columns(6)
    tiles[0].metric(t("notices", lang), fmt(summary["notices"]))
    tiles[1].metric(t("removed", lang), fmt(summary["removed"]))
    tiles[2].metric(t("still_live", lang), fmt(summary["still_live"]))
    tiles[3].metric(t("median_workdays", lang), fmt(summary["median_workdays"], "float"))
    tiles[4].metric(t("p90_workdays", lang), fmt(summary["p90_workdays"], "float"))
    tiles[5].metric(t("within_2wd_share", lang), fmt(summary["within_2wd_share"], "share"))
    drill_down(ctx, "takedown_records")
    if not summary["notices"]:
        st.info(t("no_records", lang))
        return

    by_platform = queries.frame("takedown_by_platform", ctx.snapshot, ctx.params())
    chart(
        charts.takedown_platform_latency(by_platform, lang),
        by_platform,
        "takedown_by_platform",
        lang,
    )

    left, right = st.columns(2)
    with left:
        distribution = queries.frame("takedown_distribution", ctx.snapshot, ctx.params())
        chart(
            charts.latency_distribution(distribution, lang),
            distribution,
            "takedown_distribution",
            lang,
        )
    with right:
        km = queries.frame("takedown_km", ctx.snapshot, ctx.params())
        chart(charts.km_curves(km, ctx.codes.get("platform", {}), lang), km, "takedown_km", lang)
        st.caption(t("km_help", lang))

    grain = grain_picker(lang)
    trend = queries.frame("takedown_trend", ctx.snapshot, ctx.trend_params(grain))
    chart(charts.takedown_trend(trend, lang), trend, "takedown_trend", lang)

    st.subheader(t("slowest_open", lang))
    open_notices = queries.frame("takedown_open", ctx.snapshot, ctx.params())
    if open_notices.is_empty():
        st.info(t("no_records", lang))
    else:
        table(open_notices, lang, key="takedown_open")
