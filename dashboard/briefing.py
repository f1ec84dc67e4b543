"""The quarterly briefing pack (issue 6): one quarter's numbers and charts as a PDF, a PPTX deck,
PNG/SVG charts and CSV, for `ipgov brief` and the dashboard's Quarterly briefing page.

Numbers come only through the dashboard's query core (`dashboard.core`, the reads the pages make,
without Streamlit) and charts only from its builders (`dashboard.charts`), so the pack shows what
the dashboard shows. No Streamlit here: the page previews `collect()` and calls `build_brief()`
like the CLI does.
See docs/briefing.md.
"""

from __future__ import annotations

import csv
import datetime as dt
import logging
import shutil
import tempfile
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

import plotly.graph_objects as go
import polars as pl

from dashboard import charts, core
from dashboard.core import Filters
from dashboard.i18n import LANGUAGES, t
from etl import settings
from etl.errors import IpgovError, NoDataError
from etl.kpis import KPI_KEYS, KpiValue
from etl.periods import Period
from etl.warehouse import WarehousePaths

FORMATS: tuple[str, ...] = ("pdf", "pptx", "png", "svg", "csv")
TREND_QUARTERS = 8  # trend charts show the quarter and the seven before it
TREND_GRAIN = "quarter"  # one bar or point per quarter: the query's $grain and the axis labels
# Charts are laid out at 960×540 CSS px (16:9; the dashboard's 13 px text prints at about 7 pt
# across the PDF's 180 mm text width) and rendered at scale 2.5: PNGs are 2400×1350 px, about
# 340 dpi in the PDF. SVGs keep the layout size, 960×540.
CHART_WIDTH, CHART_HEIGHT, CHART_SCALE = 960, 540, 2.5
CHROMIUM_MISSING = (
    "chart export needs Chromium: apt-get install -y chromium fonts-noto-cjk "
    "(or set IPGOV_CHROMIUM)"
)
FONT_MISSING = "the PDF needs the Noto Sans CJK font: apt-get install -y fonts-noto-cjk"
FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),  # Debian, Ubuntu (fonts-noto-cjk)
    Path("/usr/share/fonts/noto-cjk"),  # Arch
    Path("/usr/share/fonts/google-noto-cjk"),  # Fedora
)
NOTO_SC_INDEX = 2  # NotoSansCJK-*.ttc holds JP, KR, SC, TC, HK in this order
PPTX_FONT = "Microsoft YaHei"  # the deck is edited on officials' Windows/WPS machines

# How each number is shown; anything not listed is a count.
KINDS = {
    "takedown_median_workdays": "float",
    "takedown_p90_workdays": "float",
    "takedown_within_2wd_share": "share",
    "trademark_fines_yuan": "yuan",
    "opinion_within_2wd_share": "share",
    "design_median_cycle_days": "float",
    "median_hours": "float",
}
LOWER_IS_BETTER = {
    "cases_open_end",
    "takedown_median_workdays",
    "takedown_p90_workdays",
    "still_live",
    "design_median_cycle_days",
    "median_hours",
}
Color = tuple[int, int, int]
Line = tuple[str, float, bool, Color | None]  # text, size in pt, bold, colour (PPTX text boxes)
GOOD: Color = (22, 128, 60)
BAD: Color = (200, 40, 40)
NEUTRAL: Color = (110, 110, 110)


@dataclass(frozen=True)
class SectionSpec:
    """One page of the pack: its KPIs, extra numbers, the change it tells, and its chart."""

    key: str  # file stem, e.g. charts/01-takedowns.png
    title_key: str  # catalogue key of the title (the dashboard page's)
    kpis: tuple[str, ...]  # headline KPIs shown
    extra: tuple[tuple[str, str, str], ...]  # (query, column, label key) shown as well
    stories: tuple[str, ...]  # metrics the generated sentences are about
    volume: tuple[str, ...]  # KPIs whose sum says whether the quarter has records of this kind
    chart_query: str  # dashboard/sql/<chart_query>.sql feeds the chart
    chart: Callable[..., go.Figure]  # (frame, lang), and grain= when trend
    trend: bool  # chart over TREND_QUARTERS quarters, by TREND_GRAIN (else the quarter alone)


