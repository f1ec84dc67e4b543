"""The sign-in page and the guard in front of Streamlit, as Starlette parts of `st.App`
(dashboard/asgi.py).

Why here and not in the Streamlit script: a script can read cookies but cannot set them, and it
runs only after the browser has fetched the app and opened its websocket. The guard refuses
every request without a live session before Streamlit sees it — the page HTML (redirected to
sign-in), the websocket, media downloads, uploads — so an anonymous visitor never receives a
KPI, and the script checks the session again on every run (dashboard/signin.py). The session
cookie is HttpOnly (no script can read it) and SameSite=Lax; the sign-in form carries a
double-submit token against cross-site posts.
"""

from __future__ import annotations

import hmac
import html
import secrets
from http.cookies import SimpleCookie
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, quote, urlsplit

from starlette.requests import Request
from starlette.responses import HTMLResponse, RedirectResponse, Response
from starlette.routing import Route

from dashboard.access import accounts, audit, sessions, sso
from dashboard.i18n import t
from etl import settings, warehouse

CSRF_COOKIE = "ipgov_csrf"
SIGNIN = "/auth/signin"
SSO_START = "/auth/sso"  # dashboard/oidc.py: on to Streamlit's OIDC login
SSO_DONE = "/auth/sso-done"  # dashboard/oidc.py: Streamlit's identity → an ipgov session
SSO_SIGNOUT = "/auth/sso-signout"  # dashboard/oidc.py: on to the provider's sign-out
# Streamlit's signed identity cookie, set by its OIDC callback (USER_COOKIE_NAME in
# streamlit.web.server.starlette.starlette_server_config; a test checks they agree)
IDENTITY_COOKIE = "_streamlit_user"
# what an anonymous browser may fetch: the sign-in page and the single sign-on handshake
# (ipgov's /auth/sso*, Streamlit's /auth/login, /auth/logout and /oauth2callback: redirects
# and cookies, no data), the health check for monitors, and Streamlit's static assets (its
# JavaScript and CSS, the same for everyone, no data)
PUBLIC_PREFIXES = ("/auth/", "/static/")
PUBLIC_PATHS = {"/_stcore/health", "/healthz", "/favicon.png", "/favicon.ico", "/oauth2callback"}
# messages the sign-in page shows when single sign-on sent the browser back (?sso=...)
SSO_MESSAGES = {
    "failed": "signin_sso_failed",
    "local": "signin_sso_local",
    "no_signout": "signin_sso_no_signout",
}


def _paths() -> warehouse.WarehousePaths:
    return warehouse.WarehousePaths(settings.db_path())


def lang_of(value: str | None) -> str:
    return "en" if value == "en" else "zh"


def safe_next(value: str | None) -> str:
    """Where to go after signing in: a path of this site only (never //host or a scheme)."""
    if not value or not value.startswith("/") or value.startswith("//") or "\\" in value:
        return "/"
    parts = urlsplit(value)
    if parts.scheme or parts.netloc or parts.path.startswith(SIGNIN):
        return "/"
    return value


def cookie_options() -> dict[str, Any]:
    return {
        "httponly": True,
        "samesite": "lax",
        "secure": settings.current().cookie_secure,
        "path": "/",
    }


_STYLE = """<style>
body { font-family: "Noto Sans CJK SC", "Source Han Sans SC", "PingFang SC", "Microsoft YaHei",
  sans-serif; background: #f4f6f8; color: #1f2933; margin: 0; }
main { max-width: 380px; margin: 12vh auto; background: #fff; padding: 32px 36px;
  border-radius: 8px; box-shadow: 0 1px 4px rgba(0,0,0,.12); }
h1 { font-size: 1.25rem; margin: 0 0 4px; }
p.sub { color: #52606d; margin: 0 0 24px; font-size: .9rem; }
label { display: block; font-size: .9rem; margin: 14px 0 4px; }
input { width: 100%; box-sizing: border-box; padding: 9px 10px; font-size: 1rem;
  border: 1px solid #cbd2d9; border-radius: 4px; }
button { margin-top: 22px; width: 100%; padding: 10px; font-size: 1rem; border: 0;
  border-radius: 4px; background: #c0392b; color: #fff; cursor: pointer; }
p.error { background: #fdecea; color: #8a1c12; padding: 8px 10px; border-radius: 4px; }
p.switch { text-align: right; font-size: .85rem; margin: 0; }
p.note { color: #7b8794; font-size: .8rem; margin-top: 20px; }
a.sso { display: block; margin-top: 18px; padding: 10px; text-align: center; font-size: 1rem;
  border-radius: 4px; background: #1f4e79; color: #fff; text-decoration: none; }
p.or { text-align: center; color: #7b8794; font-size: .85rem; margin: 18px 0 0; }
</style>"""


