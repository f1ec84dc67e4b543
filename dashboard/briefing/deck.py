"""The pack as a 16:9 PPTX deck (python-pptx): the PDF's sections as editable text and tables,
one chart per slide. Named deck, not pptx, so it never shadows the library it imports."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from dashboard.briefing.content import BriefData, load_lines, quarter_name, sources, table_rows
from dashboard.briefing.printed import NEUTRAL, Color, change_color, format_change, format_value
from dashboard.i18n import t
from etl.kpis import KPI_KEYS

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
            [*section.sentences, sources(data, section, index)]
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
    lines += [(line, 10, False, None) for line in load_lines(data)]
    add_lines(frame, lines)
    deck.save(str(path))
