"""One run of `ipgov alerts run`: evaluate, write one digest per recipient group with changes,
record the sends and the states together, then deliver every send not delivered yet — this
run's and any that failed before — recording each attempt's outcome and auditing it. A send
that fails IPGOV_ALERT_MAX_ATTEMPTS runs in a row is given up (no more attempts) until an admin
re-queues it on the Alerts page; the report lists every send given up.

A group without any recipient keeps its changes: its rules' states are not recorded, so the
changes are announced once someone is added. A dry run evaluates and writes the digests but
stores, sends and audits nothing."""

from __future__ import annotations

import contextlib
import datetime as dt
import fcntl
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import core
from dashboard.access import audit
from dashboard.alerts import channels, digest, evaluate, store
from etl import settings, warehouse
from etl.errors import IpgovError, NoDataError


@dataclass
class Report:
    snapshot: str
    as_of: dt.date
    dry_run: bool
    changes: list[dict] = field(default_factory=list)
    digests: list[digest.Digest] = field(default_factory=list)
    unaddressed: list[str] = field(default_factory=list)  # groups with changes, no recipient
    sends: list[dict] = field(default_factory=list)  # every attempt of this run
    given_up: list[dict] = field(default_factory=list)  # every send given up, waiting for an admin
    max_attempts: int = 0

    @property
    def failed(self) -> int:
        return sum(1 for s in self.sends if s["status"] == "failed")

    def as_json(self) -> dict:
        return {
            "snapshot": self.snapshot,
            "as_of": self.as_of.isoformat(),
            "dry_run": self.dry_run,
            "changes": self.changes,
            "digests": [
                {"group": d.group, "subject": d.subject, "items": d.items, "text": d.text}
                for d in self.digests
            ],
            "groups_without_recipients": self.unaddressed,
            "sends": self.sends,
            "max_attempts": self.max_attempts,
            "given_up": self.given_up,
        }


def _given_up_entry(send: store.Send) -> dict:
    failure = channels.Failure(send.error_kind or "failed", send.last_error or "")
    return {
        "id": send.id, "group": send.group, "channel": send.channel, "address": send.address,
        "items": send.items, "attempts": send.attempts, "given_up_at": send.given_up_at,
        "error_kind": send.error_kind, "error": failure.message("en"),
        "error_zh": failure.message("zh"),
    }  # fmt: skip


def _deliver(send: store.Send) -> channels.Failure | None:
    if send.channel == "email":
        return channels.send_email(send.address, send.subject, send.body)
    return channels.send_webhook(send.address, send.body)


@contextlib.contextmanager
def _one_run_at_a_time(paths: warehouse.WarehousePaths) -> Iterator[None]:
    """Two runs at once (cron and an operator) would both send what is unsent: the second is
    refused while the first holds this lock beside the app database (released by the kernel
    if the first dies)."""
    lock = Path(f"{paths.app_db}.alerts-lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise IpgovError(
                "another `ipgov alerts run` is running; try again when it ends"
            ) from None
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def run(paths: warehouse.WarehousePaths, actor: str, *, dry_run: bool = False) -> Report:
    """Evaluate, record and send (see the module docstring); the report of what happened.
    Nothing is written before the snapshot has been read (no data: NoDataError)."""
    if dry_run:
        return _run(paths, actor, dry_run=True)
    if core.snapshot_id() is None:
        raise NoDataError("no data loaded yet: run `ipgov load PATH` first")
    with _one_run_at_a_time(paths):
        return _run(paths, actor, dry_run=False)


def _run(paths: warehouse.WarehousePaths, actor: str, *, dry_run: bool) -> Report:
    rules = store.rules(paths, seed=False)
    found = evaluate.evaluate(rules, store.states(paths))
    if not dry_run:
        rules = store.rules(paths)  # the defaults written on a first run
    report = Report(found.snapshot, found.as_of, dry_run)
    codes = core.codes(found.snapshot, "zh")
    recipients: dict[str, list[store.Recipient]] = {}
    for recipient in store.recipients(paths):
        recipients.setdefault(recipient.group, []).append(recipient)
    by_group: dict[str, list[evaluate.Change]] = {}
    for change in found.changes:
        by_group.setdefault(change.rule.group, []).append(change)
        report.changes.append(
            {"rule": change.rule.name, "group": change.rule.group, "key": change.key,
             "before": change.before, "now": change.now}
        )  # fmt: skip
    new_sends: list[store.NewSend] = []
    for group, changes in by_group.items():
        made = digest.build(group, changes, found, codes)
        report.digests.append(made)
        if not recipients.get(group):
            report.unaddressed.append(group)
            continue
        for r in recipients[group]:
            body = made.text if r.channel == "email" else made.webhook_body()
            new_sends.append(
                store.NewSend(group, r.channel, r.address, made.subject, body, made.items)
            )
    report.max_attempts = settings.current().alert_max_attempts
    if dry_run:
        report.given_up = [_given_up_entry(s) for s in store.given_up(paths)]
        return report
    kept = set(report.unaddressed)
    seen = {name: now for name, now in found.seen.items() if _group(rules, name) not in kept}
    store.record(paths, new_sends, seen)
    for send in store.unsent(paths):
        if send.round_attempts >= report.max_attempts:  # the cap was lowered since it failed
            store.give_up(paths, send.id)
            continue
        failure = _deliver(send)
        error = (failure.kind, failure.detail) if failure else None
        gave_up = store.mark(paths, send.id, error, report.max_attempts)
        message = failure.message("en") if failure else None
        audit.record(
            paths, actor, "alert_send", target=f"{send.channel}:{send.address}",
            outcome="failed" if failure else "ok", rows=send.items, send_id=send.id,
            group=send.group, attempt=send.attempts + 1, subject=send.subject,
            error_kind=failure.kind if failure else None, error=message, given_up=gave_up,
        )  # fmt: skip
        report.sends.append(
            {"id": send.id, "group": send.group, "channel": send.channel,
             "address": send.address, "items": send.items, "attempt": send.attempts + 1,
             "status": "failed" if failure else "sent",
             "error_kind": failure.kind if failure else None, "error": message,
             "error_zh": failure.message("zh") if failure else None,
             "retry": send.attempts > 0, "given_up": gave_up}
        )  # fmt: skip
    report.given_up = [_given_up_entry(s) for s in store.given_up(paths)]
    return report


def _group(rules: list[store.Rule], name: str) -> str | None:
    return next((r.group for r in rules if r.name == name), None)
