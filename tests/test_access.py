"""Accounts, sessions, roles and the audit trail (dashboard/access/), the sign-in routes and the
guard in front of Streamlit (starlette's TestClient over the same routes and middleware, with
a stand-in for Streamlit's own endpoints), and the `ipgov users` / `ipgov audit` commands.

The security suite at the end tries to get in or get more without the right session or role;
each attempt must be refused and leave its audit row. The browser tests
(tests/browser/test_signin_browser.py) walk the same through the real server.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.responses import PlainTextResponse
from starlette.routing import Route, WebSocketRoute
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard.access import accounts, audit, passwords, roles, sessions, web
from dashboard.cli import app as cli_app
from dashboard.i18n import t
from etl import appdb, warehouse
from etl.errors import IpgovError
from tests.conftest import query, sign_in

PASSWORD = "a long enough password"


@pytest.fixture
def users(paths):
    for name, role in (
        ("vera", "viewer"),
        ("ana", "analyst"),
        ("sam", "steward"),
        ("ada", "admin"),
    ):
        accounts.add(paths, name, role, PASSWORD)
    return paths


def actions(paths, **filters) -> list[tuple]:
    return [(e.actor, e.action, e.target, e.outcome) for e in audit.entries(paths, **filters)]


async def _stand_in_page(request):  # Streamlit's index page and endpoints, as far as the guard goes
    return PlainTextResponse(f"streamlit {request.url.path}")


async def _stand_in_stream(websocket):
    await websocket.accept()
    await websocket.send_text("kpis")
    await websocket.close()


@pytest.fixture
def client(users) -> TestClient:
    """The sign-in routes and the guard, in front of stand-ins for Streamlit's endpoints."""
    site = Starlette(
        routes=[
            *web.ROUTES,
            Route("/{path:path}", _stand_in_page),
            WebSocketRoute("/_stcore/stream", _stand_in_stream),
        ],
        middleware=[Middleware(web.SignInRequired)],
    )
    return TestClient(site, base_url="http://127.0.0.1", follow_redirects=False)


def _cookie(token: str) -> dict[str, str]:
    return {"cookie": f"{sessions.COOKIE}={token}"}


def sign_in_form(client: TestClient, name: str, password: str, next_path: str = "/"):
    form = client.get("/auth/signin", params={"next": next_path})
    csrf = re.search(r'name="csrf" value="([^"]+)"', form.text).group(1)
    return client.post(
        "/auth/signin",
        data={"name": name, "password": password, "csrf": csrf, "next": next_path, "lang": "zh"},
    )


# --- accounts, passwords, roles -------------------------------------------------------------


def test_the_product_hashes_with_argon2_cffi_defaults():
    """RFC 9106's low-memory profile, argon2-cffi's default (the tests themselves hash with its
    cheapest, tests/conftest.py)."""
    from argon2 import PasswordHasher, profiles

    assert profiles.get_default_parameters() == passwords.PARAMETERS
    stored = PasswordHasher.from_parameters(passwords.PARAMETERS).hash(PASSWORD)
    assert stored.startswith("$argon2id$v=19$m=65536,t=3,p=4$")


def test_passwords_are_stored_as_argon2_hashes_only(users):
    with sqlite3.connect(users.app_db) as con:
        stored = con.execute("select password_hash from users where name = 'ana'").fetchone()[0]
    assert stored.startswith("$argon2id$") and PASSWORD not in stored
    assert accounts.authenticate(users, "ANA", PASSWORD).name == "ana"  # names ignore case


@pytest.mark.parametrize(
    ("name", "role", "password", "error"),
    [
        ("ana", "viewer", PASSWORD, "already a user"),
        ("new", "boss", PASSWORD, "role must be one of viewer, analyst, steward, admin"),
        ("new", "viewer", "short", "at least 10 characters"),
        ("longname12", "viewer", "LONGNAME12", "must not be the user name"),
        ("two words", "viewer", PASSWORD, "without spaces"),
    ],
)
def test_a_bad_account_is_refused_with_one_line(users, name, role, password, error):
    with pytest.raises(IpgovError, match=error):
        accounts.add(users, name, role, password)


