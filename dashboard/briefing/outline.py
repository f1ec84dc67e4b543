"""The pack as one outline of blocks — cover, headings, paragraphs, tables, charts, appendix —
that the PDF and the Word document both render, so the two never say different things; the
deck takes the same pieces slide by slide.

Order (issue 17): the cover block (title, quarter, issuer, date issued, period and data
cut-off, statements), the quarter at a glance with the headline table, progress against the
targets, the preparer's narrative (成效 / 存在问题 / 下步工作), one part per area with records
(sentences and chart), and the appendix (definitions, data cut-off and snapshot, loads, queries).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from dashboard.briefing.comparison import CHART_SIZE as COMPARE_CHART_SIZE
from dashboard.briefing.comparison import Comparison
from dashboard.briefing.content import (
    BriefData,
    Metric,
    change_columns,
    cut_off_line,
    date_name,
    load_lines,
    overview_sentence,
    quarter_name,
    query_lines,
    table_rows,
    target_rows,
    target_sentence,
)
from dashboard.briefing.printed import BAD, GOOD, NEUTRAL, Color, change_color
from dashboard.i18n import t
from etl.appdb import NARRATIVE_FIELDS
from etl.kpis import KPI_KEYS

NUMERALS_ZH = "一二三四五六七八九十"


@dataclass(frozen=True)
class Block:
    """One piece of the document. kind: heading (level 1 or 2), paragraph, note (small, grey),
    table (rows, the first the header; colours per cell), chart (a section's key)."""

    kind: str
    text: str = ""
    level: int = 1
    rows: list[list[str]] = field(default_factory=list)
    colors: list[list[Color | None]] = field(default_factory=list)
    widths: tuple[float, ...] = ()  # relative column widths
    numeric: bool = True  # columns after the first right-aligned (numbers); False: all left
    chart: str = ""
    keep: bool = False  # a heading: keep everything up to the next heading with it on one page
    size: float = 8.5  # a table's text size (pt)
    heading_rows: int = 1  # a table's header rows (bold, repeated on a new page)
    spans: tuple[int, ...] = ()  # the first row's cells: columns each spans (0: covered)
    chart_size: tuple[int, int] = ()  # a chart's layout size in px, when not an area chart's


@dataclass(frozen=True)
class Cover:
    title: str
    quarter: str
    issuer: str
    issued: str
    period: str
    statements: list[str]


def cover(data: BriefData) -> Cover:
    return Cover(
        title=data.title,
        quarter=data.quarter_name,
        issuer=data.issuer,
        issued=t("brief_issued", data.lang, date=date_name(data.issued, data.lang)),
        period=cut_off_line(data),
        statements=data.statements,
    )


def numbered(n: int, text: str, lang: str) -> str:
    """'一、总体情况' / '1. At a glance'."""
    return f"{NUMERALS_ZH[n - 1]}、{text}" if lang == "zh" else f"{n}. {text}"


def sub_numbered(n: int, text: str, lang: str) -> str:
    """'（一）成效' / 'Achievements'."""
    return f"（{NUMERALS_ZH[n - 1]}）{text}" if lang == "zh" else text


def metrics_table(data: BriefData, metrics: list[Metric]) -> Block:
    """A KPI table with the changes coloured better / worse."""
    rows = table_rows(data, metrics)
    changes = change_columns(rows, data.lang)
    colors: list[list[Color | None]] = [[None] * len(rows[0])]
    for m in metrics:
        line: list[Color | None] = [None] * len(rows[0])
        for column, against in changes.items():
            before = m.previous if against == "previous" else m.year_before
            line[column] = change_color(m.key, m.now, before)
        colors.append(line)
    widths = (46, 19, 19, 38, 19, 38)[: len(rows[0])]
    return Block("table", rows=rows, colors=colors, widths=widths)


def targets_table(data: BriefData) -> Block:
    rows = target_rows(data)
    tone = {"ok": GOOD, "watch": (180, 110, 0), "alert": BAD}
    colors: list[list[Color | None]] = [[None] * 5]
    for row in data.targets:
        colors.append([None, None, None, None, tone.get(row.status or "", NEUTRAL)])
    return Block("table", rows=rows, colors=colors, widths=(60, 25, 25, 40, 30))


def body(data: BriefData) -> list[Block]:
    """Everything before the appendix; empty for a quarter without records (the cover says so)."""
    lang = data.lang
    if data.is_empty:
        return []
    blocks: list[Block] = []
    n = 0

    n += 1
    blocks.append(Block("heading", numbered(n, t("brief_h_overview", lang), lang)))
    said = overview_sentence(data)
    if said:
        blocks.append(Block("paragraph", said))
    blocks.append(metrics_table(data, data.headline))
    blocks.append(
        Block(
            "note",
            t(
                "brief_table_note",
                lang,
                previous=quarter_name(data.previous, lang),
                year_before=quarter_name(data.year_before, lang),
            ),
        )
    )

    if data.targets:
        n += 1
        blocks.append(Block("heading", numbered(n, t("brief_h_targets", lang), lang)))
        said = target_sentence(data)
        if said:
            blocks.append(Block("paragraph", said))
        blocks.append(targets_table(data))

    written = [f for f in NARRATIVE_FIELDS if data.narrative.get(f)]
    if written:
        n += 1
        blocks.append(Block("heading", numbered(n, t("brief_h_narrative", lang), lang)))
        for i, key in enumerate(written, start=1):
            title = t(f"brief_narrative_{key}", lang)
            blocks.append(Block("heading", sub_numbered(i, title, lang), level=2))
            for para in data.narrative[key].splitlines():
                if para.strip():
                    blocks.append(Block("paragraph", para.strip()))

    if data.typical:
        n += 1
        blocks.append(Block("heading", numbered(n, t("brief_h_typical", lang), lang)))
        for i, line in enumerate(data.typical, start=1):
            blocks.append(Block("paragraph", f"{i}. {line}"))

    n += 1
    blocks.append(Block("heading", numbered(n, t("brief_h_areas", lang), lang)))
    for i, section in enumerate(data.reported, start=1):
        blocks.append(Block("heading", sub_numbered(i, section.title, lang), level=2))
        blocks.append(
            Block(
                "paragraph",
                "".join(section.sentences) if lang == "zh" else " ".join(section.sentences),
            )
        )
        if section.figure is not None:
            blocks.append(Block("chart", chart=section.spec.key))
    if data.comparison is not None:
        n += 1
        blocks += comparison_blocks(data.comparison, numbered(n, data.comparison.title, lang))
    return blocks


COMPARISON_KEY = "comparison"  # the comparison chart's key among the pack's PNGs


def comparison_blocks(found: Comparison, heading: str) -> list[Block]:
    """The one comparison (issue 16): a sentence on who leads, the table — each side's value and
    its change, ranked where the Compare page ranks — a note on what is compared, the chart.
    Kept on one page."""
    blocks = [Block("heading", heading, keep=True)]
    blocks += [Block("paragraph", said) for said in found.sentences]
    if found.columns:
        # the widest change (−12.3个百分点) and value (200.24万元, ¥1,485,514) fit at 7.5 pt
        widths = (26.0,) + (17.5, 20.5) * len(found.columns)
        blocks.append(
            Block(
                "table",
                rows=found.rows(),
                colors=found.colors(),
                widths=widths,
                size=7.5,
                heading_rows=2,
                spans=found.spans,
            )
        )
    blocks.append(Block("note", found.note))
    if found.figure is not None:
        blocks.append(Block("chart", chart=COMPARISON_KEY, chart_size=COMPARE_CHART_SIZE))
    return blocks


def appendix(data: BriefData) -> list[Block]:
    """Definitions, the data cut-off and snapshot, the loads and the queries: the only place
    snapshot ids, load ids and query names appear."""
    lang = data.lang
    blocks = [Block("heading", t("brief_h_appendix", lang))]
    blocks.append(Block("paragraph", t("brief_method", lang)))
    blocks.append(Block("heading", t("brief_definitions", lang), level=2))
    rows = [[t("brief_kpi", lang), t("brief_definitions", lang)]]
    rows += [[t(k, lang), t(f"brief_def_{k}", lang)] for k in KPI_KEYS]
    blocks.append(Block("table", rows=rows, widths=(45, 135), numeric=False))
    blocks.append(Block("heading", t("brief_cut_off_heading", lang), level=2))
    if data.span:
        blocks.append(
            Block(
                "note",
                t(
                    "brief_span",
                    lang,
                    quarter=data.quarter_name,
                    cut_off=date_name(data.cut_off, lang) if data.cut_off else "—",
                    first=data.span[0].isoformat(),
                    last=data.span[1].isoformat(),
                    snapshot=data.snapshot,
                ),
            )
        )
    blocks.append(Block("heading", t("brief_loads", lang), level=2))
    blocks += [Block("note", line) for line in load_lines(data)]
    lines = query_lines(data)
    if lines:
        blocks.append(Block("heading", t("brief_queries", lang), level=2))
        blocks += [Block("note", line) for line in lines]
    return blocks
