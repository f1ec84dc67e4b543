"""The pack as a 16:9 PPTX deck (python-pptx): the PDF's sections as editable text and tables,
one chart per slide. Named deck, not pptx, so it never shadows the library it imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dashboard.briefing.content import BriefData
from dashboard.briefing.outline import (
    COMPARISON_KEY,
    Block,
    appendix,
    comparison_blocks,
    cover,
    metrics_table,
    targets_table,
)
from dashboard.briefing.printed import NEUTRAL, Color, change_color, format_change, format_value
from dashboard.i18n import t
from etl.appdb import NARRATIVE_FIELDS

PPTX_FONT = "Microsoft YaHei"  # the deck is edited on officials' Windows/WPS machines
Line = tuple[str, float, bool, Color | None]  # text, size in pt, bold, colour (PPTX text boxes)


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

    def table_slide(slide: Any, block: Block, top: float, size: float = 12) -> None:
        rows = block.rows
        shape = slide.shapes.add_table(
            len(rows), len(rows[0]), Inches(0.5), Inches(top), Inches(12.3),
            Inches(0.33 * len(rows)),
        )  # fmt: skip
        total = sum(block.widths)
        for col, width in enumerate(block.widths):
            shape.table.columns[col].width = Inches(12.3 * width / total)
        for c, span in enumerate(block.spans):  # a header cell over several columns
            if span > 1:
                shape.table.cell(0, c).merge(shape.table.cell(0, c + span - 1))
        for r, texts in enumerate(rows):
            spans = block.spans if r == 0 and block.spans else (1,) * len(texts)
            for c, text in enumerate(texts):
                if not spans[c]:
                    continue
                cell = shape.table.cell(r, c)
                cell.text = text
                cell.margin_top = cell.margin_bottom = Inches(0.02)
                color = block.colors[r][c] if block.colors else None
                # the headline table's first value column bold; a comparison's header only
                bold = r < block.heading_rows or (c == 1 and not block.spans)
                style(cell.text_frame, size, bold=bold, color=color)

    # cover
    head = cover(data)
    slide = deck.slides.add_slide(title_layout)
    slide.shapes.title.left, slide.shapes.title.top = Inches(0.8), Inches(1.6)
    slide.shapes.title.width, slide.shapes.title.height = Inches(11.7), Inches(1.9)
    slide.shapes.title.text = f"{head.title}\n{head.quarter}"
    style(slide.shapes.title.text_frame, 36, bold=True, color=(170, 20, 20))
    subtitle = slide.placeholders[1]
    subtitle.left, subtitle.top = Inches(0.8), Inches(3.8)
    subtitle.width, subtitle.height = Inches(11.7), Inches(3.2)
    subtitle.text = "\n".join([f"{head.issuer}　{head.issued}", head.period, *head.statements])
    style(subtitle.text_frame, 16, color=(60, 60, 60))

    if not data.is_empty:
        slide = titled(t("brief_h_overview", lang))
        table_slide(slide, metrics_table(data, data.headline), 1.3, 12)
        slide.notes_slide.notes_text_frame.text = t(
            "brief_table_note", lang, previous=data.previous.label,
            year_before=data.year_before.label,
        )  # fmt: skip
    if data.targets:
        slide = titled(t("brief_h_targets", lang))
        table_slide(slide, targets_table(data), 1.4, 16)
    written = [f for f in NARRATIVE_FIELDS if data.narrative.get(f)]
    if written:
        slide = titled(t("brief_h_narrative", lang))
        frame = text_box(slide, 0.5, 1.3, 12.3, 5.9)
        lines: list[Line] = []
        for key in written:
            lines.append((t(f"brief_narrative_{key}", lang), 16, True, (20, 40, 80)))
            lines += [(p, 14, False, None) for p in data.narrative[key].splitlines() if p.strip()]
        add_lines(frame, lines)

    if data.typical:
        slide = titled(t("brief_h_typical", lang))
        frame = text_box(slide, 0.5, 1.3, 12.3, 5.9)
        add_lines(frame, [(f"{i}. {x}", 14, False, None) for i, x in enumerate(data.typical, 1)])

    # one slide per area with records
    for index, section in enumerate(data.reported, start=1):
        slide = titled(f"{index}. {section.title}")
        png = pngs.get(section.spec.key)
        if section.figure is not None and png is not None:
            slide.shapes.add_picture(str(png), Inches(0.4), Inches(1.25), width=Inches(8.3))
        tiles = text_box(slide, 8.9, 1.25, 4.1, 4.7)
        lines = []
        for m in section.metrics:
            change = format_change(m.key, m.now, m.previous, lang)
            lines.append((m.label, 11, False, NEUTRAL))
            lines.append((format_value(m.key, m.now, lang), 20, True, (20, 40, 80)))
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
        slide.notes_slide.notes_text_frame.text = "\n".join(section.sentences)

    # the one comparison (issue 16): its table, the sentence and note, its chart
    found = data.comparison
    if found is not None:
        slide = titled(found.title)
        blocks = comparison_blocks(found, found.title)
        grid = next((b for b in blocks if b.kind == "table"), None)
        if grid is not None:
            table_slide(slide, grid, 1.25, 9)
        said = [(x, 14, False, None) for x in found.sentences]
        add_lines(text_box(slide, 0.5, 5.3, 6.6, 1.0), said)
        add_lines(text_box(slide, 0.5, 6.4, 6.6, 0.9), [(found.note, 10, False, NEUTRAL)])
        png = pngs.get(COMPARISON_KEY)
        if png is not None:
            slide.shapes.add_picture(str(png), Inches(7.3), Inches(5.25), width=Inches(5.5))
        slide.notes_slide.notes_text_frame.text = "\n".join([*found.sentences, found.note])

    # appendix: definitions, cut-off and snapshot, loads, queries
    slide = titled(t("brief_h_appendix", lang))
    frame = text_box(slide, 0.5, 1.2, 12.3, 6.0)
    lines = []
    for block in appendix(data)[1:]:
        if block.kind == "table":
            lines += [
                (f"{a}：{b}" if lang == "zh" else f"{a}: {b}", 9, False, None)
                for a, b in block.rows[1:]
            ]
        else:
            bold = block.kind == "heading"
            lines.append((block.text, 12 if bold else 9, bold, None))
    add_lines(frame, lines)
    deck.save(str(path))
