"""The Starlette half of single sign-on: `/auth/sso` sends the browser into Streamlit's OIDC
login, `/auth/sso-done` turns the identity Streamlit's callback left in its signed cookie into
an ipgov session (dashboard/access/sso.py decides what the identity may do).

Why a route and not `st.user` in the script: the guard (dashboard/access/web.py) lets nothing
reach Streamlit's app — page, websocket, media — without a live ipgov session, so a script run
never happens for a browser that has only Streamlit's identity. The exchange happens here, in
front of the app, once per sign-in; the identity cookie is then cleared, so the ipgov session
(idle timeout, sign-out, disabling) is the only thing that lets the browser in. A visit after
a sign-out finds no identity to reuse and goes through the provider again.

The few Streamlit internals used (its cookie signing and chunking, its provider token, its
cookie clean-up) are imported here only, outside dashboard/access, which may not import
Streamlit; tests/test_sso.py fails when an upgrade moves them.
"""

from __future__ import annotations

import json
import time
from typing import Any
from urllib.parse import quote

import httpx
from starlette.concurrency import run_in_threadpool
from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route
from streamlit import config as streamlit_config
from streamlit.auth_util import build_logout_url, encode_provider_token, get_cookie_with_chunks
from streamlit.web.server.server_util import get_cookie_secret
from streamlit.web.server.starlette.starlette_app_utils import decode_signed_value
from streamlit.web.server.starlette.starlette_auth_routes import _clear_auth_cookie
from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME

from dashboard.access import audit, sessions, sso, web
from etl import settings, warehouse

RETURN_COOKIE = "ipgov_sso_return"  # language and page to come back to, for the round trip
# The identity must be exchanged within this long of Streamlit's callback signing it (the
# browser comes straight back: three redirects). An older one, e.g. left over from before a
# sign-out, opens nothing; its owner signs in through the provider again.
EXCHANGE_WINDOW_SECONDS = 120
STREAMLIT_LOGIN = "/auth/login"
# the provider's discovery document, read again after this long (its end-session endpoint)
METADATA_TTL_SECONDS = 600
METADATA_TIMEOUT_SECONDS = 5.0
_metadata: dict[str, tuple[float, dict[str, Any]]] = {}


def _paths() -> warehouse.WarehousePaths:
    return warehouse.WarehousePaths(settings.db_path())


def identity(request: Request) -> bytes | None:
    """Streamlit's identity cookie, checked with Streamlit's own signature code and secret,
    if signed within the exchange window; None when absent, forged or too old."""
    secret = get_cookie_secret()
    max_age_days = EXCHANGE_WINDOW_SECONDS / 86400

    def one(name: str) -> bytes | None:
        value = request.cookies.get(name)
        if value is None:
            return None
        return decode_signed_value(secret, name, value.encode("latin-1"), max_age_days)

    return get_cookie_with_chunks(one, USER_COOKIE_NAME)


def _return_to(request: Request) -> tuple[str, str]:
    lang, _, next_path = request.cookies.get(RETURN_COOKIE, "zh:/").partition(":")
    return web.lang_of(lang), web.safe_next(next_path)


async def sso_start(request: Request) -> Response:
    """The sign-in page's "Sign in with …": remember where to come back to, then Streamlit's
    login route with its signed, two-minute provider token (what `st.login` sends)."""
    config = sso.current()
    lang = web.lang_of(request.query_params.get("lang"))
    if config is None:
        return RedirectResponse(f"{web.SIGNIN}?lang={lang}", status_code=303)
    next_path = web.safe_next(request.query_params.get("next"))
    token = encode_provider_token(config.provider)
    response = RedirectResponse(f"{STREAMLIT_LOGIN}?provider={quote(token)}", status_code=303)
    response.set_cookie(RETURN_COOKIE, f"{lang}:{next_path}", max_age=600, **web.cookie_options())
    return response


def _finish(request: Request, response: Response) -> Response:
    """Every answer of the exchange clears Streamlit's identity and the return cookie: from
    here on only the ipgov session counts."""
    _clear_auth_cookie(response, request)
    response.delete_cookie(RETURN_COOKIE, path="/")
    response.headers["cache-control"] = "no-store"
    return response


