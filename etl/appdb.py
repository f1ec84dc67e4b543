"""The dashboard's own small database: saved SQL console queries, and the accounts, sessions
and audit trail of dashboard/access/ (this module owns the connection and every table's DDL).

It lives beside the warehouse (`<db folder>/<db stem>.app.sqlite`), never inside a snapshot:
snapshots are read-only, replaced on every load, and hold published data only. SQLite (stdlib)
because several dashboard processes may save at once: WAL mode and a busy timeout let them take
turns instead of failing, and nothing here is analytical.
"""

from __future__ import annotations

import datetime as dt
import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from etl import warehouse
from etl.errors import IpgovError

BUSY_SECONDS = 10  # how long a connection waits for another process's write before failing
MAX_NAME_CHARS = 100
MAX_NARRATIVE_CHARS = 5_000  # per field: a briefing's 成效 is a few paragraphs, not a report
NARRATIVE_FIELDS = ("achievements", "problems", "next_steps")
CASE_KINDS = ("case", "trademark")  # the record lists typical cases are picked from
MAX_TYPICAL_CASES = 10
MAX_DESCRIPTION_CHARS = 1_000
USERS_DDL = """
create table if not exists users (
    name text primary key collate nocase,  -- sign-in name, unique whatever its case
    -- null: no role yet, a single sign-on user whose claims map to none, until an admin
    -- gives one; such an account can hold no session
    role text check (role is null or role in ('viewer', 'analyst', 'steward', 'admin')),
    role_source text,               -- admin (ipgov users add / set-role) | claim (SSO mapping)
    password_hash text,             -- argon2id (argon2-cffi); null for single sign-on accounts
    source text not null default 'local',  -- local | sso
    disabled_at text,               -- UTC; a disabled account cannot sign in, its sessions end
    failed_signins integer not null default 0,  -- in a row; reset by a good sign-in
    locked_until text,              -- UTC; too many failures lock the account until then
    created_at text not null,
    updated_at text not null
);
"""
SCHEMA = (
    USERS_DDL
    + """
create table if not exists saved_queries (
    name text primary key,          -- what the analyst called it; unique
    description text not null,      -- what it answers
    sql text not null,              -- one statement the SQL console accepts
    created_at text not null,       -- UTC, ISO 8601
    updated_at text not null        -- UTC, ISO 8601; saving under the same name replaces it
);
create table if not exists sso_exchanges (
    identity_sha256 text primary key,  -- Streamlit's signed identity cookie, exchanged once
    at text not null
);
create table if not exists sessions (
    token_sha256 text primary key,  -- the cookie's token is never stored, only its hash
    user_name text not null,
    created_at text not null,
    last_seen_at text not null,     -- UTC; idle longer than the timeout ends the session
    ended_at text,
    end_reason text                 -- signed_out | idle | disabled | password_reset
);
create table if not exists audit_log (
    id integer primary key autoincrement,
    at text not null,               -- UTC, ISO 8601 with microseconds
    actor text,                     -- user name; cli:<os user> for the CLI; null: anonymous
    action text not null,           -- signin, signout, page_view, page_denied, sql, export, ...
    target text,                    -- page path, file, user, query name ...
    outcome text not null,          -- ok | refused | failed
    rows integer,                   -- rows returned or exported, where there are any
    detail text                     -- JSON: what else matters (SQL text, seconds, reason)
);
create index if not exists audit_log_at on audit_log (at);
create table if not exists brief_narratives (
    quarter text not null,          -- 2024Q3
    lang text not null,             -- zh | en: the pack's language the text is written in
    field text not null check (field in ('achievements', 'problems', 'next_steps')),
    body text not null,             -- the preparer's text, as typed (paragraphs by newline)
    updated_by text,                -- user name; cli:<os user>
    updated_at text not null,       -- UTC, ISO 8601
    primary key (quarter, lang, field)
);
create table if not exists brief_cases (
    quarter text not null,          -- 2024Q3
    kind text not null check (kind in ('case', 'trademark')),  -- which record list
    record_id text not null,        -- case_id / enforcement_id
    position integer not null,      -- order in the briefing
    updated_by text,
    updated_at text not null,
    primary key (quarter, kind, record_id)
);
create trigger if not exists audit_log_no_update before update on audit_log
begin select raise(abort, 'the audit log is append-only'); end;
create trigger if not exists audit_log_no_delete before delete on audit_log
begin select raise(abort, 'the audit log is append-only'); end;
"""
)
# The alerts (issue 16, dashboard/alerts/): new tables only, so an older app database gets them
# from the `create table if not exists` on its next connect — no rebuild as for users.
ALERTS_DDL = """
create table if not exists alert_rules (
    name text primary key,          -- worklist:<item kind> | kpi:<KPI key>
    kind text not null check (kind in ('worklist', 'kpi')),
    subject text not null,          -- the worklist item kind or the KPI key it watches
    states text not null,           -- comma-separated states announced: late,due | watch,alert
    recipient_group text not null,  -- who gets the digest
    enabled integer not null default 1,
    updated_by text,                -- the admin who last changed it; null: ipgov's default
    updated_at text not null
);
create table if not exists alert_recipients (
    recipient_group text not null,
    channel text not null check (channel in ('email', 'webhook')),
    address text not null,          -- an e-mail address or a group robot's webhook URL
    added_by text,
    added_at text not null,
    primary key (recipient_group, channel, address)
);
create table if not exists alert_states (
    rule text not null,             -- alert_rules.name
    item_key text not null,         -- worklist item id, or the period of a KPI (2026Q3)
    state text not null,            -- the state last announced: late, due | watch, alert
    changed_at text not null,
    primary key (rule, item_key)
);
create table if not exists alert_sends (
    id integer primary key autoincrement,
    created_at text not null,       -- the run that built the digest (UTC)
    recipient_group text not null,
    channel text not null,          -- email | webhook
    address text not null,
    subject text not null,
    body text not null,             -- the e-mail's text, or the webhook's JSON body
    items integer not null,         -- state changes the digest announces
    status text not null check (status in ('pending', 'sent', 'failed')),
    attempts integer not null default 0,
    last_error text,                -- why the last attempt failed, the server's words (550 ...)
    last_attempt_at text,
    sent_at text,
    error_kind text,                -- what the last failure was (dashboard/alerts/channels.py)
    attempts_at_requeue integer not null default 0,  -- attempts before an admin's re-queue
    given_up_at text,               -- UTC; set after IPGOV_ALERT_MAX_ATTEMPTS failures in a row
    requeued_by text,               -- the admin who last re-queued it after it was given up
    requeued_at text
);
create index if not exists alert_sends_status on alert_sends (status);
"""
SCHEMA += ALERTS_DDL
# Columns alert_sends gained after its first release (issue 16's retry cap): added in place,
# as SQLite adds a column without a rebuild.
_ALERT_SENDS_ADDED = {
    "error_kind": "text",
    "attempts_at_requeue": "integer not null default 0",
    "given_up_at": "text",
    "requeued_by": "text",
    "requeued_at": "text",
}


