"""SQL console: analysts' own read-only questions of the published snapshot (issue 5).

Layout only. The console (dashboard/console/, through dashboard.queries) parses, checks, limits and
runs the SQL; this page keeps the editor text, the last result and the session's history in
st.session_state. The sidebar is the library (starter queries, saved queries, history); the main
area is the editor and the result (table, downloads, chart builder, save), and a Schema tab.
"""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import time
from typing import TYPE_CHECKING

import polars as pl
import streamlit as st

from dashboard import charts, queries, signin
from dashboard.columns import column as column_entry
from dashboard.i18n import t
from etl.errors import IpgovError

if TYPE_CHECKING:
    from dashboard.console import Limits, Result

HISTORY_KEEP = 50
HISTORY_SHOWN = 10
TEXT = "sql_text"  # the editor's session key
COUNT, NONE = "", ""  # selectbox values for "row count" and "no colour"
FORMAT_NAMES = {"csv": "CSV", "xlsx": "Excel (XLSX)", "parquet": "Parquet"}


def render(lang: str) -> None:
    """The page, top to bottom."""
    st.title(t("page_sql", lang))
    snapshot = queries.snapshot_id()
    if snapshot is None:
        st.info(t("no_data", lang))
        return
    try:
        limits = queries.sql_limits()
    except IpgovError as e:  # an IPGOV_SQL_* setting that is not a number
        st.error(str(e))
        return
    queries.sql_warm()  # the editor is on screen: a worker starts while the analyst types
    st.caption(
        t(
            "sql_intro",
            lang,
            seconds=f"{limits.time_limit_seconds:g}",
            rows=f"{limits.max_rows:,}",
        )
    )
    library(lang)
    query_tab, schema_tab = st.tabs([t("sql_tab_query", lang), t("sql_tab_schema", lang)])
    with query_tab:
        editor(lang)
        outcome(lang, limits)
        save_form(lang)
    with schema_tab, st.container(key="sql_schema"):
        schema_browser(lang, snapshot)


# --- running ----------------------------------------------------------------------------------


def _execute(sql: str) -> None:
    """Run `sql` and keep the result (or the refusal) and a history line in the session."""
    result = refusal = None
    started = time.perf_counter()
    try:
        result = queries.sql_run(sql)
    except queries.SqlRefused as e:
        refusal = (e.code, e.values, str(e))
    except IpgovError as e:  # e.g. no snapshot any more, an unreadable snapshot
        refusal = ("error", {"detail": str(e)}, str(e))
    signin.record(
        "sql",
        outcome="refused" if refusal else "ok",
        rows=result.rows if result else None,
        sql=sql,
        seconds=round(time.perf_counter() - started, 3),
        refusal=refusal[2] if refusal else None,
    )
    st.session_state["sql_result"] = result
    st.session_state["sql_refusal"] = refusal
    history = st.session_state.setdefault("sql_history", [])
    entry = {"at": dt.datetime.now().strftime("%H:%M:%S"), "sql": sql, "refusal": refusal}
    history.insert(0, entry | {"rows": result.rows if result else None})
    del history[HISTORY_KEEP:]


def _load(sql: str) -> None:
    """Callback of every library button: the query goes into the editor and runs.

    Runs happen in callbacks, before the page is drawn, so the sidebar's history already holds
    the run whose result the page shows.
    """
    st.session_state[TEXT] = sql
    _execute(sql)


def _run() -> None:
    _execute(st.session_state.get(TEXT, ""))


def _refusal_text(lang: str, code: str, values: dict, message: str) -> str:
    """The refusal in the reader's language. DuckDB's own English line (`detail`) is not part
    of it: `outcome` shows it apart, for analysts."""
    key = f"sql_refused_{code}"
    if code == "not_found" and values.get("name"):
        key = f"sql_missing_{values.get('what')}"
    elif code == "error":
        key = f"sql_error_{values.get('category', 'other')}"
    try:
        return t(key, lang, **values)
    except (KeyError, IndexError):
        return message


# --- sidebar: starter queries, saved queries, history -----------------------------------------


def _button_key(prefix: str, text: str) -> str:
    return f"{prefix}_{hashlib.sha1(text.encode('utf-8')).hexdigest()[:12]}"


def _delete(name: str) -> None:
    try:
        queries.sql_delete(name)
    except IpgovError as e:
        st.session_state["sql_save_error"] = str(e)
    else:
        st.session_state["sql_flash"] = ("deleted", name)


