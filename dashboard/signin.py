"""The Streamlit side of access control: who is signed in on this run, what they may see, and
the audit rows of what they do there.

The guard in front of Streamlit (dashboard/access/web.py) already refused every request without
a live session; this checks the session again on every script run, because a websocket stays
open past sign-out in another tab, the idle timeout and an admin disabling the account. The
token is read from the cookie the websocket was opened with and kept in the session state (the
server's memory, not the browser's): a test sets it there to run the app as a signed-in user.
"""

from __future__ import annotations

import html

import streamlit as st

from dashboard.access import accounts, audit, roles, sessions, sso, web
from dashboard.i18n import t
from etl import settings, warehouse

TOKEN_KEY = "_ipgov_session_token"
ROLE_KEY = "_ipgov_role"
USER_KEY = "_ipgov_user"
PAGE_KEY = "_ipgov_page"  # the page the last run showed: a page view is a change of it


def _paths() -> warehouse.WarehousePaths:
    return warehouse.WarehousePaths(settings.db_path())


def _forget() -> None:
    for key in (TOKEN_KEY, ROLE_KEY, USER_KEY, PAGE_KEY):
        st.session_state.pop(key, None)


def _link(label: str, href: str) -> None:
    """A link that opens in this tab (Streamlit's markdown links open a new one): the sign-in
    and sign-out routes belong to the tab whose session just ended."""
    st.markdown(
        f'<a href="{html.escape(href)}" target="_self">{html.escape(label)}</a>',
        unsafe_allow_html=True,
    )


def _signed_out(lang: str, why: str, provider: str | None = None) -> None:
    """The note for a run without a live session, then nothing else of the app; after a
    single sign-on user's sign-out, also the link that signs them out of the provider."""
    minutes = f"{settings.current().session_idle_minutes:g}"
    key = {"idle": "session_idle", "disabled": "session_disabled"}.get(why, "session_ended")
    st.warning(t(key, lang, minutes=minutes))
    _link(t("sign_in_again", lang), f"{web.SIGNIN}?lang={lang}")
    if provider:
        _link(t("signout_at_provider", lang, provider=provider), f"{web.SSO_SIGNOUT}?lang={lang}")
    _forget()
    st.stop()


def _provider_of(paths: warehouse.WarehousePaths, user: str | None) -> str | None:
    """The single sign-on provider's label when `user` signed in through it, else None."""
    config = sso.current()
    if config is None or user is None:
        return None
    account = accounts.find(paths, user)
    return config.label if account is not None and account.source == "sso" else None


def require(lang: str) -> sessions.Session:
    """The live session of this run; otherwise a note in the reader's language and st.stop()."""
    paths = _paths()
    token = st.session_state.get(TOKEN_KEY) or st.context.cookies.get(sessions.COOKIE)
    session, why = sessions.resolve(paths, token)
    if session is None:
        if why in ("idle", "disabled"):
            user = st.session_state.get(USER_KEY)
            audit.record(paths, user, "session_end", outcome="ok", reason=why)
        _signed_out(lang, why)
    st.session_state[TOKEN_KEY] = token
    st.session_state[USER_KEY] = session.user
    st.session_state[ROLE_KEY] = session.role
    return session


def user() -> str | None:
    return st.session_state.get(USER_KEY)


def role() -> str | None:
    return st.session_state.get(ROLE_KEY)


def allowed(permission: str) -> bool:
    """Whether this run's user has `permission` (no signed-in user has none)."""
    return roles.allowed(role(), permission)


def role_label(lang: str) -> str:
    current = role()
    return t(f"role_{current}", lang) if current in roles.ROLES else "—"


def record(action: str, **fields: object) -> None:
    """An audit row for this run's user."""
    audit.record(_paths(), user(), action, **fields)  # type: ignore[arg-type]


def viewed(page: str) -> None:
    """Record a page view when the page differs from the one the last run showed."""
    if st.session_state.get(PAGE_KEY) != page:
        st.session_state[PAGE_KEY] = page
        record("page_view", target=page)


def denied(page: str, lang: str) -> None:
    """A page this role may not open (a deep link, or a link kept from another role)."""
    st.session_state[PAGE_KEY] = page
    record("page_denied", target=page, outcome="refused", role=role())
    st.error(t("no_permission", lang, role=role_label(lang)))


def sign_out(lang: str) -> None:
    """The sidebar's line of who is signed in, and the sign-out button."""
    st.sidebar.caption(t("signed_in_as", lang, user=user(), role=role_label(lang)))
    if st.sidebar.button(t("signout_button", lang), key="signout"):
        paths = _paths()
        ended = sessions.end(paths, st.session_state.get(TOKEN_KEY))
        audit.record(paths, ended or user(), "signout")
        _signed_out(lang, "signed_out", _provider_of(paths, ended or user()))