def test_roles_see_what_the_table_says():
    assert [r for r in roles.ROLES if roles.may_open(r, "sql")] == ["analyst", "steward", "admin"]
    assert [r for r in roles.ROLES if roles.may_open(r, "overview")] == list(roles.ROLES)
    assert [r for r in roles.ROLES if roles.may_open(r, "quality")] == ["steward", "admin"]
    assert not roles.may_open(None, "overview") and not roles.may_open("admin", "nowhere")
    assert not roles.allowed("viewer", "records") and roles.allowed("analyst", "records")


def test_five_wrong_passwords_lock_the_account_even_for_the_right_one(users, monkeypatch):
    for attempt in range(4):
        with pytest.raises(accounts.SignInRefused) as refused:
            accounts.authenticate(users, "ana", f"wrong {attempt}")
        assert refused.value.reason == "wrong"
    with pytest.raises(accounts.SignInRefused) as fifth:
        accounts.authenticate(users, "ana", "wrong 5")
    assert fifth.value.reason == "locked"
    with pytest.raises(accounts.SignInRefused) as right:
        accounts.authenticate(users, "ana", PASSWORD)
    assert right.value.reason == "locked"
    # 15 minutes later (the setting) the right password works again
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=15, seconds=5)
    monkeypatch.setattr(accounts, "_now", lambda: later)
    assert accounts.authenticate(users, "ana", PASSWORD).name == "ana"


def test_sessions_end_at_sign_out_idle_disable_and_password_reset(users, monkeypatch):
    token = sessions.start(users, "ana")
    assert sessions.resolve(users, token)[0].role == "analyst"
    assert sessions.end(users, token) == "ana"
    assert sessions.resolve(users, token) == (None, "ended")
    idle = sessions.start(users, "ana")
    later = dt.datetime.now(dt.UTC) + dt.timedelta(minutes=31)
    monkeypatch.setattr(sessions, "_now", lambda: later)
    assert sessions.resolve(users, idle) == (None, "idle")
    monkeypatch.undo()
    disabled = sessions.start(users, "vera")
    accounts.set_disabled(users, "vera", True)
    assert sessions.resolve(users, disabled) == (None, "disabled")
    reset = sessions.start(users, "sam")
    assert sessions.end_for_user(users, "sam", "password_reset") == 1
    assert sessions.resolve(users, reset) == (None, "ended")
    with sqlite3.connect(users.app_db) as con:  # the token itself is stored nowhere
        stored = [r[0] for r in con.execute("select token_sha256 from sessions")]
    assert token not in stored and len(stored) == 4


def test_the_audit_log_is_append_only(users):
    audit.record(users, "ana", "sql", rows=3, sql="select 1")
    with appdb.connect(users) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("update audit_log set actor = 'someone else'")
    with appdb.connect(users) as con, pytest.raises(sqlite3.DatabaseError, match="append-only"):
        con.execute("delete from audit_log")
    (entry,) = audit.entries(users)
    assert (entry.actor, entry.action, entry.rows, entry.detail) == (
        "ana",
        "sql",
        3,
        {"sql": "select 1"},
    )


# --- the sign-in routes and the guard -------------------------------------------------------


def test_anonymous_visit_gets_only_the_sign_in_page(client):
    page = client.get("/takedowns?lang=en")
    assert page.status_code == 303
    assert page.headers["location"] == "/auth/signin?lang=en&next=/takedowns%3Flang%3Den"
    form = client.get(page.headers["location"])
    assert form.status_code == 200 and "ipgov_csrf" in form.headers["set-cookie"]
    assert "Sign in" in form.text and "User name" in form.text and "用户名" not in form.text
    assert "用户名" in client.get("/auth/signin").text  # Chinese unless asked otherwise


def test_sign_in_sets_an_http_only_cookie_and_returns_to_the_page(client, users):
    signed = sign_in_form(client, "ana", PASSWORD, "/cases?q=2024Q3")
    assert signed.status_code == 303 and signed.headers["location"] == "/cases?q=2024Q3"
    cookie = signed.headers["set-cookie"]
    assert "ipgov_session=" in cookie and "HttpOnly" in cookie and "SameSite=lax" in cookie
    assert client.get("/cases").text == "streamlit /cases"
    token = client.cookies[sessions.COOKIE]  # the test client's websocket sends no cookie jar
    with client.websocket_connect("/_stcore/stream", headers=_cookie(token)) as ws:
        assert ws.receive_text() == "kpis"
    assert ("ana", "signin", None, "ok") in actions(users)


