"""Streamlit entry point: page config, language switch, navigation. Run via `ipgov serve`.

Pages are functions (`render(lang)`) in dashboard/views/, registered here with st.navigation
and run through components.render_page (a damaged snapshot: one message, not a traceback).
The folder is not called pages/: Streamlit auto-registers a pages/ folder beside the main
script, which would shadow the navigation below. Page titles are bilingual constants (`both`):
Streamlit identifies a page by its title, so a title that changed with the language would reset
the page's state.
"""

import streamlit as st

from dashboard.components import render_page
from dashboard.i18n import both
from dashboard.state import lang, language_switch
from dashboard.views import (
    briefing,
    cases,
    notarizations,
    overview,
    patents,
    quality,
    referrals,
    sql,
    takedowns,
    trademarks,
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
    (sql, "page_sql", "terminal", "sql"),
    (briefing, "page_briefing", "description", "briefing"),
    (quality, "page_quality", "fact_check", "quality"),
]

st.set_page_config(page_title="ipgov", page_icon=":material/shield:", layout="wide")
language_switch()
current = lang()
navigation = st.navigation(
    [
        st.Page(
            lambda view=view: render_page(view.render, current),
            title=both(key),
            icon=f":material/{icon}:",
            url_path=path,
            default=path == "overview",
        )
        for view, key, icon, path in PAGES
    ]
)
navigation.run()
