"""Single sign-on (issue #12): the TOML file, the claim → role mapping, the exchange of a
verified identity for an ipgov session (accounts made, roles following the claims, no role
until an admin gives one, audit rows), the app database's migration, and the two routes
(dashboard/oidc.py) with identity cookies signed by Streamlit's own code.

The OIDC protocol itself — Streamlit's and Authlib's client against a real provider
(tests/oidc_provider.py) — is walked on the real server in tests/browser/test_sso_browser.py.
"""

from __future__ import annotations

import json
import re
import sqlite3
import time
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route
from starlette.testclient import TestClient
from streamlit.testing.v1 import AppTest
from streamlit.web.server.server_util import get_cookie_secret
from streamlit.web.server.starlette.starlette_app_utils import create_signed_value
from streamlit.web.server.starlette.starlette_server_config import USER_COOKIE_NAME
from typer.testing import CliRunner

from dashboard import oidc
from dashboard.access import accounts, audit, sessions, sso, web
from dashboard.cli import app as cli_app
from dashboard.i18n import t
from etl import appdb
from etl.errors import IpgovError
from tests.oidc_provider import OidcProvider, secrets_toml

ROLES = {"ip-admins": "admin", "ip-analysts": "analyst", "district-officials": "viewer"}


@pytest.fixture
def config(tmp_path, monkeypatch) -> sso.SsoConfig:
    """IPGOV_AUTH_SECRETS naming a file for a provider (not running: the routes tested here
    never call it)."""
    provider = OidcProvider("ipgov", "s3cret")  # not entered: only its URLs and names
    path = tmp_path / "auth.toml"
    path.write_text(secrets_toml(provider, 8501, label="政务身份认证", roles=ROLES), "utf-8")
    monkeypatch.setenv("IPGOV_AUTH_SECRETS", str(path))
    loaded = sso.current()
    assert loaded is not None
    return loaded


def claims(email: str = "li@example.gov.cn", *groups: str, **more) -> dict:
    """Claims as Streamlit's callback stores them: the ID token's, plus its own three."""
    return {
        "iss": "http://127.0.0.1:1",
        "sub": email,
        "email": email,
        "email_verified": True,
        "groups": list(groups),
        "nonce": str(time.monotonic_ns()),  # each sign-in's identity differs
        "is_logged_in": True,
        "provider": "default",
        "origin": "http://127.0.0.1:8501",
        **more,
    }


def exchange(paths, config, identity: dict) -> sso.Outcome:
    return sso.exchange(paths, config, identity, json.dumps(identity).encode())


def signins(paths) -> list[tuple]:
    return [
        (e.actor, e.outcome, e.detail.get("reason"), e.detail.get("role"))
        for e in audit.entries(paths, action="signin")
    ]


# --- the configuration -----------------------------------------------------------------------


def test_the_file_gives_streamlit_its_auth_section_and_ipgov_its_mapping(config):
    assert (config.provider, config.label) == ("default", "政务身份认证")
    assert (config.name_claim, config.role_claim) == ("email", "groups")
    assert config.roles == ROLES
    assert oidc.streamlit_secrets() == {"auth": config.auth}
    assert "s3cret" not in repr(config)  # the client secret never lands in a log line


def test_without_the_setting_there_is_no_single_sign_on():
    assert sso.current() is None and oidc.streamlit_secrets() is None
    assert 'id="sso"' not in web.signin_html("zh", "csrf", "/")


AUTH = """[auth]
redirect_uri = "http://127.0.0.1:8501/oauth2callback"
cookie_secret = "x"
client_id = "ipgov"
client_secret = "s"
server_metadata_url = "http://127.0.0.1:1/.well-known/openid-configuration"
"""


