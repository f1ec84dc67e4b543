"""Data quality: which files the gate loaded, held back or rejected, from whom, and why.

Officials see which sender's files fail and on which rule; clerks see the exact row, column and
reason to fix, and download the list as CSV. Everything comes from the published snapshot's
quality marts (fct_load_files, fct_quarantine, fct_rejections) via the query layer.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.i18n import t

STATUSES = ["open", "resolved", "superseded"]
VERDICTS = ["ok", "quarantined", "rejected"]


def _csv(frame: pl.DataFrame) -> bytes:
    """UTF-8 with a byte-order mark, so Excel on a Chinese Windows opens it correctly."""
    return frame.write_csv().encode("utf-8-sig")


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
    kinds = left.multiselect(
        t("q_kinds", lang), sorted(everything["kind"].unique().to_list()), key="q_kinds"
    )
    senders = middle.multiselect(
        t("q_senders", lang), sorted(everything["sender"].unique().to_list()), key="q_senders"
    )
    statuses = right.multiselect(
        t("q_status", lang),
        STATUSES,
        default=["open"],
        format_func=lambda s: t(f"q_status_{s}", lang),
        key="q_status",
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

    st.subheader(t("q_loads_over_time", lang))
    by_day = queries.quality_by_day(files)
    series = [v for v in VERDICTS if v in by_day.columns]
    if series:
        named = by_day.rename({v: t(f"verdict_{v}", lang) for v in series})
        st.bar_chart(
            named,
            x="judged_on",
            y=[t(f"verdict_{v}", lang) for v in series],
            color=["#2e7d32", "#f9a825", "#c62828"][: len(series)]
            if series == VERDICTS[: len(series)]
            else None,
        )

    st.subheader(t("q_by_sender", lang))
    st.dataframe(queries.quality_by_sender(files, cells), hide_index=True, width="stretch")

    st.subheader(t("q_history", lang))
    history = files.with_columns(
        pl.col("verdict").replace({v: t(f"verdict_{v}", lang) for v in VERDICTS}),
        pl.col(f"message_{lang}").alias("reason"),
    ).drop("message_zh", "message_en")
    st.dataframe(history, hide_index=True, width="stretch")
    st.download_button(
        t("q_download", lang), _csv(history), "quality_files.csv", "text/csv", key="q_files_csv"
    )

    st.subheader(t("q_quarantine", lang))
    if shown.is_empty():
        st.info(t("q_none", lang))
        return
    table = shown.with_columns(
        pl.col("status").replace({s: t(f"q_status_{s}", lang) for s in STATUSES}),
        pl.col(f"message_{lang}").alias("message"),
    ).drop("message_zh", "message_en")
    st.dataframe(table, hide_index=True, width="stretch")
    st.download_button(
        t("q_download", lang), _csv(table), "quarantine.csv", "text/csv", key="q_rows_csv"
    )
