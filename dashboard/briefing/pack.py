"""Building the pack: check the font and the browser, read the numbers once, export the charts
once, write each format asked for into a scratch folder (PDF, DOCX and PPTX embed the PNGs), and
only then copy the files into the output folder: a failure leaves nothing behind (issue 17)."""

from __future__ import annotations

import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from dashboard import core
from dashboard.briefing.comparison import CHART_SIZE as COMPARE_CHART_SIZE
from dashboard.briefing.comparison import Request, csv_text
from dashboard.briefing.content import BriefData, collect
from dashboard.briefing.deck import write_pptx
from dashboard.briefing.fonts import cjk_fonts
from dashboard.briefing.images import chromium_path, export_charts
from dashboard.briefing.narrative import stored, stored_cases
from dashboard.briefing.numbers_csv import write_numbers_csv
from dashboard.briefing.outline import COMPARISON_KEY
from dashboard.briefing.pdf import write_pdf
from dashboard.briefing.word import write_docx
from etl import settings
from etl.errors import IpgovError, NoDataError
from etl.periods import Period
from etl.warehouse import WarehousePaths

FORMATS: tuple[str, ...] = ("pdf", "docx", "pptx", "png", "svg", "csv")


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
    comparison: Request | None = None,
) -> BriefResult:
    """Build the pack for the warehouse `db` into `out` (created; our files overwritten), with
    the one `comparison` when asked (issue 16: its section in the PDF and the Word document,
    its chart, compare-<kind>-<quarter>.csv).

    Raises IpgovError for the user's mistakes: no data loaded, unknown format or language,
    an item to compare the data does not have, no Chromium when a chart must be exported.
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

    # what every later step needs, found before any work starts: the CJK font for the PDF and
    # the charts' Chinese; the browser as soon as we know the quarter has data (a quarter
    # without records has no charts and needs none)
    if formats & {"pdf", "png", "svg", "docx", "pptx"}:
        cjk_fonts()
    with settings.overridden(db=str(db)):
        snapshot = core.snapshot_id()
        if snapshot is None:
            raise NoDataError(f"no data loaded yet in {db} — run `ipgov load PATH` first")
        span = core.data_days(snapshot)
        on_record = span is not None and quarter.end >= span[0] and quarter.start <= span[1]
        if on_record and formats & {"pdf", "docx", "pptx", "png", "svg"}:
            chromium_path()  # a quarter on record has charts: the browser before any query
        say(f"reading the numbers of {quarter.label} (snapshot {snapshot})")
        data = collect(
            snapshot,
            quarter,
            lang,
            narrative=stored(db, quarter, lang).texts,
            typical=stored_cases(db, quarter),
            comparison=comparison,
        )
    lap("query")

    names = {s.spec.key: f"{i:02d}-{s.spec.key}" for i, s in enumerate(data.reported, start=1)}
    figures = {names[s.spec.key]: s.figure for s in data.reported if s.figure is not None}
    sizes: dict[str, tuple[int, int]] = {}
    compared = data.comparison
    if compared is not None:  # numbered after the areas, as printed
        names[COMPARISON_KEY] = f"{len(data.reported) + 1:02d}-{compared.chart_name}"
        if compared.figure is not None:
            figures[names[COMPARISON_KEY]] = compared.figure
            sizes[names[COMPARISON_KEY]] = COMPARE_CHART_SIZE
    chart_formats = ("png",) if formats & {"pdf", "docx", "pptx", "png"} else ()  # embedded
    chart_formats += ("svg",) if "svg" in formats else ()
    if figures and chart_formats:
        chromium_path()  # (checked above for a quarter on record) before a file is written
    files: dict[str, list[Path]] = {fmt: [] for fmt in sorted(formats)}
    stem = data.stem
    with tempfile.TemporaryDirectory(prefix="ipgov-brief-") as scratch_dir:
        scratch = Path(scratch_dir)
        staged = scratch / "pack"
        staged.mkdir()
        pngs: dict[str, Path] = {}
        if figures and chart_formats:
            say(f"exporting {len(figures)} charts with Chromium ({', '.join(chart_formats)})")
            written = export_charts(figures, scratch / "charts", chart_formats, sizes)
            for section_key, name in names.items():
                if "png" in written.get(name, {}):
                    pngs[section_key] = written[name]["png"]
            for fmt in ("png", "svg"):
                if fmt in formats:
                    (staged / "charts").mkdir(exist_ok=True)
                    for paths in written.values():
                        shutil.copyfile(paths[fmt], staged / "charts" / paths[fmt].name)
                        files[fmt].append(Path("charts") / paths[fmt].name)
        lap("export")
        if "pdf" in formats:
            say("writing the PDF")
            write_pdf(data, pngs, staged / f"{stem}.pdf")
            files["pdf"].append(Path(f"{stem}.pdf"))
        lap("pdf")
        if "docx" in formats:
            say("writing the Word document")
            write_docx(data, pngs, staged / f"{stem}.docx")
            files["docx"].append(Path(f"{stem}.docx"))
        lap("docx")
        if "pptx" in formats:
            say("writing the PPTX deck")
            write_pptx(data, pngs, staged / f"{stem}.pptx")
            files["pptx"].append(Path(f"{stem}.pptx"))
        lap("pptx")
        if "csv" in formats:
            say("writing the CSV files")
            write_numbers_csv(data, staged / "numbers.csv")
            files["csv"].append(Path("numbers.csv"))
            (staged / "loads.csv").write_bytes(data.loads.write_csv().encode("utf-8-sig"))
            files["csv"].append(Path("loads.csv"))
            (staged / "charts").mkdir(exist_ok=True)
            for section in data.reported:
                name = f"charts/{names[section.spec.key]}.csv"
                (staged / name).write_bytes(section.chart_frame.write_csv().encode("utf-8-sig"))
                files["csv"].append(Path(name))
            if compared is not None:
                (staged / compared.csv_name).write_text(csv_text(compared), encoding="utf-8-sig")
                files["csv"].append(Path(compared.csv_name))
                name = f"charts/{names[COMPARISON_KEY]}.csv"
                (staged / name).write_bytes(compared.chart_frame.write_csv().encode("utf-8-sig"))
                files["csv"].append(Path(name))
        lap("csv")
        # every file written: only now into the output folder (our files overwritten)
        out.mkdir(parents=True, exist_ok=True)
        for relative in (p for paths in files.values() for p in paths):
            (out / relative).parent.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(staged / relative, out / relative)
    files = {fmt: [out / p for p in paths] for fmt, paths in files.items()}
    seconds["total"] = round(time.perf_counter() - started, 3)
    return BriefResult(out, files, data.statements, seconds, data)