def test_a_wrong_password_is_refused_in_the_reader_language(client, users):
    refused = sign_in_form(client, "ana", "not the password")
    assert refused.status_code == 401 and t("signin_wrong", "zh") in refused.text
    assert "ipgov_session" not in refused.headers.get("set-cookie", "")
    assert ("ana", "signin", None, "refused") in actions(users)
    assert audit.entries(users, action="signin")[0].detail == {"reason": "wrong"}


def test_the_fifth_wrong_password_says_locked(client, users):
    for _ in range(4):
        sign_in_form(client, "sam", "wrong password!")
    fifth = sign_in_form(client, "sam", "wrong password!")
    assert t("signin_locked", "zh", minutes="15") in fifth.text
    right = sign_in_form(client, "sam", PASSWORD)
    assert right.status_code == 401 and t("signin_locked", "zh", minutes="15") in right.text
    reasons = [e.detail["reason"] for e in audit.entries(users, action="signin")]
    assert reasons == ["locked", "locked", "wrong", "wrong", "wrong", "wrong"]


# --- the security suite: every attempt refused, and audited ---------------------------------


def _refused_requests(users) -> list[tuple]:
    return [
        (e.target, e.detail.get("reason")) for e in audit.entries(users, action="request_denied")
    ]


def test_attempts_without_a_live_session_are_refused_and_audited(client, users, tmp_path):
    attempts = []
    # 1-3: no cookie at all: the page, the websocket, a download, an upload
    assert client.get("/").status_code == 303
    attempts.append(("/", "none"))
    with pytest.raises(WebSocketDisconnect), client.websocket_connect("/_stcore/stream") as ws:
        ws.receive_text()
    attempts.append(("/_stcore/stream", "none"))
    assert client.get("/media/abc123.csv").status_code == 401
    attempts.append(("/media/abc123.csv", "none"))
    assert client.post("/_stcore/upload_file/x/y").status_code == 401
    attempts.append(("/_stcore/upload_file/x/y", "none"))
    # 4: a forged token
    client.cookies.set(sessions.COOKIE, "forged-token-that-was-never-issued")
    assert client.get("/media/x.csv").status_code == 401
    attempts.append(("/media/x.csv", "unknown"))
    # 5: a replayed cookie after sign-out
    token = sessions.start(users, "ana")
    sessions.end(users, token)
    client.cookies.set(sessions.COOKIE, token)
    assert client.get("/").status_code == 303
    attempts.append(("/", "ended"))
    # 6: the open session of an account disabled since
    token = sessions.start(users, "vera")
    accounts.set_disabled(users, "vera", True)
    client.cookies.set(sessions.COOKIE, token)
    with (
        pytest.raises(WebSocketDisconnect),
        client.websocket_connect("/_stcore/stream", headers=_cookie(token)) as ws,
    ):
        ws.receive_text()
    attempts.append(("/_stcore/stream", "disabled"))
    # 7: a cookie of another installation (another warehouse's app database)
    other = warehouse.WarehousePaths(tmp_path / "other" / "warehouse.duckdb")
    accounts.add(other, "ana", "admin", PASSWORD)
    client.cookies.set(sessions.COOKIE, sessions.start(other, "ana"))
    assert client.get("/media/y.csv").status_code == 401
    attempts.append(("/media/y.csv", "unknown"))
    # 8: a cookie far too long to be a token
    client.cookies.set(sessions.COOKIE, "x" * 5000)
    assert client.get("/media/z.csv").status_code == 401
    attempts.append(("/media/z.csv", "none"))
    assert sorted(_refused_requests(users)) == sorted(attempts), _refused_requests(users)
    # public: the sign-in page, the health check and Streamlit's static files, nothing else
    assert client.get("/_stcore/health").status_code == 200
    assert client.get("/static/js/index.js").text == "streamlit /static/js/index.js"


