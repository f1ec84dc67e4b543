"""Notarization & evidence: volume, turnaround, evidence types, and whether the evidence hash
chain verifies — each break is shown with where it is and what it is (fct_notarizations'
chain_status), never hidden; altered records are left out of the counts, and the page says how
many."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, queries
from dashboard.columns import local_codes
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
        kinds = local_codes(lang)["chain_status"]
        st.error(t("chain_broken", lang, bad=chain["broken_links"], n=chain["links"]))
        after = chain["first_break_after_id"] or t("chain_first_record", lang)
        first = {"id": chain["first_break_id"], "seq": chain["first_break_seq"]}
        kind = kinds[chain["first_break_status"]]
        st.markdown(t("chain_first_break", lang, kind=kind, after=after, **first))
        found = [(kinds[c], chain[f"{c}_records"]) for c in kinds if chain.get(f"{c}_records")]
        for tile, (label, n) in zip(st.columns(len(found)), found, strict=True):
            tile.metric(label, fmt(n))
        record_list("notary_chain_broken", ctx.snapshot, {}, "notary_chain_broken", lang)

    grain = grain_picker(lang)
    trend = queries.frame("notary_trend", ctx.snapshot, ctx.trend_params(grain))
    summary = queries.frame("notary_summary", ctx.snapshot, ctx.params()).row(0, named=True)
    tiles = st.columns(2)
    tiles[0].metric(t("notarizations", lang), fmt(summary["notarizations"]))
    tiles[1].metric(t("median_hours", lang), fmt(summary["median_hours"], "float"))
    if summary["altered_not_counted"]:
        st.caption(t("altered_not_counted", lang, n=summary["altered_not_counted"]))
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