@pytest.mark.parametrize(
    ("text", "error"),
    [
        ("[ipgov.sso]\nrole_claim = 'groups'\n", "has no [auth] section"),
        ("[auth\n", "is not valid TOML"),
        (AUTH.replace('cookie_secret = "x"\n', ""), "[auth] needs cookie_secret"),
        (AUTH.replace("/oauth2callback", "/back"), "redirect_uri must end with /oauth2callback"),
        (AUTH.replace('client_secret = "s"\n', ""), "needs client_secret"),
        (AUTH + "[ipgov.sso]\nroles = { g = 'boss' }\n", "maps 'g' to 'boss', not one of"),
        (AUTH + "[ipgov.sso]\nprovider = 'keycloak'\n", "has no [auth.keycloak] table"),
    ],
)
def test_a_bad_file_is_one_line_that_names_it(tmp_path, text, error):
    with pytest.raises(IpgovError, match=re.escape(error)):
        sso.parse(text, tmp_path / "auth.toml")


def test_a_named_provider_table_is_found():
    text = AUTH.replace("client_id", "x_client_id").replace("server_metadata", "x_server")
    text = text.replace('client_secret = "s"', 'x_client_secret = "s"')
    text += '[auth.office]\nclient_id = "a"\nclient_secret = "b"\nserver_metadata_url = "u"\n'
    assert sso.parse(text, Path("auth.toml")).provider == "office"


def test_serve_reads_the_file_at_start_up(paths, tmp_path, monkeypatch):
    bad = tmp_path / "bad.toml"
    bad.write_text("[ipgov.sso]\n", "utf-8")
    monkeypatch.setenv("IPGOV_AUTH_SECRETS", str(bad))
    refused = CliRunner().invoke(cli_app, ["serve", "--db", str(paths.db)])
    assert refused.exit_code == 2 and "has no [auth] section" in refused.output
    monkeypatch.setenv("IPGOV_AUTH_SECRETS", str(tmp_path / "missing.toml"))
    refused = CliRunner().invoke(cli_app, ["serve", "--db", str(paths.db)])
    assert refused.exit_code == 2 and "cannot read IPGOV_AUTH_SECRETS" in refused.output


# --- claims → role ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("groups", "role", "matched"),
    [
        (["ip-analysts"], "analyst", "ip-analysts"),
        (["ip-admins", "ip-analysts"], "admin", "ip-admins"),  # the highest wins ...
        (["ip-analysts", "ip-admins"], "admin", "ip-admins"),  # ... in whatever order
        (["district-officials", "other"], "viewer", "district-officials"),
        (["IP-ADMINS", "other"], None, None),  # values match exactly, case included
        ([], None, None),
    ],
)
def test_the_highest_mapped_group_gives_the_role(config, groups, role, matched):
    assert sso.mapped_role(config, claims("a@b.cn", *groups)) == (role, matched)


def test_a_claim_may_be_one_string_and_anything_else_maps_nothing(config):
    assert sso.mapped_role(config, {"groups": "ip-analysts"}) == ("analyst", "ip-analysts")
    assert sso.mapped_role(config, {"groups": {"ip-admins": True}}) == (None, None)
    assert sso.mapped_role(config, {"groups": [1, None, "ip-admins"]})[0] == "admin"


def test_the_account_name_is_the_verified_email_or_the_claim_configured(config):
    assert sso.account_name(config, claims("li@example.gov.cn")) == "li@example.gov.cn"
    assert sso.account_name(config, claims("li@example.gov.cn", email_verified=False)) is None
    assert sso.account_name(config, {"sub": "1"}) is None
    by_login = sso.SsoConfig("default", "x", "preferred_username", "groups", {}, {})
    assert sso.account_name(by_login, {"preferred_username": " li "}) == "li"


# --- the exchange ----------------------------------------------------------------------------


