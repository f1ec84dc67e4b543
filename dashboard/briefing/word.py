"""The pack as a Word document (python-docx), for staff who finish a 简报 in Word or WPS: the
outline the PDF prints (dashboard/briefing/outline.py) as real Word headings (Heading 1/2, so the
navigation pane and a table of contents work), tables and pictures. Named word, not docx, so it
never shadows the library it imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dashboard.briefing.content import BriefData
from dashboard.briefing.images import CHART_WIDTH
from dashboard.briefing.outline import Block, appendix, body, cover
from dashboard.briefing.printed import Color

DOCX_FONT = "Microsoft YaHei"  # as the deck: the font officials' Windows and WPS machines have
RED = (170, 20, 20)
GREY = (100, 100, 100)


def write_docx(data: BriefData, pngs: dict[str, Path], path: Path) -> None:
    """The outline as an A4 .docx; `pngs` maps a section's key to its chart."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt, RGBColor

    doc = Document()
    section = doc.sections[0]
    section.page_width, section.page_height = Cm(21), Cm(29.7)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    section.top_margin = section.bottom_margin = Cm(1.6)

    def east_asian(style_or_run: Any) -> None:
        """One font for Latin and Chinese text (w:rFonts w:eastAsia as well as w:ascii)."""
        style_or_run.font.name = DOCX_FONT
        r_pr = style_or_run.element.get_or_add_rPr()
        fonts = r_pr.get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), DOCX_FONT)

    for name in ("Normal", "Title", "Heading 1", "Heading 2"):
        east_asian(doc.styles[name])
    doc.styles["Normal"].font.size = Pt(10.5)

    def run(paragraph: Any, text: str, size: float, bold: bool = False, color: Color | None = None):
        r = paragraph.add_run(text)
        r.font.size = Pt(size)
        r.font.bold = bold
        if color is not None:
            r.font.color.rgb = RGBColor(*color)
        east_asian(r)
        return r

    head = cover(data)
    title = doc.add_heading(level=0)
    title.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(title, head.title, 20, True, RED)
    quarter = doc.add_paragraph()
    quarter.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run(quarter, head.quarter, 14, True, RED)
    issued = doc.add_paragraph()
    run(issued, head.issuer, 10.5)
    run(issued, "\t" + head.issued, 10.5)
    issued.paragraph_format.tab_stops.add_tab_stop(Cm(17.4), alignment=2)  # right-aligned
    run(doc.add_paragraph(), head.period, 9, color=GREY)
    for statement in head.statements:
        p = doc.add_paragraph()
        run(p, statement, 9.5, color=(150, 90, 0))

    def table(block: Block) -> None:
        rows = block.rows
        grid = doc.add_table(rows=len(rows), cols=len(rows[0]))
        grid.style = "Light List Accent 1"
        total = sum(block.widths)
        for c, w in enumerate(block.widths):
            for cell in grid.columns[c].cells:
                cell.width = Cm(17.4 * w / total)
        for c, span in enumerate(block.spans):  # a header cell over several columns
            if span > 1:
                grid.cell(0, c).merge(grid.cell(0, c + span - 1))
        for r, cells in enumerate(rows):
            colors = block.colors[r] if block.colors else [None] * len(cells)
            spans = block.spans if r == 0 and block.spans else (1,) * len(cells)
            for c, (text, color, span) in enumerate(zip(cells, colors, spans, strict=True)):
                if not span:
                    continue
                paragraph = grid.cell(r, c).paragraphs[0]
                if span > 1:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
                elif c:
                    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
                bold = r < block.heading_rows
                run(paragraph, text, min(9, block.size), bold=bold, color=color)
        doc.add_paragraph()

    def render(blocks: list[Block]) -> None:
        for block in blocks:
            if block.kind == "heading":
                heading = doc.add_heading(level=block.level)
                run(heading, block.text, 14 if block.level == 1 else 12, True, (20, 40, 80))
            elif block.kind == "paragraph":
                run(doc.add_paragraph(), block.text, 10.5)
            elif block.kind == "note":
                run(doc.add_paragraph(), block.text, 8, color=GREY)
            elif block.kind == "table":
                table(block)
            elif block.kind == "chart" and block.chart in pngs:
                wide = 15 * (block.chart_size[0] / CHART_WIDTH if block.chart_size else 1)
                doc.add_picture(str(pngs[block.chart]), width=Cm(wide))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER

    render(body(data))
    doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    render(appendix(data))
    doc.core_properties.title = f"{data.title} {data.quarter_name}"
    doc.core_properties.author = data.issuer
    doc.save(str(path))
