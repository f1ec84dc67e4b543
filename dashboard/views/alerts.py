"""Alerts: first any send given up (it failed IPGOV_ALERT_MAX_ATTEMPTS runs in a row and is
no longer retried), which an admin may re-queue; then what `ipgov alerts run` sent, to whom,
and whether it went out (a failed send is retried on the next run and shown here in red until
it does); then the rules and the recipient groups. Analysts and above see it; only an admin
re-queues, edits rules and recipients, and every edit is audited (`alert_requeue`,
`alert_rule`, `alert_recipient`). The runs themselves come from cron or a systemd
timer (docs/operations.md), not from this page."""

from __future__ import annotations

import polars as pl
import streamlit as st

from dashboard import queries, signin
from dashboard.columns import local_codes
from dashboard.components import table
from dashboard.i18n import t
from etl.errors import IpgovError

STATES = {"worklist": ("late", "due"), "kpi": ("watch", "alert")}


def _rule_label(rule, lang: str) -> str:
    if rule.kind == "worklist":
        return local_codes(lang)["worklist_kind"].get(rule.subject, rule.subject)
    return t(f"alert_kpi_{rule.subject}", lang)


def _state_label(state: str, lang: str) -> str:
    return t(f"alert_state_{state}", lang)


def _error(row: dict, lang: str) -> str:
    """A failed send's last error explained in `lang`, the server's words as code (verbatim,
    and no markdown inside them); a send recorded before failures had a kind shows those
    words only."""
    detail = "`{}`".format((row["alert_error"] or "").replace("`", "'"))
    kind = row["alert_error_kind"]
    return t(f"alert_error_{kind}", lang, detail=detail) if kind else detail


def sends(lang: str) -> None:
    st.subheader(t("alerts_sends", lang))
    frame = queries.alert_sends()
    if frame.is_empty():
        st.info(t("alerts_no_sends", lang))
        return
    failed = frame.filter(pl.col("alert_status") == "failed")
    if failed.height:
        st.error(
            t("alerts_failed", lang, n=failed.height, error=_error(failed.row(0, named=True), lang))
        )
    table(frame, lang, key="alert_sends")


def given_up(lang: str, admin: bool) -> None:
    """Sends that failed IPGOV_ALERT_MAX_ATTEMPTS runs in a row: no longer retried, so listed
    apart, however old, with an admin's re-queue (audited `alert_requeue`)."""
    requeued = st.session_state.pop("alert_requeued", None)
    if requeued is not None:
        st.success(t("alerts_requeued", lang))
    frame = queries.alert_given_up()
    if frame.is_empty():
        return
    st.subheader(t("alerts_given_up_title", lang))
    latest = frame.row(frame.height - 1, named=True)
    attempts = queries.alert_max_attempts()
    error = _error(latest, lang)
    st.error(t("alerts_given_up", lang, n=frame.height, attempts=attempts, error=error))
    shown = frame.select(
        "alert_send_id", "alert_created_at", "alert_group", "alert_channel", "alert_address",
        "alert_attempts", "alert_error_kind", "alert_error",
    )  # fmt: skip
    table(shown, lang, key="alert_given_up")
    if not admin:
        return
    channels = local_codes(lang)["alert_channel"]
    rows = {r["alert_send_id"]: r for r in frame.iter_rows(named=True)}
    with st.form("alert_requeue_form"):
        pick = st.selectbox(
            t("alerts_requeue_which", lang),
            list(rows),
            format_func=lambda i: (
                f"{i} · {rows[i]['alert_group']} · {channels[rows[i]['alert_channel']]} · "
                f"{rows[i]['alert_address']}"
            ),
            key="alert_requeue_pick",
        )
        if st.form_submit_button(t("alerts_requeue", lang)):
            try:
                done = queries.alert_requeue(pick, signin.user() or "")
            except IpgovError as e:
                st.error(str(e))
            else:
                signin.record(
                    "alert_requeue", target=f"{done.channel}:{done.address}", send_id=done.id,
                    group=done.group, attempts=done.attempts, error_kind=done.error_kind,
                )  # fmt: skip
                st.session_state["alert_requeued"] = done.id
                st.rerun()