SECTIONS: tuple[SectionSpec, ...] = (
    SectionSpec(
        "takedowns",
        "page_takedowns",
        (
            "takedown_requests",
            "takedown_median_workdays",
            "takedown_p90_workdays",
            "takedown_within_2wd_share",
        ),
        (("takedown_summary", "still_live", "still_live"),),
        ("takedown_within_2wd_share", "takedown_median_workdays"),
        ("takedown_requests",),
        "takedown_by_platform",
        charts.takedown_platform_latency,
        trend=False,
    ),
    SectionSpec(
        "cases",
        "page_cases",
        ("cases_accepted", "cases_closed", "cases_open_end"),
        (("case_summary", "opinion_within_2wd_share", "opinion_within_target"),),
        ("cases_accepted", "cases_open_end"),
        ("cases_accepted", "cases_closed"),
        "case_trend",
        charts.cases_trend,
        trend=True,
    ),
    SectionSpec(
        "patents",
        "page_patents",
        ("patent_preexam_accepted", "patent_preexam_authorized"),
        (("patent_summary", "design_median_cycle_days", "median_cycle_days"),),
        ("patent_preexam_accepted", "patent_preexam_authorized"),
        ("patent_preexam_accepted", "patent_preexam_authorized"),
        "patent_trend",
        charts.patent_trend,
        trend=True,
    ),
    SectionSpec(
        "trademarks",
        "page_trademarks",
        ("trademark_cases", "trademark_fines_yuan"),
        (("trademark_summary", "transferred_to_police", "transferred_to_police"),),
        ("trademark_cases", "trademark_fines_yuan"),
        ("trademark_cases",),
        "trademark_trend",
        charts.trademark_trend,
        trend=True,
    ),
    SectionSpec(
        "notarizations",
        "page_notarizations",
        ("notarizations",),
        (("notary_summary", "median_hours", "median_hours"),),
        ("notarizations",),
        ("notarizations",),
        "notary_trend",
        charts.notary_trend,
        trend=True,
    ),
    SectionSpec(
        "referrals",
        "page_referrals",
        ("referrals_out", "referrals_in"),
        (("referral_flows", "finished", "finished"),),
        ("referrals_out", "referrals_in"),
        ("referrals_out", "referrals_in"),
        "referral_flows",
        charts.referral_partners,
        trend=False,
    ),
)


@dataclass(frozen=True)
class Metric:
    """One number of the pack, with the same number for the comparison quarters (None when that
    quarter has no data on record or the number is undefined, e.g. a median of nothing)."""

    key: str
    label: str
    now: KpiValue
    previous: KpiValue
    year_before: KpiValue
    source: str  # the query that gave it


@dataclass(frozen=True)
class Section:
    spec: SectionSpec
    title: str
    metrics: list[Metric]
    sentences: list[str]
    has_records: bool
    chart_frame: pl.DataFrame
    figure: go.Figure | None  # None when the quarter has no records of this kind


@dataclass(frozen=True)
class BriefData:
    """Everything the pack shows, in one language, before any file is written."""

    quarter: Period
    previous: Period
    year_before: Period
    lang: str
    title: str
    snapshot: str
    span: tuple[dt.date, dt.date] | None  # first and last day with data
    headline: list[Metric]
    sections: list[Section]
    statements: list[str]  # no records / partial quarter / no comparison quarter
    loads: pl.DataFrame
    is_empty: bool
    is_partial: bool


@dataclass
class BriefResult:
    out: Path
    files: dict[str, list[Path]]
    statements: list[str]
    seconds: dict[str, float]
    data: BriefData = field(repr=False)


# --- numbers as printed -----------------------------------------------------------------------


def format_value(key: str, value: KpiValue) -> str:
    """A number as the pack prints it: shares to 0.1 %, yuan to the fen, counts with commas."""
    if value is None:
        return "—"
    kind = KINDS.get(key, "int")
    if kind == "share":
        return f"{value:.1%}"
    if kind == "float":
        return f"{value:.1f}"
    if kind == "yuan":
        return f"{value:,.2f}"
    return f"{value:,.0f}"


def _difference(key: str, now: KpiValue, before: KpiValue) -> float | Decimal | int | None:
    """The change between the numbers as printed (shares in percentage points), so the pack's
    arithmetic adds up on paper."""
    if now is None or before is None:
        return None
    kind = KINDS.get(key, "int")
    if kind == "share":  # of the printed values, so "from 78.6% to 79.4%" says "+0.8 pp"
        return round(round(now * 100, 1) - round(before * 100, 1), 1)
    if kind == "float":
        return round(round(now, 1) - round(before, 1), 1)
    if kind == "yuan":
        return round(Decimal(now) - Decimal(before), 2)
    return now - before