@pytest.mark.parametrize(
    ("next_path", "lands"),
    [
        ("//evil.example/phish", "/"),
        ("https://evil.example/", "/"),
        ("/\\evil.example", "/"),
        ("/auth/signin?next=//evil.example", "/"),
        ("/sql?lang=en", "/sql?lang=en"),
    ],
)
def test_sign_in_returns_only_to_a_page_of_this_site(client, next_path, lands):
    assert sign_in_form(client, "ana", PASSWORD, next_path).headers["location"] == lands


def test_a_sign_in_post_from_another_site_is_refused(client, users):
    posted = client.post(
        "/auth/signin", data={"name": "ana", "password": PASSWORD, "csrf": "guessed", "next": "/"}
    )
    assert posted.status_code == 400 and "ipgov_session" not in posted.headers.get("set-cookie", "")
    assert audit.entries(users, action="signin")[0].detail == {"reason": "csrf"}


def test_sql_in_the_user_name_is_just_a_wrong_name(client, users):
    refused = sign_in_form(client, "' or 1=1 --", PASSWORD)
    assert refused.status_code == 401
    assert [a.name for a in accounts.listed(users)] == ["ada", "ana", "sam", "vera"]


def test_a_disabled_account_cannot_sign_in_with_its_right_password(client, users):
    accounts.set_disabled(users, "vera", True)
    refused = sign_in_form(client, "vera", PASSWORD)
    assert refused.status_code == 401 and t("signin_wrong", "zh") in refused.text
    assert audit.entries(users, action="signin")[0].detail == {"reason": "disabled"}


APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def test_a_viewer_gets_counts_but_no_record_list_and_the_refusal_is_audited(sample_wh, monkeypatch):
    from tests.test_pages import run_page

    at = run_page(monkeypatch, sample_wh.db, "takedowns", "zh", opened=("exp_takedown_records",),
                  role="viewer")  # fmt: skip
    assert not at.exception
    assert t("records_need_role", "zh") in [i.value for i in at.info]
    assert not at.get("download_button")
    assert audit.entries(sample_wh, user="test-viewer", action="records_denied")
    analyst = run_page(monkeypatch, sample_wh.db, "takedowns", "zh",
                       opened=("exp_takedown_records",), role="analyst")  # fmt: skip
    assert t("records_need_role", "zh") not in [i.value for i in analyst.info]
    assert analyst.get("download_button")


def test_a_signed_out_app_shows_only_the_note(sample_wh, monkeypatch):
    monkeypatch.setenv("IPGOV_DB", str(sample_wh.db))
    at = AppTest.from_file(APP, default_timeout=60)
    at.session_state["_ipgov_session_token"] = "forged"
    at.run()
    assert not at.exception
    assert [w.value for w in at.warning] == [t("session_ended", "zh")]
    assert not at.metric  # no KPI in the page


# --- the CLI ---------------------------------------------------------------------------------


def cli(*args: str, stdin: str | None = None):
    result = CliRunner().invoke(cli_app, list(args), input=stdin)
    assert "Traceback" not in result.output, result.output
    return result


def test_users_commands_and_their_audit_rows(paths):
    db = ["--db", str(paths.db)]
    assert cli("users", "add", "li", "--role", "viewer", "--password-stdin", *db,
               stdin=PASSWORD + "\n").exit_code == 0  # fmt: skip
    assert cli("users", "set-role", "li", "--role", "steward", *db).exit_code == 0
    listed = json.loads(cli("users", "list", "--json", *db).output)
    assert [(u["name"], u["role"], u["disabled"]) for u in listed] == [("li", "steward", False)]
    token = sessions.start(paths, "li")
    assert "1 open session(s) ended" in cli("users", "disable", "li", *db).output
    assert sessions.resolve(paths, token) == (None, "ended")
    assert cli("users", "enable", "li", *db).exit_code == 0
    reset = cli(
        "users", "reset-password", "li", "--password-stdin", *db, stdin="another password\n"
    )
    assert reset.exit_code == 0
    assert accounts.authenticate(paths, "li", "another password").role == "steward"
    bad = cli("users", "add", "li", "--role", "viewer", "--password-stdin", *db, stdin=PASSWORD)
    assert bad.exit_code == 2 and "already a user 'li'" in bad.output
    entries = json.loads(cli("audit", "--json", *db).output)
    assert [(e["action"], e["target"]) for e in entries] == [
        ("user_password", "li"),
        ("user_enable", "li"),
        ("user_disable", "li"),
        ("user_role", "li"),
        ("user_add", "li"),
    ]
    assert all(e["actor"].startswith("cli:") for e in entries)
    assert PASSWORD not in paths.app_db.read_bytes().decode("latin-1")
    only = json.loads(cli("audit", "--json", "--action", "user_add", *db).output)
    assert len(only) == 1
    assert cli("audit", "--action", "nonsense", *db).exit_code == 2