def test_a_mapped_user_gets_an_account_and_a_session(paths, config):
    outcome = exchange(paths, config, claims("li@example.gov.cn", "ip-analysts"))
    assert (outcome.kind, outcome.user, outcome.role) == ("ok", "li@example.gov.cn", "analyst")
    session, why = sessions.resolve(paths, outcome.token)
    assert why == "ok" and (session.user, session.role) == ("li@example.gov.cn", "analyst")
    account = accounts.get(paths, "li@example.gov.cn")
    assert (account.source, account.role) == ("sso", "analyst")
    added, signin = audit.entries(paths, action="user_add")[0], audit.entries(paths)[0]
    assert (added.actor, added.target, added.detail["role"]) == (
        "sso:default",
        "li@example.gov.cn",
        "analyst",
    )
    assert signin.action == "signin" and signin.outcome == "ok"
    assert signin.detail == {
        "role": "analyst",
        "matched": "ip-analysts",
        "method": "sso",
        "provider": "default",
        "claim": "groups",
        "values": ["ip-analysts"],
    }


def test_an_unknown_user_has_no_role_until_an_admin_gives_one(paths, config):
    first = exchange(paths, config, claims("wang@example.gov.cn", "canteen"))
    assert (first.kind, first.user, first.token) == ("no_role", "wang@example.gov.cn", None)
    assert accounts.get(paths, "wang@example.gov.cn").role is None
    assert not accounts.any_active(paths)  # an account without a role is no way in
    refused = audit.entries(paths, action="signin")[0]
    assert (refused.outcome, refused.detail["reason"], refused.detail["values"]) == (
        "refused",
        "no_role",
        ["canteen"],
    )
    assert refused.detail["provider"] == "default" and refused.detail["claim"] == "groups"
    listed = CliRunner().invoke(cli_app, ["users", "list", "--db", str(paths.db)])
    assert "wang@example.gov.cn" in listed.output and "(none yet)" in listed.output

    given = CliRunner().invoke(
        cli_app, ["users", "set-role", "wang@example.gov.cn", "--role", "viewer"]
    )
    assert given.exit_code == 0, given.output
    again = exchange(paths, config, claims("wang@example.gov.cn", "canteen"))
    assert (again.kind, again.role) == ("ok", "viewer")  # the admin's role stays
    assert sessions.resolve(paths, again.token)[0].role == "viewer"
    assert signins(paths)[:2] == [
        ("wang@example.gov.cn", "ok", None, "viewer"),
        ("wang@example.gov.cn", "refused", "no_role", None),
    ]


def test_the_role_follows_the_claims_and_leaves_with_the_group(paths, config):
    name = "zhao@example.gov.cn"
    assert exchange(paths, config, claims(name, "ip-admins")).role == "admin"
    assert exchange(paths, config, claims(name, "ip-analysts")).role == "analyst"
    gone = exchange(paths, config, claims(name, "canteen"))  # moved out of every mapped group
    assert gone.kind == "no_role" and accounts.get(paths, name).role is None
    changes = [(e.actor, e.detail) for e in audit.entries(paths, action="user_role")]
    assert changes == [
        ("sso:default", {"role": None, "before": "analyst"}),
        ("sso:default", {"role": "analyst", "before": "admin"}),
    ]


def test_a_local_account_is_never_taken_over(paths, config):
    accounts.add(paths, "ada@example.gov.cn", "admin", "a long enough password")
    outcome = exchange(paths, config, claims("ADA@example.gov.cn", "ip-admins"))
    assert (outcome.kind, outcome.reason) == ("refused", "local_account")
    assert accounts.get(paths, "ada@example.gov.cn").source == "local"
    assert signins(paths)[0] == ("ada@example.gov.cn", "refused", "local_account", None)


def test_a_disabled_account_and_a_replayed_identity_are_refused(paths, config):
    identity = claims("qian@example.gov.cn", "ip-analysts")
    assert exchange(paths, config, identity).kind == "ok"
    assert exchange(paths, config, identity).reason == "replayed"  # the same cookie again
    accounts.set_disabled(paths, "qian@example.gov.cn", True)
    assert exchange(paths, config, claims("qian@example.gov.cn", "ip-analysts")).reason == (
        "disabled"
    )
    unverified = claims("sun@example.gov.cn", "ip-admins", email_verified=False)
    assert exchange(paths, config, unverified).reason == "no_name"
    assert accounts.find(paths, "sun@example.gov.cn") is None
    assert [r[2] for r in signins(paths)[:3]] == ["no_name", "disabled", "replayed"]