def _head(lang: str, title: str) -> str:
    return f"""<!doctype html>
<html lang="{"zh-CN" if lang == "zh" else "en"}"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{html.escape(title)} · ipgov</title>
{_STYLE}</head><body><main>"""


def _sso_button(lang: str, next_path: str) -> str:
    """The "Sign in with <provider>" link when single sign-on is configured, else nothing."""
    config = sso.current()
    if config is None:
        return ""
    href = f"{SSO_START}?lang={lang}&next={quote(next_path)}"
    label = t("signin_sso_button", lang, provider=config.label)
    return (
        f'<a class="sso" id="sso" href="{html.escape(href)}">{html.escape(label)}</a>\n'
        f'<p class="or">{html.escape(t("signin_or", lang))}</p>'
    )


def signin_html(lang: str, csrf: str, next_path: str, message: str = "", name: str = "") -> str:
    """The sign-in page, whole in one language, with a link to the other; single sign-on's
    button above the form when the office has it."""
    other = "en" if lang == "zh" else "zh"
    switch = f"{SIGNIN}?lang={other}&next={quote(next_path)}"
    error = f'<p class="error" role="alert">{html.escape(message)}</p>' if message else ""
    return f"""{_head(lang, t("signin_title", lang))}
<p class="switch"><a href="{html.escape(switch)}">{"English" if other == "en" else "中文"}</a></p>
<h1>{html.escape(t("app_title", lang))}</h1>
<p class="sub">{html.escape(t("signin_title", lang))}</p>
{error}
{_sso_button(lang, next_path)}
<form method="post" action="{SIGNIN}">
<input type="hidden" name="csrf" value="{html.escape(csrf)}">
<input type="hidden" name="next" value="{html.escape(next_path)}">
<input type="hidden" name="lang" value="{lang}">
<label for="name">{html.escape(t("signin_name", lang))}</label>
<input id="name" name="name" autocomplete="username" required autofocus value="{html.escape(name)}">
<label for="password">{html.escape(t("signin_password", lang))}</label>
<input id="password" name="password" type="password" autocomplete="current-password" required>
<button type="submit">{html.escape(t("signin_button", lang))}</button>
</form>
<p class="note">{html.escape(t("signin_note", lang))}</p>
</main></body></html>"""


def no_role_html(user: str) -> str:
    """The page of a single sign-on user whose claims map to no role: in both languages (it is
    shown once, after the provider, with no language to switch back to)."""
    parts = [_head("zh", t("sso_no_role_title", "zh"))]
    for lang in ("zh", "en"):
        parts.append(
            f'<h1 lang="{lang}">{html.escape(t("sso_no_role_title", lang))}</h1>\n'
            f'<p class="sub" lang="{lang}">{html.escape(t("sso_no_role", lang, user=user))}</p>'
        )
    parts.append(
        f'<p><a href="{SIGNIN}?lang=zh">{html.escape(t("sign_in_again", "zh"))}</a> · '
        f'<a href="{SIGNIN}?lang=en">{html.escape(t("sign_in_again", "en"))}</a></p>'
    )
    parts.append("</main></body></html>")
    return "\n".join(parts)


def _page(
    lang: str,
    next_path: str,
    csrf: str | None,
    message: str = "",
    name: str = "",
    status: int = 200,
) -> Response:
    token = csrf or secrets.token_urlsafe(24)
    response = HTMLResponse(signin_html(lang, token, next_path, message, name), status_code=status)
    response.headers["cache-control"] = "no-store"
    response.headers["x-frame-options"] = "DENY"
    if csrf is None:
        response.set_cookie(CSRF_COOKIE, token, **cookie_options())
    return response


