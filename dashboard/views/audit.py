"""Audit: who signed in, viewed, queried, downloaded, loaded or changed users, and what was
refused — for admins (dashboard/access/roles.py). Filter by day, user and action; download what
is shown as CSV (that download is audited too). The trail itself is append-only (etl/appdb.py);
`ipgov audit` lists the same entries."""

from __future__ import annotations

import datetime as dt
import json

import polars as pl
import streamlit as st

from dashboard import queries
from dashboard.access.audit import ACTIONS
from dashboard.access.roles import PAGE_PERMISSION, ROLES
from dashboard.components import download, table
from dashboard.i18n import t

SHOWN = 5_000  # entries on the page; the CLI lists more
DEFAULT_DAYS = 30


PAGE_ACTIONS = ("page_view", "page_denied")
REASONS = ("none", "unknown", "ended", "idle", "disabled", "wrong", "locked", "csrf")


def _detail(text: str | None, lang: str) -> str | None:
    """An entry's details as the reader reads them: a statement as it was written, reasons and
    roles named in the language, other values as they are."""
    if not text:
        return None
    detail = json.loads(text)
    parts = []
    for key, value in detail.items():
        if key == "sql":
            parts.append(str(value))
        elif key == "reason" and value in REASONS:
            parts.append(t("audit_reason", lang, reason=t(f"audit_reason_{value}", lang)))
        elif key == "role" and value in ROLES:
            parts.append(t("audit_role", lang, role=t(f"role_{value}", lang)))
        elif value not in (None, "", [], {}):
            parts.append(f"{key}: {value}")
    return "；".join(parts) if lang == "zh" else "; ".join(parts)


def _localized(frame: pl.DataFrame, lang: str) -> pl.DataFrame:
    """Actions, results, pages and details in the reader's language."""
    actions = {a: t(f"audit_action_{a}", lang) for a in ACTIONS}
    results = {r: t(f"audit_result_{r}", lang) for r in ("ok", "refused", "failed")}
    pages = {p: t(f"page_{p}", lang) for p in PAGE_PERMISSION}
    return frame.with_columns(
        pl.when(pl.col("audit_action").is_in(PAGE_ACTIONS))
        .then(pl.col("audit_target").replace(pages))
        .otherwise(pl.col("audit_target"))
        .alias("audit_target"),
        pl.col("audit_detail").map_elements(lambda d: _detail(d, lang), return_dtype=pl.String),
    ).with_columns(
        pl.col("audit_action").replace_strict(actions, default=pl.col("audit_action")),
        pl.col("audit_result").replace_strict(results, default=pl.col("audit_result")),
    )


def render(lang: str) -> None:
    """Filters, then the entries, newest first."""
    st.title(t("page_audit", lang))
    st.caption(t("audit_intro", lang))
    today = dt.datetime.now(dt.UTC).date()
    since_col, until_col, user_col, action_col = st.columns(4)
    since = since_col.date_input(
        t("audit_since", lang), today - dt.timedelta(days=DEFAULT_DAYS), key="audit_since"
    )
    until = until_col.date_input(t("audit_until", lang), today, key="audit_until")
    user = user_col.text_input(t("audit_user", lang), key="audit_user").strip()
    action = action_col.selectbox(
        t("audit_action", lang),
        ["", *ACTIONS],
        format_func=lambda a: t(f"audit_action_{a}", lang) if a else t("audit_all", lang),
        key="audit_action",
    )
    frame = queries.audit_log(since, until, user or None, action or None, SHOWN)
    if frame.is_empty():
        st.info(t("audit_none", lang))
        return
    st.caption(t("audit_shown", lang, n=f"{frame.height:,}", most=f"{SHOWN:,}"))
    shown = _localized(frame, lang)
    table(shown, lang, key="audit_table")
    download(shown, f"audit-{since}-{until}", lang)
