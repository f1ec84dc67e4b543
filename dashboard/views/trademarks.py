"""Trademark enforcement: cases, fines, goods seized, criminal transfers, brand categories, and
the parks and markets with most cases."""

from __future__ import annotations

import streamlit as st

from dashboard import charts, queries
from dashboard.components import chart, drill_down, fmt, grain_picker, page_setup
from dashboard.i18n import t

APPLIES = ("locations", "regions")


def _breakdown(ctx, dimension: str, title_key: str, colors: dict | None = None) -> None:
    frame = queries.frame("trademark_breakdown", ctx.snapshot, ctx.params(dimension=dimension))
    named = frame.with_columns(frame[f"name_{ctx.lang}"].alias("label"))
    figure = charts.ranked_bars(
        named, "label", "cases", t(title_key, ctx.lang), ctx.lang, colors=colors, code="code"
    )
    chart(figure, frame, f"trademark_{dimension}", ctx.lang)


def render(lang: str) -> None:
    ctx = page_setup(lang, "page_trademarks", APPLIES)
    if ctx is None:
        return
    summary = queries.frame("trademark_summary", ctx.snapshot, ctx.params()).row(0, named=True)
    tiles = st.columns(5)
    tiles[0].metric(t("cases_opened", lang), fmt(summary["cases_opened"]))
    tiles[1].metric(t("tile_fines", lang), fmt(summary["fines_yuan"], "yuan", lang))
    tiles[2].metric(t("units_seized", lang), fmt(summary["units_seized"]))
    tiles[3].metric(t("tile_goods_value", lang), fmt(summary["goods_value_yuan"], "yuan", lang))
    tiles[4].metric(t("transferred_to_police", lang), fmt(summary["transferred_to_police"]))
    drill_down(ctx, "trademark_records")

    grain = grain_picker(lang)
    trend = queries.frame("trademark_trend", ctx.snapshot, ctx.trend_params(grain))
    left, right = st.columns(2)
    with left:
        chart(charts.trademark_trend(trend, lang, grain=grain), trend, "trademark_trend", lang)
    with right:
        fines = charts.trademark_fines_trend(trend, lang, grain=grain)
        chart(fines, trend, "trademark_fines_trend", lang)
    left, right = st.columns(2)
    with left:
        _breakdown(ctx, "location", "chart_locations", charts.LOCATION_COLORS)
    with right:
        _breakdown(ctx, "brand_category", "chart_brand_categories")
    _breakdown(ctx, "infringement_type", "chart_infringement_types")
