"""`ipgov sql`: one question to the published snapshot in the SQL console's sandbox
(dashboard/console/), as a table, a file, or the schema catalogue."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from dashboard.cli.common import DbOption, db_or_default, err, out, user_errors
from etl.errors import IpgovError


@user_errors
def sql_command(
    query: Annotated[
        str | None,
        typer.Argument(
            help="One read-only statement: SELECT, WITH, DESCRIBE, SHOW, EXPLAIN or SUMMARIZE "
            "(`-` reads it from stdin)."
        ),
    ] = None,
    fmt: Annotated[
        str, typer.Option("--format", help="table (default), csv, json, xlsx or parquet.")
    ] = "table",
    out_file: Annotated[
        Path | None,
        typer.Option(
            "--out",
            help="Write the whole result (up to the export caps) to FILE, through a temporary "
            "file beside it: a refused or stopped query leaves FILE as it was. Never a "
            "warehouse file, a link, a device or a folder; the folder must exist.",
        ),
    ] = None,
    overwrite: Annotated[
        bool,
        typer.Option("--overwrite", help="Let --out replace an existing file."),
    ] = False,
    schema: Annotated[
        bool,
        typer.Option("--schema", help="Every table, view and column: type, meaning, examples."),
    ] = False,
    db: DbOption = None,
) -> None:
    """Ask the published snapshot one SQL question, in the SQL console's sandbox."""
    from dashboard import console
    from etl import warehouse

    paths = warehouse.WarehousePaths(db_or_default(db))
    if schema:
        snapshot, docs = console.catalog(paths)
        if fmt == "json":
            out.print_json(json.dumps(console.catalog_as_json(snapshot, docs), ensure_ascii=False))
            return
        for doc in docs:
            table = Table(
                title=f"{doc.name} ({doc.kind})", title_justify="left", caption=doc.comment
            )
            for column in ("column", "type", "meaning", "examples"):
                table.add_column(column)
            for c in doc.columns:
                table.add_row(c.name, c.type, c.comment, ", ".join(c.examples))
            if doc.parameters:
                table.add_row(f"({', '.join(doc.parameters)})", "macro", "parameters", "")
            out.print(table)
        return
    if query is None:
        raise IpgovError("give a query (or - to read it from stdin), or --schema")
    if overwrite and out_file is None:
        raise IpgovError("--overwrite needs --out FILE")
    text = sys.stdin.read() if query == "-" else query
    if out_file is not None and fmt == "table":
        fmt = out_file.suffix.lstrip(".").lower()
    try:
        rows = _answer(paths, text, fmt, out_file, overwrite)
    except IpgovError as e:
        _audit(paths, text, "refused", None, fmt, out_file, refusal=str(e))
        raise
    _audit(paths, text, "ok", rows, fmt, out_file)


def _audit(paths, text: str, outcome: str, rows: int | None, fmt: str, out_file, **detail) -> None:
    """Every statement of `ipgov sql` in the audit trail, as the console's are (security.md)."""
    from dashboard.access import audit

    target = str(out_file) if out_file else fmt
    audit.record(
        paths, audit.cli_actor(), "sql", target=target, outcome=outcome, rows=rows, sql=text,
        **detail,
    )  # fmt: skip


def _answer(paths, text: str, fmt: str, out_file: Path | None, overwrite: bool) -> int:
    """Run the statement and show or write its result; the rows shown or written."""
    from dashboard import console

    if fmt == "table":
        result = console.run(paths, text)
        table = Table(show_lines=False)
        for name, kind in zip(result.columns, result.types, strict=True):
            table.add_column(name, justify="right" if kind in console.NUMERIC_TYPES else "left")
        for row in result.table.to_pylist():
            table.add_row(*("–" if v is None else str(v) for v in row.values()))
        out.print(table)
        err.print(f"{result.rows:,} rows in {result.elapsed_seconds:.2f} s", highlight=False)
        if result.truncated:
            err.print(
                f"[yellow]truncated:[/yellow] showing the first {result.rows:,} rows "
                "(IPGOV_SQL_MAX_ROWS); use --out FILE for the whole result",
                highlight=False,
            )
        return result.rows
    if fmt not in console.FORMATS:
        raise IpgovError(f"--format must be table, {', '.join(console.FORMATS)}; not {fmt!r}")
    if out_file is None and fmt in {"xlsx", "parquet"}:
        raise IpgovError(f"--format {fmt} needs --out FILE")
    if out_file is None:
        sys.stdout.flush()
        done = console.export(paths, text, fmt, sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        done = console.export(paths, text, fmt, out_file, overwrite=overwrite)
    where = f" to {out_file}" if out_file else ""
    err.print(
        f"wrote {done.rows:,} rows{where} in {done.elapsed_seconds:.2f} s",
        highlight=False,
        soft_wrap=True,  # a long path stays one line to copy
    )
    if done.cut_by == "rows":
        err.print(
            f"[yellow]truncated:[/yellow] stopped at {done.rows:,} rows "
            "(the export's row cap, IPGOV_SQL_EXPORT_MAX_ROWS)",
            highlight=False,
        )
    elif done.cut_by == "bytes":
        err.print(
            f"[yellow]truncated:[/yellow] stopped at {done.rows:,} rows "
            f"(the export's size cap, {done.limit_bytes / 1024**3:g} GiB)",
            highlight=False,
        )
    return done.rows
