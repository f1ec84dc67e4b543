"""`ipgov`: the one command line, in the dashboard's half because some commands read through it
(`sql`, `brief`) and etl never imports the dashboard. Exit codes: 0 ok, 1 failure (a bug, with
a traceback), 2 bad input (one line saying what is wrong).

One module per group of commands; they are registered here, in the order `ipgov --help` lists
them (docs/cli.md documents each; tests/test_docs.py checks that every option is).
"""

from __future__ import annotations

from dashboard.cli import brief, calendar, evidence, load, server, snapshot, sql, users
from dashboard.cli.alerts import alerts_app  # issue 16
from dashboard.cli.common import app

app.command()(load.sample)
app.command()(load.check)
app.command(name="load")(load.load_command)
app.command(name="data-docs")(load.data_docs_command)
app.command()(snapshot.kpis)
app.command(name="snapshots")(snapshot.snapshots_command)
app.command(name="rollback")(snapshot.rollback_command)
app.command()(server.serve)
app.command()(server.demo)
app.command(name="sql")(sql.sql_command)
app.command(name="export")(snapshot.export_command)
app.add_typer(evidence.evidence_app, name="evidence")
app.command()(brief.brief)
app.add_typer(users.users_app, name="users")
app.command(name="audit")(users.audit_command)
app.add_typer(calendar.calendar_app, name="calendar")
app.add_typer(alerts_app, name="alerts")  # issue 16

__all__ = ["app", "main"]


def main() -> None:  # pragma: no cover - console entry point
    app()