async def sso_done(request: Request) -> Response:
    """Back from the provider: the ipgov session and the page asked for, the no-role page, or
    the sign-in page with one line why not (each audited by sso.exchange)."""
    config = sso.current()
    lang, next_path = _return_to(request)
    failed = f"{web.SIGNIN}?lang={lang}&sso=failed&next={quote(next_path)}"
    if config is None:
        return _finish(request, RedirectResponse(f"{web.SIGNIN}?lang={lang}", status_code=303))
    paths = _paths()
    raw = identity(request)
    claims: dict[str, Any] = {}
    if raw is not None:
        try:
            claims = json.loads(raw)
        except ValueError:
            claims = {}
    if not claims.get("is_logged_in"):
        why = "stale" if request.cookies.get(USER_COOKIE_NAME) else "none"
        audit.record(paths, None, "signin", outcome="refused", reason=why, method="sso")
        return _finish(request, RedirectResponse(failed, status_code=303))
    outcome = sso.exchange(paths, config, claims, raw or b"")
    if outcome.kind == "ok":
        response: Response = RedirectResponse(next_path, status_code=303)
        response.set_cookie(sessions.COOKIE, outcome.token or "", **web.cookie_options())
        return _finish(request, response)
    if outcome.kind == "no_role":
        page = HTMLResponse(web.no_role_html(outcome.user or ""), status_code=403)
        return _finish(request, page)
    if outcome.reason == "local_account":
        failed = failed.replace("sso=failed", "sso=local")
    return _finish(request, RedirectResponse(failed, status_code=303))


def end_session_endpoint(config: sso.SsoConfig) -> str | None:
    """The provider's `end_session_endpoint` (OpenID Connect RP-initiated logout) from its
    discovery document, or None when it offers none or cannot be reached right now."""
    url = str(sso.provider_table(config).get("server_metadata_url") or "")
    cached = _metadata.get(url)
    if cached is None or time.monotonic() - cached[0] > METADATA_TTL_SECONDS:
        try:
            response = httpx.get(url, timeout=METADATA_TIMEOUT_SECONDS)
            response.raise_for_status()
            cached = (time.monotonic(), response.json())
        except (httpx.HTTPError, ValueError):
            return None
        _metadata[url] = cached
    endpoint = cached[1].get("end_session_endpoint")
    return endpoint if isinstance(endpoint, str) and endpoint.startswith("http") else None


def post_logout_uri(config: sso.SsoConfig) -> str:
    """Where the provider sends the browser after signing it out: the `redirect_uri` it already
    has registered (as Streamlit's own `st.logout` does). Streamlit's callback, reached without
    a sign-in under way, sends the browser on to `/`, and the guard to the sign-in page."""
    redirect = str(config.auth["redirect_uri"])
    return redirect.replace("{port}", str(streamlit_config.get_option("server.port")))


async def sso_signout(request: Request) -> Response:
    """ "Also sign out of <provider>" after an ipgov sign-out: ends the ipgov session too (if the
    link is followed first) and sends the browser to the provider's end-session endpoint, which
    sends it back to the sign-in page; without one, the sign-in page says so."""
    config = sso.current()
    lang = web.lang_of(request.query_params.get("lang"))
    if config is None:
        return RedirectResponse(f"{web.SIGNIN}?lang={lang}", status_code=303)
    paths = _paths()
    token = request.cookies.get(sessions.COOKIE)
    user = sessions.owner(paths, token)
    if sessions.end(paths, token) is not None:
        audit.record(paths, user, "signout", method="sso")
    endpoint = await run_in_threadpool(end_session_endpoint, config)
    if endpoint is None:
        audit.record(
            paths, user, "signout", outcome="failed", reason="no_end_session", at="provider"
        )
        return RedirectResponse(f"{web.SIGNIN}?lang={lang}&sso=no_signout", status_code=303)
    target = build_logout_url(
        end_session_endpoint=endpoint,
        client_id=str(sso.provider_table(config)["client_id"]),
        post_logout_redirect_uri=post_logout_uri(config),
    )
    audit.record(paths, user, "signout", at="provider", provider=config.provider)
    response = RedirectResponse(target, status_code=303)
    response.delete_cookie(sessions.COOKIE, path="/")
    response.headers["cache-control"] = "no-store"
    return response


ROUTES = [
    Route(web.SSO_START, sso_start, methods=["GET"]),
    Route(web.SSO_DONE, sso_done, methods=["GET"]),
    Route(web.SSO_SIGNOUT, sso_signout, methods=["GET"]),
]


def streamlit_secrets() -> dict[str, Any] | None:
    """The secrets `st.App` hands Streamlit: the `[auth]` section when single sign-on is
    configured (Streamlit's auth routes, its cookie secret), else none."""
    config = sso.current()
    return None if config is None else {"auth": config.auth}
