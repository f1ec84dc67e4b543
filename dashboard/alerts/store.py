"""The alerts' rules, recipients, the states last seen and every send, in the app database
(etl/appdb.py owns the connection and the tables). The `default` recipient group also holds the
addresses of the settings (IPGOV_ALERT_TO, IPGOV_ALERT_WEBHOOK), which the page shows but cannot
remove: the operator set them."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from pathlib import Path

from dashboard.worklist import KINDS
from etl import appdb, settings, warehouse
from etl.errors import IpgovError

DEFAULT_GROUP = "default"
CHANNELS = ("email", "webhook")
KPIS = ("takedown_within_2wd_share", "opinion_within_2wd_share")  # those with a target
STATES = {"worklist": ("late", "due"), "kpi": ("watch", "alert")}
MAX_GROUP_CHARS = 60
_EMAIL = re.compile(r"^[^@\s,;<>]+@[^@\s,;<>]+\.[^@\s,;<>]+$|^[^@\s,;<>]+@localhost$")
_URL = re.compile(r"^https?://[^\s]+$")


@dataclass(frozen=True)
class Rule:
    name: str  # worklist:<kind> | kpi:<key>
    kind: str  # worklist | kpi
    subject: str
    states: tuple[str, ...]  # the states announced
    group: str
    enabled: bool = True
    updated_by: str | None = None
    updated_at: str | None = None


@dataclass(frozen=True)
class Recipient:
    group: str
    channel: str  # email | webhook
    address: str
    added_by: str | None  # None: from the settings


@dataclass(frozen=True)
class Send:
    id: int
    created_at: str
    group: str
    channel: str
    address: str
    subject: str
    body: str
    items: int
    status: str  # pending | sent | failed | given_up (failed, and no longer retried)
    attempts: int  # every attempt, before and after any re-queue
    last_error: str | None  # the server's words (channels.Failure.detail)
    last_attempt_at: str | None
    sent_at: str | None
    error_kind: str | None  # channels.KINDS; None: sent, or not tried yet
    attempts_at_requeue: int  # `attempts` when an admin last re-queued it
    given_up_at: str | None
    requeued_by: str | None
    requeued_at: str | None

    @property
    def round_attempts(self) -> int:
        """Attempts since it was built or last re-queued: what IPGOV_ALERT_MAX_ATTEMPTS caps."""
        return self.attempts - self.attempts_at_requeue


def _now() -> str:
    return dt.datetime.now(dt.UTC).replace(microsecond=0).isoformat()


def default_rules() -> list[Rule]:
    """What a new installation watches: every worklist kind once late, both promised shares
    once below target, all to the default group."""
    rules = [Rule(f"worklist:{k}", "worklist", k, ("late",), DEFAULT_GROUP) for k in KINDS]
    rules += [Rule(f"kpi:{k}", "kpi", k, ("watch", "alert"), DEFAULT_GROUP) for k in KPIS]
    return rules


def _exists(paths: warehouse.WarehousePaths) -> bool:
    return Path(paths.app_db).exists()


def _rule(row: tuple) -> Rule:
    name, kind, subject, states, group, enabled, by, at = row
    return Rule(
        name, kind, subject, tuple(s for s in states.split(",") if s), group, bool(enabled), by, at
    )


def rules(paths: warehouse.WarehousePaths, *, seed: bool = True) -> list[Rule]:
    """Every rule, by name. An app database without any gets the defaults written (`seed`),
    or, for a dry run that writes nothing, returned without writing."""
    if not _exists(paths) and not seed:
        return sorted(default_rules(), key=lambda r: r.name)
    select = (
        "select name, kind, subject, states, recipient_group, enabled, updated_by, updated_at"
        " from alert_rules order by name"
    )
    with appdb.connect(paths) as con:
        rows = con.execute(select).fetchall()
        if not rows and seed:
            now = _now()
            con.executemany(
                "insert into alert_rules (name, kind, subject, states, recipient_group, enabled,"
                " updated_by, updated_at) values (?, ?, ?, ?, ?, 1, null, ?)",
                [
                    (r.name, r.kind, r.subject, ",".join(r.states), r.group, now)
                    for r in default_rules()
                ],
            )
            rows = con.execute(select).fetchall()
    return [_rule(r) for r in rows] if rows else sorted(default_rules(), key=lambda r: r.name)


def check_group(group: str) -> str:
    group = group.strip()
    if not group or len(group) > MAX_GROUP_CHARS:
        raise IpgovError(f"a recipient group is named with 1 to {MAX_GROUP_CHARS} characters")
    return group


def save_rule(
    paths: warehouse.WarehousePaths,
    name: str,
    states: tuple[str, ...],
    group: str,
    enabled: bool,
    actor: str | None,
) -> Rule:
    """Change one rule (its states announced, its group, on or off); rules(...) seeds first."""
    existing = {r.name: r for r in rules(paths)}
    if name not in existing:
        raise IpgovError(f"no alert rule {name!r}")
    allowed = STATES[existing[name].kind]
    if not states or any(s not in allowed for s in states):
        raise IpgovError(f"rule {name} announces some of {', '.join(allowed)}")
    with appdb.connect(paths) as con:
        con.execute(
            "update alert_rules set states = ?, recipient_group = ?, enabled = ?,"
            " updated_by = ?, updated_at = ? where name = ?",
            (",".join(states), check_group(group), int(enabled), actor, _now(), name),
        )
    return {r.name: r for r in rules(paths)}[name]


def settings_recipients() -> list[Recipient]:
    """The default group's addresses from IPGOV_ALERT_TO and IPGOV_ALERT_WEBHOOK."""
    s = settings.current()
    found = [
        Recipient(DEFAULT_GROUP, "email", a.strip(), None)
        for a in s.alert_to.split(",")
        if a.strip()
    ]
    if s.alert_webhook.strip():
        found.append(Recipient(DEFAULT_GROUP, "webhook", s.alert_webhook.strip(), None))
    return found


