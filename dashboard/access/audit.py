"""The audit trail: one append-only row per thing worth answering for (sign-ins, sign-outs,
page views and refusals, SQL statements, exports and downloads, briefing builds, loads, user
changes). SQLite triggers refuse UPDATE and DELETE on the table (etl/appdb.py), so not even a
bug here can rewrite history. Never given a password."""

from __future__ import annotations

import datetime as dt
import getpass
import json
from dataclasses import dataclass
from typing import Any

from etl import appdb, warehouse

ACTIONS = (
    "signin",
    "signout",
    "session_end",
    "page_view",
    "page_denied",
    "records_denied",
    "sql",
    "export",
    "download",
    "briefing",
    "briefing_narrative",
    "load",
    "rollback",
    "upload",
    "publish",
    "discard",
    "user_add",
    "user_role",
    "user_disable",
    "user_enable",
    "user_password",
    "request_denied",
    "calendar_import",
    # the alerts (issue 16): each delivery attempt, and an admin's edits on the Alerts page
    "alert_send",
    "alert_rule",
    "alert_recipient",
    "alert_requeue",
)
MAX_DETAIL_CHARS = 20_000  # a 1 MB statement is recorded, cut here


@dataclass(frozen=True)
class Entry:
    id: int
    at: str
    actor: str | None
    action: str
    target: str | None
    outcome: str
    rows: int | None
    detail: dict[str, Any]

    def as_json(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "actor": self.actor,
            "action": self.action,
            "target": self.target,
            "outcome": self.outcome,
            "rows": self.rows,
            "detail": self.detail,
        }


def cli_actor() -> str:
    """Who the CLI acts as: the operator at the server's shell (docs/security.md)."""
    try:
        return f"cli:{getpass.getuser()}"
    except (KeyError, OSError):
        return "cli:unknown"


def _storable(value: str | None) -> str | None:
    """Text SQLite can store: a lone surrogate (a statement that was not valid UTF-8, which the
    console refuses and the trail must still record) kept as its escape, `\\udce9`."""
    if value is None:
        return None
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def record(
    paths: warehouse.WarehousePaths,
    actor: str | None,
    action: str,
    *,
    target: str | None = None,
    outcome: str = "ok",
    rows: int | None = None,
    **detail: Any,
) -> None:
    """Append one entry. `detail` becomes JSON (long text cut at MAX_DETAIL_CHARS)."""
    if action not in ACTIONS:
        raise ValueError(f"unknown audit action {action!r}")
    text = json.dumps(detail, ensure_ascii=False, default=str)
    if len(text) > MAX_DETAIL_CHARS:
        text = json.dumps({"cut": text[:MAX_DETAIL_CHARS]}, ensure_ascii=False)
    text, target, actor = (_storable(v) for v in (text, target, actor))
    at = dt.datetime.now(dt.UTC).isoformat(timespec="microseconds")
    with appdb.connect(paths) as con:
        con.execute(
            "insert into audit_log (at, actor, action, target, outcome, rows, detail) "
            "values (?, ?, ?, ?, ?, ?, ?)",
            (at, actor, action, target, outcome, rows, text),
        )


def entries(
    paths: warehouse.WarehousePaths,
    *,
    since: dt.date | None = None,
    until: dt.date | None = None,
    user: str | None = None,
    action: str | None = None,
    limit: int | None = None,
) -> list[Entry]:
    """Entries, newest first, filtered by day (UTC, inclusive), actor and action."""
    where, params = [], []
    if since:
        where.append("at >= ?")
        params.append(since.isoformat())
    if until:
        where.append("at < ?")
        params.append((until + dt.timedelta(days=1)).isoformat())
    if user:
        where.append("actor = ? collate nocase")
        params.append(user)
    if action:
        where.append("action = ?")
        params.append(action)
    sql = "select id, at, actor, action, target, outcome, rows, detail from audit_log"
    if where:
        sql += " where " + " and ".join(where)
    sql += " order by id desc"
    if limit:
        sql += f" limit {int(limit)}"
    with appdb.connect(paths) as con:
        rows = con.execute(sql, params).fetchall()
    return [Entry(*r[:7], json.loads(r[7] or "{}")) for r in rows]
