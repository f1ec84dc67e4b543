"""Server-side sessions. The browser holds a random token in an HttpOnly cookie; the app
database holds only the token's SHA-256, the user, and when it was last seen. A session ends at
sign-out, after IPGOV_SESSION_IDLE_MINUTES without a request, and when its account is disabled
or its password reset — a copied cookie is then worth nothing."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from dataclasses import dataclass

from etl import appdb, settings, warehouse

COOKIE = "ipgov_session"
# touching last_seen_at on every script run would write the app database on every click; a
# minute's precision is enough for a 30-minute idle timeout
TOUCH_EVERY = dt.timedelta(seconds=60)


@dataclass(frozen=True)
class Session:
    user: str
    role: str
    token_sha256: str
    created_at: str


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "replace")).hexdigest()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def start(paths: warehouse.WarehousePaths, user: str) -> str:
    """A new session for `user`; returns the token for the cookie (shown nowhere else)."""
    token = secrets.token_urlsafe(32)
    now = _now().isoformat(timespec="seconds")
    with appdb.connect(paths) as con:
        con.execute(
            "insert into sessions (token_sha256, user_name, created_at, last_seen_at) "
            "values (?, ?, ?, ?)",
            (_digest(token), user, now, now),
        )
    return token


def resolve(paths: warehouse.WarehousePaths, token: str | None) -> tuple[Session | None, str]:
    """The live session a token stands for, and why not when there is none: `none` (no
    token), `unknown` (never issued: forged), `ended` (signed out or ended before), `idle`
    (ended now by the timeout), `disabled` (its account was disabled). Touches last_seen."""
    if not token or len(token) > 200:
        return None, "none"
    digest = _digest(token)
    now = _now()
    idle = dt.timedelta(minutes=settings.current().session_idle_minutes)
    with appdb.connect(paths) as con:
        row = con.execute(
            "select s.user_name, u.role, s.created_at, s.last_seen_at, s.ended_at, "
            "u.disabled_at is not null from sessions as s left join users as u "
            "on u.name = s.user_name where s.token_sha256 = ?",
            (digest,),
        ).fetchone()
        if row is None:
            return None, "unknown"
        user, role, created, last_seen, ended, disabled = row
        if ended:
            return None, "ended"
        reason = None
        if disabled or role is None:
            reason = "disabled"
        elif now - dt.datetime.fromisoformat(last_seen) > idle:
            reason = "idle"
        if reason:
            con.execute(
                "update sessions set ended_at = ?, end_reason = ? where token_sha256 = ?",
                (now.isoformat(timespec="seconds"), reason, digest),
            )
            return None, reason
        if now - dt.datetime.fromisoformat(last_seen) > TOUCH_EVERY:
            con.execute(
                "update sessions set last_seen_at = ? where token_sha256 = ?",
                (now.isoformat(timespec="seconds"), digest),
            )
    return Session(user, role, digest, created), "ok"


def end(
    paths: warehouse.WarehousePaths, token: str | None, reason: str = "signed_out"
) -> str | None:
    """End the session of `token`; the user it belonged to, or None if it was not live."""
    if not token:
        return None
    digest = _digest(token)
    with appdb.connect(paths) as con:
        row = con.execute(
            "select user_name from sessions where token_sha256 = ? and ended_at is null",
            (digest,),
        ).fetchone()
        if row is None:
            return None
        con.execute(
            "update sessions set ended_at = ?, end_reason = ? where token_sha256 = ?",
            (_now().isoformat(timespec="seconds"), reason, digest),
        )
    return row[0]


def owner(paths: warehouse.WarehousePaths, token: str | None) -> str | None:
    """The user `token` was issued to, live or ended: who a sign-out at the provider is for,
    after the ipgov session has already ended."""
    if not token:
        return None
    with appdb.connect(paths) as con:
        row = con.execute(
            "select user_name from sessions where token_sha256 = ?", (_digest(token),)
        ).fetchone()
    return row[0] if row else None


def end_for_user(paths: warehouse.WarehousePaths, user: str, reason: str) -> int:
    """End every open session of `user` (disabled, password reset); how many were open."""
    with appdb.connect(paths) as con:
        return con.execute(
            "update sessions set ended_at = ?, end_reason = ? "
            "where user_name = ? collate nocase and ended_at is null",
            (_now().isoformat(timespec="seconds"), reason, user),
        ).rowcount


def signed_in(paths: warehouse.WarehousePaths, token: str | None) -> Session | None:
    """The live session or None (resolve without the reason)."""
    return resolve(paths, token)[0]