async def signin(request: Request) -> Response:
    """GET: the form. POST: check the name and password; on success a session cookie and a
    redirect to where the visitor was going, else the form again with one line why."""
    lang = lang_of(request.query_params.get("lang"))
    csrf_cookie = request.cookies.get(CSRF_COOKIE)
    if request.method == "GET":
        if request.cookies.get(IDENTITY_COOKIE) and sso.current() is not None:
            # back from the provider (Streamlit's callback sent the browser to "/", the guard
            # here): exchange the identity for a session
            return RedirectResponse(SSO_DONE, status_code=303)
        message = SSO_MESSAGES.get(request.query_params.get("sso", ""))
        response = _page(
            lang,
            safe_next(request.query_params.get("next")),
            csrf_cookie,
            t(message, lang) if message else "",
        )
        if request.cookies.get(sessions.COOKIE):  # a dead session's cookie: clear it
            response.delete_cookie(sessions.COOKIE, path="/")
        return response
    form = await request.form()
    lang = lang_of(str(form.get("lang", "zh")))
    next_path = safe_next(str(form.get("next", "/")))
    name = str(form.get("name", "")).strip()[:200]
    password = str(form.get("password", ""))[:1000]
    paths = _paths()
    sent = str(form.get("csrf", ""))
    if not csrf_cookie or not hmac.compare_digest(sent, csrf_cookie):
        audit.record(paths, name or None, "signin", outcome="refused", reason="csrf")
        return _page(lang, next_path, None, t("signin_expired", lang), name, 400)
    try:
        account = accounts.authenticate(paths, name, password)
    except accounts.SignInRefused as refused:
        audit.record(
            paths, refused.user or None, "signin", outcome="refused", reason=refused.reason
        )
        key = {"locked": "signin_locked", "disabled": "signin_wrong"}.get(
            refused.reason, "signin_wrong"
        )
        minutes = settings.current().signin_lockout_minutes
        return _page(lang, next_path, csrf_cookie, t(key, lang, minutes=f"{minutes:g}"), name, 401)
    token = sessions.start(paths, account.name)
    audit.record(paths, account.name, "signin", role=account.role)
    response = RedirectResponse(next_path, status_code=303)
    response.set_cookie(sessions.COOKIE, token, **cookie_options())
    response.delete_cookie(CSRF_COOKIE, path="/")  # a fresh one for the next form
    return response


async def healthz(request: Request) -> Response:
    return Response("ok", media_type="text/plain")


ROUTES = [
    Route(SIGNIN, signin, methods=["GET", "POST"]),
    Route("/healthz", healthz, methods=["GET"]),
]


def _cookie(scope: dict, name: str) -> str | None:
    for key, value in scope.get("headers", []):
        if key == b"cookie":
            jar = SimpleCookie()
            try:
                jar.load(value.decode("latin-1"))
            except Exception:
                return None
            if name in jar:
                return jar[name].value
    return None


def is_public(path: str) -> bool:
    return path in PUBLIC_PATHS or path.startswith(PUBLIC_PREFIXES)


class SignInRequired:
    """ASGI middleware: every request but the public ones needs a live session."""

    def __init__(self, app: Any) -> None:
        self.app = app

    async def __call__(self, scope: dict, receive: Any, send: Any) -> None:
        if scope["type"] not in ("http", "websocket") or is_public(scope.get("path", "")):
            await self.app(scope, receive, send)
            return
        paths = _paths()
        session, why = sessions.resolve(paths, _cookie(scope, sessions.COOKIE))
        if session is not None:
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        audit.record(paths, None, "request_denied", target=path, outcome="refused", reason=why)
        if scope["type"] == "websocket":
            await send({"type": "websocket.close", "code": 1008})
            return
        query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
        wants_page = scope.get("method") == "GET" and not path.startswith(("/_stcore/", "/media/"))
        if wants_page:
            target = path + (
                "?" + scope["query_string"].decode("latin-1") if scope.get("query_string") else ""
            )
            lang = lang_of((query.get("lang") or [None])[0])
            response: Response = RedirectResponse(
                f"{SIGNIN}?lang={lang}&next={quote(target)}", status_code=303
            )
        else:
            response = Response(
                "sign in first / 请先登录", status_code=401, media_type="text/plain"
            )
        await response(scope, receive, send)


def app_script() -> Path:
    return Path(__file__).resolve().parent.parent / "app.py"