def library(lang: str) -> None:
    side = st.sidebar
    side.subheader(t("sql_starters", lang))
    for starter in queries.sql_starters():
        side.button(
            starter.title(lang),
            key=f"sql_starter_{starter.key}",
            on_click=_load,
            args=(starter.sql,),
            width="stretch",
        )

    side.subheader(t("sql_saved", lang))
    try:
        saved = queries.sql_saved()
    except IpgovError as e:  # the app database cannot be read: the console still works
        side.error(str(e))
        saved = []
    if not saved:
        side.caption(t("sql_saved_none", lang))
    for query in saved:
        left, right = side.columns([5, 1], vertical_alignment="center")
        left.button(
            query.name,
            key=_button_key("sql_saved", query.name),
            help=query.description or None,
            on_click=_load,
            args=(query.sql,),
            width="stretch",
        )
        right.button(
            "",
            icon=":material/delete:",
            key=_button_key("sql_delete", query.name),
            help=t("sql_delete", lang),
            on_click=_delete,
            args=(query.name,),
        )

    side.subheader(t("sql_history", lang))
    history = st.session_state.get("sql_history", [])
    if not history:
        side.caption(t("sql_history_none", lang))
    for i, entry in enumerate(history[:HISTORY_SHOWN]):
        text = " ".join(entry["sql"].split())
        side.button(
            f"{entry['at']} · {text[:60]}{'…' if len(text) > 60 else ''}",
            key=f"sql_history_{i}",
            help=(
                _refusal_text(lang, *entry["refusal"])
                if entry["refusal"]
                else t("rows_shown", lang, n=entry["rows"])
            ),
            on_click=_load,
            args=(entry["sql"],),
            width="stretch",
        )


# --- main area --------------------------------------------------------------------------------


def editor(lang: str) -> None:
    flash = st.session_state.pop("sql_flash", None)
    if flash:
        kind, name = flash
        if kind == "saved":
            st.success(t("sql_saved_ok", lang, name=name))
        else:
            st.info(t("sql_deleted", lang, name=name))
    st.text_area(
        t("sql_editor", lang),
        key=TEXT,
        height=180,
        placeholder="select platform, count(*) from fct_takedowns group by all",
    )
    st.button(t("sql_run", lang), key="sql_run", type="primary", on_click=_run)


def outcome(lang: str, limits: Limits) -> None:
    refusal = st.session_state.get("sql_refusal")
    if refusal:
        code, values, message = refusal
        st.error(_refusal_text(lang, code, values, message))
        if values.get("detail"):
            with st.expander(t("sql_original_error", lang)):
                st.code(values["detail"], language=None)
        return
    result = st.session_state.get("sql_result")
    if result is None:
        return
    st.caption(
        t(
            "sql_result",
            lang,
            rows=f"{result.rows:,}",
            seconds=f"{result.elapsed_seconds:.2f}",
            snapshot=result.snapshot,
        )
    )
    if result.truncated:
        st.warning(
            t("sql_truncated", lang, rows=f"{result.rows:,}", export=f"{limits.export_max_rows:,}")
        )
    frame = result.frame()
    if frame.is_empty():
        st.info(t("sql_no_rows", lang))
    st.dataframe(frame, width="stretch", hide_index=True)
    download_buttons(result, lang, limits)
    if not frame.is_empty():
        chart_builder(frame, lang)


def _downloaded(sql: str, fmt: str, snapshot: str) -> None:
    """on_click of a download button: the file is built in a worker thread (deferred data), so
    the rerun the click starts waits for it, and then says whether the file was cut."""
    queries.sql_download_wait(sql, fmt, snapshot)
    build = queries.sql_download_outcome(sql, fmt, snapshot)
    done = build.export if build is not None else None
    signin.record(
        "export",
        target=fmt,
        outcome="failed" if done is None else "ok",
        rows=done.rows if done is not None else None,
        sql=sql,
    )


def download_buttons(result: Result, lang: str, limits: Limits) -> None:
    """One button per format, built only on a click; the caps; what the last download did."""
    for column, fmt in zip(st.columns(3), queries.SQL_EXPORT_FORMATS, strict=True):
        column.download_button(
            t(f"sql_download_{fmt}", lang),
            data=functools.partial(queries.sql_export, result.sql, fmt, result.snapshot),
            file_name=f"ipgov-sql.{fmt}",
            mime=queries.SQL_MEDIA_TYPES[fmt],
            key=f"sql_download_{fmt}",
            on_click=_downloaded,
            args=(result.sql, fmt, result.snapshot),
        )
    mb = f"{limits.download_max_bytes / 1024**2:,.0f}"
    st.caption(t("sql_download_caps", lang, rows=f"{limits.export_max_rows:,}", mb=mb))
    for fmt in queries.SQL_EXPORT_FORMATS:
        build = queries.sql_download_outcome(result.sql, fmt, result.snapshot)
        if build is None:
            continue
        name = FORMAT_NAMES[fmt]
        if build.error is not None:
            detail = str(build.error)
            if isinstance(build.error, queries.SqlRefused):
                detail = _refusal_text(lang, build.error.code, build.error.values, detail)
            st.error(t("sql_download_failed", lang, fmt=name, detail=detail))
        elif build.export is not None and build.export.cut_by == "bytes":
            rows = f"{build.export.rows:,}"
            st.warning(t("sql_download_cut_bytes", lang, fmt=name, rows=rows, mb=mb))
        elif build.export is not None and build.export.cut_by == "rows":
            rows = f"{build.export.rows:,}"
            st.warning(t("sql_download_cut_rows", lang, fmt=name, rows=rows))


