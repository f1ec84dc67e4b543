"""Takedowns: how fast infringing listings come down, in China working days, by platform."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, queries, targets
from dashboard.components import (
    chart,
    drill_down,
    fmt,
    grain_picker,
    page_setup,
    provisional_note,
    table,
)
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
    provisional_note(ctx, lang)
    if summary["pending_2wd"]:
        last_day = queries.data_days(ctx.snapshot)[1]
        st.caption(t("pending_2wd_note", lang, n=summary["pending_2wd"], date=last_day.isoformat()))
    drill_down(ctx, "takedown_records")
    if not summary["notices"]:
        st.info(t("no_records", lang))
        return

    goal = targets.targets()["takedown_within_2wd_share"].value
    by_platform = queries.frame("takedown_by_platform", ctx.snapshot, ctx.params())
    left, right = st.columns(2)
    with left:
        chart(
            charts.takedown_platform_latency(by_platform, lang),
            by_platform,
            "takedown_by_platform",
            lang,
        )
    with right:
        chart(
            charts.takedown_platform_share(by_platform, lang, target=goal),
            by_platform,
            "takedown_platform_share",
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
        names = ctx.codes.get("platform", {})
        offered = km["platform"].unique(maintain_order=True).to_list() if km.height else []
        picked = st.multiselect(
            t("km_platforms", lang),
            offered,
            default=charts.top_platforms(km) if km.height else [],
            max_selections=charts.KM_MAX_PLATFORMS,
            format_func=lambda c: names.get(c, c),
            key="km_platforms",
            placeholder=t("km_pick", lang),
        )
        chart(charts.km_curves(km, names, lang, platforms=picked or None), km, "takedown_km", lang)
        st.caption(t("km_help", lang))

    grain = grain_picker(lang)
    trend = queries.frame("takedown_trend", ctx.snapshot, ctx.trend_params(grain))
    left, right = st.columns(2)
    with left:
        chart(charts.takedown_trend(trend, lang, grain=grain), trend, "takedown_trend", lang)
    with right:
        chart(
            charts.takedown_share_trend(trend, lang, grain=grain, target=goal),
            trend,
            "takedown_share_trend",
            lang,
        )

    st.subheader(t("slowest_open", lang))
    open_notices = queries.frame("takedown_open", ctx.snapshot, ctx.params())
    if open_notices.is_empty():
        st.info(t("no_records", lang))
    else:
        table(open_notices, lang, key="takedown_open")
