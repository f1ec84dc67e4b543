"""Cross-region referrals: flows in and out by partner region and agency, outcomes and latency
per partner, and the trend."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, queries
from dashboard.components import chart, drill_down, fmt, grain_picker, page_setup
from dashboard.i18n import t

APPLIES = ("platforms", "ip_types", "regions")


def render(lang: str) -> None:
    ctx = page_setup(lang, "page_referrals", APPLIES)
    if ctx is None:
        return
    flows = queries.frame("referral_flows", ctx.snapshot, ctx.params())
    tiles = st.columns(3)
    tiles[0].metric(
        t("referrals_out", lang), fmt(flows.filter(flows["direction"] == "out")["referrals"].sum())
    )
    tiles[1].metric(
        t("referrals_in", lang), fmt(flows.filter(flows["direction"] == "in")["referrals"].sum())
    )
    tiles[2].metric(t("finished", lang), fmt(flows["finished"].sum()))
    drill_down(ctx, "referral_records", directions=())  # both directions

    chart(charts.referral_sankey(flows, lang), flows, "referral_flows", lang)
    left, right = st.columns(2)
    with left:
        chart(charts.referral_partners(flows, lang), flows, "referral_partners", lang)
    with right:
        grain = grain_picker(lang)
        trend = queries.frame("referral_trend", ctx.snapshot, ctx.trend_params(grain))
        chart(charts.referral_trend(trend, lang, grain=grain), trend, "referral_trend", lang)
