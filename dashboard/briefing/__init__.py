"""The quarterly briefing pack (issue 6): one quarter's numbers and charts as a PDF, a PPTX deck,
PNG/SVG charts and CSV, for `ipgov brief` and the dashboard's Quarterly briefing page.

One job per module:
- `content`: the sections, numbers, sentences and figures, read through the query core
  (`dashboard.core`, the reads the pages make, without Streamlit) and charts only from the
  dashboard's builders (`dashboard.charts`), so the pack shows what the dashboard shows;
- `printed`: numbers and changes as printed, and their colours;
- `images`: chart export (kaleido + the system Chromium);
- `outline`: the document as blocks, which the PDF and the Word document both render;
- `fonts`: the CJK font, found before any work starts;
- `pdf`, `word`, `deck`, `numbers_csv`: one writer per format;
- `narrative`: the preparer's 成效 / 存在问题 / 下步工作, saved per quarter and audited;
- `comparison`: the one comparison (issue 16), read like the Compare page, as a section;
- `pack`: `build_brief`, which runs them into a folder.
No Streamlit anywhere here: the page previews `collect()` and calls `build_brief()` like the CLI.
See docs/briefing.md.
"""

from __future__ import annotations

from dashboard.briefing import narrative
from dashboard.briefing.content import (
    SECTIONS,
    TREND_GRAIN,
    TREND_QUARTERS,
    BriefData,
    Metric,
    Section,
    SectionSpec,
    TargetRow,
    collect,
    cut_off_line,
    file_stem,
    overview_sentence,
    quarter_name,
    sentence,
    table_rows,
    target_rows,
    target_sentence,
    typical_options,
)
from dashboard.briefing.deck import write_pptx
from dashboard.briefing.fonts import FONT_MISSING
from dashboard.briefing.images import (
    CHART_HEIGHT,
    CHART_SCALE,
    CHART_WIDTH,
    CHROMIUM_MISSING,
    chromium_path,
    export_charts,
)
from dashboard.briefing.narrative import NARRATIVE_FIELDS
from dashboard.briefing.numbers_csv import CSV_COLUMNS, write_numbers_csv
from dashboard.briefing.pack import FORMATS, BriefResult, build_brief, default_out, parse_formats
from dashboard.briefing.pdf import write_pdf
from dashboard.briefing.printed import (
    BAD,
    GOOD,
    NEUTRAL,
    change_color,
    format_change,
    format_value,
)
from dashboard.briefing.word import write_docx

__all__ = [
    "BAD",
    "CHART_HEIGHT",
    "CHART_SCALE",
    "CHART_WIDTH",
    "CHROMIUM_MISSING",
    "CSV_COLUMNS",
    "FONT_MISSING",
    "FORMATS",
    "GOOD",
    "NARRATIVE_FIELDS",
    "NEUTRAL",
    "SECTIONS",
    "TREND_GRAIN",
    "TREND_QUARTERS",
    "BriefData",
    "BriefResult",
    "Metric",
    "Section",
    "SectionSpec",
    "TargetRow",
    "build_brief",
    "change_color",
    "chromium_path",
    "collect",
    "cut_off_line",
    "default_out",
    "export_charts",
    "file_stem",
    "format_change",
    "format_value",
    "narrative",
    "overview_sentence",
    "parse_formats",
    "quarter_name",
    "sentence",
    "table_rows",
    "target_rows",
    "target_sentence",
    "typical_options",
    "write_docx",
    "write_numbers_csv",
    "write_pdf",
    "write_pptx",
]