def test_a_single_sign_on_session_idles_and_ends_like_any(paths, config):
    idle = exchange(paths, config, claims("zhou@example.gov.cn", "ip-analysts"))
    with appdb.connect(paths) as con:  # its last click 31 minutes ago (the timeout is 30)
        con.execute("update sessions set last_seen_at = '2000-01-01T00:00:00+00:00'")
    assert sessions.resolve(paths, idle.token) == (None, "idle")
    signed_out = exchange(paths, config, claims("zhou@example.gov.cn", "ip-analysts"))
    assert sessions.end(paths, signed_out.token) == "zhou@example.gov.cn"
    assert sessions.resolve(paths, signed_out.token) == (None, "ended")
    lost = exchange(paths, config, claims("zhou@example.gov.cn", "ip-analysts"))
    accounts.sso_account(paths, "zhou@example.gov.cn", None)  # its role taken away
    assert sessions.resolve(paths, lost.token) == (None, "disabled")


# --- the app database made by an earlier ipgov -----------------------------------------------


V1_USERS = """create table users (
    name text primary key collate nocase,
    role text not null check (role in ('viewer', 'analyst', 'steward', 'admin')),
    password_hash text,
    source text not null default 'local',
    disabled_at text,
    failed_signins integer not null default 0,
    locked_until text,
    created_at text not null,
    updated_at text not null
)"""


def test_an_existing_app_database_is_migrated_with_its_accounts(paths, config):
    paths.app_db.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(paths.app_db)
    con.execute(V1_USERS)
    con.execute(
        "insert into users (name, role, password_hash, created_at, updated_at) "
        "values ('old', 'steward', 'hash', '2026-01-01', '2026-01-01')"
    )
    con.commit()
    con.close()
    assert accounts.get(paths, "old").role == "steward"  # connecting migrates
    with appdb.connect(paths) as con:
        role_column = next(r for r in con.execute("pragma table_info(users)") if r[1] == "role")
        assert role_column[3] == 0  # nullable now
        assert con.execute("select role_source from users").fetchall() == [("admin",)]
    assert exchange(paths, config, claims("new@example.gov.cn")).kind == "no_role"
    with appdb.connect(paths) as con:  # a second connect finds nothing to do
        assert con.execute("select count(*) from users").fetchone() == (2,)


# --- the routes, with identity cookies signed by Streamlit's own code --------------------------


async def _stand_in_page(request):
    return PlainTextResponse(f"streamlit {request.url.path}")


@pytest.fixture
def client(paths, config) -> TestClient:
    site = Starlette(
        routes=[*web.ROUTES, *oidc.ROUTES, Route("/{path:path}", _stand_in_page)],
        middleware=[Middleware(web.SignInRequired)],
    )
    return TestClient(site, base_url="http://127.0.0.1", follow_redirects=False)


def set_cookie(client: TestClient, name: str, value: str) -> None:
    """A cookie as the browser holds one the site set (so the site's deletion removes it)."""
    client.cookies.set(name, value, domain="127.0.0.1", path="/")


def identity_cookie(identity: dict) -> str:
    """What Streamlit's OIDC callback sets: the claims, signed with its cookie secret."""
    signed = create_signed_value(get_cookie_secret(), USER_COOKIE_NAME, json.dumps(identity))
    return signed.decode()


def test_streamlit_names_what_the_guard_expects():
    assert web.IDENTITY_COOKIE == USER_COOKIE_NAME
    assert web.is_public("/oauth2callback") and web.is_public("/auth/login")
    assert not web.is_public("/_stcore/stream") and not web.is_public("/")


def test_the_sign_in_page_offers_the_provider(client):
    page = client.get("/auth/signin", params={"lang": "en", "next": "/sql"})
    assert t("signin_sso_button", "en", provider="政务身份认证") in page.text
    assert 'href="/auth/sso?lang=en&amp;next=/sql"' in page.text
    assert 'name="password"' in page.text  # local accounts still sign in beside it


