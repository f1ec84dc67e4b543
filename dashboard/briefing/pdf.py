"""The pack as a PDF: the outline (dashboard/briefing/outline.py) on A4 portrait with Noto Sans
CJK SC embedded (fpdf2), so Chinese prints on any machine. Pages flow: the cover block and the
headline table share page 1, areas follow without a page each, a chart never splits from its
heading; the appendix starts a page of its own."""

from __future__ import annotations

import re
from pathlib import Path

from dashboard.briefing.content import BriefData
from dashboard.briefing.fonts import NOTO_SC_INDEX, cjk_fonts
from dashboard.briefing.images import CHART_HEIGHT, CHART_WIDTH
from dashboard.briefing.outline import Block, appendix, body, cover
from dashboard.i18n import t

INK = (20, 40, 80)
RED = (170, 20, 20)  # the masthead's colour, as on an office's printed 简报
GREY = (100, 100, 100)
CHART_MM = 132  # chart width on the page; two areas with their charts fit a page
MARGIN = 18
CELL_ROOM = 2 * 1.2 + 0.6  # a table cell's padding on both sides, and a little to spare
# Line breaking as Chinese typesetting does it (禁则): a closing mark never starts a line and an
# opening one never ends it, and a number, a percentage or a Latin word is never cut in two, so
# no lone "。" or "）" and no "2\n00.24万元" (fpdf2's CHAR wrap breaks anywhere).
CLOSING = set("，。、；：！？）》」』”’%％)]},.;:!?")
OPENING = set("（《「『“‘([{")
_TOKEN = re.compile(r"[A-Za-z0-9.,%+\-−:/_'’¥]+|\s+|.", re.S)


def tokens(text: str) -> list[str]:
    """Pieces a line may break between."""
    out: list[str] = []
    for piece in _TOKEN.findall(text):
        if out and (piece[0] in CLOSING or out[-1][-1] in OPENING):
            out[-1] += piece
        else:
            out.append(piece)
    return out


def wrap(measure, text: str, width: float) -> str:
    """`text` with line breaks where it must wrap in `width` (measured by `measure`)."""
    lines = []
    for paragraph in text.split("\n"):
        current = ""
        for piece in tokens(paragraph):
            if current and measure(current + piece) > width:
                lines.append(current.rstrip())
                current = piece.lstrip()
            else:
                current += piece
        lines.append(current)
    return "\n".join(lines)


