"""`ipgov`: the one command line. Exit codes: 0 ok, 1 failure, 2 bad input (one-line message)."""

from __future__ import annotations

import datetime as dt
import importlib.util
import json
import os
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
            print_rejection(f.path, f.message, f.message_zh)
    if summary.snapshot:
        out.print(f"published snapshot {summary.snapshot} in {summary.seconds:.1f} s")
    else:
        out.print("nothing new to load; the current snapshot stays")


def run_load(
    paths: list[Path], db: Path, kind: str | None, strict: bool = False, max_problems: int = 10
) -> Any:
    from etl.load import load
    from etl.sources.files import source_files

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

        summary = load(files, db, kind=kind, on_file=advance, strict=strict)
    print_load_summary(summary)
    print_problems([f.report for f in summary.files if f.report is not None], max_problems)
    held = sum(f.rows_quarantined for f in summary.quarantined)
    if held:
        err.print(
            f"[yellow]warning:[/yellow] {held:,} rows held back in quarantine "
            f"(隔离 {held:,} 行，待更正后重新报送); see the problems above",
            highlight=False,
        )
    for warning in summary.warnings:
        err.print(f"[yellow]warning:[/yellow] {warning}", highlight=False, soft_wrap=True)
    if summary.report:
        out.print(f"quality report {summary.report}", highlight=False, soft_wrap=True)
    if summary.data_docs:
        out.print(f"data docs {summary.data_docs}", highlight=False, soft_wrap=True)
    return summary


def print_rejection(path: Path, message_en: str, message_zh: str) -> None:
    """Why a whole file was rejected: English for analysts, Chinese for the clerk."""
    err.print(f"[red]rejected[/red] {path}: {message_en}", highlight=False, soft_wrap=True)
    if message_zh and message_zh != message_en:
        err.print(f"[red]拒收[/red] {path}：{message_zh}", highlight=False, soft_wrap=True)


def print_problems(reports: list[Any], max_problems: int) -> None:
    """The quality gate's row problems, file by file, in Chinese and English."""
    for report in reports:
        if report.problems.is_empty():
            continue
        held = f"{report.rows_quarantined:,} of {report.rows_read:,} rows failed"
        err.print(f"[yellow]{report.path.name}[/yellow]: {held}", highlight=False)
        for p in report.problems.head(max_problems).iter_rows(named=True):
            value = "–" if p["raw_value"] is None else repr(p["raw_value"])
            if p["is_pii"] and p["raw_value"] is not None:
                value = "*** (personal data)"
            err.print(
                f"  row {p['source_row']} · {p['column_name']} · {value} · {p['rule']}",
                highlight=False,
                soft_wrap=True,
            )
            err.print(f"    {p['message_zh']}", highlight=False, soft_wrap=True)
            err.print(f"    {p['message_en']}", highlight=False, soft_wrap=True)
        more = report.problems.height - max_problems
        if more > 0:
            err.print(f"  … {more:,} more (--max-problems, or the JSON report)", highlight=False)


MaxProblemsOption = Annotated[
    int, typer.Option("--max-problems", min=0, help="Row problems shown per file.")
]
StrictOption = Annotated[
    bool, typer.Option("--strict", help="Reject a whole file if any of its rows fails a rule.")
]


@app.command()
@user_errors
def check(
    paths: Annotated[list[Path], typer.Argument(help="Source files or folders.")],
    kind: Annotated[str | None, typer.Option(help="Record kind, when headers do not tell.")] = None,
    strict: StrictOption = False,
    max_problems: MaxProblemsOption = 10,
    as_json: Annotated[bool, typer.Option("--json", help="The full report as JSON.")] = False,
) -> None:
    """Validate source files like `load` does, writing nothing. Exit 2 if any file fails."""
    from etl import gate

    with err.status("checking…"):
        reports = gate.check_paths(paths, kind=kind, strict=strict)
    if as_json:
        payload = gate.report_json(reports, max_problems=None, strict=strict)
        out.print_json(json.dumps(payload, ensure_ascii=False, default=str))
    else:
        table = Table(title="quality check", title_justify="left")
        for column in ("file", "kind", "verdict", "read", "valid", "quarantined"):
            numeric = column in {"read", "valid", "quarantined"}
            table.add_column(column, justify="right" if numeric else "left")
        for r in reports:
            style = {"rejected": "red", "quarantined": "yellow"}.get(r.verdict, "")
            table.add_row(
                r.path.name,
                r.kind or "-",
                r.verdict,
                f"{r.rows_read:,}",
                f"{r.rows_valid:,}",
                f"{r.rows_quarantined:,}",
                style=style,
            )
        out.print(table)
        for r in reports:
            if r.verdict == "rejected":
                print_rejection(r.path, r.message_en, r.message_zh)
        print_problems(reports, max_problems)
    if any(r.failed for r in reports):
        raise typer.Exit(2)


@app.command(name="load")
@user_errors
def load_command(
    paths: Annotated[list[Path], typer.Argument(help="Source files or folders.")],
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option(help="Record kind, when headers do not tell.")] = None,
    strict: StrictOption = False,
    max_problems: MaxProblemsOption = 10,
) -> None:
    """Load source files into the warehouse and publish a new snapshot."""
    summary = run_load(paths, _db(db), kind, strict, max_problems)
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
        "dashboard.serve",  # Streamlit, with the dashboard imported before the first visitor
        "run",
        str(_dashboard_app()),
        "--server.port",
        str(port),
        "--server.headless",
        "true",
        "--client.toolbarMode",
        "minimal",
        "--browser.gatherUsageStats",
        "false",
    ]
    out.print(f"serving {db} on http://localhost:{port}  (Ctrl+C to stop)")
    sys.stdout.flush()
    sys.stderr.flush()
    # Become the Streamlit server rather than wait for a child: a service manager's SIGTERM
    # (or a test's) then stops the server itself instead of orphaning it.
    os.execve(sys.executable, command, env)


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


@app.command(name="export")
@user_errors
def export_command(
    parquet: Annotated[
        Path, typer.Option("--parquet", help="Folder for Hive-partitioned Parquet.")
    ],
    overwrite: Annotated[bool, typer.Option(help="Replace a non-empty folder.")] = False,
    db: DbOption = None,
) -> None:
    """Export the published marts as Parquet partitioned by year/month (Spark, Trino, DuckDB)."""
    from etl import warehouse
    from etl.export import export_parquet

    tables = export_parquet(warehouse.WarehousePaths(_db(db)), parquet, overwrite=overwrite)
    table = Table(title=f"exported to {parquet}", title_justify="left")
    for column in ("table", "rows", "files", "partitioned by"):
        table.add_column(column, justify="right" if column in {"rows", "files"} else "left")
    for t in tables:
        table.add_row(
            t.name,
            f"{t.rows:,}",
            f"{t.files:,}",
            f"{t.partitioned_by} (year/month)" if t.partitioned_by else "–",
        )
    out.print(table)


def main() -> None:  # pragma: no cover - console entry point
    app()
