"""The alerts' e-mail over an encrypted connection, against real aiosmtpd servers on 127.0.0.1
with certificates the test makes (tests/tls_certs.py): STARTTLS on a server that requires it,
implicit TLS (port-465 style), the server's certificate verified against IPGOV_SMTP_CA_FILE
(an office's internal CA) and refused when untrusted, a server without STARTTLS refused rather
than spoken to in plain text, and SMTP sign-in (IPGOV_SMTP_USER, the password from a file or
the environment) that never sends or records the password where it should not."""

from __future__ import annotations

import contextlib
import email
import email.policy
import json
import logging
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword
from typer.testing import CliRunner

from dashboard.access import audit
from dashboard.alerts import channels, store
from dashboard.cli import app
from dashboard.i18n import t
from etl import warehouse
from tests import tls_certs
from tests.test_alerts import TO, _free_port

USER, PASSWORD = "ipgov-alerts", "Zh1-s3cret-知识产权"  # non-ASCII on purpose: PLAIN is UTF-8


class Inbox:
    """aiosmtpd handler and authenticator: keeps every message, and every sign-in attempt's
    outcome (user name, accepted) — never the password."""

    def __init__(self) -> None:
        self.messages: list[email.message.EmailMessage] = []
        self.signins: list[tuple[str, bool]] = []
        self.tls: list[bool] = []  # per message: was the session encrypted

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(
            email.message_from_bytes(envelope.content, policy=email.policy.default)
        )
        # STARTTLS sets the session's ssl; implicit TLS is the transport's from the start
        self.tls.append(
            session.ssl is not None or server.transport.get_extra_info("ssl_object") is not None
        )
        return "250 Message accepted for delivery"

    def authenticator(self, server, session, envelope, mechanism, auth_data):
        assert isinstance(auth_data, LoginPassword)
        user = auth_data.login.decode()
        accepted = user == USER and auth_data.password.decode() == PASSWORD
        self.signins.append((user, accepted))
        return AuthResult(success=accepted, handled=False)  # aiosmtpd answers 535 itself


@contextlib.contextmanager
def mail_server(**parameters) -> Iterator[tuple[Inbox, int]]:
    """A real SMTP server on 127.0.0.1 (aiosmtpd in a thread) with `parameters` (tls_context,
    require_starttls, ssl_context, authenticator …)."""
    inbox = Inbox()
    if parameters.pop("signin", False):
        parameters |= {"authenticator": inbox.authenticator, "auth_required": True}
    controller = Controller(inbox, hostname="127.0.0.1", port=_free_port(), **parameters)
    controller.start()
    try:
        yield inbox, controller.port
    finally:
        controller.stop()


@pytest.fixture(scope="module")
def certs(tmp_path_factory) -> dict:
    """The office's CA and the mail server's certificate it signs (127.0.0.1, localhost);
    another CA, which signed nothing the server holds; and a certificate the office's CA
    signs for another host name."""
    folder = tmp_path_factory.mktemp("certs")
    office, other = tls_certs.authority(folder, "office"), tls_certs.authority(folder, "other")
    return {
        "office": office,
        "other": other,
        "server": tls_certs.server(folder, office),
        "elsewhere": tls_certs.server(folder, office, ("mail.elsewhere.example",)),
    }


@pytest.fixture
def wh(sample_wh, tmp_path, monkeypatch) -> warehouse.WarehousePaths:
    """A copy of the scale-1 sample with its own app database; e-mail only (no webhook)."""
    shutil.copytree(sample_wh.db.parent, tmp_path / "wh")
    paths = warehouse.WarehousePaths(tmp_path / "wh" / sample_wh.db.name)
    for name, value in {
        "DB": str(paths.db),
        "SMTP_HOST": "127.0.0.1",
        "ALERT_FROM": "ipgov@ipc.example.gov.cn",
        "ALERT_TO": TO,
        "PUBLIC_URL": "https://ipgov.example.gov.cn",
    }.items():
        monkeypatch.setenv(f"IPGOV_{name}", value)
    return paths


