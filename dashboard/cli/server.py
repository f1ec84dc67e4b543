"""`ipgov serve` (the dashboard on the current snapshot) and `ipgov demo` (sample, load, serve):
the process becomes the Streamlit server, so nothing here imports Streamlit."""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from dashboard.cli.common import DbOption, db_or_default, out, user_errors
from dashboard.cli.load import run_load, sample
from etl import settings, warehouse
from etl.errors import IpgovError

# the served application: the Streamlit script behind the sign-in guard (dashboard/asgi.py)
APP = Path(__file__).resolve().parent.parent / "asgi.py"
DEFAULT_ADDRESS = "127.0.0.1"  # this machine only, until --address says otherwise


def streamlit_command(port: int, *options: str) -> list[str]:
    """The server process `ipgov serve` runs (the browser tests and benchmarks start the same
    one): Streamlit through dashboard.serve, with the dashboard imported before the first
    visitor; `options` are more Streamlit options (e.g. `--server.address 127.0.0.1`)."""
    return [
        sys.executable,
        "-m",
        "dashboard.serve",
        "run",
        str(APP),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--client.toolbarMode",
        "minimal",
        "--browser.gatherUsageStats",
        "false",
        *options,
    ]


def run_streamlit(db: Path, port: int, address: str) -> None:
    env = os.environ | {"IPGOV_DB": str(db.resolve())}
    command = streamlit_command(port, "--server.address", address)
    shown = "localhost" if address in (DEFAULT_ADDRESS, "localhost") else address
    out.print(f"serving {db} on http://{shown}:{port}  (Ctrl+C to stop)")
    sys.stdout.flush()
    sys.stderr.flush()
    # Become the Streamlit server rather than wait for a child: a service manager's SIGTERM
    # (or a test's) then stops the server itself instead of orphaning it.
    os.execve(sys.executable, command, env)


PortOption = Annotated[int | None, typer.Option(help="Port (default: $IPGOV_PORT, else 8501).")]
AddressOption = Annotated[
    str,
    typer.Option(
        help="Address to listen on: 127.0.0.1 (this machine only) unless you give another, "
        "e.g. 0.0.0.0 for every network the machine is on."
    ),
]


def _require_a_user(db: Path) -> None:
    """Nobody could sign in: say how to create the first account instead of serving. Single
    sign-on whose mapping gives some role is a way in; its file is read now, so a mistake in it
    is one line at start-up rather than an error at the first visit."""
    from dashboard.access import accounts, sso

    config = sso.current()
    if config is not None and config.roles:
        return
    if not accounts.any_active(warehouse.WarehousePaths(db)):
        raise IpgovError(
            f"no active user for {db} yet, so nobody could sign in: create one with "
            "`ipgov users add NAME --role admin` (or run `ipgov demo`)"
        )


@user_errors
def serve(
    db: DbOption = None, port: PortOption = None, address: AddressOption = DEFAULT_ADDRESS
) -> None:
    """Serve the dashboard on the warehouse's current snapshot (sign-in required)."""
    target = db_or_default(db)
    _require_a_user(target)
    _current_models(target)
    run_streamlit(target, port or settings.current().port, address)


def _current_models(db: Path) -> None:
    """A snapshot built by an older ipgov is rebuilt from the warehouse's records before the
    first visitor, so no page meets a macro or column it lacks; a load running now (the
    ingest database busy) only postpones it: the dashboard serves and says why."""
    from etl.publish import republish_if_outdated

    try:
        with out.status("checking that the snapshot was built by this version of ipgov …"):
            built = republish_if_outdated(db)
    except IpgovError as e:
        out.print(f"[yellow]warning[/yellow]: the snapshot was not checked ({e})", highlight=False)
        return
    if built is not None:
        out.print(
            f"rebuilt the snapshot with this version's models: {built.path.name} "
            f"({built.reason or built.mode})",
            highlight=False,
        )


def demo_admin(db: Path) -> str:
    """The `demo` admin with a new random password (created, or its password reset and the
    account enabled): returns the password, which is printed once and stored only hashed."""
    import secrets

    from dashboard.access import accounts, audit, sessions

    paths = warehouse.WarehousePaths(db)
    password = secrets.token_urlsafe(12)
    if accounts.find(paths, "demo") is None:
        accounts.add(paths, "demo", "admin", password)
        audit.record(paths, audit.cli_actor(), "user_add", target="demo", role="admin")
    else:
        accounts.set_disabled(paths, "demo", False)
        accounts.set_role(paths, "demo", "admin")
        accounts.reset_password(paths, "demo", password)
        sessions.end_for_user(paths, "demo", "password_reset")
        audit.record(paths, audit.cli_actor(), "user_password", target="demo")
    return password


@user_errors
def demo(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the sample files.")] = Path(
        "data/sample"
    ),
    db: DbOption = None,
    port: PortOption = None,
    seed: Annotated[int, typer.Option(help="Sample seed.")] = 42,
) -> None:
    """Write the sample data, load it, and serve the dashboard on it."""
    sample(out_dir=out_dir, seed=seed, scale=1.0)
    target = db_or_default(db)
    run_load([out_dir], target, None)
    password = demo_admin(target)
    out.print(
        f"sign in as [bold]demo[/bold] with the password [bold]{password}[/bold]", highlight=False
    )
    run_streamlit(target, port or settings.current().port, DEFAULT_ADDRESS)