def rules(lang: str, admin: bool) -> None:
    st.subheader(t("alerts_rules", lang))
    found = queries.alert_rules()
    frame = pl.DataFrame(
        {
            "alert_rule": [_rule_label(r, lang) for r in found],
            "alert_states": [
                "、".join(_state_label(s, lang) for s in r.states)
                if lang == "zh"
                else ", ".join(_state_label(s, lang) for s in r.states)
                for r in found
            ],
            "alert_group": [r.group for r in found],
            "alert_enabled": [r.enabled for r in found],
            "alert_updated_by": [r.updated_by for r in found],
        },
        schema={
            "alert_rule": pl.String,
            "alert_states": pl.String,
            "alert_group": pl.String,
            "alert_enabled": pl.Boolean,
            "alert_updated_by": pl.String,
        },
    )
    table(frame, lang, key="alert_rules")
    if not admin:
        return
    names = {r.name: r for r in found}
    name = st.selectbox(
        t("alerts_rule", lang),
        list(names),
        format_func=lambda n: _rule_label(names[n], lang),
        key="alert_rule_name",
    )
    rule = names[name]
    with st.form("alert_rule_form"):  # keyed by rule: each opens with its own values
        chosen = st.multiselect(
            t("alerts_states", lang),
            STATES[rule.kind],
            default=list(rule.states),
            format_func=lambda s: _state_label(s, lang),
            key=f"alert_rule_states_{name}",
        )
        group = st.text_input(t("alerts_group", lang), rule.group, key=f"alert_rule_group_{name}")
        enabled = st.checkbox(
            t("alerts_enabled", lang), rule.enabled, key=f"alert_rule_enabled_{name}"
        )
        if st.form_submit_button(t("alerts_save", lang)):
            try:
                saved = queries.alert_save_rule(
                    name, tuple(chosen), group, enabled, signin.user() or ""
                )
            except IpgovError as e:
                st.error(str(e))
            else:
                signin.record(
                    "alert_rule", target=name, states=list(saved.states),
                    group=saved.group, enabled=saved.enabled,
                )  # fmt: skip
                st.success(t("alerts_saved", lang))


def recipients(lang: str, admin: bool) -> None:
    st.subheader(t("alerts_recipients", lang))
    found = queries.alert_recipients()
    frame = pl.DataFrame(
        {
            "alert_group": [r.group for r in found],
            "alert_channel": [r.channel for r in found],
            "alert_address": [r.address for r in found],
            "alert_added_by": [r.added_by or t("alerts_from_settings", lang) for r in found],
        },
        schema={
            "alert_group": pl.String,
            "alert_channel": pl.String,
            "alert_address": pl.String,
            "alert_added_by": pl.String,
        },
    )
    if frame.is_empty():
        st.warning(t("alerts_no_recipients", lang))
    else:
        table(frame, lang, key="alert_recipients")
    if not admin:
        return
    channels = local_codes(lang)["alert_channel"]
    with st.form("alert_recipient_form", clear_on_submit=True):
        group = st.text_input(t("alerts_group", lang), "default", key="alert_new_group")
        channel = st.selectbox(
            t("alerts_channel", lang),
            list(channels),
            format_func=channels.get,
            key="alert_new_channel",
        )
        address = st.text_input(t("alerts_address", lang), key="alert_new_address")
        if st.form_submit_button(t("alerts_add", lang)):
            try:
                added = queries.alert_add_recipient(group, channel, address, signin.user() or "")
            except IpgovError as e:
                st.error(str(e))
            else:
                signin.record(
                    "alert_recipient", target=f"{added.channel}:{added.address}",
                    group=added.group, change="add",
                )  # fmt: skip
                st.rerun()
    removable = [r for r in found if r.added_by is not None]
    if removable:
        with st.form("alert_remove_form"):
            pick = st.selectbox(
                t("alerts_remove_which", lang),
                range(len(removable)),
                format_func=lambda i: (
                    f"{removable[i].group} · {channels[removable[i].channel]} · "
                    f"{removable[i].address}"
                ),
                key="alert_remove_pick",
            )
            if st.form_submit_button(t("alerts_remove", lang)):
                r = removable[pick]
                if queries.alert_remove_recipient(r.group, r.channel, r.address):
                    signin.record(
                        "alert_recipient", target=f"{r.channel}:{r.address}",
                        group=r.group, change="remove",
                    )  # fmt: skip
                st.rerun()


def render(lang: str) -> None:
    """The page, top to bottom."""
    st.title(t("page_alerts", lang))
    st.caption(t("alerts_about", lang))
    admin = signin.allowed("alert_rules")
    given_up(lang, admin)
    sends(lang)
    rules(lang, admin)
    recipients(lang, admin)