def smtp_to(monkeypatch, port: int, tls: str, ca: Path | None = None) -> None:
    monkeypatch.setenv("IPGOV_SMTP_PORT", str(port))
    monkeypatch.setenv("IPGOV_SMTP_TLS", tls)
    if ca is not None:
        monkeypatch.setenv("IPGOV_SMTP_CA_FILE", str(ca))


def alerts_run(paths: warehouse.WarehousePaths, *options: str):
    """One `ipgov alerts run --json`: exit code, the report, and everything it printed."""
    result = CliRunner().invoke(app, ["alerts", "run", "--json", "--db", str(paths.db), *options])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    return result.exit_code, json.loads(result.stdout), result.output + result.stderr


def test_starttls_to_a_server_that_requires_it(wh, certs, monkeypatch):
    context = certs["server"].context()
    with mail_server(tls_context=context, require_starttls=True) as (inbox, port):
        smtp_to(monkeypatch, port, "starttls", certs["office"].pem)
        code, report, _ = alerts_run(wh)
    assert code == 0, report
    (send,) = report["sends"]
    assert (send["status"], send["error"]) == ("sent", None)
    (message,) = inbox.messages
    assert inbox.tls == [True], "the message went over the encrypted session"
    assert message["To"] == TO and "新超期 295 项" in message.get_content()


def test_implicit_tls_port_465_style(wh, certs, monkeypatch):
    with mail_server(ssl_context=certs["server"].context()) as (inbox, port):
        smtp_to(monkeypatch, port, "ssl", certs["office"].pem)
        code, report, _ = alerts_run(wh)
    assert code == 0, report
    assert [s["status"] for s in report["sends"]] == ["sent"]
    assert len(inbox.messages) == 1 and inbox.tls == [True]


@pytest.mark.parametrize(
    ("tls", "trusted", "certificate", "why"),
    [
        # the server's certificate is signed by a CA the alerts were not told to trust
        ("starttls", "other", "server", "unable to get local issuer certificate"),
        # no IPGOV_SMTP_CA_FILE: the system store, which knows no office's CA
        ("ssl", None, "server", "unable to get local issuer certificate"),
        # the right CA, but a certificate for another host
        ("starttls", "office", "elsewhere", "certificate is not valid for '127.0.0.1'"),
    ],
)
def test_an_untrusted_certificate_fails_the_send_and_is_retried(
    wh, certs, monkeypatch, tls, trusted, certificate, why
):
    context = certs[certificate].context()
    server = (
        {"tls_context": context, "require_starttls": True}
        if tls == "starttls"
        else {"ssl_context": context}
    )
    with mail_server(**server) as (inbox, port):
        smtp_to(monkeypatch, port, tls, certs[trusted].pem if trusted else None)
        code, report, _ = alerts_run(wh)
        assert code == 1, "a failed send fails the run"
        (send,) = report["sends"]
        assert (send["status"], send["error_kind"]) == ("failed", "tls_untrusted")
        assert why in send["error"]
        assert send["error"].startswith("The server's certificate is not trusted")
        assert send["error_zh"].startswith("服务器证书不受信任")
        assert "IPGOV_SMTP_CA_FILE" in send["error"] and "IPGOV_SMTP_CA_FILE" in send["error_zh"]
        assert not inbox.messages, "nothing reached the server past the handshake"
        (stored,) = store.sends(wh)
        assert (stored.status, stored.error_kind, stored.attempts) == ("failed", "tls_untrusted", 1)
        assert why in stored.last_error
        (entry,) = audit.entries(wh, action="alert_send")
        assert (entry.outcome, entry.detail["error_kind"]) == ("failed", "tls_untrusted")

        # retried on the next run like any failed send: with the office's CA trusted it goes
        # out, unless the certificate is for another host
        monkeypatch.setenv("IPGOV_SMTP_CA_FILE", str(certs["office"].pem))
        code, again, _ = alerts_run(wh)
    assert again["changes"] == []
    if certificate == "elsewhere":
        assert code == 1
        assert [(s["attempt"], s["error_kind"]) for s in again["sends"]] == [(2, "tls_untrusted")]
        assert not inbox.messages
    else:
        assert code == 0
        assert [(s["attempt"], s["status"], s["retry"]) for s in again["sends"]] == [
            (2, "sent", True)
        ]
        assert len(inbox.messages) == 1


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_page_explains_an_untrusted_certificate(wh, certs, monkeypatch, lang):
    from tests.test_alerts import alerts_page

    context = certs["server"].context()
    with mail_server(tls_context=context, require_starttls=True) as (_, port):
        smtp_to(monkeypatch, port, "starttls")  # the system store
        alerts_run(wh)
    at = alerts_page(monkeypatch, wh, lang, "analyst")
    assert not at.exception, at.exception
    (stored,) = store.sends(wh)
    message = channels.Failure("tls_untrusted", f"`{stored.last_error}`").message(lang)
    assert [e.value for e in at.error] == [t("alerts_failed", lang, n=1, error=message)]
    shown = at.dataframe[0].value
    from tests.test_pages import h

    kind = "证书不受信任" if lang == "zh" else "Certificate not trusted"
    assert list(shown[h("alert_error_kind", lang)]) == [kind]


