"""What every `ipgov` command shares: the Typer app, the two consoles (results on stdout, progress
and messages on stderr), the --db option, and the rule that a user's mistake prints one line and
exits 2 while only bugs show a traceback."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.markup import escape

from etl import settings
from etl.errors import IpgovError

app = typer.Typer(
    help="ipgov — analytics of the district IP protection center.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
out = Console()
err = Console(stderr=True)

DbOption = Annotated[
    Path | None,
    typer.Option("--db", help="Warehouse file (default: $IPGOV_DB, else data/warehouse.duckdb)."),
]


def db_or_default(db: Path | None) -> Path:
    """The warehouse a command works on: --db, else IPGOV_DB, else data/warehouse.duckdb."""
    return db if db is not None else settings.db_path()


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """A user's mistake prints one line and exits 2; only bugs show a traceback. An error that
    also speaks Chinese (a bad IPGOV_* setting) adds that line, as a rejected file does.

    The settings are checked before the command starts: a bad IPGOV_SNAPSHOT_KEEP must stop a
    load before it works for minutes, not when it prunes snapshots at the end."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            settings.current()
            return command(*args, **kwargs)
        except IpgovError as e:
            # the message is text, not markup: "[auth]" in it stays "[auth]"
            err.print(f"[red]error:[/red] {escape(str(e))}", highlight=False, soft_wrap=True)
            zh = getattr(e, "message_zh", None)
            if zh and zh != str(e):
                err.print(f"[red]错误：[/red]{escape(zh)}", highlight=False, soft_wrap=True)
            raise typer.Exit(e.exit_code) from None

    return run