def format_change(key: str, now: KpiValue, before: KpiValue, lang: str) -> str:
    """'▲ +27 (+28.4%)', '▼ -1.5 pp' (个百分点), '= 0', or '—' when there is nothing to compare."""
    diff = _difference(key, now, before)
    if diff is None:
        return "—"
    kind = KINDS.get(key, "int")
    arrow = "▲" if diff > 0 else "▼" if diff < 0 else "="
    sign = "+" if diff > 0 else ""
    if kind == "share":
        text = f"{sign}{diff:.1f}{t('brief_pp', lang)}"
    elif kind == "float":
        text = f"{sign}{diff:.1f}"
    elif kind == "yuan":
        text = f"{sign}{diff:,.2f}"
    else:
        text = f"{sign}{diff:,}"
    if kind in ("int", "yuan") and before and diff:
        text += f" ({sign}{Decimal(diff) / Decimal(before):.1%})"
    return f"{arrow} {text}"


def change_color(key: str, now: KpiValue, before: KpiValue) -> Color:
    """Green when the change is for the better (lower latency, higher share…), red when worse."""
    diff = _difference(key, now, before)
    if not diff:
        return NEUTRAL
    return GOOD if (diff > 0) != (key in LOWER_IS_BETTER) else BAD


def sentence(metric: Metric, previous: Period, year_before: Period, lang: str) -> str:
    """The generated statement of a metric's change, from the catalogue's brief_sentence_*."""
    what = t(f"brief_what_{metric.key}", lang)
    now = format_value(metric.key, metric.now)
    diff = _difference(metric.key, metric.now, metric.previous)
    if diff is None:
        head = t("brief_sentence_first", lang, what=what, now=now, prev=previous.label)
    else:
        template = "brief_sentence_up" if diff > 0 else "brief_sentence_down" if diff < 0 else ""
        values = {
            "what": what,
            "now": now,
            "before": format_value(metric.key, metric.previous),
            "prev": previous.label,
            "change": format_change(metric.key, metric.now, metric.previous, lang),
        }
        head = t(template or "brief_sentence_flat", lang, **values)
    yoy = _difference(metric.key, metric.now, metric.year_before)
    if yoy is None:
        tail = t("brief_sentence_yoy_none", lang, year_before=year_before.label)
    elif not yoy:
        tail = t("brief_sentence_yoy_flat", lang, year_before=year_before.label)
    else:
        tail = t(
            "brief_sentence_yoy",
            lang,
            change=format_change(metric.key, metric.now, metric.year_before, lang),
            year_before=year_before.label,
            before=format_value(metric.key, metric.year_before),
        )
    return head + tail


# --- reading the numbers ----------------------------------------------------------------------


def _metric(key: str, label: str, source: str, values: dict[str, KpiValue]) -> Metric:
    return Metric(key, label, values["now"], values["previous"], values["year_before"], source)


def _on_record(period: Period, span: tuple[dt.date, dt.date] | None) -> bool:
    return span is not None and period.end >= span[0] and period.start <= span[1]


def _params(period: Period, span: tuple[dt.date, dt.date] | None) -> dict[str, object]:
    """The dashboard's filter parameters for the whole district; open items aged at the period
    end, or at the data's last day when that comes first (as the pages do)."""
    as_of = min(period.end, span[1]) if span else period.end
    return Filters(period).params() | {"as_of": as_of}


def _trend_window(quarter: Period) -> Period:
    first = quarter
    for _ in range(TREND_QUARTERS - 1):
        first = first.previous()
    return Period(first.start, quarter.end, f"{first.label}–{quarter.label}")


def _extra_value(frame: pl.DataFrame, column: str) -> KpiValue:
    """A summary query's single value, or the sum over a per-row query (referral flows)."""
    if frame.height == 1:
        return frame[column][0]
    return frame[column].sum()


def _has_numbers(frame: pl.DataFrame) -> bool:
    """Whether a chart would show anything: some numeric cell that is neither null nor zero."""
    for name, dtype in frame.schema.items():
        if dtype.is_numeric() and (frame[name].fill_null(0) != 0).any():
            return True
    return False


def _figure(spec: SectionSpec, frame: pl.DataFrame, lang: str) -> go.Figure:
    """The section's chart; a trend is told its grain, so its axis says 2024年第三季度, not a
    month."""
    if spec.trend:
        return spec.chart(frame, lang, grain=TREND_GRAIN)
    return spec.chart(frame, lang)


def _title(lang: str) -> str:
    district = settings.get("district")
    if district == t("brief_this_district", "zh"):
        district = t("brief_this_district", lang)
    return t("brief_title", lang, district=district)


def quarter_name(quarter: Period, lang: str) -> str:
    """'2024年第三季度' / 'Q3 2024'."""
    number = (quarter.start.month - 1) // 3 + 1
    q = "一二三四"[number - 1] if lang == "zh" else str(number)
    return t("brief_quarter_name", lang, year=quarter.start.year, q=q)


