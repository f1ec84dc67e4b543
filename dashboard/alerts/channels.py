"""Delivering a digest: an e-mail over SMTP (stdlib smtplib + email.message, settings
IPGOV_SMTP_*, IPGOV_ALERT_FROM) and a POST of JSON to a group robot's webhook (urllib). Each
returns None when the server took it, or why not in one line (SMTP 550 …, HTTP 500 …, a
robot's errcode), which the send record keeps and the page shows."""

from __future__ import annotations

import json
import smtplib
import ssl
import urllib.error
import urllib.request
from email.message import EmailMessage
from email.utils import formatdate, make_msgid

from etl import settings


def send_email(address: str, subject: str, text: str) -> str | None:
    """One message to `address`; None when the server accepted it."""
    s = settings.current()
    if not s.smtp_host:
        return "IPGOV_SMTP_HOST is not set: no e-mail can be sent"
    message = EmailMessage()
    message["Subject"] = subject
    message["From"] = s.alert_from
    message["To"] = address
    message["Date"] = formatdate(localtime=True)
    message["Message-ID"] = make_msgid(domain=s.alert_from.rpartition("@")[2] or None)
    message.set_content(text, charset="utf-8")
    try:
        if s.smtp_tls == "ssl":
            smtp = smtplib.SMTP_SSL(
                s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds,
                context=ssl.create_default_context(),
            )  # fmt: skip
        else:
            smtp = smtplib.SMTP(s.smtp_host, s.smtp_port, timeout=s.smtp_timeout_seconds)
        with smtp:
            if s.smtp_tls == "starttls":
                smtp.starttls(context=ssl.create_default_context())
            refused = smtp.send_message(message)
    except smtplib.SMTPRecipientsRefused as e:
        code, reason = next(iter(e.recipients.values()))
        return f"SMTP {code} {_text(reason)}"
    except smtplib.SMTPResponseException as e:
        return f"SMTP {e.smtp_code} {_text(e.smtp_error)}"
    except (smtplib.SMTPException, OSError) as e:
        return f"SMTP {type(e).__name__}: {e}"
    if refused:
        code, reason = next(iter(refused.values()))
        return f"SMTP {code} {_text(reason)}"
    return None


def _text(reason: bytes | str) -> str:
    return reason.decode("utf-8", "replace") if isinstance(reason, bytes) else str(reason)


def send_webhook(url: str, body: str) -> str | None:
    """POST the JSON `body`; None when the robot answered 2xx and no non-zero errcode (WeCom
    and DingTalk answer 200 with {"errcode": 0, …} when they took it)."""
    request = urllib.request.Request(
        url,
        data=body.encode("utf-8"),
        headers={"Content-Type": "application/json; charset=utf-8"},
        method="POST",
    )
    timeout = settings.current().smtp_timeout_seconds
    try:  # the URL is http(s) only (store.check_address)
        with urllib.request.urlopen(request, timeout=timeout) as response:
            answer = response.read(64_000)
    except urllib.error.HTTPError as e:
        return f"HTTP {e.code} {e.reason}"
    except (urllib.error.URLError, OSError) as e:
        return f"webhook {type(e).__name__}: {getattr(e, 'reason', e)}"
    try:
        reply = json.loads(answer or b"{}")
    except ValueError:
        return None  # a 2xx without JSON: a plain receiver took it
    if isinstance(reply, dict) and reply.get("errcode") not in (None, 0):
        return f"webhook errcode {reply.get('errcode')}: {reply.get('errmsg', '')}"
    return None
