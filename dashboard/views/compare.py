"""对比 / Compare: up to four platforms, parks/markets, IP types or partner regions in one
period, or up to four quarters or years, side by side — each side's KPIs with their change
against the period before, a small trend, ranked where a rank means something (platforms by
the 2-working-day promise), in the colours every other chart gives them; the table below as CSV.
Every number is `kpi_headline` narrowed by the side (`ipgov kpis --platform …` prints it);
the choice lives in the URL (dashboard/compare_state.py)."""

from __future__ import annotations

import datetime as dt
import html

import polars as pl
import streamlit as st

from dashboard import compare, compare_charts, compare_state, queries
from dashboard.components import PLOTLY_CONFIG, download, period_banner, table, titled_snapshot
from dashboard.core.params import Filters
from dashboard.formats import period_label
from dashboard.i18n import CATALOG, t
from etl.periods import Period


def _default(snapshot: str, options: compare.Options, last: dt.date) -> compare.Choice:
    """The first view: the platforms with the most notices in the latest quarter."""
    latest = compare.parse_period(options.quarters[0])
    params = Filters(latest).params() | {"as_of": min(latest.end, last)}
    busiest = queries.frame("takedown_by_platform", snapshot, params).sort(
        "notices", descending=True
    )
    return compare.Choice.default(options, tuple(busiest["platform"].head(compare.MAX_SIDES)))


def _name(side: compare.Side, domain: str | None, names: dict, lang: str) -> str:
    if domain is None:
        return period_label(side.period, lang)
    return names.get(domain, {}).get(side.key, side.key)


def _trend(
    snapshot: str, side: compare.Side, choice: compare.Choice, first: dt.date, lang: str
) -> pl.DataFrame:
    periods: list[Period] = compare.trend_periods(side, choice.kind, first)
    key = choice.trend_kpi
    if choice.by_period:  # a period's months, district-wide: kpi_monthly holds them
        params = {"start": side.period.start, "end": side.period.end}
        months = queries.frame("compare_monthly", snapshot, params)
        by_month = dict(zip(months["period_start"], months[key], strict=True))
        values = [by_month.get(p.start) for p in periods]
    else:
        values = [queries.headline(snapshot, p, **side.narrowed)[key] for p in periods]
    return compare.trend_frame(periods, values, lang, monthly=choice.by_period)


def _takedown_notes(snapshot: str, side: compare.Side, last: dt.date) -> tuple[int, dict]:
    """The side's pending notices (left out of its 2-working-day share) and its provisional
    ones, from the Takedowns page's queries: said beside the share, as on that page."""
    params = Filters(side.period, platforms=side.narrowed.get("platforms", ())).params()
    params |= {"as_of": min(side.period.end, last)}
    pending = queries.frame("takedown_summary", snapshot, params)["pending_2wd"][0]
    provisional = queries.frame("takedown_provisional", snapshot, params).row(0, named=True)
    return pending, provisional


def _side_kpis(
    snapshot: str,
    side: compare.Side,
    choice: compare.Choice,
    now: dict,
    before: dict,
    last: dt.date,
    lang: str,
) -> None:
    """A side's KPIs as tiles with their change against the period before, the pending notices
    beside the 2-working-day share and a note when the working-day latencies are provisional."""
    previous = period_label(side.previous, lang)
    pending, provisional = (
        _takedown_notes(snapshot, side, last)
        if "takedown_within_2wd_share" in choice.kpis
        else (0, {"provisional_notices": 0})
    )
    for key in choice.kpis:
        delta, colour = compare.change(key, now[key], before[key], lang)
        st.metric(
            t(f"tile_{key}" if f"tile_{key}" in CATALOG else key, lang),
            compare.value_text(key, now[key], lang),
            delta,
            delta_color=colour,
            delta_arrow="off" if colour == "off" else "auto",
            delta_description=t("qoq_short", lang, label=previous) if delta else None,
        )
        if key == "takedown_within_2wd_share" and pending:
            st.caption(t("pending_2wd_short", lang, n=pending))
    if provisional["provisional_notices"]:
        st.caption(
            t(
                "compare_provisional",
                lang,
                n=provisional["provisional_notices"],
                date=str(provisional["first_provisional_day"]),
            )
        )


def render(lang: str) -> None:
    found = titled_snapshot(lang, "page_compare")
    if found is None:
        return
    snapshot, (first, last) = found
    names = queries.codes(snapshot, lang)
    options = compare.options(names, first, last)
    choice = compare_state.controls(lang, options, names, lambda: _default(snapshot, options, last))
    domain = compare.KINDS[choice.kind]
    if domain is None:
        st.caption(t("compare_periods_scope", lang, date=last.isoformat()))
    else:
        period_banner(lang, compare.parse_period(choice.period), last, snapshot)
    sides = compare.sides(choice)
    if not sides:
        st.info(t("compare_pick_some", lang, n=compare.MAX_SIDES))
        return

    now = {s.key: queries.headline(snapshot, s.period, **s.narrowed) for s in sides}
    before = {s.key: queries.headline(snapshot, s.previous, **s.narrowed) for s in sides}
    order = {s.key: s for s in sides}
    shown = [order[k] for k in compare.ranked(choice.kind, now)]
    ranked = choice.kind in compare.RANK_BY
    if ranked:
        st.caption(t("compare_ranked", lang, kpi=t(compare.RANK_BY[choice.kind][0], lang)))
    elif domain is not None:
        st.caption(t("compare_dimension_scope", lang))
    colours = {
        s.key: compare_charts.side_colour(domain, s.key, i)
        for i, s in enumerate(sorted(sides, key=lambda s: s.key))
    }
    side_names = {s.key: _name(s, domain, names, lang) for s in sides}

    trend_kind = compare.kpi_kind(choice.trend_kpi)
    trends = {s.key: _trend(snapshot, s, choice, first, lang) for s in sides}
    y_range = compare_charts.shared_range(list(trends.values()), trend_kind)
    for column, (rank, side) in zip(st.columns(len(shown)), enumerate(shown, 1), strict=True):
        with column, st.container(border=True):
            heading = f"{rank}. {side_names[side.key]}" if ranked else side_names[side.key]
            # the square in the side's chart colour; the name escaped (it is data, in HTML)
            st.markdown(
                f'<span style="color:{colours[side.key]}">■</span> **{html.escape(heading)}**',
                unsafe_allow_html=True,
            )
            trend = trends[side.key]
            span = f"{trend['label'][0]}–{trend['label'][-1]}" if trend.height else ""
            st.caption(t("compare_trend_of", lang, kpi=t(choice.trend_kpi, lang), span=span))
            st.plotly_chart(
                compare_charts.sparkline(trend, trend_kind, colours[side.key], lang, y_range),
                width="stretch",
                key=f"cmp_spark_{side.key}",
                config=PLOTLY_CONFIG,
            )
            _side_kpis(snapshot, side, choice, now[side.key], before[side.key], last, lang)

    bars = compare.bars_frame(shown, side_names, now, choice.trend_kpi, colours)
    st.plotly_chart(
        compare_charts.side_bars(bars, trend_kind, t(choice.trend_kpi, lang), lang),
        width="stretch",
        key="cmp_bars",
        config=PLOTLY_CONFIG,
    )

    st.subheader(t("compare_table", lang))
    frame = compare.table(choice, shown, side_names, now, before)
    table(frame, lang, key="cmp_table")
    download(frame, f"compare_{choice.kind}", lang)