def test_back_from_the_provider_the_identity_becomes_a_session(client, paths):
    set_cookie(client, oidc.RETURN_COOKIE, "en:/sql")
    set_cookie(client, USER_COOKIE_NAME, identity_cookie(claims("li@x.cn", "ip-analysts")))
    assert client.get("/").headers["location"].startswith("/auth/signin")  # the guard
    back = client.get("/auth/signin", params={"next": "/"})
    assert back.headers["location"] == web.SSO_DONE
    done = client.get(web.SSO_DONE)
    assert done.status_code == 303 and done.headers["location"] == "/sql"
    set_cookies = done.headers.get_list("set-cookie")
    assert any(c.startswith(f"{sessions.COOKIE}=") and "HttpOnly" in c for c in set_cookies)
    assert any(c.startswith(f'{USER_COOKIE_NAME}=""') for c in set_cookies)  # cleared
    assert client.get("/sql").text == "streamlit /sql"  # the guard lets the session in
    assert signins(paths)[0] == ("li@x.cn", "ok", None, "analyst")


def test_the_no_role_page_is_bilingual_and_opens_nothing(client, paths):
    set_cookie(client, USER_COOKIE_NAME, identity_cookie(claims("wu@x.cn", "canteen")))
    page = client.get(web.SSO_DONE)
    assert page.status_code == 403
    for lang in ("zh", "en"):
        assert t("sso_no_role", lang, user="wu@x.cn") in page.text
    assert not any(c.startswith(f"{sessions.COOKIE}=") for c in page.headers.get_list("set-cookie"))
    assert client.get("/").status_code == 303  # still the sign-in page


def test_a_forged_replayed_or_old_identity_opens_nothing(client, paths, monkeypatch):
    identity = claims("li@x.cn", "ip-admins")
    forged = identity_cookie(identity)[:-4] + "AAAA"
    set_cookie(client, USER_COOKIE_NAME, forged)
    refused = client.get(web.SSO_DONE)
    assert refused.headers["location"].startswith("/auth/signin?lang=zh&sso=failed")
    assert t("signin_sso_failed", "zh") in client.get(refused.headers["location"]).text
    good = identity_cookie(identity)
    set_cookie(client, USER_COOKIE_NAME, good)
    assert client.get(web.SSO_DONE).headers["location"] == "/"
    client.cookies.clear()
    set_cookie(client, USER_COOKIE_NAME, good)  # the same cookie, copied
    assert "sso=failed" in client.get(web.SSO_DONE).headers["location"]
    monkeypatch.setattr(oidc, "EXCHANGE_WINDOW_SECONDS", 1)
    set_cookie(client, USER_COOKIE_NAME, identity_cookie(claims("li@x.cn", "ip-admins")))
    time.sleep(2.1)  # left over from a sign-in before: too old to exchange
    assert "sso=failed" in client.get(web.SSO_DONE).headers["location"]
    assert [r[2] for r in signins(paths)[:4]] == ["stale", "replayed", None, "stale"]


def test_a_name_of_a_local_account_is_told_so(client, paths):
    accounts.add(paths, "ada@x.cn", "admin", "a long enough password")
    set_cookie(client, USER_COOKIE_NAME, identity_cookie(claims("ada@x.cn", "ip-admins")))
    back = client.get(web.SSO_DONE).headers["location"]
    assert "sso=local" in back
    assert t("signin_sso_local", "zh") in client.get(back).text


# --- signing out at the provider (OpenID Connect RP-initiated logout) --------------------------