@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    sql: str
    created_at: str
    updated_at: str


@contextmanager
def connect(paths: warehouse.WarehousePaths) -> Iterator[sqlite3.Connection]:
    """The app database, created if missing, in one transaction committed on success; an
    SQLite error becomes one IpgovError line."""
    path = paths.app_db
    path.parent.mkdir(parents=True, exist_ok=True)
    try:
        con = sqlite3.connect(path, timeout=BUSY_SECONDS)
    except sqlite3.Error as e:
        raise IpgovError(f"cannot open the app database {path}: {e}") from e
    try:
        _set_up(con)
        with con:  # one transaction, committed on success
            yield con
    except sqlite3.Error as e:
        raise IpgovError(f"app database {path}: {e}") from e
    finally:
        con.close()


def _set_up(con: sqlite3.Connection) -> None:
    """WAL mode, SCHEMA and the migrations, retried while another process holds a lock.

    The busy timeout does not cover this step on a new file: two processes creating it at once
    (a load's audit row and a rollback's, say) are still in rollback-journal mode, where SQLite
    answers "database is locked" at once rather than wait into a deadlock, and switching to WAL
    needs the file to itself. Every statement here is idempotent (`if not exists`, a migration
    in its own transaction), so trying again is safe; once the file is in WAL mode and has its
    tables, the first try succeeds and nothing is written."""
    deadline = time.monotonic() + BUSY_SECONDS
    pause = 0.01
    while True:
        try:
            con.execute("pragma journal_mode = wal")
            con.executescript(SCHEMA)
            _migrate(con)
            return
        except sqlite3.OperationalError as e:
            contended = "locked" in str(e) or "busy" in str(e)
            if not contended or time.monotonic() > deadline:
                raise
            time.sleep(pause)
            pause = min(pause * 2, 0.2)


