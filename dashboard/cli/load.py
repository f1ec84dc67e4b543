"""The commands that write: `ipgov sample` (synthetic source files), `ipgov check` (the quality
gate, writing nothing) and `ipgov load` (gate, load, publish a snapshot), with the tables and
row problems they print."""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn
from rich.table import Table

from dashboard.cli.common import DbOption, db_or_default, err, out, user_errors
from dashboard.progress_text import progress_label
from etl.errors import IpgovError

if TYPE_CHECKING:
    from etl.progress import OnProgress, Progress


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


def progress_hook(show: Callable[[str], None], quiet: bool = False) -> OnProgress | None:
    """How far each file's steps have come (etl/progress.py), for a command's stderr: on a
    terminal `show` rewrites its one line in place (throttled: a few times a second); elsewhere
    (a log, a pipe) one line per file and step, so a log says what a long load was doing
    without a line per percent; nothing when `quiet` (--json)."""
    from etl.progress import Throttled

    if quiet:
        return None
    if err.is_terminal:
        return Throttled(lambda p: show(progress_label(p, "en")))
    started: set[tuple[Path, str]] = set()
    lock = threading.Lock()

    def step_line(p: Progress) -> None:
        with lock:
            if (p.path, p.step) in started:
                return
            started.add((p.path, p.step))
        err.print(f"{p.name}: {p.step}…", highlight=False, soft_wrap=True)

    return step_line


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
        elif f.message and f.status == "loaded":  # e.g. a revert loaded with --allow-revert
            err.print(f"[yellow]note:[/yellow] {f.path.name}: {f.message}", highlight=False,
                      soft_wrap=True)  # fmt: skip
            err.print(f"[yellow]注意：[/yellow]{f.path.name}：{f.message_zh}", highlight=False,
                      soft_wrap=True)  # fmt: skip
    if summary.snapshot:
        out.print(f"published snapshot {summary.snapshot} in {summary.seconds:.1f} s")
        how = summary.snapshot_build + (
            f": {summary.snapshot_reason}" if summary.snapshot_reason else ""
        )
        out.print(f"built {how}", highlight=False, soft_wrap=True)
    else:
        out.print("nothing new to load; the current snapshot stays")


def _audit_load(
    db: Path, inputs: list[Path], outcome: str, rows: int | None = None, **detail: Any
) -> None:
    """The load's row in the audit trail (the CLI acts as the operator: docs/security.md)."""
    from dashboard.access import audit
    from etl import warehouse

    target = ", ".join(str(p) for p in inputs)
    audit.record(
        warehouse.WarehousePaths(db),
        audit.cli_actor(),
        "load",
        target=target,
        outcome=outcome,
        rows=rows,
        **detail,
    )


