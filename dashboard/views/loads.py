"""Loads (数据加载记录): every load — who, when, which files with what outcome, the snapshot it
published, its quality report — and the published snapshots, with a rollback to an earlier one
— for stewards and admins (dashboard/access/roles.py, permission "load").

The history comes from the loads' reports and the audit trail (dashboard/core/loads.py), not
from the current snapshot, so it stays whole after a rollback. A rollback takes two clicks:
choose the snapshot and "Roll back…", which shows what would be withdrawn and how the record
counts change; then "Confirm", which runs the same rollback as `ipgov rollback`, as the
signed-in user, audited (dashboard/loads.py). The confirmation remembers the current snapshot
it was shown against: if another load or rollback moves it first, nothing is rolled back.
"""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import formats, loads, queries, signin
from dashboard.columns import local_codes
from dashboard.components import table
from dashboard.i18n import t
from etl.errors import IpgovError

PENDING = "loads_pending"  # (target, current it was confirmed against), between the two clicks
DONE = "loads_done"  # the last rollback's RolledBack, shown once after the rerun
LOAD_COLUMNS = [
    "loaded_at",
    "loaded_by",
    "load_state",
    "files_loaded",
    "files_skipped",
    "files_rejected",
    "rows_loaded",
    "rows_quarantined",
    "snapshot_id",
    "load_id",
]
FILE_COLUMNS = [
    "source_file",
    "kind",
    "load_status",
    "rows_read",
    "rows_valid",
    "rows_quarantined",
    "message_zh",
    "message_en",
]


def _joined(items: list[str], lang: str) -> str:
    return ("、" if lang == "zh" else ", ").join(items) or "—"


def _show_done(lang: str) -> None:
    done = st.session_state.pop(DONE, None)
    if done is None:
        return
    st.success(t("loads_done", lang, snapshot=done.snapshot, previous=done.previous or "—"))
    if done.withdrawn:
        st.info(t("loads_done_withdrawn", lang, loads=_joined(done.withdrawn, lang)))
    if done.reinstated:
        st.info(t("loads_done_reinstated", lang, loads=_joined(done.reinstated, lang)))


def _files_of_a_load(history: queries.LoadHistory, lang: str) -> None:
    """One load's files, its report to download and the way to the Data quality page."""
    who = dict(zip(history.loads["load_id"], history.loads["loaded_by"], strict=True))
    n_files = history.files.group_by("load_id").len()
    counts = dict(zip(n_files["load_id"], n_files["len"], strict=True))
    ids = history.loads["load_id"].to_list()
    at = dict(zip(ids, history.loads["loaded_at"], strict=True))
    chosen = st.selectbox(
        t("loads_files_of", lang),
        ids,
        format_func=lambda i: t(
            "loads_pick",
            lang,
            at=formats.moment(at[i]),
            who=who.get(i) or t("loads_who_unknown", lang),
            n=counts.get(i, 0),
        ),
        key="loads_pick",
    )
    if chosen is None:
        return
    files = history.files.filter(pl.col("load_id") == chosen)
    table(files.select(FILE_COLUMNS), lang, key="loads_files")
    report = queries.load_report(chosen)
    left, right = st.columns(2)
    if report is None:
        left.caption(t("loads_no_report", lang))
    else:
        left.download_button(
            t("loads_report", lang),
            report,
            f"load-{chosen}.json",
            "application/json",
            key="loads_report",
            on_click=lambda: signin.record("download", target=f"load-{chosen}.json"),
        )
    right.markdown(f"[{t('loads_quality_link', lang)}](quality?lang={lang})")
    st.caption(t("loads_data_docs", lang, load_id=chosen))


def _confirm(lang: str) -> None:
    """The confirmation step: what the rollback would do, then Confirm or Cancel."""
    target, confirmed_current = st.session_state[PENDING]
    plan = queries.rollback_plan(target)
    st.warning(t("loads_confirm_what", lang, target=target, current=plan.current or "—"))
    if plan.withdraw:
        st.warning(
            t(
                "loads_confirm_withdraw",
                lang,
                n=len(plan.withdraw),
                loads=_joined(plan.withdraw, lang),
            )
        )
        table(plan.files.select(["load_id", *FILE_COLUMNS]), lang, key="loads_plan_files")
    else:
        st.info(t("loads_confirm_nothing", lang))
    if plan.reinstate:
        st.info(
            t(
                "loads_confirm_reinstate",
                lang,
                n=len(plan.reinstate),
                loads=_joined(plan.reinstate, lang),
            )
        )
    st.caption(t("loads_counts", lang))
    table(plan.counts, lang, key="loads_counts")
    left, right = st.columns(2)
    if left.button(t("loads_confirm", lang), type="primary", key="loads_confirm"):
        st.session_state.pop(PENDING, None)
        try:
            done = loads.roll_back(queries.paths(), target, signin.user(), confirmed_current)
        except loads.Changed:
            st.error(t("loads_changed", lang))
            return
        except IpgovError as e:
            busy = "in use by another" in str(e)
            st.error(t("loads_busy_now", lang) if busy else t("loads_failed", lang, error=str(e)))
            return
        st.session_state[DONE] = done
        st.rerun()
    if right.button(t("loads_cancel", lang), key="loads_cancel"):
        st.session_state.pop(PENDING, None)
        st.rerun()


def _rollback(snapshots: pl.DataFrame, lang: str) -> None:
    """Choose a snapshot, then "Roll back…" (the confirmation follows)."""
    st.subheader(t("loads_rollback", lang))
    st.caption(t("loads_rollback_intro", lang))
    others = snapshots.filter(pl.col("snapshot_state") != "current")
    if others.is_empty():
        st.info(t("loads_only_one", lang))
        return
    states = local_codes(lang)["snapshot_state"]
    described = {
        row["snapshot_id"]: t(
            "loads_target_option",
            lang,
            snapshot=row["snapshot_id"],
            state=states[row["snapshot_state"]],
            at=formats.moment(row["published_at"]),
        )
        for row in others.iter_rows(named=True)
    }
    target = st.selectbox(
        t("loads_target", lang), list(described), format_func=described.get, key="loads_target"
    )
    if st.button(t("loads_ask", lang), key="loads_ask"):
        st.session_state[PENDING] = (target, queries.snapshot_id())
    pending = st.session_state.get(PENDING)
    if pending and pending[0] != target:  # another snapshot chosen: ask again
        st.session_state.pop(PENDING, None)
    elif pending:
        _confirm(lang)


def render(lang: str) -> None:
    """Loads, one load's files, the snapshots, the rollback."""
    st.title(t("page_loads", lang))
    st.caption(t("loads_intro", lang))
    _show_done(lang)
    history = queries.load_history()
    snapshots = queries.snapshot_list()
    if history.loads.is_empty() and snapshots.is_empty():
        st.info(t("loads_none", lang))
        return
    if not history.withdrawn_known:
        st.warning(t("loads_busy", lang))

    st.subheader(t("loads_history", lang))
    if history.loads.is_empty():
        st.info(t("loads_none", lang))
    else:
        table(history.loads.select(LOAD_COLUMNS), lang, key="loads_table")
        _files_of_a_load(history, lang)

    st.subheader(t("loads_snapshots", lang))
    table(snapshots, lang, key="loads_snapshots")
    _rollback(snapshots, lang)
