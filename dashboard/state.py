"""Session-wide UI state shared by the pages: the language, kept in the URL so links keep it.

The switch's choice lives under "lang" (the radio's key, drawn on every run by app.py). A
`?lang=` that differs from what the last run wrote (a shared link, browser back/forward) wins.
"""

from __future__ import annotations

import streamlit as st

from dashboard.i18n import DEFAULT_LANGUAGE, LANGUAGES

WRITTEN_KEY = "_lang_url"


def lang() -> str:
    """The chosen language: the switch's state, else the ?lang= query parameter, else zh."""
    requested = st.query_params.get("lang")
    if requested in LANGUAGES and requested != st.session_state.get(WRITTEN_KEY):
        st.session_state["lang"] = requested
    if st.session_state.get("lang") not in LANGUAGES:
        st.session_state["lang"] = DEFAULT_LANGUAGE
    return st.session_state["lang"]


def language_switch() -> str:
    """Sidebar control bound to the session's language; the choice is mirrored into the URL.
    Returns the language this run draws in."""
    lang()
    chosen = st.sidebar.radio(
        "语言 / Language", list(LANGUAGES), format_func=LANGUAGES.get, horizontal=True, key="lang"
    )
    if st.query_params.get("lang") != chosen:  # every write adds a browser history entry
        st.query_params["lang"] = chosen
    st.session_state[WRITTEN_KEY] = chosen
    return chosen