def test_starttls_refused_when_the_server_does_not_offer_it(wh, monkeypatch):
    with mail_server() as (inbox, port):  # a plain server: no STARTTLS in its EHLO
        smtp_to(monkeypatch, port, "starttls")
        code, report, _ = alerts_run(wh)
    assert code == 1
    (send,) = report["sends"]
    assert send["error_kind"] == "starttls_unavailable"
    assert send["error"].startswith("The server does not offer STARTTLS, so the e-mail was not")
    assert send["error_zh"].startswith("服务器不支持 `STARTTLS` 加密，邮件未以明文发送")
    assert f"127.0.0.1:{port} does not offer STARTTLS" in send["error"]
    assert not inbox.messages, "nothing was sent in plain text"


def test_a_plain_server_on_the_ssl_port_fails_the_handshake(wh, monkeypatch):
    with mail_server() as (inbox, port):
        smtp_to(monkeypatch, port, "ssl")
        code, report, _ = alerts_run(wh)
    assert code == 1 and not inbox.messages
    assert [s["error_kind"] for s in report["sends"]] == ["tls_failed"]


def test_a_ca_file_that_cannot_be_read_fails_clearly(wh, tmp_path, monkeypatch):
    not_pem = tmp_path / "ca.pem"
    not_pem.write_text("not a certificate\n", encoding="utf-8")
    for ca, why in [
        (tmp_path / "missing.pem", "cannot read IPGOV_SMTP_CA_FILE="),
        (not_pem, "holds no usable certificate"),
    ]:
        monkeypatch.setenv("IPGOV_SMTP_CA_FILE", str(ca))
        failure = channels.send_email(TO, "subject", "text")
        assert failure is not None and failure.kind == "settings" and why in failure.detail
        assert failure.message("zh").startswith("邮件设置有误，未发送")


# --- SMTP sign-in ----------------------------------------------------------------------------


@pytest.fixture
def password_file(tmp_path) -> Path:
    path = tmp_path / "secrets" / "smtp-password"
    path.parent.mkdir()
    path.write_text(PASSWORD + "\n", encoding="utf-8")  # as `echo` writes it
    path.chmod(0o600)
    return path


def signin_server(certs):
    """STARTTLS required, sign-in required, and (aiosmtpd's default) AUTH only after TLS."""
    return mail_server(tls_context=certs["server"].context(), require_starttls=True, signin=True)


