"""Building the pack: read the numbers once, export the charts once, then write each format
asked for into the output folder (PDF and PPTX embed the PNGs)."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import core
from dashboard.briefing.content import BriefData, collect
from dashboard.briefing.deck import write_pptx
from dashboard.briefing.images import export_charts
from dashboard.briefing.numbers_csv import write_numbers_csv
from dashboard.briefing.pdf import write_pdf
from etl import settings
from etl.errors import IpgovError, NoDataError
from etl.periods import Period
from etl.warehouse import WarehousePaths

FORMATS: tuple[str, ...] = ("pdf", "pptx", "png", "svg", "csv")


@dataclass
class BriefResult:
    """What `build_brief` wrote (paths per format), what the pack states, and the seconds of each
    stage (the CLI prints the total; benchmarks/brief.py reports every stage)."""

    out: Path
    files: dict[str, list[Path]]
    statements: list[str]
    seconds: dict[str, float]
    data: BriefData = field(repr=False)


def default_out(db: Path, quarter: Period, lang: str) -> Path:
    """<warehouse folder>/reports/brief-<quarter>-<lang>/: everything a warehouse owns lives in
    its folder."""
    return WarehousePaths(db).reports / f"brief-{quarter.label}-{lang}"


def parse_formats(text: str) -> set[str]:
    """'pdf,pptx' → {'pdf', 'pptx'}; an unknown format is the user's mistake."""
    chosen = {part.strip().lower() for part in text.split(",") if part.strip()}
    unknown = chosen - set(FORMATS)
    if unknown or not chosen:
        raise IpgovError(f"--format {text!r}: choose from {','.join(FORMATS)} (comma-separated)")
    return chosen


def build_brief(
    db: Path,
    quarter: Period,
    lang: str,
    out: Path,
    formats: set[str],
    progress: Callable[[str], None] | None = None,
) -> BriefResult:
    """Build the pack for the warehouse `db` into `out` (created; our files overwritten).

    Raises IpgovError for the user's mistakes: no data loaded, unknown format or language,
    no Chromium when a chart must be exported.
    """
    unknown = set(formats) - set(FORMATS)
    if unknown or not formats:
        raise IpgovError(f"unknown format {', '.join(sorted(unknown))}; choose from {FORMATS}")
    say = progress or (lambda message: None)
    seconds: dict[str, float] = {}
    started = clock = time.perf_counter()

    def lap(stage: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        seconds[stage] = round(now - clock, 3)
        clock = now

    with settings.overridden(db=str(db)):
        snapshot = core.snapshot_id()
        if snapshot is None:
            raise NoDataError(f"no data loaded yet in {db} — run `ipgov load PATH` first")
        say(f"reading the numbers of {quarter.label} (snapshot {snapshot})")
        data = collect(snapshot, quarter, lang)
    lap("query")

    out.mkdir(parents=True, exist_ok=True)
    files: dict[str, list[Path]] = {fmt: [] for fmt in sorted(formats)}
    names = {s.spec.key: f"{i:02d}-{s.spec.key}" for i, s in enumerate(data.sections, start=1)}
    figures = {names[s.spec.key]: s.figure for s in data.sections if s.figure is not None}
    chart_formats = ("png",) if formats & {"pdf", "pptx", "png"} else ()  # PDF, PPTX embed PNG
    chart_formats += ("svg",) if "svg" in formats else ()
    with tempfile.TemporaryDirectory(prefix="ipgov-brief-") as scratch:
        pngs: dict[str, Path] = {}
        if figures and chart_formats:
            say(f"exporting {len(figures)} charts with Chromium ({', '.join(chart_formats)})")
            written = export_charts(figures, Path(scratch), chart_formats)
            for section_key, name in names.items():
                if "png" in written.get(name, {}):
                    pngs[section_key] = written[name]["png"]
            for fmt in ("png", "svg"):
                if fmt in formats:
                    (out / "charts").mkdir(exist_ok=True)
                    for paths in written.values():
                        target = out / "charts" / paths[fmt].name
                        shutil.copyfile(paths[fmt], target)
                        files[fmt].append(target)
        lap("export")
        stem = f"brief-{quarter.label}-{lang}"
        if "pdf" in formats:
            say("writing the PDF")
            write_pdf(data, pngs, out / f"{stem}.pdf")
            files["pdf"].append(out / f"{stem}.pdf")
        lap("pdf")
        if "pptx" in formats:
            say("writing the PPTX deck")
            write_pptx(data, pngs, out / f"{stem}.pptx")
            files["pptx"].append(out / f"{stem}.pptx")
        lap("pptx")
    if "csv" in formats:
        say("writing the CSV files")
        write_numbers_csv(data, out / "numbers.csv")
        files["csv"].append(out / "numbers.csv")
        (out / "loads.csv").write_bytes(data.loads.write_csv().encode("utf-8-sig"))
        files["csv"].append(out / "loads.csv")
        (out / "charts").mkdir(exist_ok=True)
        for section in data.sections:
            target = out / "charts" / f"{names[section.spec.key]}.csv"
            target.write_bytes(section.chart_frame.write_csv().encode("utf-8-sig"))
            files["csv"].append(target)
    lap("csv")
    seconds["total"] = round(time.perf_counter() - started, 3)
    return BriefResult(out, files, data.statements, seconds, data)
