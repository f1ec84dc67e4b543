"""The Compare page's controls and their state, kept in the URL so a link reproduces the
comparison (`?by=platforms&pick=tmall,jd&in=2026Q3`).

The same rule as the sidebar's filters (dashboard/filters.py, issue 11): Streamlit deletes a
keyed widget's state at the end of every run that did not draw it (another page; the period
picker while quarters are compared; the platforms' picker while parks are), so the choice lives
in a `compare.Choice` under a key no widget owns. Each widget is seeded from it before it is
drawn and read back after. The URL is read when it differs from what this page last wrote: a
shared link, browser back/forward, an address edited by hand. The page draws no sidebar
filters, so the query string holds only this page's parameters (and the language).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace

import streamlit as st

from dashboard import compare
from dashboard.formats import period_label
from dashboard.i18n import t

STATE_KEY = "_compare"  # compare.Choice; no widget owns this key
WRITTEN_KEY = "_compare_url"  # the parameters this page last wrote


def _seed(widget: str, value: object) -> None:
    st.session_state[widget] = value


def _read_widgets(choice: compare.Choice, options: compare.Options) -> compare.Choice:
    """The user's changes: a widget key still present was drawn in the last run."""
    s = st.session_state
    if s.get("cmp_kind") in compare.KINDS:
        choice = replace(choice, kind=s["cmp_kind"])
    key = f"cmp_pick_{choice.kind}"
    if key in s:
        offered = options.of(choice.kind)
        choice = choice.with_sides(tuple(p for p in s[key] if p in offered))
    if s.get("cmp_in") in options.periods:
        choice = replace(choice, period=s["cmp_in"])
    if "cmp_kpi" in s and s["cmp_kpi"] in choice.kpis:
        choice = replace(choice, trend=s["cmp_kpi"])
    return choice


def _period_words(label: str, lang: str) -> str:
    return period_label(compare.parse_period(label), lang)


def controls(
    lang: str,
    options: compare.Options,
    names: dict[str, dict[str, str]],
    default: Callable[[], compare.Choice],
) -> compare.Choice:
    """Draw the controls; returns the choice and mirrors it into the URL. `names`: display
    names by code domain; `default()`: the first view (read only when there is no choice yet)."""
    choice: compare.Choice = st.session_state.get(STATE_KEY) or default()
    choice = _read_widgets(choice, options)
    url = {k: v for k, v in st.query_params.to_dict().items() if k in compare.URL_PARAMS}
    if url and url != st.session_state.get(WRITTEN_KEY):
        choice, notes = compare.apply_query(choice, url, options)
        for key, values in notes:
            st.warning(t(key, lang, **values))

    _seed("cmp_kind", choice.kind)
    kind = st.radio(
        t("compare_by", lang),
        list(compare.KINDS),
        format_func=lambda k: t(f"compare_by_{k}", lang),
        key="cmp_kind",
        horizontal=True,
    )
    choice = replace(choice, kind=kind)
    left, right = st.columns([3, 1])
    domain = compare.KINDS[kind]
    offered = list(options.of(kind))
    shown = names.get(domain, {}) if domain else {}
    key = f"cmp_pick_{kind}"
    _seed(key, [p for p in choice.sides if p in offered])
    picked = left.multiselect(
        t("compare_pick", lang, n=compare.MAX_SIDES),
        offered,
        key=key,
        max_selections=compare.MAX_SIDES,
        format_func=(lambda p: _period_words(p, lang))
        if domain is None
        else (lambda c: shown.get(c, c)),
        placeholder=t("compare_pick_placeholder", lang),
    )
    choice = choice.with_sides(tuple(picked))
    if domain is not None:
        _seed("cmp_in", choice.period if choice.period in options.periods else options.periods[0])
        period = right.selectbox(
            t("period", lang),
            list(options.periods),
            key="cmp_in",
            format_func=lambda p: _period_words(p, lang),
        )
        choice = replace(choice, period=period)
    _seed("cmp_kpi", choice.trend_kpi)
    trend = st.selectbox(
        t("compare_trend_kpi", lang),
        list(choice.kpis),
        key="cmp_kpi",
        format_func=lambda k: t(k, lang),
    )
    choice = replace(choice, trend=trend)

    st.session_state[STATE_KEY] = choice
    query = choice.query()
    if st.query_params.to_dict() != query | {"lang": lang}:  # each write is a history entry
        st.query_params.from_dict(query | {"lang": lang})
    st.session_state[WRITTEN_KEY] = query
    return choice