def no_password_anywhere(paths: warehouse.WarehousePaths, printed: str, caplog) -> None:
    """The password is in neither the app database's files (the sends, the audit trail), what
    the run printed, nor any log record of ipgov's (the test server's own `mail.log` debug
    lines are left out: they are the server's, and hold the exchange base64-encoded)."""
    for file in Path(paths.app_db).parent.glob(f"{Path(paths.app_db).name}*"):
        assert PASSWORD.encode() not in file.read_bytes(), file
    assert PASSWORD not in printed
    for entry in audit.entries(paths):
        assert PASSWORD not in json.dumps(entry.detail, ensure_ascii=False)
    for record in caplog.records:
        if not record.name.startswith("mail.log"):
            assert PASSWORD not in record.getMessage()


def test_signin_with_the_right_password_delivers(wh, certs, monkeypatch, password_file, caplog):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("IPGOV_SMTP_USER", USER)
    monkeypatch.setenv("IPGOV_SMTP_PASSWORD_FILE", str(password_file))
    with signin_server(certs) as (inbox, port):
        smtp_to(monkeypatch, port, "starttls", certs["office"].pem)
        code, report, printed = alerts_run(wh)
    assert code == 0, report
    assert inbox.signins == [(USER, True)]
    assert len(inbox.messages) == 1 and inbox.tls == [True]
    no_password_anywhere(wh, printed, caplog)


def test_signin_with_a_wrong_password_is_recorded_and_delivers_nothing(
    wh, certs, monkeypatch, password_file, caplog
):
    caplog.set_level(logging.DEBUG)
    monkeypatch.setenv("IPGOV_SMTP_USER", USER)
    wrong = password_file.with_name("wrong")
    wrong.write_text("not-the-password\n", encoding="utf-8")
    monkeypatch.setenv("IPGOV_SMTP_PASSWORD_FILE", str(wrong))
    with signin_server(certs) as (inbox, port):
        smtp_to(monkeypatch, port, "starttls", certs["office"].pem)
        code, report, printed = alerts_run(wh)
        assert code == 1
        (send,) = report["sends"]
        assert send["error_kind"] == "auth_failed"
        assert send["error"] == (
            "SMTP sign-in failed: the user name or password is wrong (`IPGOV_SMTP_USER`,"
            " `IPGOV_SMTP_PASSWORD_FILE`); the e-mail was not sent. The server said:"
            " SMTP 535 5.7.8 Authentication credentials invalid"
        )
        assert send["error_zh"].startswith("邮件服务器登录失败：用户名或密码不正确")
        assert inbox.signins == [(USER, False)] and not inbox.messages
        (stored,) = store.sends(wh)
        assert (stored.status, stored.error_kind) == ("failed", "auth_failed")
        assert "not-the-password" not in printed
        no_password_anywhere(wh, printed, caplog)

        # the right password next time: the failed send is retried and goes out
        monkeypatch.setenv("IPGOV_SMTP_PASSWORD_FILE", str(password_file))
        code, again, printed = alerts_run(wh)
    assert code == 0 and [s["status"] for s in again["sends"]] == ["sent"]
    assert inbox.signins == [(USER, False), (USER, True)] and len(inbox.messages) == 1
    no_password_anywhere(wh, printed, caplog)


def test_the_password_from_the_environment_also_signs_in(wh, certs, monkeypatch):
    monkeypatch.setenv("IPGOV_SMTP_USER", USER)
    monkeypatch.setenv("IPGOV_SMTP_PASSWORD", PASSWORD)
    with signin_server(certs) as (inbox, port):
        smtp_to(monkeypatch, port, "starttls", certs["office"].pem)
        assert channels.send_email(TO, "主题", "正文") is None
    assert inbox.signins == [(USER, True)] and len(inbox.messages) == 1
    from etl import settings

    assert PASSWORD not in repr(settings.current()), "a Settings repr hides the password"


