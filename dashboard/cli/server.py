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
from etl import settings

APP = Path(__file__).resolve().parent.parent / "app.py"  # the Streamlit script of the dashboard


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


def run_streamlit(db: Path, port: int) -> None:
    env = os.environ | {"IPGOV_DB": str(db.resolve())}
    command = streamlit_command(port)
    out.print(f"serving {db} on http://localhost:{port}  (Ctrl+C to stop)")
    sys.stdout.flush()
    sys.stderr.flush()
    # Become the Streamlit server rather than wait for a child: a service manager's SIGTERM
    # (or a test's) then stops the server itself instead of orphaning it.
    os.execve(sys.executable, command, env)


PortOption = Annotated[int | None, typer.Option(help="Port (default: $IPGOV_PORT, else 8501).")]


@user_errors
def serve(db: DbOption = None, port: PortOption = None) -> None:
    """Serve the dashboard on the warehouse's current snapshot."""
    run_streamlit(db_or_default(db), port or settings.current().port)


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
    run_load([out_dir], db_or_default(db), None)
    serve(db=db, port=port)
