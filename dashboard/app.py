"""Streamlit entry point: page config, language switch, navigation. Run via `ipgov serve`."""

from pathlib import Path

import streamlit as st

from dashboard.i18n import t
from dashboard.state import lang, language_switch

PAGES = Path(__file__).parent / "pages"

st.set_page_config(page_title="ipgov", page_icon="🛡️", layout="wide")
language_switch()
current = lang()
navigation = st.navigation(
    [
        st.Page(
            PAGES / "overview.py",
            title=t("page_overview", current),
            icon="📊",
            url_path="overview",
            default=True,
        ),
    ]
)
navigation.run()
