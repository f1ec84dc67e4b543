"""`ipgov brief`: the quarterly briefing pack, built by dashboard/briefing/ from the query core
and the chart builders (without Streamlit)."""

from __future__ import annotations

import time
from pathlib import Path
from typing import Annotated

import typer

from dashboard.cli.common import DbOption, db_or_default, err, out, user_errors
from dashboard.i18n import LANGUAGES
from etl.errors import IpgovError
from etl.periods import parse_quarter

BRIEF_FORMATS = "pdf,docx,pptx,png,svg,csv"


@user_errors
def brief(
    quarter: Annotated[str, typer.Option(help="Quarter, e.g. 2024Q3.")],
    lang: Annotated[str, typer.Option(help="Language of the pack: zh or en.")] = "zh",
    out_dir: Annotated[
        Path | None,
        typer.Option(
            "--out", help="Folder (default: <warehouse folder>/reports/brief-<quarter>-<lang>/)."
        ),
    ] = None,
    formats: Annotated[
        str, typer.Option("--format", help="Comma-separated subset of pdf,docx,pptx,png,svg,csv.")
    ] = BRIEF_FORMATS,
    compare: Annotated[
        str | None,
        typer.Option(
            help="Add one comparison: the quarter's four busiest platforms (or locations, "
            "ip_types, regions) side by side, as compare-<kind>-<quarter>.csv."
        ),
    ] = None,
    db: DbOption = None,
) -> None:
    """Build the quarterly briefing pack: PDF, Word, PPTX, PNG/SVG charts, CSV of the numbers."""
    period = parse_quarter(quarter)
    warehouse_db = db_or_default(db)
    started = time.perf_counter()

    def progress(message: str) -> None:
        err.print(f"[dim]{time.perf_counter() - started:5.1f} s[/dim] {message}", highlight=False)

    from dashboard import briefing  # lazy: Plotly and the query core, for this command only

    chosen = briefing.parse_formats(formats)
    if lang not in LANGUAGES:
        raise IpgovError(f"--lang {lang!r}: choose one of {', '.join(LANGUAGES)}")
    target = out_dir or briefing.default_out(warehouse_db, period, lang)
    if compare is not None:  # issue 16: checked before the pack is built
        from dashboard.briefing.comparison import check_kind

        check_kind(compare)
    from dashboard.access import audit
    from etl import warehouse

    result = briefing.build_brief(warehouse_db, period, lang, target, chosen, progress)
    audit.record(
        warehouse.WarehousePaths(warehouse_db), audit.cli_actor(), "briefing",
        target=period.label, lang=lang, out=str(target),
    )  # fmt: skip
    for statement in result.statements:
        err.print(f"[yellow]note:[/yellow] {statement}", highlight=False, soft_wrap=True)
    for fmt, paths in result.files.items():
        if paths:
            shown = paths[0] if len(paths) == 1 else f"{len(paths)} files in {paths[0].parent}"
            out.print(f"{fmt:>4}  {shown}", highlight=False, soft_wrap=True)
    if compare is not None:
        _comparison(warehouse_db, period, compare, lang, target)
    seconds = result.seconds["total"]
    out.print(f"briefing {period.label} ({lang}) written to {target} in {seconds:.1f} s")


def _comparison(db: Path, period, kind: str, lang: str, target: Path) -> None:
    """The briefing's one comparison beside the pack (dashboard/briefing/comparison.py)."""
    from dashboard.briefing.comparison import write_comparison

    path, sides = write_comparison(db, period, kind, lang, target)
    out.print(f" csv  {path} ({'、'.join(sides)})", highlight=False, soft_wrap=True)