# The users table as the first app databases made it (role not null, no role_source): its
# columns, copied as they are into the table SCHEMA describes now.
_USERS_V1_COLUMNS = (
    "name, role, password_hash, source, disabled_at, failed_signins, locked_until, created_at, "
    "updated_at"
)


def _users_need_migration(con: sqlite3.Connection) -> bool:
    columns = {row[1]: row for row in con.execute("pragma table_info(users)")}
    return "role_source" not in columns or bool(columns["role"][3])  # [3]: notnull


def _alert_sends_missing(con: sqlite3.Connection) -> list[str]:
    have = {row[1] for row in con.execute("pragma table_info(alert_sends)")}
    return [name for name in _ALERT_SENDS_ADDED if name not in have]


def _migrate(con: sqlite3.Connection) -> None:
    """Bring an app database made by an earlier ipgov to SCHEMA: the users table of issue #12's
    local accounts had `role not null`; single sign-on needs "no role yet" (null) and where a
    role came from. SQLite cannot drop a constraint, so the table is rebuilt, rows kept, in one
    immediate transaction (another process migrating at the same moment waits, then finds it
    done). alert_sends gains the retry cap's columns the same way, by `alter table add column`.
    Costs two pragmas on every connect once migrated."""
    if not _users_need_migration(con) and not _alert_sends_missing(con):
        return
    con.execute("begin immediate")
    try:
        if _users_need_migration(con):
            con.execute(USERS_DDL.replace("if not exists users", "users_v2"))
            con.execute(
                f"insert into users_v2 ({_USERS_V1_COLUMNS}, role_source) "
                f"select {_USERS_V1_COLUMNS}, 'admin' from users"
            )
            con.execute("drop table users")
            con.execute("alter table users_v2 rename to users")
        for name in _alert_sends_missing(con):  # names and types from the fixed dict above
            con.execute(f"alter table alert_sends add column {name} {_ALERT_SENDS_ADDED[name]}")
        con.execute("commit")
    except BaseException:
        con.execute("rollback")
        raise


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def save_query(
    paths: warehouse.WarehousePaths, name: str, sql: str, description: str = ""
) -> SavedQuery:
    """Store a query under `name` (replacing one of the same name); the caller checks the SQL."""
    name, sql, description = name.strip(), sql.strip(), description.strip()
    if not name:
        raise IpgovError("give the query a name")
    if len(name) > MAX_NAME_CHARS:
        raise IpgovError(f"the name is longer than {MAX_NAME_CHARS} characters")
    if len(description) > MAX_DESCRIPTION_CHARS:
        raise IpgovError(f"the description is longer than {MAX_DESCRIPTION_CHARS} characters")
    if not sql:
        raise IpgovError("the query is empty")
    now = _now()
    with connect(paths) as con:
        con.execute(
            "insert into saved_queries (name, description, sql, created_at, updated_at) "
            "values (?, ?, ?, ?, ?) on conflict (name) do update set "
            "description = excluded.description, sql = excluded.sql, "
            "updated_at = excluded.updated_at",
            (name, description, sql, now, now),
        )
        row = con.execute(
            "select name, description, sql, created_at, updated_at from saved_queries "
            "where name = ?",
            (name,),
        ).fetchone()
    return SavedQuery(*row)


def saved_queries(paths: warehouse.WarehousePaths) -> list[SavedQuery]:
    """Every saved query, by name. An app database not created yet has none."""
    if not Path(paths.app_db).exists():
        return []
    with connect(paths) as con:
        rows = con.execute(
            "select name, description, sql, created_at, updated_at from saved_queries "
            "order by name collate nocase"
        ).fetchall()
    return [SavedQuery(*row) for row in rows]


