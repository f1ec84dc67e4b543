"""`ipgov`: the one command line. Exit codes: 0 ok, 1 failure, 2 bad input (one-line message)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
import subprocess
import sys
from collections.abc import Callable
from functools import wraps
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

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


def _db(db: Path | None) -> Path:
    return db if db is not None else settings.db_path()


def user_errors(command: Callable[..., Any]) -> Callable[..., Any]:
    """A user's mistake prints one line and exits 2; only bugs show a traceback."""

    @wraps(command)
    def run(*args: Any, **kwargs: Any) -> Any:
        try:
            return command(*args, **kwargs)
        except IpgovError as e:
            err.print(f"[red]error:[/red] {e}", highlight=False, soft_wrap=True)
            raise typer.Exit(e.exit_code) from None

    return run


@app.command()
@user_errors
def sample(
    out_dir: Annotated[Path, typer.Option("--out", help="Folder for the source files.")] = Path(
        "data/sample"
    ),
    seed: Annotated[int, typer.Option(help="Random seed: same seed, same bytes.")] = 42,
    scale: Annotated[float, typer.Option(help="Volume multiplier (1 = the district).")] = 1.0,
) -> None:
    """Write deterministic synthetic source files (CSV UTF-8/GB18030, XLSX, Parquet)."""
    from etl.sample import write_sample

    if scale <= 0:
        raise IpgovError("--scale must be greater than 0")
    with Progress(
        TextColumn("{task.description}"),
        TextColumn("{task.fields[rows]:,} rows"),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("writing sample", rows=0)
        total = {"rows": 0}

        def advance(label: str, rows: int) -> None:
            total["rows"] += rows
            progress.update(task, description=f"writing {label}", rows=total["rows"])

        files = write_sample(out_dir, seed=seed, scale=scale, progress=advance)
    out.print(f"wrote {len(files)} files to {out_dir}")


def print_load_summary(summary: Any) -> None:
    table = Table(title=f"load {summary.load_id}", title_justify="left")
    for column in ("file", "kind", "status", "read", "loaded", "quarantined", "seconds"):
        table.add_column(
            column,
            justify="right" if column in {"read", "loaded", "quarantined", "seconds"} else "left",
        )
    for f in summary.files:
        style = {"rejected": "red", "skipped": "dim"}.get(f.status, "")
        table.add_row(
            f.path.name,
            f.kind or "-",
            f.status,
            f"{f.rows_read:,}",
            f"{f.rows_loaded:,}",
            f"{f.rows_quarantined:,}",
            f"{f.seconds:.2f}",
            style=style,
        )
    out.print(table)
    for f in summary.files:
        if f.message and f.status == "rejected":
            err.print(f"[red]rejected[/red] {f.path}: {f.message}", highlight=False, soft_wrap=True)
    if summary.snapshot:
        out.print(f"published snapshot {summary.snapshot} in {summary.seconds:.1f} s")
    else:
        out.print("nothing new to load; the current snapshot stays")


def run_load(paths: list[Path], db: Path, kind: str | None) -> Any:
    from etl.load import load, source_files

    files = source_files(paths)
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        console=err,
        transient=True,
    ) as progress:
        task = progress.add_task("loading", total=len(files))

        def advance(outcome: Any) -> None:
            progress.update(task, advance=1, description=f"loaded {outcome.path.name}")

        summary = load(files, db, kind=kind, on_file=advance)
    print_load_summary(summary)
    return summary


@app.command(name="load")
@user_errors
def load_command(
    paths: Annotated[list[Path], typer.Argument(help="Source files or folders.")],
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option(help="Record kind, when headers do not tell.")] = None,
) -> None:
    """Load source files into the warehouse and publish a new snapshot."""
    summary = run_load(paths, _db(db), kind)
    if summary.rejected:
        raise typer.Exit(2)


@app.command()
@user_errors
def kpis(
    year: Annotated[int | None, typer.Option(help="Calendar year, e.g. 2023.")] = None,
    quarter: Annotated[str | None, typer.Option(help="Quarter, e.g. 2024Q3.")] = None,
    start: Annotated[
        dt.datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First day.")
    ] = None,
    end: Annotated[
        dt.datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """Headline KPIs for a period (default: the latest quarter with data)."""
    from etl import kpis as kpi_module
    from etl import periods, warehouse

    asked = (year, quarter, start.date() if start else None, end.date() if end else None)
    explicit = periods.resolve(*asked) if any(a is not None for a in asked) else None
    with warehouse.read_snapshot(warehouse.WarehousePaths(_db(db))) as con:
        period = explicit or kpi_module.default_period(con)
        values = kpi_module.headline(con, period)
    if as_json:
        payload = {"period_start": period.start.isoformat(), "period_end": period.end.isoformat()}
        payload |= {k: kpi_module.as_json_value(v) for k, v in values.items()}
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    table = Table(
        title=f"KPIs {period.label} ({period.start} – {period.end})", title_justify="left"
    )
    table.add_column("kpi")
    table.add_column("value", justify="right")
    for key, value in values.items():
        table.add_row(key, _format(value))
    out.print(table)


def _format(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{value:,}"


def _dashboard_app() -> Path:
    spec = importlib.util.find_spec("dashboard")
    if spec is None or not spec.submodule_search_locations:
        raise IpgovError("the dashboard package is not installed; run `pip install -e .`")
    return Path(next(iter(spec.submodule_search_locations))) / "app.py"


def run_streamlit(db: Path, port: int) -> None:
    env = os.environ | {"IPGOV_DB": str(db.resolve())}
    command = [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        str(_dashboard_app()),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--client.toolbarMode", "minimal",
        "--browser.gatherUsageStats",
        "false",
    ]
    out.print(f"serving {db} on http://localhost:{port}  (Ctrl+C to stop)")
    try:
        raise typer.Exit(subprocess.call(command, env=env))
    except KeyboardInterrupt:
        raise typer.Exit(0) from None


PortOption = Annotated[int | None, typer.Option(help="Port (default: $IPGOV_PORT, else 8501).")]


@app.command()
@user_errors
def serve(db: DbOption = None, port: PortOption = None) -> None:
    """Serve the dashboard on the warehouse's current snapshot."""
    run_streamlit(_db(db), port or int(settings.get("port")))


@app.command()
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
    run_load([out_dir], _db(db), None)
    serve(db=db, port=port)


def main() -> None:  # pragma: no cover - console entry point
    app()