def collect(snapshot: str, quarter: Period, lang: str) -> BriefData:
    """Every number, sentence and figure of the pack, through the dashboard's query layer."""
    if lang not in LANGUAGES:
        raise IpgovError(f"language {lang!r} is not one of {', '.join(LANGUAGES)}")
    span = core.data_days(snapshot)
    previous, year_before = quarter.previous(), quarter.year_before()
    # a comparison quarter outside the data on record has no numbers, not zeros
    compared = {
        "now": quarter,
        "previous": previous if _on_record(previous, span) else None,
        "year_before": year_before if _on_record(year_before, span) else None,
    }
    heads = {n: core.headline(snapshot, p) if p else None for n, p in compared.items()}
    headline = [
        _metric(key, t(key, lang), "kpi_headline", {n: h and h[key] for n, h in heads.items()})
        for key in KPI_KEYS
    ]
    by_key = {m.key: m for m in headline}

    sections = []
    for spec in SECTIONS:
        metrics = [by_key[k] for k in spec.kpis]
        for query, column, label_key in spec.extra:
            extra = {
                n: _extra_value(core.frame(query, snapshot, _params(p, span)), column)
                if p
                else None
                for n, p in compared.items()
            }
            metrics.append(_metric(column, t(label_key, lang), query, extra))
        has_records = any(by_key[k].now for k in spec.volume)
        window = _trend_window(quarter) if spec.trend else quarter
        params = _params(window, span) | ({"grain": TREND_GRAIN} if spec.trend else {})
        frame = core.frame(spec.chart_query, snapshot, params)
        figure = _figure(spec, frame, lang) if has_records and _has_numbers(frame) else None
        if has_records:
            stories = sorted(
                (m for m in metrics if m.key in spec.stories and m.now is not None),
                key=lambda m: spec.stories.index(m.key),
            )
            sentences = [sentence(m, previous, year_before, lang) for m in stories]
        else:
            sentences = [t("brief_section_empty", lang, quarter=quarter.label)]
        sections.append(
            Section(spec, t(spec.title_key, lang), metrics, sentences, has_records, frame, figure)
        )

    is_empty = not any(s.has_records for s in sections)
    last_day = span[1] if span else None
    is_partial = last_day is not None and quarter.start <= last_day < quarter.end
    statements = []
    if is_empty:
        statements.append(t("brief_no_records", lang, quarter=quarter.label))
    else:
        if is_partial:
            statements.append(t("brief_partial", lang, date=str(last_day), quarter=quarter.label))
        if compared["previous"] is None:
            statements.append(
                t("brief_no_previous", lang, previous=previous.label, quarter=quarter.label)
            )
        if compared["year_before"] is None:
            statements.append(t("brief_no_year_before", lang, year_before=year_before.label))
    return BriefData(
        quarter=quarter,
        previous=previous,
        year_before=year_before,
        lang=lang,
        title=_title(lang),
        snapshot=snapshot,
        span=span,
        headline=headline,
        sections=sections,
        statements=statements,
        loads=core.frame("brief_loads", snapshot),
        is_empty=is_empty,
        is_partial=is_partial,
    )


# --- chart export (kaleido + the system Chromium) ---------------------------------------------


def chromium_path() -> str:
    """IPGOV_CHROMIUM if set (it must exist), else /usr/bin/chromium, else one on PATH."""
    configured = settings.get("chromium")
    if configured != "auto":
        if Path(configured).is_file():
            return configured
        raise IpgovError(CHROMIUM_MISSING)
    if Path("/usr/bin/chromium").is_file():
        return "/usr/bin/chromium"
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    raise IpgovError(CHROMIUM_MISSING)


