"""Session-wide UI state shared by the pages: the language, kept in the URL so links keep it."""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES


def lang() -> str:
    """The chosen language: the switch's state, else the ?lang= query parameter, else zh."""
    if "lang" not in st.session_state:
        requested = st.query_params.get("lang", DEFAULT_LANGUAGE)
        st.session_state["lang"] = requested if requested in LANGUAGES else DEFAULT_LANGUAGE
    return st.session_state["lang"]


def language_switch() -> None:
    """Sidebar control bound to the session's language; the choice is mirrored into the URL."""
    lang()
    st.sidebar.radio(
        "语言 / Language", list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True, key="lang"
    )
    st.query_params["lang"] = st.session_state["lang"]
