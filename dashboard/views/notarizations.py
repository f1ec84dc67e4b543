"""Notarization & evidence: volume, turnaround, evidence types, and whether the evidence hash
chain verifies — a broken link is shown, never hidden."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, queries
from dashboard.components import chart, drill_down, fmt, grain_picker, page_setup, record_list
from dashboard.i18n import t

APPLIES = ("platforms",)


def render(lang: str) -> None:
    ctx = page_setup(lang, "page_notarizations", APPLIES)
    if ctx is None:
        return
    chain = queries.frame("notary_chain", ctx.snapshot).row(0, named=True)
    st.subheader(t("chain_status", lang))
    if not chain["broken_links"]:
        st.success(t("chain_ok", lang, n=chain["links"]))
    else:
        st.error(t("chain_broken", lang, bad=chain["broken_links"], n=chain["links"]))
        record_list("notary_chain_broken", ctx.snapshot, {}, "notary_chain_broken", lang)

    grain = grain_picker(lang)
    trend = queries.frame("notary_trend", ctx.snapshot, ctx.trend_params(grain))
    summary = queries.frame("notary_summary", ctx.snapshot, ctx.params()).row(0, named=True)
    tiles = st.columns(2)
    tiles[0].metric(t("notarizations", lang), fmt(summary["notarizations"]))
    tiles[1].metric(t("median_hours", lang), fmt(summary["median_hours"], "float"))
    types = queries.frame("notary_types", ctx.snapshot, ctx.params())
    drill_down(ctx, "notary_records")

    left, right = st.columns(2)
    with left:
        chart(charts.notary_trend(trend, lang, grain=grain), trend, "notary_trend", lang)
    with right:
        hours = charts.notary_hours_trend(trend, lang, grain=grain)
        chart(hours, trend, "notary_hours_trend", lang)
    types = types.with_columns(pl.coalesce(f"name_{lang}", "evidence_type").alias("label"))
    chart(
        charts.ranked_bars(types, "label", "notarizations", t("chart_evidence_types", lang), lang),
        types,
        "notary_types",
        lang,
    )
