"""Data quality: which files the gate loaded, held back or rejected, from whom, and why.

Officials see which sender's files fail and on which rule; clerks see the exact row, column and
reason to fix, and download the list as CSV. Everything comes from the published snapshot's
quality marts (fct_load_files, fct_quarantine, fct_rejections) via the query layer.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import charts, queries
from dashboard.columns import local_codes
from dashboard.components import codes_now, table
from dashboard.display import csv_bytes
from dashboard.i18n import t

STATUSES = ["open", "resolved", "superseded"]


# The reason comes first: a clerk reads what is wrong, then where (file, row, column, value).
FILE_COLUMNS = [
    "message",
    "verdict",
    "source_file",
    "sender",
    "kind",
    "rows_read",
    "rows_loaded",
    "rows_quarantined",
    "judged_at",
    "load_id",
]
ROW_COLUMNS = [
    "message",
    "rule",
    "source_file",
    "source_row",
    "column_name",
    "raw_value",
    "key_value",
    "status",
    "kind",
    "sender",
    "quarantined_on",
]
SENDER_COLUMNS = ["sender", "kind", "top_rule", "open_rows", "rejected", "quarantined", "files"]


def _reason_first(frame: pl.DataFrame, lang: str, columns: list[str]) -> pl.DataFrame:
    """The message in the reader's language as `message`, then the columns in reading order."""
    named = frame.with_columns(pl.col(f"message_{lang}").alias("message"))
    return named.select([c for c in columns if c in named.columns])


def render(lang: str) -> None:
    """The page, top to bottom: filters, tiles, verdicts over time, senders, files, rows."""
    st.title(t("page_quality", lang))
    snapshot = queries.snapshot_id()
    if snapshot is None:
        st.info(t("no_data", lang))
        return
    everything = queries.quality_files(snapshot)
    if everything is None:
        st.info(t("q_unavailable", lang))
        return
    st.caption(t("q_intro", lang))

    left, middle, right = st.columns(3)
    kind_names = local_codes(lang).get("record_kind", {})
    kinds = left.multiselect(
        t("q_kinds", lang),
        sorted(everything["kind"].unique().to_list()),
        key="q_kinds",
        format_func=lambda k: kind_names.get(k, k),
        placeholder=t("all", lang),
        select_all=False,
    )
    senders = middle.multiselect(
        t("q_senders", lang),
        sorted(everything["sender"].unique().to_list()),
        key="q_senders",
        placeholder=t("all", lang),
        select_all=False,
    )
    statuses = right.multiselect(
        t("q_status", lang),
        STATUSES,
        default=["open"],
        format_func=lambda s: t(f"q_status_{s}", lang),
        key="q_status",
        placeholder=t("all", lang),
        select_all=False,
    )
    files = queries.quality_files(snapshot, kinds, senders)
    cells = queries.quality_quarantine(snapshot, kinds, senders)
    shown = queries.quality_quarantine(snapshot, kinds, senders, statuses)

    rows = cells.select("source_file", "source_row", "status").unique()
    tiles = st.columns(4)
    tiles[0].metric(t("q_files", lang), f"{files.height:,}")
    tiles[1].metric(t("q_rejected_files", lang), f"{(files['verdict'] == 'rejected').sum():,}")
    tiles[2].metric(t("q_open_rows", lang), f"{(rows['status'] == 'open').sum():,}")
    tiles[3].metric(t("q_resolved_rows", lang), f"{(rows['status'] == 'resolved').sum():,}")

    by_day = queries.quality_by_day(files)
    if by_day.height:
        st.plotly_chart(charts.quality_verdicts(by_day, lang), width="stretch", key="q_verdicts")

    st.subheader(t("q_by_sender", lang))
    by_sender = queries.quality_by_sender(files, cells)
    table(by_sender.select([c for c in SENDER_COLUMNS if c in by_sender.columns]), lang, "q_s")

    st.subheader(t("q_history", lang))
    history = _reason_first(files, lang, FILE_COLUMNS)
    table(history, lang, key="q_files")
    st.download_button(
        t("q_download", lang),
        csv_bytes(history, lang, codes_now(lang)),
        "quality_files.csv",
        "text/csv",
        key="q_files_csv",
    )

    st.subheader(t("q_quarantine", lang))
    if shown.is_empty():
        st.info(t("q_none", lang))
        return
    rows_shown = _reason_first(shown, lang, ROW_COLUMNS)
    table(rows_shown, lang, key="q_rows")
    st.download_button(
        t("q_download", lang),
        csv_bytes(rows_shown, lang, codes_now(lang)),
        "quarantine.csv",
        "text/csv",
        key="q_rows_csv",
    )