def recipients(paths: warehouse.WarehousePaths) -> list[Recipient]:
    """Every recipient: the settings' first, then the app database's, by group."""
    found = settings_recipients()
    if _exists(paths):
        with appdb.connect(paths) as con:
            rows = con.execute(
                "select recipient_group, channel, address, added_by from alert_recipients"
                " order by recipient_group, channel, address"
            ).fetchall()
        seen = {(r.group, r.channel, r.address) for r in found}
        found += [Recipient(*r) for r in rows if tuple(r[:3]) not in seen]
    return found


def check_address(channel: str, address: str) -> str:
    address = address.strip()
    if channel == "email" and not _EMAIL.match(address):
        raise IpgovError(f"not an e-mail address: {address!r}")
    if channel == "webhook" and not _URL.match(address):
        raise IpgovError(f"a webhook is an http:// or https:// URL, not {address!r}")
    if channel not in CHANNELS:
        raise IpgovError(f"a channel is one of {', '.join(CHANNELS)}")
    return address


def add_recipient(
    paths: warehouse.WarehousePaths, group: str, channel: str, address: str, actor: str | None
) -> Recipient:
    group, address = check_group(group), check_address(channel, address)
    with appdb.connect(paths) as con:
        con.execute(
            "insert or ignore into alert_recipients (recipient_group, channel, address, added_by,"
            " added_at) values (?, ?, ?, ?, ?)",
            (group, channel, address, actor, _now()),
        )
    return Recipient(group, channel, address, actor)


def remove_recipient(
    paths: warehouse.WarehousePaths, group: str, channel: str, address: str
) -> bool:
    with appdb.connect(paths) as con:
        return (
            con.execute(
                "delete from alert_recipients where recipient_group = ? and channel = ?"
                " and address = ?",
                (group, channel, address),
            ).rowcount
            > 0
        )


def states(paths: warehouse.WarehousePaths) -> dict[str, dict[str, str]]:
    """rule → {item key → the state last seen}."""
    if not _exists(paths):
        return {}
    with appdb.connect(paths) as con:
        rows = con.execute("select rule, item_key, state from alert_states").fetchall()
    found: dict[str, dict[str, str]] = {}
    for rule, key, state in rows:
        found.setdefault(rule, {})[key] = state
    return found


@dataclass(frozen=True)
class NewSend:
    group: str
    channel: str
    address: str
    subject: str
    body: str
    items: int


def record(
    paths: warehouse.WarehousePaths,
    new_sends: list[NewSend],
    seen: dict[str, dict[str, str]],
) -> list[int]:
    """In one transaction: the digests to send (pending) and, for each rule in `seen`, the
    states now seen replacing those before (an item no longer open is forgotten, so if it is
    late again it is announced again). Together, so a change is either owned by a send that the
    next run retries until it goes out, or not recorded and found again."""
    now = _now()
    ids = []
    with appdb.connect(paths) as con:
        for s in new_sends:
            cursor = con.execute(
                "insert into alert_sends (created_at, recipient_group, channel, address, subject,"
                " body, items, status) values (?, ?, ?, ?, ?, ?, ?, 'pending')",
                (now, s.group, s.channel, s.address, s.subject, s.body, s.items),
            )
            ids.append(cursor.lastrowid)
        for rule, current in seen.items():
            before = dict(
                con.execute(
                    "select item_key, state from alert_states where rule = ?", (rule,)
                ).fetchall()
            )
            gone = [k for k in before if k not in current]
            con.executemany(
                "delete from alert_states where rule = ? and item_key = ?",
                [(rule, k) for k in gone],
            )
            con.executemany(
                "insert into alert_states (rule, item_key, state, changed_at) values (?, ?, ?, ?)"
                " on conflict (rule, item_key) do update set state = excluded.state,"
                " changed_at = excluded.changed_at where alert_states.state <> excluded.state",
                [(rule, k, v, now) for k, v in current.items()],
            )
    return ids


