"""The sidebar's global filters, shared by every page and kept in the URL query parameters so a
link reproduces the view (period, platform, park/market, IP type, partner region)."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

import streamlit as st

from dashboard.i18n import t
from etl.periods import Period, parse_quarter, quarter_of, quarters_between, year

EARLIEST = dt.date(2004, 1, 1)  # first year of the working-day calendar
PERIOD_KINDS = ("quarter", "year", "custom")
# filter → (code domain in dim_code, URL parameter)
DIMENSIONS = {
    "platforms": ("platform", "platform"),
    "locations": ("location", "park"),
    "ip_types": ("ip_type", "ip"),
    "regions": ("region", "region"),
}


@dataclass(frozen=True)
class Filters:
    """What the user chose; empty tuples mean 'all'."""

    period: Period
    platforms: tuple[str, ...] = field(default=())
    locations: tuple[str, ...] = field(default=())
    ip_types: tuple[str, ...] = field(default=())
    regions: tuple[str, ...] = field(default=())

    @property
    def start(self) -> dt.date:
        return self.period.start

    @property
    def end(self) -> dt.date:
        return self.period.end

    def params(self) -> dict[str, object]:
        """Named parameters every dashboard SQL file understands (see dashboard/sql/README.md)."""
        return {
            "start": self.period.start,
            "end": self.period.end,
            "platforms": self.platforms,
            "locations": self.locations,
            "ip_types": self.ip_types,
            "regions": self.regions,
        }

    def with_period(self, period: Period) -> Filters:
        return Filters(period, self.platforms, self.locations, self.ip_types, self.regions)

    def active_dimensions(self) -> list[str]:
        return [name for name in DIMENSIONS if getattr(self, name)]


def _from_url(name: str, default: str) -> str:
    value = st.query_params.get(name)
    return value if value else default


def _init_state(first: dt.date, last: dt.date) -> None:
    """Seed widget state from the URL once per session, so a shared link opens that view."""
    if st.session_state.get("_filters_seeded"):
        return
    st.session_state["_filters_seeded"] = True
    latest = quarter_of(last)
    kind = _from_url("period", "quarter")
    st.session_state["f_kind"] = kind if kind in PERIOD_KINDS else "quarter"
    try:
        st.session_state["f_quarter"] = parse_quarter(_from_url("q", latest.label)).label
    except Exception:  # a hand-edited URL: fall back to the default
        st.session_state["f_quarter"] = latest.label
    y = _from_url("y", str(last.year))
    st.session_state["f_year"] = int(y) if y.isdigit() else last.year
    try:
        start = dt.date.fromisoformat(_from_url("from", latest.start.isoformat()))
        end = dt.date.fromisoformat(_from_url("to", latest.end.isoformat()))
    except ValueError:
        start, end = latest.start, latest.end
    st.session_state["f_range"] = (start, end)
    for name, (_, param) in DIMENSIONS.items():
        raw = st.query_params.get_all(param)
        st.session_state[f"f_{name}"] = [c for v in raw for c in v.split(",") if c]


def sidebar(lang: str, first: dt.date, last: dt.date, codes: dict[str, dict[str, str]]) -> Filters:
    """Draw every filter (on every page, so Streamlit keeps their state across pages); returns
    the choice and mirrors it into the URL."""
    _init_state(first, last)
    quarters = [p.label for p in quarters_between(first, last)]
    if st.session_state["f_quarter"] not in quarters:
        st.session_state["f_quarter"] = quarters[0]
    years = list(range(last.year, first.year - 1, -1))
    if st.session_state["f_year"] not in years:
        st.session_state["f_year"] = years[0]

    kind = st.sidebar.radio(
        t("period_kind", lang),
        PERIOD_KINDS,
        format_func=lambda k: t(f"period_{k}", lang),
        key="f_kind",
        horizontal=True,
    )
    url: dict[str, str | list[str]] = {"lang": lang, "period": kind}
    if kind == "quarter":
        label = st.sidebar.selectbox(t("period", lang), quarters, key="f_quarter")
        period = parse_quarter(label)
        url["q"] = label
    elif kind == "year":
        period = year(st.sidebar.selectbox(t("period", lang), years, key="f_year"))
        url["y"] = str(period.start.year)
    else:
        picked = st.sidebar.date_input(
            t("date_range", lang),
            key="f_range",
            min_value=EARLIEST,
            max_value=last + dt.timedelta(days=366),
        )
        start, end = picked if len(picked) == 2 else (picked[0], picked[0])
        period = Period(start, end, f"{start} – {end}")
        url["from"], url["to"] = start.isoformat(), end.isoformat()

    chosen: dict[str, tuple[str, ...]] = {}
    for name, (domain, param) in DIMENSIONS.items():
        options = sorted(codes.get(domain, {}))
        st.session_state[f"f_{name}"] = [
            c for c in st.session_state.get(f"f_{name}", []) if c in options
        ]
        picked = st.sidebar.multiselect(
            t(f"filter_{name}", lang),
            options,
            key=f"f_{name}",
            format_func=lambda c, d=domain: codes[d].get(c, c),
            placeholder=t("all", lang),
        )
        chosen[name] = tuple(picked)
        if chosen[name]:
            url[param] = ",".join(chosen[name])
    st.query_params.from_dict(url)
    return Filters(period, **chosen)