def test_no_password_over_an_unencrypted_connection(wh, monkeypatch, password_file):
    """IPGOV_SMTP_TLS=none with a user name: refused before any connection is made."""
    monkeypatch.setenv("IPGOV_SMTP_USER", USER)
    monkeypatch.setenv("IPGOV_SMTP_PASSWORD_FILE", str(password_file))
    with mail_server() as (inbox, port):
        smtp_to(monkeypatch, port, "none")
        code, report, printed = alerts_run(wh)
    assert code == 1
    (send,) = report["sends"]
    assert send["error_kind"] == "auth_unencrypted"
    assert send["error"].startswith("Refusing to send the SMTP password over an unencrypted")
    assert send["error_zh"].startswith("拒绝在未加密的连接上发送邮件服务器密码")
    assert not inbox.messages and PASSWORD not in printed


def test_a_server_requiring_signin_without_credentials(wh, certs, monkeypatch):
    with signin_server(certs) as (inbox, port):
        smtp_to(monkeypatch, port, "starttls", certs["office"].pem)
        failure = channels.send_email(TO, "主题", "正文")
    assert failure is not None and failure.kind == "auth_required", failure
    assert failure.detail.startswith("SMTP 530")
    assert not inbox.messages


@pytest.mark.parametrize(
    ("env", "why"),
    [
        (
            {"SMTP_USER": USER},
            "IPGOV_SMTP_USER is set but no password"
            " (IPGOV_SMTP_PASSWORD_FILE or IPGOV_SMTP_PASSWORD)",
        ),
        ({"SMTP_PASSWORD": PASSWORD}, "an SMTP password is set but IPGOV_SMTP_USER is not"),
        (
            {"SMTP_USER": USER, "SMTP_PASSWORD": PASSWORD, "SMTP_PASSWORD_FILE": "x"},
            "set IPGOV_SMTP_PASSWORD_FILE or IPGOV_SMTP_PASSWORD, not both",
        ),
        (
            {"SMTP_USER": USER, "SMTP_PASSWORD_FILE": "{tmp}/missing"},
            "cannot read IPGOV_SMTP_PASSWORD_FILE={tmp}/missing: No such file or directory",
        ),
    ],
)
def test_sign_in_settings_that_cannot_be_used(monkeypatch, tmp_path, env, why):
    env = {name: value.replace("{tmp}", str(tmp_path)) for name, value in env.items()}
    why = why.replace("{tmp}", str(tmp_path))
    monkeypatch.setenv("IPGOV_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("IPGOV_SMTP_PORT", str(_free_port()))  # never reached
    for name, value in env.items():
        monkeypatch.setenv(f"IPGOV_{name}", value)
    failure = channels.send_email(TO, "主题", "正文")
    assert failure is not None and (failure.kind, failure.detail) == ("settings", why)
    assert PASSWORD not in failure.message("en") + failure.message("zh")


@pytest.mark.parametrize(("password", "delivered"), [("plain-ascii-1", True), (PASSWORD, False)])
def test_signin_when_the_server_offers_login_only(certs, monkeypatch, password, delivered):
    """AUTH LOGIN through smtplib for an ASCII password; a password outside ASCII needs PLAIN
    (smtplib would fail to encode it, quoting it in the error), so it is refused, unsent."""
    monkeypatch.setenv("IPGOV_SMTP_HOST", "127.0.0.1")
    monkeypatch.setenv("IPGOV_SMTP_USER", USER)
    monkeypatch.setenv("IPGOV_SMTP_PASSWORD", password)
    with mail_server(
        tls_context=certs["server"].context(),
        require_starttls=True,
        auth_exclude_mechanism=["PLAIN"],
        authenticator=lambda server, session, envelope, mechanism, data: AuthResult(
            success=(mechanism, data.login, data.password)
            == ("LOGIN", USER.encode(), password.encode()),
            handled=False,
        ),
        auth_required=True,
    ) as (inbox, port):
        smtp_to(monkeypatch, port, "starttls", certs["office"].pem)
        failure = channels.send_email(TO, "主题", "正文")
    if delivered:
        assert failure is None and len(inbox.messages) == 1
    else:
        assert failure is not None and failure.kind == "auth_unavailable"
        assert "offers AUTH LOGIN" in failure.detail and PASSWORD not in failure.detail
        assert not inbox.messages