@pytest.fixture
def live(tmp_path, monkeypatch, paths):
    """A running provider, the TOML naming it, and the site's routes (its discovery document is
    fetched for real by the sign-out route)."""
    monkeypatch.setattr(oidc, "_metadata", {})
    with OidcProvider("ipgov", "s3cret") as provider:
        path = tmp_path / "auth.toml"
        path.write_text(secrets_toml(provider, 8501, label="政务身份认证", roles=ROLES), "utf-8")
        monkeypatch.setenv("IPGOV_AUTH_SECRETS", str(path))
        site = Starlette(
            routes=[*web.ROUTES, *oidc.ROUTES, Route("/{path:path}", _stand_in_page)],
            middleware=[Middleware(web.SignInRequired)],
        )
        client = TestClient(site, base_url="http://127.0.0.1", follow_redirects=False)
        yield provider, client


def _sso_session(paths, client) -> str:
    outcome = exchange(paths, sso.current(), claims("li@x.cn", "ip-analysts"))
    assert outcome.kind == "ok"
    set_cookie(client, sessions.COOKIE, outcome.token)
    return outcome.token


def test_signing_out_at_the_provider_ends_both_sessions(live, paths):
    provider, client = live
    token = _sso_session(paths, client)
    assert client.get("/sql").text == "streamlit /sql"
    out = client.get(web.SSO_SIGNOUT, params={"lang": "en"})
    assert out.status_code == 303
    target = out.headers["location"]
    assert target.startswith(f"{provider.issuer}/logout?")
    query = dict(httpx.QueryParams(target.split("?", 1)[1]))
    assert query == {
        "client_id": "ipgov",
        "post_logout_redirect_uri": "http://127.0.0.1:8501/oauth2callback",
    }
    assert sessions.signed_in(paths, token) is None  # the link also ends the ipgov session
    assert any(c.startswith(f'{sessions.COOKIE}=""') for c in out.headers.get_list("set-cookie"))
    back = httpx.get(target, follow_redirects=False)  # the provider signs out and sends back
    assert back.status_code == 302
    assert back.headers["location"] == "http://127.0.0.1:8501/oauth2callback"
    assert provider.signed_out == [query]
    rows = [(e.actor, e.outcome, e.detail) for e in audit.entries(paths, action="signout")]
    assert rows == [
        ("li@x.cn", "ok", {"at": "provider", "provider": "default"}),
        ("li@x.cn", "ok", {"method": "sso"}),
    ]


def test_a_provider_without_sign_out_is_said_so(live, paths):
    provider, client = live
    provider.offers_signout = False
    token = _sso_session(paths, client)
    sessions.end(paths, token)  # signed out of ipgov first, as the sidebar does
    out = client.get(web.SSO_SIGNOUT, params={"lang": "zh"})
    assert out.headers["location"] == f"{web.SIGNIN}?lang=zh&sso=no_signout"
    assert t("signin_sso_no_signout", "zh") in client.get(out.headers["location"]).text
    assert provider.signed_out == []
    [row] = audit.entries(paths, action="signout")
    assert (row.actor, row.outcome, row.detail["reason"]) == ("li@x.cn", "failed", "no_end_session")


def test_the_sidebar_sign_out_offers_the_provider_only_to_its_users(live, paths, monkeypatch):
    from dashboard import signin

    app = Path(__file__).resolve().parent.parent / "dashboard" / "app.py"
    monkeypatch.setenv("IPGOV_DB", str(paths.db))
    accounts.add(paths, "local-admin", "admin", "a long enough password")
    for name, token in [
        ("li@x.cn", exchange(paths, sso.current(), claims("li@x.cn", "ip-analysts")).token),
        ("local-admin", sessions.start(paths, "local-admin")),
    ]:
        at = AppTest.from_file(str(app), default_timeout=60)
        at.session_state[signin.TOKEN_KEY] = token
        at.run()
        at.sidebar.button(key="signout").click().run()
        assert [w.value for w in at.warning] == [t("session_ended", "zh")]
        links = [m.value for m in at.markdown if "/auth/" in m.value]
        offered = f">{t('signout_at_provider', 'zh', provider='政务身份认证')}</a>"
        if name == "li@x.cn":
            assert links[1] == f'<a href="{web.SSO_SIGNOUT}?lang=zh" target="_self"{offered}'
        else:
            assert not any(offered in link for link in links)