def export_charts(
    figures: dict[str, go.Figure], folder: Path, formats: tuple[str, ...] = ("png", "svg")
) -> dict[str, dict[str, Path]]:
    """Write every figure in every format in ONE browser session: a Chromium start costs about
    2 s, each figure then a fraction of a second. One tab: on two cores a second tab was no
    faster (docs/performance.md). Returns {name: {format: path}}."""
    import kaleido  # lazy: it pulls in choreographer, only needed when charts are exported
    from choreographer.errors import BrowserFailedError, ChromeNotFoundError

    browser = chromium_path()
    folder.mkdir(parents=True, exist_ok=True)
    written: dict[str, dict[str, Path]] = {}
    specs = []
    for name, figure in figures.items():
        for fmt in formats:
            path = folder / f"{name}.{fmt}"
            written.setdefault(name, {})[fmt] = path
            scale = CHART_SCALE if fmt == "png" else 1  # an SVG keeps the layout size
            opts = {"format": fmt, "width": CHART_WIDTH, "height": CHART_HEIGHT, "scale": scale}
            specs.append({"fig": figure, "path": path, "opts": opts})
    if not specs:
        return written
    # choreographer logs devtools messages it skips as errors with a traceback; they are not
    # failures (those raise), and a traceback on the terminal would look like one
    noisy = logging.getLogger("choreographer")
    level = noisy.level
    noisy.setLevel(logging.CRITICAL)
    try:
        kaleido.write_fig_from_object_sync(
            specs,
            # mathjax off: no CDN fetch from an offline government machine
            kopts={"path": browser, "mathjax": False, "n": 1, "timeout": 120},
            cancel_on_error=True,
        )
    except ChromeNotFoundError as e:
        raise IpgovError(CHROMIUM_MISSING) from e
    except BrowserFailedError as e:
        raise IpgovError(f"{browser} did not start; {CHROMIUM_MISSING}") from e
    except TimeoutError as e:
        raise IpgovError(f"chart export timed out in {browser}; try again") from e
    finally:
        noisy.setLevel(level)
    return written


# --- writers ----------------------------------------------------------------------------------


def _cjk_fonts() -> tuple[Path, Path]:
    for folder in FONT_DIRS:
        regular, bold = folder / "NotoSansCJK-Regular.ttc", folder / "NotoSansCJK-Bold.ttc"
        if regular.is_file():
            return regular, bold if bold.is_file() else regular
    raise IpgovError(FONT_MISSING)


def table_rows(data: BriefData, metrics: list[Metric]) -> list[list[str]]:
    lang = data.lang
    header = [
        t("brief_kpi", lang),
        data.quarter.label,
        data.previous.label,
        t("brief_qoq", lang),
        data.year_before.label,
        t("brief_yoy", lang),
    ]
    rows = [header]
    for m in metrics:
        rows.append(
            [
                m.label,
                format_value(m.key, m.now),
                format_value(m.key, m.previous),
                format_change(m.key, m.now, m.previous, lang),
                format_value(m.key, m.year_before),
                format_change(m.key, m.now, m.year_before, lang),
            ]
        )
    return rows


def _sources(data: BriefData, section: Section, index: int) -> str:
    queries_used = sorted(
        {f"{m.source}.sql" for m in section.metrics} | {f"{section.spec.chart_query}.sql"}
    )
    chart = f"charts/{index:02d}-{section.spec.key}.png" if section.figure else "—"
    return t("brief_sources", data.lang, queries=", ".join(queries_used), chart=chart)