def run_load(
    paths: list[Path],
    db: Path,
    kind: str | None,
    strict: bool = False,
    max_problems: int = 10,
    data_docs: bool = False,
    allow_revert: bool = False,
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
            last = progress.tasks[0].completed + 1 >= len(files)
            then = "; building and publishing the snapshot…" if last else ""
            progress.update(task, advance=1, description=f"loaded {outcome.path.name}{then}")

        def show(line: str) -> None:
            progress.update(task, description=line)

        try:
            summary = load(
                files,
                db,
                kind=kind,
                on_file=advance,
                strict=strict,
                data_docs=data_docs,
                allow_revert=allow_revert,
                on_progress=progress_hook(show),
            )
        except IpgovError as e:
            # the load's own error is the one to show: a folder it could not write (read-only,
            # full) may refuse the audit row too
            with contextlib.suppress(IpgovError):
                _audit_load(db, paths, "failed", error=str(e))
            raise
    _audit_load(
        db,
        paths,
        "ok",
        rows=sum(f.rows_loaded for f in summary.files),
        load_id=summary.load_id,
        snapshot=summary.snapshot.name if summary.snapshot else None,
        build=summary.snapshot_build,
        files={
            status: sum(f.status == status for f in summary.files)
            for status in ("loaded", "skipped", "rejected")
        },
    )
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


AllowRevertOption = Annotated[
    bool,
    typer.Option(
        "--allow-revert",
        help="Load a file even if it puts records back to an older version (an original "
        "re-sent after its correction); without it such a file is rejected, naming them.",
    ),
]


@user_errors
def check(
    paths: Annotated[list[Path], typer.Argument(help="Source files or folders.")],
    kind: Annotated[str | None, typer.Option(help="Record kind, when headers do not tell.")] = None,
    strict: StrictOption = False,
    max_problems: MaxProblemsOption = 10,
    as_json: Annotated[bool, typer.Option("--json", help="The full report as JSON.")] = False,
    db: Annotated[
        Path | None,
        typer.Option(
            "--db",
            help="Also say what loading the files into this warehouse would change (records "
            "new, changed, unchanged, put back), writing nothing.",
        ),
    ] = None,
    allow_revert: Annotated[
        bool,
        typer.Option(
            "--allow-revert",
            help="With --db: preview a load given --allow-revert (a file putting records back "
            "is then no failure).",
        ),
    ] = False,
) -> None:
    """Validate source files like `load` does, writing nothing. Exit 2 if any file fails."""
    from etl import gate

    previewed = None
    with err.status("checking…") as status:
        hook = progress_hook(status.update, quiet=as_json)
        if db is None:
            reports = gate.check_paths(paths, kind=kind, strict=strict, on_progress=hook)
        else:
            from etl.preview import preview

            if not db.is_file():  # a mistyped path would preview every record as new
                raise IpgovError(f"no warehouse at {db}: give the file `ipgov load` writes")

            def step(i: int, total: int, name: str, what: str) -> None:
                doing = "checking" if what == "check" else "comparing with the warehouse:"
                status.update(f"{doing} {name} ({i + 1}/{total})…")

            previewed = preview(
                paths,
                db,
                kind,
                strict=strict,
                allow_revert=allow_revert,
                on_step=step,
                on_progress=hook,
            )
            reports = previewed.reports
    if as_json:
        payload = gate.report_json(reports, max_problems=None, strict=strict)
        if previewed is not None:
            for entry, file in zip(payload["files"], previewed.files, strict=True):
                # no numbers rather than zeros when the warehouse could not be read
                entry["preview"] = None if previewed.unavailable else file.to_json()
            payload["preview"] = {
                "db": str(db),
                "unavailable": previewed.unavailable,
                "kinds": previewed.totals(),
            }
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
        if previewed is not None:
            print_preview(previewed, allow_revert)
    reverting = (
        previewed is not None
        and not allow_revert
        and any(f.status == "reverts" for f in previewed.files)
    )
    if any(r.failed for r in reports) or reverting:
        raise typer.Exit(2)


def print_preview(previewed: Any, allow_revert: bool) -> None:
    """What loading the checked files would change, file by file, and the first changes."""
    if previewed.unavailable:
        err.print(
            f"[yellow]no preview:[/yellow] {previewed.unavailable}", highlight=False, soft_wrap=True
        )
        return
    table = Table(title="if loaded", title_justify="left")
    for column in ("file", "kind", "on load", "new", "changed", "unchanged", "put back"):
        numeric = column in {"new", "changed", "unchanged", "put back"}
        table.add_column(column, justify="right" if numeric else "left")
    for f in previewed.files:
        counted = f.status in ("loads", "reverts")
        table.add_row(
            f.path.name,
            f.kind or "-",
            f.status,
            *(f"{n:,}" if counted else "-" for n in (f.new, f.changed, f.unchanged, f.reverts)),
            style="red" if f.status == "reverts" and not allow_revert else "",
        )
    out.print(table)
    for f in previewed.files:
        for change in f.changes():
            fields = "; ".join(f"{name}: {old} → {new}" for name, old, new in change.fields)
            out.print(f"  {f.path.name} · {change.key} · {fields}", highlight=False,
                      soft_wrap=True)  # fmt: skip
        if f.reverted:
            verb = "puts" if allow_revert else "would put (rejected without --allow-revert)"
            err.print(
                f"[yellow]revert:[/yellow] {f.path.name} {verb} {f.reverted.count} record(s) back "
                f"to an older version: {f.reverted.listed}",
                highlight=False,
                soft_wrap=True,
            )


@user_errors
def load_command(
    paths: Annotated[list[Path], typer.Argument(help="Source files or folders.")],
    db: DbOption = None,
    kind: Annotated[str | None, typer.Option(help="Record kind, when headers do not tell.")] = None,
    strict: StrictOption = False,
    max_problems: MaxProblemsOption = 10,
    data_docs: Annotated[
        bool, typer.Option("--data-docs", help="Also render GX's data docs now (~3 s more).")
    ] = False,
    allow_revert: AllowRevertOption = False,
) -> None:
    """Load source files into the warehouse and publish a new snapshot."""
    summary = run_load(
        paths, db_or_default(db), kind, strict, max_problems, data_docs, allow_revert
    )
    if summary.rejected:
        raise typer.Exit(2)


@user_errors
def data_docs_command(
    load_id: Annotated[
        str | None, typer.Argument(help="The load (its id); default: the latest.")
    ] = None,
    db: DbOption = None,
) -> None:
    """Render Great Expectations' HTML data docs of a load from the results it saved."""
    from etl.load import render_data_docs

    index = render_data_docs(db_or_default(db), load_id)
    out.print(f"data docs {index}", highlight=False, soft_wrap=True)
