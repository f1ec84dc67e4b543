"""Delivering a digest: an e-mail over SMTP (stdlib smtplib + email.message, settings
IPGOV_SMTP_*, IPGOV_ALERT_FROM) and a POST of JSON to a group robot's webhook (urllib).

Each returns None when the server took it, or a `Failure`: what went wrong (`kind`, which the
page and the CLI explain in Chinese and English through dashboard/i18n.py) and the server's or
the library's own words (`detail`: SMTP 550 …, HTTP 500 …, a robot's errcode, the TLS error),
which the send record keeps.

The SMTP connection is encrypted as IPGOV_SMTP_TLS says and never less: `starttls` refuses a
server that does not offer STARTTLS rather than sending in plain text, and the server's
certificate is always verified (the system store, or IPGOV_SMTP_CA_FILE for an office's
internal CA). A password is only sent over an encrypted connection, and is never part of a
Failure, so it reaches neither the store, the audit trail nor a log.
"""

from __future__ import annotations

import base64
import json
import smtplib
import ssl
import urllib.error
import urllib.request
from dataclasses import dataclass
from email.message import EmailMessage
from email.utils import formatdate, make_msgid
from pathlib import Path

from dashboard.i18n import t
from etl import settings

# What a failure can be; each has an `alert_error_<kind>` message in dashboard/i18n.py and a
# short name in dashboard/columns.py (`alert_error_kind`).
KINDS = (
    "not_configured",  # IPGOV_SMTP_HOST empty
    "settings",  # a password or CA setting that cannot be used (detail names the variable)
    "unreachable",  # no connection: refused, timed out, no such host
    "tls_untrusted",  # the server's certificate failed verification
    "tls_failed",  # any other TLS failure (a plain-text server on an `ssl` port …)
    "starttls_unavailable",  # `starttls` set, the server does not offer it
    "auth_unencrypted",  # a user name set with IPGOV_SMTP_TLS=none: the password is not sent
    "auth_unavailable",  # a user name set, the server offers no SMTP AUTH
    "auth_failed",  # the server refused the user name and password
    "auth_required",  # the server wants a sign-in and none is set (530)
    "rejected",  # the server answered no: SMTP 4xx/5xx, HTTP 4xx/5xx, a robot's errcode
    "failed",  # anything else the protocol library raised
)


@dataclass(frozen=True)
class Failure:
    """Why one attempt did not deliver."""

    kind: str  # one of KINDS
    detail: str  # the server's or library's words, untranslated; never a password

    def message(self, lang: str) -> str:
        """The failure explained in the reader's language ("zh" or "en")."""
        return t(f"alert_error_{self.kind}", lang, detail=self.detail)


class _Refused(Exception):
    """A setting that stops the send before any connection is made."""

    def __init__(self, failure: Failure) -> None:
        self.failure = failure


def _password(s: settings.Settings) -> str | None:
    """The SMTP password when IPGOV_SMTP_USER is set (from the file, or the variable), None
    when no sign-in is configured."""
    given = s.smtp_password.get_secret_value()
    path = s.smtp_password_file.strip()
    if not s.smtp_user.strip():
        if given or path:
            raise _Refused(
                Failure("settings", "an SMTP password is set but IPGOV_SMTP_USER is not")
            )
        return None
    if given and path:
        raise _Refused(
            Failure("settings", "set IPGOV_SMTP_PASSWORD_FILE or IPGOV_SMTP_PASSWORD, not both")
        )
    if path:
        try:
            given = Path(path).read_text(encoding="utf-8").rstrip("\r\n")
        except OSError as e:
            raise _Refused(
                Failure("settings", f"cannot read IPGOV_SMTP_PASSWORD_FILE={path}: {e.strerror}")
            ) from None
        except UnicodeDecodeError:
            raise _Refused(
                Failure("settings", f"IPGOV_SMTP_PASSWORD_FILE={path} is not UTF-8 text")
            ) from None
    if not given:
        raise _Refused(
            Failure(
                "settings",
                "IPGOV_SMTP_USER is set but no password"
                " (IPGOV_SMTP_PASSWORD_FILE or IPGOV_SMTP_PASSWORD)",
            )
        )
    return given


def _tls_context(s: settings.Settings) -> ssl.SSLContext:
    """A context that verifies the server's certificate and host name: against
    IPGOV_SMTP_CA_FILE when set, else the system store. Never an unverified one."""
    ca_file = s.smtp_ca_file.strip()
    try:
        return ssl.create_default_context(cafile=ca_file or None)
    except ssl.SSLError as e:  # a file that is not PEM certificates
        raise _Refused(
            Failure("settings", f"IPGOV_SMTP_CA_FILE={ca_file} holds no usable certificate: {e}")
        ) from None
    except OSError as e:
        raise _Refused(
            Failure("settings", f"cannot read IPGOV_SMTP_CA_FILE={ca_file}: {e.strerror}")
        ) from None


def _message(s: settings.Settings, address: str, subject: str, text: str) -> EmailMessage:
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = s.alert_from
    message["To"] = address
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=s.alert_from.rpartition("@")[2] or None)
    message.set_content(text, charset="utf-8")
    return message


