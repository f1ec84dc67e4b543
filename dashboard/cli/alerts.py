"""`ipgov alerts run [--dry-run] [--json]`: the alerts' one run, for cron or a systemd timer
(docs/operations.md). Exit 0 when every send went out (or none was due), 1 when a send failed
— it is retried on the next run until IPGOV_ALERT_MAX_ATTEMPTS, and cron mails a non-zero
exit — 2 for a user's mistake (no data loaded, a bad setting). Sends given up are listed on
every run (stderr; `given_up` in --json) until an admin re-queues them on the Alerts page."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.markup import escape
from rich.table import Table

from dashboard.cli.common import DbOption, db_or_default, err, out, user_errors

alerts_app = typer.Typer(
    help="Alerts: the worklist's deadlines and the KPI targets, sent by e-mail and webhook.",
    no_args_is_help=True,
)


@alerts_app.command("run")
@user_errors
def run_command(
    dry_run: Annotated[
        bool,
        typer.Option("--dry-run", help="Evaluate and show the digests; store and send nothing."),
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """Evaluate the alert rules, send one digest per recipient group, retry failed sends."""
    from dashboard.access import audit
    from dashboard.alerts import run
    from etl import settings, warehouse

    warehouse_db = db_or_default(db)
    with settings.overridden(db=warehouse_db):
        report = run.run(warehouse.WarehousePaths(warehouse_db), audit.cli_actor(), dry_run=dry_run)
    if as_json:
        out.print_json(json.dumps(report.as_json(), ensure_ascii=False, default=str))
    else:
        _print(report)
    if report.failed:
        raise typer.Exit(1)


def _print(report) -> None:
    mode = " (dry run: nothing stored or sent)" if report.dry_run else ""
    out.print(
        f"alerts on {report.as_of} (snapshot {report.snapshot}){mode}: "
        f"{len(report.changes)} state change(s), {len(report.digests)} digest(s)",
        highlight=False,
    )
    if report.dry_run:
        for d in report.digests:
            out.print(
                f"\n[bold]{escape(d.group)}[/bold] — {escape(d.subject)}\n{escape(d.text)}",
                soft_wrap=True,
                highlight=False,
            )
    for group in report.unaddressed:
        err.print(f"group {group!r} has changes but no recipient: kept for a later run")
    if report.sends:
        table = Table(title="sends", title_justify="left")
        for column in ("id", "group", "channel", "address", "attempt", "status", "error"):
            table.add_column(column)
        for s in report.sends:
            status = "failed, given up" if s["given_up"] else s["status"]
            table.add_row(
                str(s["id"]), s["group"], s["channel"], s["address"], str(s["attempt"]),
                status, escape(s["error"] or ""),
            )  # fmt: skip
        out.print(table)
    if report.given_up:
        err.print(
            f"{len(report.given_up)} send(s) given up (failed"
            f" IPGOV_ALERT_MAX_ATTEMPTS={report.max_attempts} runs in a row), not retried until"
            " an admin re-queues them on the Alerts page: "
            + ", ".join(f"{g['id']} ({g['channel']}:{g['address']})" for g in report.given_up),
            highlight=False,
            soft_wrap=True,
        )