def chart_builder(frame: pl.DataFrame, lang: str) -> None:
    """Pick x, y and colour from the result's columns; the figure comes from dashboard.charts."""
    columns = frame.columns
    numeric = [c for c in columns if frame[c].dtype.is_numeric()]
    shape = hashlib.sha1("\x1f".join(columns).encode("utf-8")).hexdigest()[:8]
    with st.expander(t("sql_chart", lang)):
        x_col, y_col, color_col, kind_col = st.columns(4)
        x = x_col.selectbox(t("sql_chart_x", lang), columns, key=f"sql_chart_x_{shape}")
        y = y_col.selectbox(
            t("sql_chart_y", lang),
            [COUNT, *numeric],
            index=1 if numeric else 0,
            key=f"sql_chart_y_{shape}",
            format_func=lambda c: c or t("sql_row_count", lang),
        )
        color = color_col.selectbox(
            t("sql_chart_color", lang),
            [NONE, *[c for c in columns if c not in {x, y}]],
            key=f"sql_chart_color_{shape}",
            format_func=lambda c: c or t("sql_none", lang),
        )
        kind = kind_col.radio(
            t("sql_chart_kind", lang),
            list(charts.RESULT_CHART_KINDS),
            horizontal=True,
            key="sql_chart_kind",
            format_func=lambda k: t(f"sql_chart_{k}", lang),
        )
        try:
            figure = charts.result_chart(frame, x, y or None, color or None, kind, lang)
        except (pl.exceptions.PolarsError, TypeError, ValueError):
            st.info(t("sql_chart_unavailable", lang))  # e.g. a list column as x
            return
        st.plotly_chart(figure, width="stretch", key="sql_chart")


def _save(lang: str) -> None:
    """Save-button callback: runs before the page, so the sidebar lists the new query at once."""
    name = st.session_state.get("sql_save_name", "")
    try:
        saved = queries.sql_save(
            name, st.session_state.get(TEXT, ""), st.session_state.get("sql_save_description", "")
        )
    except queries.SqlRefused as e:
        st.session_state["sql_save_error"] = _refusal_text(lang, e.code, e.values, str(e))
    except IpgovError as e:
        st.session_state["sql_save_error"] = t("sql_save_failed", lang, detail=str(e))
    else:
        st.session_state["sql_flash"] = ("saved", saved.name)


def save_form(lang: str) -> None:
    with st.expander(t("sql_save_title", lang)):
        name_col, description_col = st.columns([1, 2])
        name_col.text_input(t("sql_save_name", lang), key="sql_save_name", max_chars=100)
        description_col.text_input(
            t("sql_save_description", lang), key="sql_save_description", max_chars=1000
        )
        st.button(t("sql_save", lang), key="sql_save", on_click=_save, args=(lang,))
        error = st.session_state.pop("sql_save_error", None)
        if error:
            st.error(error)


def _label(name: str, lang: str) -> str:
    """The column's name on the dashboard's tables (dashboard/columns.py), or — if none."""
    entry = column_entry(name)
    return entry.header(lang) if entry else "—"


def schema_browser(lang: str, snapshot: str) -> None:
    """Every table, view and macro with its columns' types, meanings and example values."""
    st.caption(t("sql_schema_intro", lang))
    needle = st.text_input(t("sql_schema_filter", lang), key="sql_schema_filter").strip().lower()
    try:
        docs = queries.sql_catalog(snapshot)
    except queries.SqlRefused as e:  # e.g. a view slower than the time limit
        st.error(_refusal_text(lang, e.code, e.values, str(e)))
        return
    for doc in docs:
        columns = [
            c
            for c in doc.columns
            if not needle
            or needle in doc.name.lower()
            or needle in c.name.lower()
            or needle in c.comment.lower()
            or needle in c.comment_zh
        ]
        described = f"{doc.name} {doc.comment} {doc.comment_zh}".lower()
        if needle and not columns and needle not in described:
            continue
        size = f" · {t('sql_schema_rows', lang, rows=f'{doc.rows:,}')}" if doc.rows else ""
        with st.expander(f"{doc.name} · {t(f'sql_kind_{doc.kind}', lang)}{size}"):
            if doc.meaning(lang):
                st.caption(doc.meaning(lang))
            if doc.kind == "macro":
                st.code(f"select * from {doc.name}({', '.join(doc.parameters)})", language="sql")
                continue
            st.dataframe(
                pl.DataFrame(
                    {
                        t("sql_schema_column", lang): [c.name for c in columns],
                        t("sql_schema_label", lang): [_label(c.name, lang) for c in columns],
                        t("sql_schema_type", lang): [c.type for c in columns],
                        t("sql_schema_meaning", lang): [c.meaning(lang) for c in columns],
                        t("sql_schema_examples", lang): [", ".join(c.examples) for c in columns],
                    }
                ),
                width="stretch",
                hide_index=True,
            )
