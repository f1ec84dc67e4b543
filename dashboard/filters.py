"""The sidebar's global filters, shared by every page and kept in the URL query parameters so a
link reproduces the view (period, platform, park/market, IP type, partner region).

Why the state lives apart from the widgets: Streamlit deletes a keyed widget's state at the end
of every run that did not draw it (another page, or the other branch of the period-kind
switch), so reading `st.session_state["f_quarter"]` after visiting the SQL page or choosing
年度 raised KeyError (issue 11). The choice is kept in `FilterState` under a key no widget owns;
each widget is seeded from it before it is drawn, and copied back after the user changed it.

The URL is read when it differs from what the dashboard last wrote: the first visit (a shared
link), browser back/forward, or an address edited by hand. A page change clears the query
string; absent parameters keep the current choice. Values the data cannot show (a quarter
before the first record, an unknown period kind, a range backwards) become the nearest valid
view, with a note saying so.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field, replace

import streamlit as st

from dashboard.core.params import DIMENSIONS, Filters
from dashboard.formats import period_label
from dashboard.i18n import t
from etl.periods import Period, parse_quarter, quarter_of, quarters_between, year

EARLIEST = dt.date(2004, 1, 1)  # first year of the working-day calendar
PERIOD_KINDS = ("quarter", "year", "custom")
PERIOD_PARAMS = ("period", "q", "y", "from", "to")
STATE_KEY = "_filters"  # FilterState; no widget owns this key
WRITTEN_KEY = "_filters_url"  # the query parameters the last run wrote
NOTES_KEY = "_filters_notes"  # (catalogue key, values) notes for the next page drawn


@dataclass(frozen=True)
class FilterState:
    """Everything the sidebar remembers, including the choices of the period kinds not shown
    (switching 季度 → 年度 → 季度 comes back to the same quarter)."""

    kind: str
    quarter: str
    year: int
    range: tuple[dt.date, dt.date]
    dims: dict[str, tuple[str, ...]] = field(default_factory=dict)

    @staticmethod
    def default(last: dt.date) -> FilterState:
        latest = quarter_of(last)
        return FilterState(
            "quarter",
            latest.label,
            last.year,
            (latest.start, latest.end),
            {n: () for n in DIMENSIONS},
        )

    def period(self) -> Period:
        if self.kind == "year":
            return year(self.year)
        if self.kind == "custom":
            start, end = self.range
            return Period(start, end, f"{start.isoformat()}..{end.isoformat()}")
        return parse_quarter(self.quarter)

    def filters(self) -> Filters:
        return Filters(self.period(), **{n: self.dims.get(n, ()) for n in DIMENSIONS})

    def query(self, lang: str) -> dict[str, str]:
        """The URL query parameters that reproduce this view."""
        out = {"lang": lang, "period": self.kind}
        if self.kind == "quarter":
            out["q"] = self.quarter
        elif self.kind == "year":
            out["y"] = str(self.year)
        else:
            out["from"], out["to"] = self.range[0].isoformat(), self.range[1].isoformat()
        for name, (_, param) in DIMENSIONS.items():
            if self.dims.get(name):
                out[param] = ",".join(self.dims[name])
        return out


Note = tuple[str, dict[str, str]]  # a catalogue key and its values


def apply_query(
    state: FilterState,
    query: dict[str, str],
    first: dt.date,
    last: dt.date,
    codes: dict[str, dict[str, str]],
) -> tuple[FilterState, list[Note]]:
    """The state a URL asks for: parameters present replace the state's, absent ones keep it;
    every value the data cannot show becomes the nearest valid one, with a note."""
    notes: list[Note] = []
    kind = query.get("period")
    if kind is not None:
        if kind in PERIOD_KINDS:
            state = replace(state, kind=kind)
        else:
            notes.append(("note_bad_period_kind", {"value": kind}))
    if "q" in query:
        try:
            state = replace(state, quarter=parse_quarter(query["q"]).label)
        except Exception:  # a hand-edited URL: the IpgovError says what a quarter looks like
            notes.append(("note_bad_quarter", {"value": query["q"]}))
    if "y" in query:
        if query["y"].strip().isdigit():
            state = replace(state, year=int(query["y"]))
        else:
            notes.append(("note_bad_year", {"value": query["y"]}))
    if "from" in query or "to" in query:
        try:
            start = dt.date.fromisoformat(query.get("from", state.range[0].isoformat()))
            end = dt.date.fromisoformat(query.get("to", state.range[1].isoformat()))
            state = replace(state, range=(start, end))
        except ValueError:
            notes.append(("note_bad_range", {"value": f"{query.get('from')} – {query.get('to')}"}))
    dims = dict(state.dims)
    for name, (domain, param) in DIMENSIONS.items():
        if param in query:
            asked = [c for c in query[param].split(",") if c]
            known = [c for c in asked if c in codes.get(domain, {})]
            if len(known) < len(asked):
                unknown = "、".join(c for c in asked if c not in known)
                notes.append(("note_bad_code", {"value": unknown}))
            dims[name] = tuple(known)
    state = replace(state, dims=dims)
    valid, more = within_data(state, first, last)
    return valid, notes + more


def within_data(
    state: FilterState, first: dt.date, last: dt.date
) -> tuple[FilterState, list[Note]]:
    """The nearest view the data can show: a quarter or year between the first and the last
    record, a range inside the calendar and not backwards."""
    notes: list[Note] = []
    quarters = [p.label for p in quarters_between(first, last)]  # newest first
    if state.quarter not in quarters:
        nearest = quarters[0] if parse_quarter(state.quarter).start > last else quarters[-1]
        if state.kind == "quarter":
            notes.append(("note_no_data_quarter", {"value": state.quarter, "shown": nearest}))
        state = replace(state, quarter=nearest)
    if not first.year <= state.year <= last.year:
        nearest_year = min(max(state.year, first.year), last.year)
        if state.kind == "year":
            notes.append(
                ("note_no_data_year", {"value": str(state.year), "shown": str(nearest_year)})
            )
        state = replace(state, year=nearest_year)
    start, end = state.range
    latest = last + dt.timedelta(days=366)
    fixed = (min(max(start, EARLIEST), latest), min(max(end, EARLIEST), latest))
    if fixed[1] < fixed[0]:
        fixed = (fixed[1], fixed[0])
    if fixed != (start, end):
        if state.kind == "custom":
            notes.append(("note_range_fixed", {"value": f"{start} – {end}"}))
        state = replace(state, range=fixed)
    return state, notes


# --- Streamlit glue ----------------------------------------------------------------------------


def _url_now() -> dict[str, str]:
    return {k: v for k, v in st.query_params.to_dict().items() if k != "lang"}


def _seed(widget: str, value: object) -> None:
    """Give a widget its value before it is drawn (allowed: it is not drawn yet in this run)."""
    st.session_state[widget] = value


def _read_widgets(state: FilterState) -> FilterState:
    """The user's changes: a widget key still present was drawn in the last run, so its value
    is the newest (Streamlit deleted the keys of widgets that run did not draw)."""
    s = st.session_state
    if "f_kind" in s:
        state = replace(state, kind=s["f_kind"])
    if "f_quarter" in s:
        state = replace(state, quarter=s["f_quarter"])
    if "f_year" in s:
        state = replace(state, year=int(s["f_year"]))
    if "f_range" in s:
        picked = tuple(s["f_range"])
        if len(picked) == 2:  # one date means the user is still picking the second one
            state = replace(state, range=(picked[0], picked[1]))
    dims = dict(state.dims)
    for name in DIMENSIONS:
        if f"f_{name}" in s:
            dims[name] = tuple(s[f"f_{name}"])
    return replace(state, dims=dims)


def pop_notes(lang: str) -> list[Note]:
    """Notes about a URL that could not be shown as asked, once, with quarters in words."""
    notes = st.session_state.pop(NOTES_KEY, [])
    return [
        (
            key,
            {
                k: _quarter_words(v, lang) if key == "note_no_data_quarter" else v
                for k, v in values.items()
            },
        )
        for key, values in notes
    ]


def _quarter_words(label: str, lang: str) -> str:
    try:
        return period_label(parse_quarter(label), lang)
    except Exception:
        return label


def sidebar(lang: str, first: dt.date, last: dt.date, codes: dict[str, dict[str, str]]) -> Filters:
    """Draw every filter; returns the choice and mirrors it into the URL."""
    state: FilterState = st.session_state.get(STATE_KEY) or FilterState.default(last)
    state = _read_widgets(state)
    url = _url_now()
    if url != st.session_state.get(WRITTEN_KEY) and url:
        state, notes = apply_query(state, url, first, last, codes)
        if notes:
            st.session_state[NOTES_KEY] = st.session_state.get(NOTES_KEY, []) + notes
    state, _ = within_data(state, first, last)

    quarters = [p.label for p in quarters_between(first, last)]
    years = list(range(last.year, first.year - 1, -1))
    _seed("f_kind", state.kind)
    kind = st.sidebar.radio(
        t("period_kind", lang),
        PERIOD_KINDS,
        format_func=lambda k: t(f"period_{k}", lang),
        key="f_kind",
        horizontal=True,
    )
    state = replace(state, kind=kind)
    if kind == "quarter":
        _seed("f_quarter", state.quarter)
        label = st.sidebar.selectbox(
            t("period", lang),
            quarters,
            key="f_quarter",
            format_func=lambda q: period_label(parse_quarter(q), lang),
        )
        state = replace(state, quarter=label)
    elif kind == "year":
        _seed("f_year", state.year)
        picked_year = st.sidebar.selectbox(
            t("period", lang),
            years,
            key="f_year",
            format_func=lambda y: period_label(year(y), lang),
        )
        state = replace(state, year=picked_year)
    else:
        _seed("f_range", state.range)
        picked = st.sidebar.date_input(
            t("date_range", lang),
            key="f_range",
            min_value=EARLIEST,
            max_value=last + dt.timedelta(days=366),
            format="YYYY-MM-DD",
        )
        if len(picked) == 2:
            state = replace(state, range=(picked[0], picked[1]))

    dims: dict[str, tuple[str, ...]] = {}
    for name, (domain, _) in DIMENSIONS.items():
        names = codes.get(domain, {})
        options = sorted(names, key=lambda c, n=names: (c == "unknown", n.get(c, c)))
        _seed(f"f_{name}", [c for c in state.dims.get(name, ()) if c in names])
        picked_codes = st.sidebar.multiselect(
            t(f"filter_{name}", lang),
            options,
            key=f"f_{name}",
            format_func=lambda c, n=names: n.get(c, c),
            placeholder=t("all", lang),
            select_all=False,
        )
        dims[name] = tuple(picked_codes)
    state = replace(state, dims=dims)

    st.session_state[STATE_KEY] = state
    query = state.query(lang)
    if st.query_params.to_dict() != query:  # every write adds a browser history entry
        st.query_params.from_dict(query)
    st.session_state[WRITTEN_KEY] = {k: v for k, v in query.items() if k != "lang"}
    return state.filters()