def write_pdf(data: BriefData, pngs: dict[str, Path], path: Path) -> None:
    """Cover, summary, one page per section, notes: A4 portrait, Noto Sans CJK SC embedded."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    regular, bold = _cjk_fonts()
    lang = data.lang
    footer_title = f"{data.title} · {data.quarter.label}"
    wrap = "CHAR" if lang == "zh" else "WORD"  # Chinese has no spaces to break lines at

    class Pack(FPDF):
        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("cjk", size=8)
            self.set_text_color(*NEUTRAL)
            text = t("brief_page_footer", lang, title=footer_title, n=self.page_no())
            self.cell(0, 6, text, align="C")

    pdf = Pack(orientation="P", unit="mm", format="A4")
    pdf.set_margins(15, 15, 15)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("cjk", "", str(regular), collection_font_number=NOTO_SC_INDEX)
    pdf.add_font("cjk", "B", str(bold), collection_font_number=NOTO_SC_INDEX)
    pdf.set_title(f"{data.title} {data.quarter.label}")
    pdf.set_author("ipgov")
    pdf.set_lang("zh-CN" if lang == "zh" else "en")

    def heading(text: str) -> None:
        pdf.set_font("cjk", "B", 16)
        pdf.set_text_color(20, 40, 80)
        pdf.multi_cell(0, 9, text, new_x="LMARGIN", new_y="NEXT")
        pdf.ln(2)
        pdf.set_text_color(0, 0, 0)

    def paragraph(text: str, size: float = 10.5, color: Color = (0, 0, 0)) -> None:
        pdf.set_font("cjk", "", size)
        pdf.set_text_color(*color)
        pdf.multi_cell(
            0, size * 0.55, text, align="L", wrapmode=wrap, new_x="LMARGIN", new_y="NEXT"
        )
        pdf.set_text_color(0, 0, 0)

    def statements_box(statements: list[str]) -> None:
        if not statements:
            return
        pdf.set_fill_color(255, 244, 214)
        pdf.set_font("cjk", "", 10.5)
        for text in statements:
            pdf.multi_cell(
                0,
                6.5,
                text,
                fill=True,
                padding=2,
                align="L",
                wrapmode=wrap,
                new_x="LMARGIN",
                new_y="NEXT",
            )
            pdf.ln(1.5)

    def metrics_table(metrics: list[Metric]) -> None:
        rows = table_rows(data, metrics)
        pdf.set_font("cjk", "", 9)
        heading_style = FontFace(emphasis="BOLD", fill_color=(228, 234, 244))
        with pdf.table(
            col_widths=(44, 24, 22, 34, 22, 34),
            text_align=("LEFT", "RIGHT", "RIGHT", "RIGHT", "RIGHT", "RIGHT"),
            line_height=5.5,
            headings_style=heading_style,
            borders_layout="HORIZONTAL_LINES",
            padding=(1, 1.5),
        ) as table:
            header = table.row()
            for text in rows[0]:
                header.cell(text)
            for m, texts in zip(metrics, rows[1:], strict=True):
                row = table.row()
                row.cell(texts[0])
                row.cell(texts[1], style=FontFace(emphasis="BOLD"))
                row.cell(texts[2])
                row.cell(texts[3], style=FontFace(color=change_color(m.key, m.now, m.previous)))
                row.cell(texts[4])
                row.cell(texts[5], style=FontFace(color=change_color(m.key, m.now, m.year_before)))

    # cover
    pdf.add_page()
    pdf.set_y(70)
    pdf.set_font("cjk", "B", 24)
    pdf.set_text_color(20, 40, 80)
    pdf.multi_cell(0, 13, data.title, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(6)
    pdf.set_font("cjk", "B", 18)
    pdf.multi_cell(
        0, 10, quarter_name(data.quarter, lang), align="C", new_x="LMARGIN", new_y="NEXT"
    )
    pdf.ln(10)
    pdf.set_text_color(60, 60, 60)
    pdf.set_font("cjk", "", 11)
    period = t("brief_period", lang, start=data.quarter.start, end=data.quarter.end)
    as_of = data.span[1].isoformat() if data.span else "—"
    cover_lines = [
        period,
        t("data_as_of", lang, date=as_of, snapshot=data.snapshot),
        t("brief_generated", lang, date=dt.date.today().isoformat()),
    ]
    for line in cover_lines:
        pdf.multi_cell(0, 7, line, align="C", new_x="LMARGIN", new_y="NEXT")
    pdf.ln(12)
    statements_box(data.statements)

    # summary
    pdf.add_page()
    heading(f"{t('brief_summary', lang)} · {data.quarter.label}")
    paragraph(
        t("brief_compared", lang, previous=data.previous.label, year_before=data.year_before.label)
        + " "
        + t("headline_scope", lang),
        size=9,
        color=NEUTRAL,
    )
    pdf.ln(2)
    statements_box(data.statements)
    metrics_table(data.headline)
    pdf.ln(5)
    pdf.set_font("cjk", "B", 12)
    pdf.cell(0, 8, t("brief_highlights", lang), new_x="LMARGIN", new_y="NEXT")
    for section in data.sections:
        paragraph(
            f"• {section.title}：{section.sentences[0]}"
            if lang == "zh"
            else f"• {section.title}: {section.sentences[0]}",
            size=9.5,
        )
        pdf.ln(1)

    # sections
    for index, section in enumerate(data.sections, start=1):
        pdf.add_page()
        heading(f"{index}. {section.title}")
        for text in section.sentences:
            paragraph(text, size=10.5)
            pdf.ln(1)
        pdf.ln(2)
        png = pngs.get(section.spec.key)
        if section.figure is not None and png is not None:
            pdf.image(str(png), x=15, w=180, h=180 * CHART_HEIGHT / CHART_WIDTH)
            pdf.ln(3)
        metrics_table(section.metrics)
        pdf.ln(3)
        paragraph(_sources(data, section, index), size=8, color=NEUTRAL)

    # notes
    pdf.add_page()
    heading(t("brief_notes", lang))
    paragraph(t("brief_method", lang), size=9.5)
    pdf.ln(3)
    pdf.set_font("cjk", "B", 11)
    pdf.cell(0, 7, t("brief_definitions", lang), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("cjk", "", 8.5)
    with pdf.table(
        col_widths=(45, 135),
        first_row_as_headings=False,
        borders_layout="HORIZONTAL_LINES",
        line_height=4.6,
        text_align="LEFT",
        padding=(0.8, 1.5),
    ) as table:
        for key in KPI_KEYS:
            row = table.row()
            row.cell(t(key, lang), style=FontFace(emphasis="BOLD"))
            row.cell(t(f"brief_def_{key}", lang))
    pdf.ln(4)
    pdf.set_font("cjk", "B", 11)
    pdf.cell(0, 7, t("brief_loads", lang), new_x="LMARGIN", new_y="NEXT")
    for line in _load_lines(data):
        paragraph(line, size=8.5)
    pdf.output(str(path))


def _load_lines(data: BriefData, limit: int = 8) -> list[str]:
    lines = []
    if data.span:
        lines.append(
            t(
                "brief_span",
                data.lang,
                first=data.span[0].isoformat(),
                last=data.span[1].isoformat(),
                snapshot=data.snapshot,
            )
        )
    rows = list(data.loads.iter_rows(named=True))
    for row in rows[-limit:]:
        lines.append(
            t(
                "brief_load_row",
                data.lang,
                load_id=row["load_id"],
                files=row["files"],
                kinds=row["kinds"],
                rows=row["rows_loaded"] or 0,
                loaded_at=f"{row['loaded_at']:%Y-%m-%d %H:%M}",
            )
        )
    if len(rows) > limit:
        lines.append(f"… +{len(rows) - limit} (loads.csv)")
    return lines


def write_pptx(data: BriefData, pngs: dict[str, Path], path: Path) -> None:
    """A 16:9 deck with the PDF's sections, one chart per slide, as editable text and tables."""
    from pptx import Presentation
    from pptx.dml.color import RGBColor
    from pptx.enum.text import MSO_AUTO_SIZE
    from pptx.oxml.ns import qn
    from pptx.util import Inches, Pt

    lang = data.lang
    deck = Presentation()
    deck.slide_width, deck.slide_height = Inches(13.333), Inches(7.5)
    title_layout, title_only = deck.slide_layouts[0], deck.slide_layouts[5]

    def style_run(run: Any, size: float, bold: bool = False, color: Color | None = None) -> None:
        """Size, weight, colour, and one font for Latin and Chinese text (a:latin and a:ea)."""
        run.font.size = Pt(size)
        run.font.bold = bold
        if color is not None:
            run.font.color.rgb = RGBColor(*color)
        run.font.name = PPTX_FONT
        r_pr = run._r.get_or_add_rPr()
        for old in r_pr.findall(qn("a:ea")):
            r_pr.remove(old)
        r_pr.append(r_pr.makeelement(qn("a:ea"), {"typeface": PPTX_FONT}))

    def style(frame: Any, size: float, bold: bool = False, color: Color | None = None) -> None:
        for paragraph in frame.paragraphs:
            for run in paragraph.runs:
                style_run(run, size, bold, color)

    def titled(text: str) -> Any:
        """A 'Title Only' slide, its title moved to fit the 16:9 page."""
        slide = deck.slides.add_slide(title_only)
        title = slide.shapes.title
        title.left, title.top = Inches(0.5), Inches(0.3)
        title.width, title.height = Inches(12.3), Inches(0.9)
        title.text = text
        style(title.text_frame, 28, bold=True, color=(20, 40, 80))
        return slide

    def text_box(slide: Any, left: float, top: float, width: float, height: float) -> Any:
        box = slide.shapes.add_textbox(Inches(left), Inches(top), Inches(width), Inches(height))
        box.text_frame.word_wrap = True
        box.text_frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
        return box.text_frame

    def add_lines(frame: Any, lines: list[Line]) -> None:
        for i, (text, size, bold, color) in enumerate(lines):
            paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
            run = paragraph.add_run()
            run.text = text
            style_run(run, size, bold, color)

    # cover
    slide = deck.slides.add_slide(title_layout)
    slide.shapes.title.left, slide.shapes.title.top = Inches(0.8), Inches(2.0)
    slide.shapes.title.width, slide.shapes.title.height = Inches(11.7), Inches(1.5)
    slide.shapes.title.text = f"{data.title}\n{quarter_name(data.quarter, lang)}"
    style(slide.shapes.title.text_frame, 36, bold=True, color=(20, 40, 80))
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top = Inches(0.8), Inches(4.0)
    subtitle.width, subtitle.height = Inches(11.7), Inches(2.5)
    as_of = data.span[1].isoformat() if data.span else "—"
    subtitle.text = "\n".join(
        [
            t("brief_period", lang, start=data.quarter.start, end=data.quarter.end),
            t("data_as_of", lang, date=as_of, snapshot=data.snapshot),
            *data.statements,
        ]
    )
    style(subtitle.text_frame, 16, color=(60, 60, 60))

    # summary
    slide = titled(f"{t('brief_summary', lang)} · {data.quarter.label}")
    rows = table_rows(data, data.headline)
    top = 1.3
    if data.statements:
        notes = text_box(slide, 0.5, 1.2, 12.3, 0.5)
        add_lines(notes, [(" ".join(data.statements), 12, False, (150, 90, 0))])
        top = 1.75
    shape = slide.shapes.add_table(
        len(rows), 6, Inches(0.5), Inches(top), Inches(12.3), Inches(0.33 * len(rows))
    )
    table = shape.table
    for col, width in enumerate((4.1, 1.6, 1.6, 1.9, 1.6, 1.5)):
        table.columns[col].width = Inches(width)
    for r, texts in enumerate(rows):
        metric = data.headline[r - 1] if r else None
        for c, text in enumerate(texts):
            cell = table.cell(r, c)
            cell.text = text
            cell.margin_top = cell.margin_bottom = Inches(0.02)
            color = None
            if metric is not None and c in (3, 5):
                before = metric.previous if c == 3 else metric.year_before
                color = change_color(metric.key, metric.now, before)
            style(cell.text_frame, 12, bold=(r == 0 or c == 1), color=color)
    slide.notes_slide.notes_text_frame.text = t(
        "brief_compared", lang, previous=data.previous.label, year_before=data.year_before.label
    )

    # sections
    for index, section in enumerate(data.sections, start=1):
        slide = titled(f"{index}. {section.title}")
        png = pngs.get(section.spec.key)
        if section.figure is not None and png is not None:
            slide.shapes.add_picture(str(png), Inches(0.4), Inches(1.25), width=Inches(8.3))
        tiles = text_box(slide, 8.9, 1.25, 4.1, 4.7)
        lines: list[Line] = []
        for m in section.metrics:
            change = format_change(m.key, m.now, m.previous, lang)
            lines.append((m.label, 11, False, NEUTRAL))
            lines.append((format_value(m.key, m.now), 20, True, (20, 40, 80)))
            lines.append(
                (
                    f"{t('brief_qoq', lang)} {change}",
                    10,
                    False,
                    change_color(m.key, m.now, m.previous),
                )
            )
        add_lines(tiles, lines)
        story = text_box(slide, 0.5, 6.0, 12.3, 1.3)
        add_lines(story, [(text, 14, False, None) for text in section.sentences])
        slide.notes_slide.notes_text_frame.text = "\n".join(
            [*section.sentences, _sources(data, section, index)]
        )

    # notes
    slide = titled(t("brief_notes", lang))
    frame = text_box(slide, 0.5, 1.2, 12.3, 6.0)
    lines = [
        (t("brief_method", lang), 11, False, None),
        (t("brief_definitions", lang), 12, True, None),
    ]
    lines += [(f"{t(k, lang)}：{t(f'brief_def_{k}', lang)}", 10, False, None) for k in KPI_KEYS]
    lines += [(t("brief_loads", lang), 12, True, None)]
    lines += [(line, 10, False, None) for line in _load_lines(data)]
    add_lines(frame, lines)
    deck.save(str(path))