def delete_query(paths: warehouse.WarehousePaths, name: str) -> bool:
    """Forget a saved query; False if there was none of that name."""
    with connect(paths) as con:
        return con.execute("delete from saved_queries where name = ?", (name,)).rowcount > 0


@dataclass(frozen=True)
class Narrative:
    """What the preparer wrote for one quarter's briefing in one language."""

    texts: dict[str, str]  # NARRATIVE_FIELDS → text; a field never saved is absent
    updated_by: str | None
    updated_at: str | None


def save_narrative(
    paths: warehouse.WarehousePaths,
    quarter: str,
    lang: str,
    texts: dict[str, str],
    user: str | None,
) -> Narrative:
    """Store the briefing's 成效 / 存在问题 / 下步工作 for `quarter` in `lang` (each field
    replaced; an empty text clears it). Returns what is stored now."""
    unknown = set(texts) - set(NARRATIVE_FIELDS)
    if unknown:
        raise IpgovError(f"unknown narrative field(s): {', '.join(sorted(unknown))}")
    for field, body in texts.items():
        if len(body) > MAX_NARRATIVE_CHARS:
            raise IpgovError(f"the text of {field} is longer than {MAX_NARRATIVE_CHARS} characters")
    now = _now()
    with connect(paths) as con:
        for field, body in texts.items():
            body = body.strip()
            if not body:
                con.execute(
                    "delete from brief_narratives where quarter = ? and lang = ? and field = ?",
                    (quarter, lang, field),
                )
                continue
            con.execute(
                "insert into brief_narratives (quarter, lang, field, body, updated_by, updated_at)"
                " values (?, ?, ?, ?, ?, ?) on conflict (quarter, lang, field) do update set"
                " body = excluded.body, updated_by = excluded.updated_by,"
                " updated_at = excluded.updated_at",
                (quarter, lang, field, body, user, now),
            )
    return narrative(paths, quarter, lang)


def narrative(paths: warehouse.WarehousePaths, quarter: str, lang: str) -> Narrative:
    """The stored narrative of a quarter's briefing in `lang` (empty when none was written)."""
    if not Path(paths.app_db).exists():
        return Narrative({}, None, None)
    with connect(paths) as con:
        rows = con.execute(
            "select field, body, updated_by, updated_at from brief_narratives"
            " where quarter = ? and lang = ? order by updated_at",
            (quarter, lang),
        ).fetchall()
    texts = {field: body for field, body, _, _ in rows}
    last = rows[-1] if rows else (None, None, None, None)
    return Narrative(texts, last[2], last[3])


def save_cases(
    paths: warehouse.WarehousePaths, quarter: str, picks: list[tuple[str, str]], user: str | None
) -> list[tuple[str, str]]:
    """Replace the typical cases of `quarter`'s briefing with `picks` ((kind, record id), in the
    order given). Returns what is stored now."""
    if len(picks) > MAX_TYPICAL_CASES:
        raise IpgovError(f"pick at most {MAX_TYPICAL_CASES} typical cases")
    unknown = {kind for kind, _ in picks} - set(CASE_KINDS)
    if unknown:
        raise IpgovError(f"unknown record list(s): {', '.join(sorted(unknown))}")
    now = _now()
    with connect(paths) as con:
        con.execute("delete from brief_cases where quarter = ?", (quarter,))
        con.executemany(
            "insert or ignore into brief_cases"
            " (quarter, kind, record_id, position, updated_by, updated_at)"
            " values (?, ?, ?, ?, ?, ?)",
            [(quarter, kind, rid, i, user, now) for i, (kind, rid) in enumerate(picks)],
        )
    return typical_cases(paths, quarter)


def typical_cases(paths: warehouse.WarehousePaths, quarter: str) -> list[tuple[str, str]]:
    """The typical cases picked for `quarter`'s briefing, in their order."""
    if not Path(paths.app_db).exists():
        return []
    with connect(paths) as con:
        rows = con.execute(
            "select kind, record_id from brief_cases where quarter = ? order by position",
            (quarter,),
        ).fetchall()
    return [(kind, rid) for kind, rid in rows]
