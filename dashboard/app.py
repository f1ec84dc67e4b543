"""Streamlit entry point: page config, language switch, navigation. Run via `ipgov serve`.

Pages are functions (`render(lang)`) in dashboard.views/, registered here with st.navigation.
"""

import streamlit as st

from dashboard.i18n import both
from dashboard.state import lang, language_switch
from dashboard.views import overview

st.set_page_config(page_title="ipgov", page_icon="🛡️", layout="wide")
language_switch()
current = lang()
navigation = st.navigation(
    [
        st.Page(
            lambda: overview.render(current),
            title=both("page_overview"),
            icon="📊",
            url_path="overview",
            default=True,
        ),
    ]
)
navigation.run()
