"""Widgets every page shares: the page frame (title, no-data state, filters), charts with their
numbers one click away, and drill-down tables with CSV download."""

from __future__ import annotations

import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass

import plotly.graph_objects as go
import polars as pl
import streamlit as st

from dashboard import display, formats, queries, signin
from dashboard import filters as filter_widgets
from dashboard.filters import DIMENSIONS, Filters
from dashboard.formats import period_label
from dashboard.i18n import t
from etl import settings

log = logging.getLogger("ipgov.dashboard")

# Plotly's mode bar speaks English; officials need none of it (the numbers are one click away).
PLOTLY_CONFIG = {"displayModeBar": False}
DRILL_DOWN_ROWS = 5000  # rows a record list shows; its CSV download has every row
TREND_MONTHS = 24


@dataclass(frozen=True)
class PageContext:
    """What every page needs after the common set-up."""

    lang: str
    snapshot: str
    filters: Filters
    as_of: dt.date  # open items are aged at this day
    codes: dict[str, dict[str, str]]

    def params(self, **extra: object) -> dict[str, object]:
        return self.filters.params() | {"as_of": self.as_of} | extra

    def trend_params(self, grain: str) -> dict[str, object]:
        """Trends show the TREND_MONTHS up to the period's end, so a quarter still has context."""
        end = self.filters.end
        index = end.year * 12 + end.month - TREND_MONTHS
        start = min(dt.date(index // 12, index % 12 + 1, 1), self.filters.start)
        return self.params(grain=grain, start=start)


def render_page(render: Callable[[str], None], lang: str) -> None:
    """Runs one page (app.py runs every page through this). A published snapshot that cannot
    be read stops the page with one message in the reader's language naming the file and the
    remedy, instead of a traceback; so does a bad IPGOV_* setting, naming the variable and what
    it should be; the pages themselves need not know. Any other error is a
    bug: the reader gets one message in their language, the server log the traceback.
    Streamlit's own control flow (rerun, stop, switch page) derives from BaseException and
    passes through."""
    try:
        render(lang)
    except queries.DamagedSnapshotError as e:
        st.error(t(f"snapshot_{e.kind}", lang, path=e.path))
    except settings.SettingError as e:  # the operator's IPGOV_* value, not a bug
        st.error(e.message(lang))
    except Exception:
        log.exception("page %s failed", getattr(render, "__module__", render))
        st.error(t("unexpected_error", lang))


def titled_snapshot(lang: str, title_key: str) -> tuple[str, tuple[dt.date, dt.date]] | None:
    """The page's title, then the published snapshot and the days its data spans; None, with
    the no-data note, before anything is loaded."""
    st.title(t(title_key, lang))
    snapshot = queries.snapshot_id()
    span = queries.data_days(snapshot) if snapshot else None
    if snapshot is None or span is None:
        st.info(t("no_data", lang))
        return None
    return snapshot, span


def page_setup(lang: str, title_key: str, applies: tuple[str, ...]) -> PageContext | None:
    """Title, the no-data state, the global filters and which of them this page ignores."""
    found = titled_snapshot(lang, title_key)
    if found is None:
        return None
    snapshot, span = found
    codes = queries.codes(snapshot, lang)
    chosen = filter_widgets.sidebar(lang, span[0], span[1], codes)
    for key, values in filter_widgets.pop_notes(lang):
        st.warning(t(key, lang, **values))
    period_banner(lang, chosen.period, span[1], snapshot)
    ignored = [name for name in chosen.active_dimensions() if name not in applies]
    if ignored:
        names = "、".join(t(f"filter_{n}", lang) for n in ignored)
        st.caption(t("filters_ignored", lang, names=names))
    as_of = min(chosen.end, span[1])
    return PageContext(lang, snapshot, chosen, as_of, codes)


def period_banner(lang: str, period, last_day: dt.date, snapshot: str) -> None:
    """The chosen period on every page, and whether the data covers all of it: a quarter still
    running (or a period past the last record) is marked incomplete, so nobody compares it
    with a whole one unawares."""
    label = period_label(period, lang)
    stamp = t("snapshot_id", lang, snapshot=snapshot)
    if period.end > last_day:
        st.warning(t("period_incomplete", lang, period=label, date=last_day.isoformat()))
        st.caption(stamp)
    else:
        st.caption(
            t("period_complete", lang, period=label, date=last_day.isoformat()) + " · " + stamp
        )


def grain_picker(lang: str) -> str:
    return st.radio(
        t("grain", lang),
        ["month", "quarter"],
        horizontal=True,
        key="grain",
        format_func=lambda g: t(f"grain_{g}", lang),
    )


def chart(fig: go.Figure, frame: pl.DataFrame, name: str, lang: str) -> None:
    """The chart, and under it its numbers as a table with a CSV download."""
    if frame.is_empty():
        st.info(t("no_records", lang))
        return
    st.plotly_chart(fig, width="stretch", key=f"chart_{name}", config=PLOTLY_CONFIG)
    with lazy_expander(t("show_data", lang), f"exp_{name}") as box:
        if box.open:
            table(frame, lang, key=f"table_{name}")
            download(frame, name, lang)


def lazy_expander(label: str, key: str):
    """An expander whose content is drawn only while it is open: Streamlit sends (and the
    browser renders) what a closed expander holds, and the tables and record lists behind
    every chart were most of a page's server time (docs/performance.md). Opening it reruns the
    page; its `.open` says whether to draw."""
    return st.expander(label, key=key, on_change="rerun")


def codes_now(lang: str) -> dict[str, dict[str, str]]:
    """Display names of every code in the current snapshot (cached per snapshot)."""
    snapshot = queries.snapshot_id()
    return queries.codes(snapshot, lang) if snapshot else {}


def table(frame: pl.DataFrame, lang: str, key: str | None = None) -> None:
    """A table in the reader's language: headers, code names, dates, money, "—" for none."""
    display.show_table(frame, lang, codes_now(lang), key=key)


def download(frame: pl.DataFrame, name: str, lang: str) -> None:
    """The frame as CSV, built when the user clicks (not on every run of the page); CSV
    exports are for analysts and above, and each is audited."""
    if not signin.allowed("records"):
        return
    codes = codes_now(lang)
    st.download_button(
        t("download_csv", lang),
        lambda: display.csv_bytes(frame, lang, codes),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        on_click=signin.record,
        args=("download",),
        kwargs={"target": f"{name}.csv", "rows": frame.height},
    )


def drill_down(ctx: PageContext, query: str, **extra: object) -> None:
    """The records behind the page's numbers, with their ids, downloadable."""
    with lazy_expander(t("drill_down", ctx.lang), f"exp_{query}") as box:
        if box.open:
            record_list(query, ctx.snapshot, ctx.params(**extra), query, ctx.lang)


def record_list(query: str, snapshot: str, params: dict[str, object], name: str, lang: str) -> None:
    """A record list (dashboard/sql/<query>.sql): its first DRILL_DOWN_ROWS rows in the list's
    order, how many rows it has in all, and a CSV of every row, read only when the user clicks
    the download (a year at scale 1000 is millions of rows: docs/performance.md). Record lists
    name companies and applicants: a viewer gets a note instead, and the refusal is audited."""
    if not signin.allowed("records"):
        st.info(t("records_need_role", lang))
        signin.record("records_denied", target=query, outcome="refused", role=signin.role())
        return
    records = queries.records(query, snapshot, params, DRILL_DOWN_ROWS)
    if records.total > records.rows.height:
        st.caption(t("rows_first", lang, n=records.rows.height, total=records.total))
    else:
        st.caption(t("rows_shown", lang, n=records.total))
    codes = queries.codes(snapshot, lang)
    display.show_table(records.rows, lang, codes, key=f"records_{name}")
    cap = settings.current().download_max_mb * 1024**2
    fits = None  # the whole list
    if records.total > records.rows.height:  # more than shown: will the whole list fit?
        fits = display.rows_that_fit(records.rows, lang, codes, cap)
        if fits >= records.total:
            fits = None
        else:
            st.caption(
                t(
                    "csv_capped",
                    lang,
                    n=f"{fits:,}",
                    total=f"{records.total:,}",
                    mb=f"{settings.current().download_max_mb:,}",
                )
            )
    st.download_button(
        t("download_csv", lang),
        lambda: display.csv_capped(
            queries.records_all(query, snapshot, params, fits), lang, codes, cap
        ),
        file_name=f"{name}.csv",
        mime="text/csv",
        key=f"csv_{name}",
        on_click=signin.record,
        args=("download",),
        kwargs={"target": f"{name}.csv", "rows": fits or records.total, "query": query},
    )


def dimension_label(name: str, lang: str) -> str:
    return t(f"filter_{name}", lang) if name in DIMENSIONS else name


def fmt(value: object, kind: str = "int", lang: str = "zh") -> str:
    """A tile's number as officials read it (dashboard/formats.py): thousands separators,
    shares in %, money with its unit, "—" for none."""
    return formats.of_kind(value, "decimal" if kind == "float" else kind, lang)


def provisional_note(ctx: PageContext, lang: str, *, district: bool = False) -> None:
    """A note near the working-day KPIs when the period's takedown latencies touch days no
    official holiday schedule covers yet (fct_takedowns.is_provisional, docs/kpis.md): those
    figures change when the year's notice is imported. district: the Overview's KPIs, which no
    filter narrows."""
    params = ctx.params(platforms=()) if district else ctx.params()
    row = queries.frame("takedown_provisional", ctx.snapshot, params).row(0, named=True)
    if row["provisional_notices"]:
        st.warning(
            t(
                "calendar_provisional_note",
                lang,
                notices=fmt(row["provisional_notices"], lang=lang),
                date=str(row["first_provisional_day"]),
            )
        )