def send_email(address: str, subject: str, text: str) -> Failure | None:
    """One message to `address`; None when the server accepted it."""
    s = settings.current()
    if not s.smtp_host:
        return Failure("not_configured", "IPGOV_SMTP_HOST is not set")
    try:
        password = _password(s)
        context = _tls_context(s) if s.smtp_tls != "none" else None
    except _Refused as e:
        return e.failure
    if password is not None and context is None:
        return Failure("auth_unencrypted", "IPGOV_SMTP_TLS=none")
    where = f"{s.smtp_host}:{s.smtp_port}"
    stage = "connect"
    try:
        if s.smtp_tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds, context=context
            )
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        with smtp:
            if s.smtp_tls == "starttls":
                stage = "starttls"
                smtp.ehlo()
                if not smtp.has_extn("starttls"):
                    return Failure("starttls_unavailable", f"{where} does not offer STARTTLS")
                smtp.starttls(context=context)
            if password is not None:
                stage = "login"
                failure = _sign_in(smtp, s.smtp_user.strip(), password, where)
                if failure:
                    return failure
            stage = "send"
            refused = smtp.send_message(_message(s, address, subject, text))
    except ssl.SSLCertVerificationError as e:
        return Failure("tls_untrusted", f"{where}: {e.verify_message or e}")
    except ssl.SSLError as e:
        return Failure("tls_failed", f"{where}: {e.reason or e}")
    except smtplib.SMTPAuthenticationError as e:
        return Failure("auth_failed", f"SMTP {e.smtp_code} {_text(e.smtp_error)}")
    except smtplib.SMTPRecipientsRefused as e:
        code, reason = next(iter(e.recipients.values()))
        return Failure("rejected", f"SMTP {code} {_text(reason)}")
    except smtplib.SMTPResponseException as e:
        detail = f"SMTP {e.smtp_code} {_text(e.smtp_error)}"
        if stage == "starttls":
            return Failure("starttls_unavailable", detail)
        if e.smtp_code == 530 and password is None:
            return Failure("auth_required", detail)
        return Failure("rejected", detail)
    except smtplib.SMTPServerDisconnected as e:
        return Failure("unreachable" if stage == "connect" else "failed", f"{where}: {e}")
    except smtplib.SMTPException as e:  # "No suitable authentication method found." …
        return Failure("auth_unavailable" if stage == "login" else "failed", f"{where}: {e}")
    except OSError as e:  # refused, timed out, no such host; or the connection dropped
        kind = "unreachable" if stage == "connect" else "failed"
        return Failure(kind, f"{where}: {type(e).__name__}: {e}")
    if refused:
        code, reason = next(iter(refused.values()))
        return Failure("rejected", f"SMTP {code} {_text(reason)}")
    return None


def _sign_in(smtp: smtplib.SMTP, user: str, password: str, where: str) -> Failure | None:
    """SMTP AUTH on the encrypted connection, with one mechanism: a wrong password is wrong in
    every one, and trying the next after a refusal (as smtplib.login does) leaves some servers
    waiting until the timeout. PLAIN when offered, written here in UTF-8 (RFC 4616) because
    smtplib encodes credentials as ASCII, and its UnicodeEncodeError would quote them; else
    LOGIN or CRAM-MD5 through smtplib for ASCII credentials. SMTPAuthenticationError: the
    caller records it."""
    smtp.ehlo()
    if not smtp.has_extn("auth"):
        return Failure("auth_unavailable", f"{where} offers no SMTP AUTH")
    offered = smtp.esmtp_features.get("auth", "").upper().split()
    if "PLAIN" in offered:
        token = base64.b64encode(f"\0{user}\0{password}".encode()).decode("ascii")
        code, reply = smtp.docmd("AUTH", f"PLAIN {token}")
        if code != 235:
            raise smtplib.SMTPAuthenticationError(code, reply)
        return None
    mechanism = next((m for m in ("LOGIN", "CRAM-MD5") if m in offered), None)
    if mechanism is None or not (user.isascii() and password.isascii()):
        return Failure(
            "auth_unavailable",
            f"{where} offers AUTH {' '.join(offered) or '(none)'}; ipgov signs in with PLAIN,"
            " or LOGIN / CRAM-MD5 for a user name and password in ASCII",
        )
    smtp.user, smtp.password = user, password
    try:
        smtp.auth(mechanism, getattr(smtp, "auth_" + mechanism.lower().replace("-", "_")))
    finally:
        smtp.password = ""
    return None


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def send_webhook(url: str, body: str) -> Failure | None:
    """POST the JSON `body`; None when the robot answered 2xx and no non-zero errcode (WeCom
    and DingTalk answer 200 with {"errcode": 0, …} when they took it)."""
    request = urllib.request.Request(
        url,
        data=body.encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    timeout = settings.current().smtp_timeout_seconds
    try:  # the URL is http(s) only (store.check_address); https is verified (system store)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(64_000)
    except urllib.error.HTTPError as e:
        return Failure("rejected", f"HTTP {e.code} {e.reason}")
    except urllib.error.URLError as e:
        if isinstance(e.reason, ssl.SSLError):  # IPGOV_SMTP_CA_FILE is not for webhooks
            return Failure("tls_failed", f"webhook: {e.reason}")
        return Failure("unreachable", f"webhook {type(e).__name__}: {e.reason}")
    except OSError as e:
        return Failure("unreachable", f"webhook {type(e).__name__}: {e}")
    try:
        reply = json.loads(answer or b"{}")
    except ValueError:
        return None  # a 2xx without JSON: a plain receiver took it
    if isinstance(reply, dict) and reply.get("errcode") not in (None, 0):
        return Failure(
            "rejected", f"webhook errcode {reply.get('errcode')}: {reply.get('errmsg', '')}"
        )
    return None
