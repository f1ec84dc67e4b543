"""督办 / Supervision worklist: every open item late or due soon on the data's last day — live
listings past the takedown deadline, advisory opinions not issued in time, cases open too long,
referrals the partner has not answered — with its age in working days, platform, park and
partner, and a link to the page listing the record. The deadlines are dashboard/targets.py's
(the Overview's too); the items are the snapshot's worklist_items (etl/sql/kpis). Everyone with
the page sees the counts; the items name companies' cases, so the list and its CSV need the
`records` permission (analyst and above), as the Overview's attention list does."""

from __future__ import annotations

import streamlit as st

from dashboard import queries, targets, worklist
from dashboard.columns import local_codes
from dashboard.components import fmt, page_setup, record_list
from dashboard.i18n import t

APPLIES = ("platforms", "locations", "ip_types", "regions")
KINDS, STATUSES = worklist.KINDS, worklist.STATUSES


def _deadline_caption(deadlines: targets.Deadlines, lang: str) -> str:
    return t(
        "worklist_deadlines",
        lang,
        takedown=deadlines.takedown_workdays,
        opinion=deadlines.opinion_workdays,
        case=deadlines.case_open_days,
        referral=deadlines.referral_workdays,
        near=deadlines.near_workdays,
    )


def tiles(counts, lang: str) -> None:
    """Per kind: how many are late, and under it how many are due soon."""
    names = local_codes(lang)["worklist_kind"]
    found = {(r["item_kind"], r["item_status"]): r["items"] for r in counts.iter_rows(named=True)}
    columns = st.columns(len(KINDS))
    for column, kind in zip(columns, KINDS, strict=True):
        with column, st.container(border=True):
            st.metric(names[kind], fmt(found.get((kind, "late"), 0), lang=lang))
            st.caption(t("worklist_due_short", lang, n=fmt(found.get((kind, "due"), 0), lang=lang)))


def render(lang: str) -> None:
    """The page, top to bottom."""
    ctx = page_setup(lang, "page_worklist", APPLIES)
    if ctx is None:
        return
    last_day = queries.data_days(ctx.snapshot)[1]
    deadlines = targets.deadlines()
    st.caption(t("worklist_scope", lang, date=last_day.isoformat()))
    st.caption(_deadline_caption(deadlines, lang))

    names = local_codes(lang)
    left, right = st.columns(2)
    kinds = left.multiselect(
        t("worklist_kinds", lang),
        KINDS,
        format_func=lambda k: names["worklist_kind"][k],
        key="wl_kinds",
        placeholder=t("worklist_all", lang),
    )
    statuses = right.multiselect(
        t("worklist_statuses", lang),
        STATUSES,
        format_func=lambda s: names["worklist_status"][s],
        key="wl_statuses",
        placeholder=t("worklist_all", lang),
    )
    params = worklist.params(last_day, ctx.filters, tuple(kinds), tuple(statuses))
    counts = queries.frame("worklist_counts", ctx.snapshot, params)
    tiles(counts, lang)
    provisional = int(counts["provisional_items"].sum()) if counts.height else 0
    if provisional:
        st.warning(t("worklist_provisional", lang, n=fmt(provisional, lang=lang)))
    if counts.is_empty():
        st.success(t("worklist_none", lang, date=last_day.isoformat()))
        return
    st.subheader(t("worklist_items", lang))
    record_list("worklist", ctx.snapshot, params, f"worklist_{last_day}", lang)
