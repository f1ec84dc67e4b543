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
            help="Add one comparison as a section of the PDF and Word document (and "
            "compare-<kind>-<quarter>.csv): platforms, locations, ip_types, regions, quarters "
            "or years."
        ),
    ] = None,
    compare_items: Annotated[
        str | None,
        typer.Option(
            help="Up to 4 codes (tmall,jd) or periods (2024Q2,2024Q3; 2023,2024) to compare; "
            "default: the quarter's four busiest (periods: the latest four up to the quarter)."
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
    from dashboard.briefing.comparison import check_request

    # issue 16: the kind and the number of items checked before the pack is built; each item
    # against the snapshot before anything is written
    request = check_request(compare, compare_items)
    from dashboard.access import audit
    from etl import warehouse

    result = briefing.build_brief(
        warehouse_db, period, lang, target, chosen, progress, comparison=request
    )
    audit.record(
        warehouse.WarehousePaths(warehouse_db), audit.cli_actor(), "briefing",
        target=period.label, lang=lang, out=str(target),
        **({"compare": _said(result.data.comparison)} if result.data.comparison else {}),
    )  # fmt: skip
    for statement in result.statements:
        err.print(f"[yellow]note:[/yellow] {statement}", highlight=False, soft_wrap=True)
    for fmt, paths in result.files.items():
        if paths:
            shown = paths[0] if len(paths) == 1 else f"{len(paths)} files in {paths[0].parent}"
            out.print(f"{fmt:>4}  {shown}", highlight=False, soft_wrap=True)
    compared = result.data.comparison
    if compared is not None:
        sides = "、".join(c.name for c in compared.columns) or "—"
        out.print(f"compare  {compared.title}: {sides}", highlight=False, soft_wrap=True)
    seconds = result.seconds["total"]
    out.print(f"briefing {period.label} ({lang}) written to {target} in {seconds:.1f} s")


def _said(compared) -> str:
    """'platforms:tmall,taobao,jd,pinduoduo' for the audit trail."""
    return f"{compared.kind}:{','.join(c.key for c in compared.columns)}"