def test_serve_refuses_to_start_without_a_user(paths):
    refused = cli("serve", "--db", str(paths.db))
    assert refused.exit_code == 2
    assert "ipgov users add NAME --role admin" in refused.output


def test_ipgov_sql_statements_are_audited_refused_or_not(sample_wh):
    db = ["--db", str(sample_wh.db)]
    assert cli("sql", "select 42 as answer", *db).exit_code == 0
    assert cli("sql", "select * from read_csv('/etc/passwd')", *db).exit_code == 2
    refused, answered = audit.entries(sample_wh, action="sql", limit=2)
    assert (answered.outcome, answered.rows, answered.detail["sql"]) == (
        "ok",
        1,
        "select 42 as answer",
    )
    assert refused.outcome == "refused" and "passwd" in refused.detail["sql"]
    assert answered.actor.startswith("cli:") and refused.detail["refusal"]


def _audit_page(lang: str) -> None:
    from dashboard.views import audit as audit_view

    audit_view.render(lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_audit_page_lists_and_filters_the_trail_in_the_reader_language(users, lang):
    audit.record(users, "ana", "sql", rows=7, sql="select 7")
    audit.record(users, "vera", "page_denied", target="sql", outcome="refused", role="viewer")
    at = sign_in(AppTest.from_function(_audit_page, args=(lang,), default_timeout=60),
                 users.db, "admin").run()  # fmt: skip
    assert not at.exception
    shown = at.dataframe[0].value
    headers = list(shown.columns)
    assert headers[:3] == (
        ["时间（世界标准时间）", "用户", "操作"]
        if lang == "zh"
        else ["Time (UTC)", "User", "Action"]
    )
    actions_shown = list(shown[headers[2]])
    assert actions_shown == [t("audit_action_page_denied", lang), t("audit_action_sql", lang)]
    # pages by their name, statements as written, reasons and roles in the language
    assert shown[headers[3]].iloc[0] == t("page_sql", lang)
    assert list(shown[headers[6]]) == [
        t("audit_role", lang, role=t("role_viewer", lang)),
        "select 7",
    ]
    at.selectbox(key="audit_action").set_value("sql").run()
    assert list(at.dataframe[0].value[headers[2]]) == [t("audit_action_sql", lang)]
    at.text_input(key="audit_user").set_value("nobody").run()
    assert [i.value for i in at.info] == [t("audit_none", lang)]


def test_only_admins_may_open_the_audit_page():
    assert [r for r in roles.ROLES if roles.may_open(r, "audit")] == ["admin"]


def test_ipgov_load_is_audited_with_what_it_loaded(small_sample, tmp_path):
    db = tmp_path / "audited" / "warehouse.duckdb"
    result = cli("load", str(small_sample / "cases_2023.csv"), "--db", str(db))
    assert result.exit_code == 0, result.output
    (entry,) = audit.entries(warehouse.WarehousePaths(db), action="load")
    assert entry.actor.startswith("cli:") and entry.outcome == "ok"
    assert entry.target == str(small_sample / "cases_2023.csv")
    assert entry.rows == query(warehouse.WarehousePaths(db), "select count(*) from fct_cases")[0][0]
    assert entry.detail["files"] == {"loaded": 1, "skipped": 0, "rejected": 0}
    assert entry.detail["build"] == "full"