def write_pdf(data: BriefData, pngs: dict[str, Path], path: Path) -> None:
    """The outline as an A4 PDF; `pngs` maps a section's key to its chart."""
    from fpdf import FPDF
    from fpdf.fonts import FontFace

    regular, bold = cjk_fonts()
    lang = data.lang
    running = t("brief_page_header", lang, title=data.title, quarter=data.quarter_name)

    class Pack(FPDF):
        def header(self) -> None:
            if self.page_no() == 1:
                return
            self.set_font("cjk", size=8)
            self.set_text_color(*GREY)
            self.cell(0, 5, running, align="R", new_x="LMARGIN", new_y="NEXT")
            self.set_draw_color(*GREY)
            self.line(MARGIN, self.get_y(), self.w - MARGIN, self.get_y())
            self.ln(4)

        def footer(self) -> None:
            self.set_y(-12)
            self.set_font("cjk", size=9)
            self.set_text_color(*GREY)
            self.cell(0, 6, t("brief_page_footer", lang, n=self.page_no()), align="C")

    pdf = Pack(orientation="P", unit="mm", format="A4")
    pdf.set_margins(MARGIN, 14, MARGIN)
    pdf.set_auto_page_break(True, margin=16)
    pdf.add_font("cjk", "", str(regular), collection_font_number=NOTO_SC_INDEX)
    pdf.add_font("cjk", "B", str(bold), collection_font_number=NOTO_SC_INDEX)
    pdf.set_title(f"{data.title} {data.quarter_name}")
    pdf.set_author(data.issuer)
    pdf.set_lang("zh-CN" if lang == "zh" else "en")
    width = pdf.w - 2 * MARGIN

    def text(body_text: str, size: float, color=(0, 0, 0), style: str = "", align: str = "L"):
        pdf.set_font("cjk", style, size)
        pdf.set_text_color(*color)
        lines = wrap(pdf.get_string_width, body_text, width - 2 * pdf.c_margin - 0.5)
        pdf.multi_cell(0, size * 0.6, lines, align=align, new_x="LMARGIN", new_y="NEXT")
        pdf.set_text_color(0, 0, 0)

    def lines_high(body_text: str, size: float) -> float:
        """The height `text` will take at `size`."""
        pdf.set_font("cjk", "", size)
        wrapped = wrap(pdf.get_string_width, body_text, width - 2 * pdf.c_margin - 0.5)
        return (wrapped.count("\n") + 1) * size * 0.6

    def room(mm: float) -> None:
        """A new page unless `mm` more fit on this one."""
        if pdf.get_y() + mm > pdf.h - 17:
            pdf.add_page()

    def table_high(block: Block) -> float:
        """About the height `table` will take: each row as high as its most wrapped cell."""
        scale = width / sum(block.widths)
        total = 2.0
        for r, cells in enumerate(block.rows):
            pdf.set_font("cjk", "B" if r < block.heading_rows else "", block.size)
            lines = max(
                wrap(pdf.get_string_width, cell, w * scale - CELL_ROOM).count("\n") + 1
                for cell, w in spanned(block, r, cells)
            )
            total += lines * block.size * 0.54 + 1.6
        return total

    def chart_mm(block: Block) -> tuple[float, float]:
        """A chart's printed width and height: an area's CHART_MM wide, a smaller layout at
        the same scale (its text as large)."""
        px_wide, px_high = block.chart_size or (CHART_WIDTH, CHART_HEIGHT)
        return CHART_MM * px_wide / CHART_WIDTH, CHART_MM * px_high / CHART_WIDTH

    def chart_high(block: Block) -> float:
        return chart_mm(block)[1]

    def section_high(blocks: list[Block]) -> float:
        """The height of the blocks up to the next heading of level 1: a section kept whole."""
        need = 12.0
        for b in blocks:
            if b.kind == "heading" and b.level == 1:
                break
            if b.kind == "paragraph":
                need += lines_high(b.text, 10.5) + 1.5
            elif b.kind == "note":
                need += lines_high(b.text, 8) + 1
            elif b.kind == "table":
                need += table_high(b)
            elif b.kind == "chart":
                need += chart_high(b) + 2
            else:
                need += 10
        return need

    def spanned(block: Block, r: int, cells: list[str]) -> list[tuple[str, float]]:
        """A row's cells and their widths, a cell spanning columns as wide as they are."""
        spans = block.spans if r == 0 and block.spans else (1,) * len(cells)
        out = []
        for c, (cell, span) in enumerate(zip(cells, spans, strict=True)):
            if span:
                out.append((cell, sum(block.widths[c : c + span])))
        return out

    def table(block: Block) -> None:
        scale = width / sum(block.widths)
        pdf.set_font("cjk", "", block.size)
        pdf.set_draw_color(180, 180, 180)
        align = ["LEFT"] + ["RIGHT" if block.numeric else "LEFT"] * (len(block.rows[0]) - 1)
        with pdf.table(
            col_widths=tuple(w * scale for w in block.widths),
            text_align=tuple(align),
            line_height=block.size * 0.54,
            headings_style=FontFace(emphasis="BOLD", fill_color=(228, 234, 244)),
            borders_layout="HORIZONTAL_LINES",
            padding=(0.8, 1.2),
            num_heading_rows=block.heading_rows,
            wrapmode="CHAR" if lang == "zh" else "WORD",
        ) as tbl:
            for r, cells in enumerate(block.rows):
                row = tbl.row()
                colors = block.colors[r] if block.colors else [None] * len(cells)
                pdf.set_font("cjk", "B" if r < block.heading_rows else "", block.size)
                spans = block.spans if r == 0 and block.spans else (1,) * len(cells)
                for c, (cell, color, span) in enumerate(zip(cells, colors, spans, strict=True)):
                    if not span:
                        continue  # covered by the cell before it
                    # broken here by the line-breaking rules, not by fpdf2 anywhere in a word
                    w = sum(block.widths[c : c + span])
                    text = wrap(pdf.get_string_width, cell, w * scale - CELL_ROOM)
                    style = FontFace(color=color) if color else None
                    if span > 1:
                        row.cell(text, style=style, colspan=span, align="CENTER")
                    else:
                        row.cell(text, style=style)
        pdf.ln(2)

    def render(blocks: list[Block]) -> None:
        for i, block in enumerate(blocks):
            if block.kind == "heading":
                # keep a heading with what follows it: an area's sentences and its chart
                # together (measured), anything else with its first lines
                ahead = blocks[i + 1 : i + 4]
                kinds = [b.kind for b in ahead]
                if block.keep:
                    room(section_high(blocks[i + 1 :]))
                elif "chart" in kinds and kinds.index("chart") <= 2:
                    need = 10 + CHART_MM * CHART_HEIGHT / CHART_WIDTH
                    for b in ahead[: kinds.index("chart")]:
                        need += lines_high(b.text, 10.5) + 1.5 if b.kind == "paragraph" else 10
                    room(need)
                else:
                    room(25)
                pdf.ln(2 if block.level == 1 else 1)
                text(block.text, 13 if block.level == 1 else 11, INK, "B")
                pdf.ln(1)
            elif block.kind == "paragraph":
                text(block.text, 10.5)
                pdf.ln(1.5)
            elif block.kind == "note":
                text(block.text, 8, GREY)
                pdf.ln(1)
            elif block.kind == "table":
                table(block)
            elif block.kind == "chart":
                png = pngs.get(block.chart)
                if png is not None:
                    wide, height = chart_mm(block)
                    room(height)
                    pdf.image(str(png), x=(pdf.w - wide) / 2, w=wide, h=height)
                    pdf.ln(2)

    # the cover block: masthead, quarter, issuer and date, a red rule, period and cut-off
    head = cover(data)
    pdf.add_page()
    pdf.set_y(16)
    text(head.title, 20, RED, "B", align="C")
    pdf.ln(1)
    text(head.quarter, 14, RED, "B", align="C")
    pdf.ln(3)
    pdf.set_font("cjk", "", 10.5)
    y = pdf.get_y()
    pdf.cell(width / 2, 6, head.issuer, align="L")
    pdf.set_xy(MARGIN + width / 2, y)
    pdf.cell(width / 2, 6, head.issued, align="R", new_x="LMARGIN", new_y="NEXT")
    pdf.set_draw_color(*RED)
    pdf.set_line_width(0.8)
    pdf.line(MARGIN, pdf.get_y() + 1, pdf.w - MARGIN, pdf.get_y() + 1)
    pdf.set_line_width(0.2)
    pdf.ln(4)
    text(head.period, 9, GREY)
    pdf.ln(2)
    if head.statements:
        pdf.set_fill_color(255, 244, 214)
        pdf.set_font("cjk", "", 9.5)
        for statement in head.statements:
            lines = wrap(pdf.get_string_width, statement, width - 2 * pdf.c_margin - 3.5)
            pdf.multi_cell(0, 5.5, lines, fill=True, padding=1.5, new_x="LMARGIN", new_y="NEXT")
            pdf.ln(1)
    render(body(data))
    pdf.add_page()
    render(appendix(data))
    pdf.output(str(path))