CSV_COLUMNS = (
    "section",
    "key",
    "label",
    "quarter",
    "value",
    "shown",
    "previous_quarter",
    "previous_value",
    "qoq_change",
    "qoq_shown",
    "year_before",
    "year_before_value",
    "yoy_change",
    "yoy_shown",
    "source",
)


def _csv_value(value: object) -> object:
    return "" if value is None else value


def write_numbers_csv(data: BriefData, path: Path) -> int:
    """One row per number printed in the pack (changes of shares in percentage points), with the
    query it came from. UTF-8 with BOM, so Excel opens the Chinese labels. Returns the rows."""
    shown_in = {key: s.spec.key for s in data.sections for key in s.spec.kpis}
    rows = [(shown_in.get(m.key, "summary"), m) for m in data.headline]
    rows += [
        (s.spec.key, m) for s in data.sections for m in s.metrics if m.source != "kpi_headline"
    ]
    with path.open("w", encoding="utf-8-sig", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(CSV_COLUMNS)
        for section, m in rows:
            writer.writerow(
                [
                    section,
                    m.key,
                    m.label,
                    data.quarter.label,
                    _csv_value(m.now),
                    format_value(m.key, m.now),
                    data.previous.label,
                    _csv_value(m.previous),
                    _csv_value(_difference(m.key, m.now, m.previous)),
                    format_change(m.key, m.now, m.previous, data.lang),
                    data.year_before.label,
                    _csv_value(m.year_before),
                    _csv_value(_difference(m.key, m.now, m.year_before)),
                    format_change(m.key, m.now, m.year_before, data.lang),
                    m.source,
                ]
            )
    return len(rows)


# --- the pack ---------------------------------------------------------------------------------


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
