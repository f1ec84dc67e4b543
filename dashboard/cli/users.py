"""`ipgov users …` (local accounts) and `ipgov audit` (the audit trail). The CLI acts as the
server's operator: whoever can run it on the server's machine can read the warehouse files
anyway, so it needs no sign-in; each change is audited as `cli:<os user>` (docs/security.md)."""

from __future__ import annotations

import datetime as dt
import getpass
import json
import sys
from typing import Annotated

import typer
from rich.table import Table

from dashboard.cli.common import DbOption, db_or_default, err, out, user_errors
from etl import warehouse
from etl.errors import IpgovError

users_app = typer.Typer(help="Local accounts of the dashboard.", no_args_is_help=True)

RoleArgument = Annotated[str, typer.Option("--role", help="viewer, analyst, steward or admin.")]
StdinOption = Annotated[
    bool, typer.Option("--password-stdin", help="Read the password from stdin (scripts).")
]


def _paths(db) -> warehouse.WarehousePaths:
    return warehouse.WarehousePaths(db_or_default(db))


def _password(from_stdin: bool, name: str) -> str:
    """The new password: one line of stdin, or typed twice at a prompt (never echoed)."""
    if from_stdin:
        line = sys.stdin.readline().rstrip("\r\n")
        if not line:
            raise IpgovError("no password on stdin")
        return line
    first = getpass.getpass(f"password for {name}: ")
    if first != getpass.getpass("again: "):
        raise IpgovError("the two passwords differ")
    return first


@users_app.command("add")
@user_errors
def add(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: RoleArgument,
    password_stdin: StdinOption = False,
    db: DbOption = None,
) -> None:
    """Create a local account (password prompted, or --password-stdin)."""
    from dashboard.access import accounts, audit

    paths = _paths(db)
    account = accounts.add(paths, name, role, _password(password_stdin, name))
    audit.record(paths, audit.cli_actor(), "user_add", target=account.name, role=account.role)
    out.print(f"added {account.name} ({account.role})")


@users_app.command("list")
@user_errors
def list_users(
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
    db: DbOption = None,
) -> None:
    """Every account: role, whether disabled or locked, when created."""
    from dashboard.access import accounts

    listed = accounts.listed(_paths(db))
    if as_json:
        out.print_json(json.dumps([a.__dict__ for a in listed], ensure_ascii=False))
        return
    table = Table()
    for column in ("name", "role", "source", "state", "created"):
        table.add_column(column)
    for a in listed:
        state = (
            "disabled"
            if a.disabled
            else (f"locked until {a.locked_until}" if a.locked_until else "active")
        )
        table.add_row(a.name, a.role or "(none yet)", a.source, state, a.created_at)
    out.print(table)


@users_app.command("set-role")
@user_errors
def set_role(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    role: RoleArgument,
    db: DbOption = None,
) -> None:
    """Give an account another role (its open sessions get it at their next click)."""
    from dashboard.access import accounts, audit

    paths = _paths(db)
    account = accounts.set_role(paths, name, role)
    audit.record(paths, audit.cli_actor(), "user_role", target=account.name, role=account.role)
    out.print(f"{account.name} is now {account.role}")


@users_app.command("disable")
@user_errors
def disable(
    name: Annotated[str, typer.Argument(help="Sign-in name.")], db: DbOption = None
) -> None:
    """Stop an account from signing in, and end its open sessions at once."""
    from dashboard.access import accounts, audit, sessions

    paths = _paths(db)
    account = accounts.set_disabled(paths, name, True)
    ended = sessions.end_for_user(paths, account.name, "disabled")
    audit.record(paths, audit.cli_actor(), "user_disable", target=account.name, sessions=ended)
    out.print(f"disabled {account.name} ({ended} open session(s) ended)")


@users_app.command("enable")
@user_errors
def enable(name: Annotated[str, typer.Argument(help="Sign-in name.")], db: DbOption = None) -> None:
    """Let a disabled account sign in again."""
    from dashboard.access import accounts, audit

    paths = _paths(db)
    account = accounts.set_disabled(paths, name, False)
    audit.record(paths, audit.cli_actor(), "user_enable", target=account.name)
    out.print(f"enabled {account.name}")


@users_app.command("reset-password")
@user_errors
def reset_password(
    name: Annotated[str, typer.Argument(help="Sign-in name.")],
    password_stdin: StdinOption = False,
    db: DbOption = None,
) -> None:
    """Set a new password (unlocks the account; its open sessions end)."""
    from dashboard.access import accounts, audit, sessions

    paths = _paths(db)
    account = accounts.get(paths, name)
    accounts.reset_password(paths, account.name, _password(password_stdin, account.name))
    ended = sessions.end_for_user(paths, account.name, "password_reset")
    audit.record(paths, audit.cli_actor(), "user_password", target=account.name, sessions=ended)
    out.print(f"new password set for {account.name} ({ended} open session(s) ended)")


def _day(value: str | None, option: str) -> dt.date | None:
    if value is None:
        return None
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        raise IpgovError(f"{option} takes a day as YYYY-MM-DD, not {value!r}") from None


@user_errors
def audit_command(
    since: Annotated[str | None, typer.Option(help="From this day (YYYY-MM-DD, UTC).")] = None,
    until: Annotated[str | None, typer.Option(help="Up to this day, inclusive.")] = None,
    user: Annotated[str | None, typer.Option(help="Only this user (cli:NAME for the CLI).")] = None,
    action: Annotated[str | None, typer.Option(help="Only this action (signin, sql, …).")] = None,
    limit: Annotated[int, typer.Option(help="At most this many, newest first.")] = 1000,
    as_json: Annotated[
        bool, typer.Option("--json", help="As JSON lines of the whole entries.")
    ] = False,
    db: DbOption = None,
) -> None:
    """The audit trail: who signed in, viewed, queried, exported, loaded or changed users."""
    from dashboard.access import audit

    if action is not None and action not in audit.ACTIONS:
        raise IpgovError(f"--action must be one of {', '.join(audit.ACTIONS)}; not {action!r}")
    found = audit.entries(
        _paths(db),
        since=_day(since, "--since"),
        until=_day(until, "--until"),
        user=user,
        action=action,
        limit=limit,
    )
    if as_json:
        out.print_json(json.dumps([e.as_json() for e in found], ensure_ascii=False))
        return
    table = Table()
    for column in ("at (UTC)", "user", "action", "target", "outcome", "rows"):
        table.add_column(column)
    for e in found:
        table.add_row(
            e.at[:19],
            e.actor or "—",
            e.action,
            e.target or "",
            e.outcome,
            "" if e.rows is None else f"{e.rows:,}",
        )
    out.print(table)
    err.print(f"{len(found)} entries", highlight=False)
