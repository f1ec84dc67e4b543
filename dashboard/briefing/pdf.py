"""The pack as a PDF: cover, summary, one page per section, notes; A4 portrait with Noto Sans
CJK SC embedded (fpdf2), so Chinese prints on any machine."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from dashboard.briefing.content import (
    BriefData,
    Metric,
    load_lines,
    quarter_name,
    sources,
    table_rows,
)
from dashboard.briefing.images import CHART_HEIGHT, CHART_WIDTH
from dashboard.briefing.printed import NEUTRAL, Color, change_color
from dashboard.i18n import t
from etl.errors import IpgovError
from etl.kpis import KPI_KEYS

FONT_MISSING = "the PDF needs the Noto Sans CJK font: apt-get install -y fonts-noto-cjk"
FONT_DIRS = (
    Path("/usr/share/fonts/opentype/noto"),  # Debian, Ubuntu (fonts-noto-cjk)
    Path("/usr/share/fonts/noto-cjk"),  # Arch
    Path("/usr/share/fonts/google-noto-cjk"),  # Fedora
)
NOTO_SC_INDEX = 2  # NotoSansCJK-*.ttc holds JP, KR, SC, TC, HK in this order


def _cjk_fonts() -> tuple[Path, Path]:
    for folder in FONT_DIRS:
        regular, bold = folder / "NotoSansCJK-Regular.ttc", folder / "NotoSansCJK-Bold.ttc"
        if regular.is_file():
            return regular, bold if bold.is_file() else regular
    raise IpgovError(FONT_MISSING)


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
        paragraph(sources(data, section, index), size=8, color=NEUTRAL)

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
    for line in load_lines(data):
        paragraph(line, size=8.5)
    pdf.output(str(path))
