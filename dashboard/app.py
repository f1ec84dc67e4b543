"""Streamlit entry point: page config, language switch, navigation. Run via `ipgov serve`.

Pages are functions (`render(lang)`) in dashboard/views/, registered here with st.navigation
and run through components.render_page (a damaged snapshot or an unexpected error: one message
in the reader's language, not a traceback). The folder is not called pages/: Streamlit
auto-registers a pages/ folder beside the main script, which would shadow the navigation below.

Every run first checks the signed-in session (dashboard/signin.py; the guard in front of
Streamlit, dashboard/access/web.py, refused every request without one). A page the user's role
may not open is still registered at its path, hidden, showing a "no permission" note that is
audited — so a deep link is refused, not a "page not found".

Streamlit identifies a page by its URL path (the hash of `url_path`), so titles follow the
chosen language without losing state. The Overview is the default page, served at "/"; the
path /overview (a natural deep link) is registered as a hidden alias of it, and a path that
names no page gets a hidden page saying so in the reader's language, instead of Streamlit's
English "Page not found" dialog.
"""

from __future__ import annotations

import re
from pathlib import Path

import streamlit as st

from dashboard import signin
from dashboard.access.roles import may_open
from dashboard.components import render_page
from dashboard.i18n import t
from dashboard.state import language_switch
from dashboard.views import (
    alerts,  # issue 16
    audit,
    briefing,
    cases,
    compare,
    loads,
    notarizations,
    overview,
    patents,
    quality,
    referrals,
    sql,
    takedowns,
    trademarks,
    upload,
    worklist,  # issue 16
)

# (module with render(lang), catalogue key of the title, Material icon, URL path)
PAGES = [
    (overview, "page_overview", "dashboard", "overview"),
    (takedowns, "page_takedowns", "timer", "takedowns"),
    (cases, "page_cases", "folder_open", "cases"),
    (patents, "page_patents", "workspace_premium", "patents"),
    (trademarks, "page_trademarks", "verified", "trademarks"),
    (notarizations, "page_notarizations", "fingerprint", "notarizations"),
    (referrals, "page_referrals", "swap_horiz", "referrals"),
    (compare, "page_compare", "compare_arrows", "compare"),  # issue 16
    (worklist, "page_worklist", "assignment_late", "worklist"),  # issue 16
    (alerts, "page_alerts", "notifications", "alerts"),  # issue 16
    (sql, "page_sql", "terminal", "sql"),
    (briefing, "page_briefing", "description", "briefing"),
    (quality, "page_quality", "fact_check", "quality"),
    (upload, "page_upload", "upload_file", "upload"),
    (loads, "page_loads", "history", "loads"),
    (audit, "page_audit", "policy", "audit"),
]
# The default page is served at "/" but reserves its own path, which a visit to it does not
# find: so it reserves this one, and /overview is a hidden alias that does resolve.
DEFAULT_PATH = "ipgov-home"
# The tab's icon, served by the dashboard itself: a Material symbol as page_icon is fetched by the
# browser from fonts.gstatic.com, which an office intranet does not reach.
ICON = Path(__file__).resolve().parent / "assets" / "ipgov-icon.png"
_SAFE_PATH = re.compile(r"^[A-Za-z0-9_.~-]{1,80}$")


def requested_path() -> str | None:
    """The page path the browser asked for in this run, if Streamlit says (internal API: any
    change there only brings back Streamlit's own not-found dialog)."""
    try:
        from streamlit.runtime.scriptrunner import get_script_run_ctx

        ctx = get_script_run_ctx()
        name = ctx.pages_manager.intended_page_name if ctx else None
    except Exception:
        return None
    return name.strip("/") if isinstance(name, str) else None


def not_found_page(path: str, lang: str) -> st.Page | None:
    """A hidden page at a path that names no page: the note, then the Overview."""
    if not _SAFE_PATH.match(path):
        return None

    def show() -> None:
        st.warning(t("page_not_found", lang, path=path))
        render_page(overview.render, lang)

    return st.Page(show, title=t("page_overview", lang), url_path=path, visibility="hidden")


def _shown(view, path: str, lang: str):
    """The page function: the view, recorded as a view of `path`."""

    def show() -> None:
        signin.viewed(path)
        render_page(view.render, lang)

    return show


def _refused(path: str, lang: str):
    def show() -> None:
        signin.denied(path, lang)

    return show


st.set_page_config(page_title="ipgov", page_icon=str(ICON), layout="wide")
current = language_switch()
session = signin.require(current)  # or a note and st.stop()
signin.sign_out(current)
pages = []
for view, key, icon, path in PAGES:
    mine = may_open(session.role, path)
    pages.append(
        st.Page(
            _shown(view, path, current) if mine else _refused(path, current),
            title=t(key, current),
            icon=f":material/{icon}:",
            url_path=DEFAULT_PATH if path == "overview" else path,
            default=path == "overview",
            visibility="visible" if mine else "hidden",
        )
    )
pages.append(
    st.Page(
        _shown(overview, "overview", current),
        title=t("page_overview", current),
        url_path="overview",
        visibility="hidden",
    )
)
asked = requested_path()
if asked and asked not in {DEFAULT_PATH, *(p for *_, p in PAGES)}:
    extra = not_found_page(asked, current)
    if extra is not None:
        pages.append(extra)
# every page listed: past twelve, a collapsed menu would say "View N more" in English
navigation = st.navigation(pages, expanded=True)
st.set_page_config(page_title=f"{navigation.title} · ipgov")
navigation.run()