# `status` as the page and the run name it: a failed send given up reads given_up (the table's
# status keeps to its check constraint, pending | sent | failed; given_up_at marks the rest).
_SEND_COLUMNS = (
    "id, created_at, recipient_group, channel, address, subject, body, items,"
    " case when given_up_at is not null then 'given_up' else status end, attempts,"
    " last_error, last_attempt_at, sent_at, error_kind, attempts_at_requeue, given_up_at,"
    " requeued_by, requeued_at"
)


def unsent(paths: warehouse.WarehousePaths) -> list[Send]:
    """Sends not delivered yet (new, or failed before) and not given up, oldest first: this
    run's to try."""
    if not _exists(paths):
        return []
    with appdb.connect(paths) as con:
        rows = con.execute(
            f"select {_SEND_COLUMNS} from alert_sends where status in ('pending', 'failed')"
            " and given_up_at is null order by id"
        ).fetchall()
    return [Send(*r) for r in rows]


def given_up(paths: warehouse.WarehousePaths) -> list[Send]:
    """Sends given up after IPGOV_ALERT_MAX_ATTEMPTS failures, waiting for an admin, oldest
    first."""
    if not _exists(paths):
        return []
    with appdb.connect(paths) as con:
        rows = con.execute(
            f"select {_SEND_COLUMNS} from alert_sends where given_up_at is not null order by id"
        ).fetchall()
    return [Send(*r) for r in rows]


def sends(paths: warehouse.WarehousePaths, limit: int = 200) -> list[Send]:
    """The latest sends, newest first (the Alerts page)."""
    if not _exists(paths):
        return []
    with appdb.connect(paths) as con:
        rows = con.execute(
            f"select {_SEND_COLUMNS} from alert_sends order by id desc limit ?", (int(limit),)
        ).fetchall()
    return [Send(*r) for r in rows]


def mark(
    paths: warehouse.WarehousePaths,
    send_id: int,
    error: tuple[str, str] | None,
    max_attempts: int,
) -> bool:
    """One attempt's outcome: sent, or failed with (kind, the server's words) — retried next
    run, or given up when this was its `max_attempts`-th failure since it was built or
    re-queued. True when it was given up now."""
    now = _now()
    kind, detail = error or (None, None)
    with appdb.connect(paths) as con:
        con.execute(
            "update alert_sends set attempts = attempts + 1, last_attempt_at = ?,"
            " status = ?, error_kind = ?, last_error = ?, sent_at = ?,"
            " given_up_at = case when ? and attempts + 1 - attempts_at_requeue >= ?"
            " then ? end where id = ?",
            (
                now, "failed" if error else "sent", kind, detail, None if error else now,
                error is not None, max_attempts, now, send_id,
            ),
        )  # fmt: skip
        (given_up_at,) = con.execute(
            "select given_up_at from alert_sends where id = ?", (send_id,)
        ).fetchone()
    return given_up_at is not None


def give_up(paths: warehouse.WarehousePaths, send_id: int) -> None:
    """Give a failed send up without another attempt: it had its attempts before
    IPGOV_ALERT_MAX_ATTEMPTS was lowered to what it has already used."""
    with appdb.connect(paths) as con:
        con.execute(
            "update alert_sends set given_up_at = ? where id = ? and given_up_at is null",
            (_now(), send_id),
        )


def requeue(paths: warehouse.WarehousePaths, send_id: int, actor: str | None) -> Send:
    """An admin puts a given-up send back in the queue: the next run tries it again, with
    IPGOV_ALERT_MAX_ATTEMPTS attempts before it is given up again. Only a given-up send can be
    re-queued (a pending or failed one is in the queue already, a sent one went out)."""
    with appdb.connect(paths) as con:
        changed = con.execute(
            "update alert_sends set given_up_at = null, status = 'pending',"
            " attempts_at_requeue = attempts, requeued_by = ?, requeued_at = ?"
            " where id = ? and given_up_at is not null",
            (actor, _now(), int(send_id)),
        ).rowcount
        row = con.execute(
            f"select {_SEND_COLUMNS} from alert_sends where id = ?", (int(send_id),)
        ).fetchone()
    if not changed:
        raise IpgovError(f"send {send_id} is not given up: only a given-up send is re-queued")
    return Send(*row)
