"""The quarterly briefing pack (issue 6): the PDF, PPTX, charts and CSV for a sample quarter hold
the same numbers as `ipgov kpis`; empty, partial and first quarters are stated, not errors.

Each pack is built once per module (chart export runs Chromium for a few seconds)."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
import shutil
import struct
import subprocess
import xml.etree.ElementTree as ET
from decimal import Decimal
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from dashboard import briefing
from dashboard.cli import app
from dashboard.i18n import t
from etl import kpis, settings, warehouse
from etl.errors import IpgovError
from etl.load import load
from etl.periods import parse_quarter
from tests.conftest import TODAY

QUARTER = parse_quarter("2024Q3")
DISTRICT, ISSUER = "花都区", "花都区知识产权快速维权中心"
NARRATIVE = {
    "achievements": "与天猫建立快速下架绿色通道，两个工作日内下架占比明显提高。",
    "problems": "京东平台下架时效变慢，个别通知超过八个工作日。",
    "next_steps": "约谈京东平台，推动下架流程提速。",
}
MAX_PAGES_BEFORE_APPENDIX = 4
PNG_SIZE = (
    briefing.CHART_WIDTH * briefing.CHART_SCALE,
    briefing.CHART_HEIGHT * briefing.CHART_SCALE,
)
MONTHS_EN = re.compile(r"\b(Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Sept|Oct|Nov|Dec)[a-z]*\b")


def pdf_text(path: Path) -> str:
    """The PDF's text, pages separated by form feeds: pdftotext (one table cell per line) if
    installed, else pypdf (which reads fpdf2's embedded CMap as two bytes a character)."""
    if shutil.which("pdftotext"):
        return subprocess.run(
            ["pdftotext", str(path), "-"], capture_output=True, text=True, check=True
        ).stdout
    pages = (page.extract_text().replace("\x00", "") for page in PdfReader(path).pages)
    return "\f".join(pages)


def squeeze(text: str) -> str:
    """Without whitespace: table cells may wrap over two lines."""
    return re.sub(r"\s+", "", text)


def pdf_pages(path: Path) -> list[str]:
    pages = [squeeze(page) for page in pdf_text(path).split("\f")]
    assert len(PdfReader(path).pages) == len([p for p in pages if p])
    return [p for p in pages if p]


def headline_of(paths: warehouse.WarehousePaths, quarter) -> dict:
    with warehouse.read_snapshot(paths) as con:
        return kpis.headline(con, quarter)


def docx_text(path: Path) -> tuple[list[tuple[str, str]], list[list[list[str]]]]:
    """(style, text) of every paragraph, and every table as rows of cell texts."""
    from docx import Document

    doc = Document(str(path))
    paragraphs = [(p.style.name, p.text) for p in doc.paragraphs]
    tables = [[[c.text for c in row.cells] for row in tbl.rows] for tbl in doc.tables]
    return paragraphs, tables


def pptx_text(path: Path) -> str:
    from pptx import Presentation

    texts = []
    for slide in Presentation(str(path)).slides:
        for shape in slide.shapes:
            if shape.has_text_frame:
                texts.append(shape.text_frame.text)
            if getattr(shape, "has_table", False) and shape.has_table:
                texts += [c.text for row in shape.table.rows for c in row.cells]
    return "\n".join(texts)


def appendix_page(pages: list[str], lang: str) -> int:
    """The index of the page the appendix starts on."""
    heading = squeeze(t("brief_h_appendix", lang))
    return next(i for i, page in enumerate(pages) if page.startswith(heading) or heading in page)


def typical_picks(paths: warehouse.WarehousePaths) -> list[tuple[str, str]]:
    """Two assistance cases and the biggest fine closed in 2024Q3, as a preparer would pick."""
    with warehouse.read_snapshot(paths) as con:
        cases = con.execute(
            "select case_id from fct_cases where closed_on between ? and ? order by case_id "
            "limit 2",
            [QUARTER.start, QUARTER.end],
        ).fetchall()
        (fine,) = con.execute(
            "select enforcement_id from fct_trademark_cases where closed_on between ? and ? "
            "order by fine_yuan desc limit 1",
            [QUARTER.start, QUARTER.end],
        ).fetchone()
    return [("case", c) for (c,) in cases] + [("trademark", fine)]


@pytest.fixture(scope="module")
def pack_zh(sample_wh, tmp_path_factory, chromium) -> briefing.BriefResult:
    """The Chinese pack of 2024Q3 for 花都区, with a narrative saved for the quarter."""
    out = tmp_path_factory.mktemp("brief") / "zh"
    briefing.narrative.save(sample_wh.db, QUARTER, "zh", NARRATIVE, "test-analyst")
    briefing.narrative.save_cases(sample_wh.db, QUARTER, typical_picks(sample_wh), "test-analyst")
    with settings.overridden(district=DISTRICT, issuer=ISSUER):
        return briefing.build_brief(sample_wh.db, QUARTER, "zh", out, set(briefing.FORMATS))


@pytest.fixture(scope="module")
def pack_en(sample_wh, tmp_path_factory, chromium) -> Path:
    """The English pack through the command line (PDF and CSV only)."""
    out = tmp_path_factory.mktemp("brief") / "en"
    args = ["brief", "--quarter", "2024Q3", "--lang", "en", "--format", "pdf,csv"]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--db", str(sample_wh.db)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def partial_wh(sample_dir, tmp_path_factory) -> warehouse.WarehousePaths:
    """Takedowns only, as exported on 2024-08-09: 2024Q3 is incomplete and the first quarter on
    record (a listing removed after the export is still live in it)."""
    cutoff = "2024-08-09"
    with (sample_dir / "takedowns_2024.csv").open(encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    kept = [r for r in rows if "2024-07-01" <= r["notice_sent_at"][:10] <= cutoff]
    for row in kept:
        if row["removed_at"][:10] > cutoff:
            row["removed_at"] = ""
    folder = tmp_path_factory.mktemp("partial")
    source = folder / "in" / "takedowns.csv"
    source.parent.mkdir()
    with source.open("w", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(kept)
    summary = load([source], folder / "warehouse.duckdb", today=TODAY)
    assert not summary.rejected
    return warehouse.WarehousePaths(folder / "warehouse.duckdb")


# --- the PDF ----------------------------------------------------------------------------------


def test_pdf_cover_names_district_issuer_quarter_and_date(pack_zh):
    pdf = pack_zh.files["pdf"][0]
    assert pdf.name == "花都区-brief-2024Q3-zh.pdf"
    pages = pdf_pages(pdf)
    cover = pages[0]
    for text in (
        f"{DISTRICT}知识产权保护工作季度简报",
        ISSUER,
        "2024年第三季度",
        "数据截至2024年9月30日",  # as of the quarter, not the snapshot's 2026-09-30
        f"{dt.date.today().year}年{dt.date.today().month}月{dt.date.today().day}日",
    ):
        assert squeeze(text) in cover, text
    assert "2026-09-30" not in cover and pack_zh.data.snapshot not in cover
    # the running header of the pages after the first names the district too
    assert all(squeeze(DISTRICT) in page for page in pages[1:])


def test_pdf_is_at_most_four_pages_then_the_appendix(pack_zh):
    pages = pdf_pages(pack_zh.files["pdf"][0])
    first = appendix_page(pages, "zh")
    assert 1 <= first <= MAX_PAGES_BEFORE_APPENDIX and first == len(pages) - 1
    body, appendix = "".join(pages[:first]), pages[first]
    # query names, load ids and the snapshot only in the appendix
    assert ".sql" not in body and "kpi_headline" not in body
    assert pack_zh.data.snapshot not in body and pack_zh.data.loads["load_id"][0] not in body
    assert "kpi_headline" in appendix and pack_zh.data.snapshot in appendix
    assert pack_zh.data.loads["load_id"][0] in appendix
    assert squeeze(t("brief_definitions", "zh")) in appendix
    for spec in briefing.SECTIONS:  # every area with records, in the body
        assert squeeze(t(spec.title_key, "zh")) in body


def test_chinese_pack_has_no_sql_files_and_no_english_months(pack_zh):
    pdf = pdf_text(pack_zh.files["pdf"][0])
    paragraphs, tables = docx_text(pack_zh.files["docx"][0])
    docx = "\n".join(text for _, text in paragraphs) + str(tables)
    deck = pptx_text(pack_zh.files["pptx"][0])
    for text in (pdf, docx, deck):
        assert ".sql" not in text
        assert not MONTHS_EN.search(text), MONTHS_EN.search(text)
        # plain typography: one sign, no arrows, no doubled brackets
        assert not re.search(r"[▲▼]", text)
        assert not re.search(r"[（(][^（()）]*[（(]", text)


def test_pdf_headline_numbers_and_deltas_equal_the_kpis(pack_zh, sample_wh):
    """Page 1 shows each KPI's value, the previous quarter's, the QoQ change, the value a year
    before and the YoY change, as computed here from etl.kpis independently."""
    now = headline_of(sample_wh, QUARTER)
    before = headline_of(sample_wh, QUARTER.previous())
    year_ago = headline_of(sample_wh, QUARTER.year_before())
    summary = pdf_pages(pack_zh.files["pdf"][0])[0]
    for key in kpis.KPI_KEYS:
        cells = [
            t(key, "zh") if key != "trademark_fines_yuan" else "罚没金额",
            briefing.format_value(key, now[key], "zh"),
            briefing.format_value(key, before[key], "zh"),
            briefing.format_change(key, now[key], before[key], "zh"),
            briefing.format_value(key, year_ago[key], "zh"),
            briefing.format_change(key, now[key], year_ago[key], "zh"),
        ]
        for cell in cells:
            assert squeeze(cell) in summary, (key, cell)
    # the sample's known numbers, one sign each; 78.58% → 79.44% is +0.86 points, +0.9 (not the
    # +0.8 of the printed 78.6% and 79.4%: changes are rounded once, as on the Overview)
    for cell in ("1,241", "+44（+3.7%）", "79.4%", "+0.9个百分点", "−3（−7.9%）", "200.24万元"):
        assert squeeze(cell) in summary, cell


def test_every_headline_number_in_pdf_and_docx_equals_ipgov_kpis(pack_zh, sample_wh):
    """The headline table's "this quarter" column, read back from the PDF's text and the Word
    table, parsed as numbers, equals `ipgov kpis --quarter 2024Q3 --json`."""
    args = ["kpis", "--quarter", "2024Q3", "--json", "--db", str(sample_wh.db)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    _, tables = docx_text(pack_zh.files["docx"][0])
    headline = {row[0]: row[1] for row in tables[0][1:]}
    page = pdf_pages(pack_zh.files["pdf"][0])[0]
    for key in kpis.KPI_KEYS:
        label = t(key, "zh") if key != "trademark_fines_yuan" else "罚没金额"
        shown = headline[label]
        assert squeeze(label + shown) in page, (label, shown)
        number = float(re.sub(r"[,%万元]", "", shown))
        if shown.endswith("%"):
            number /= 100
        if shown.endswith("万元"):
            number *= 10_000
        tolerance = {"%": 0.0005, "元": 50}.get(shown[-1], 0.05)
        assert number == pytest.approx(cli[key], abs=tolerance), key


def test_targets_are_reported_with_their_status(pack_zh):
    page = pdf_pages(pack_zh.files["pdf"][0])[0]
    assert squeeze(t("brief_h_targets", "zh")) in page
    # 79.4% against the 90% promise: 10.6 points short; 85.0% of opinions against 95%
    assert squeeze("2个工作日内下架90%79.4%−10.6个百分点未达标") in page
    assert squeeze("2个工作日内出具意见95%85.0%−10.0个百分点未达标") in page


def test_narrative_is_in_every_format(pack_zh):
    pdf = squeeze(pdf_text(pack_zh.files["pdf"][0]))
    paragraphs, _ = docx_text(pack_zh.files["docx"][0])
    deck = squeeze(pptx_text(pack_zh.files["pptx"][0]))
    for field, text in NARRATIVE.items():
        heading = t(f"brief_narrative_{field}", "zh")
        assert squeeze(text) in pdf and squeeze(heading) in pdf
        assert ("Normal", text) in paragraphs
        assert any(s == "Heading 2" and heading in p for s, p in paragraphs)
        assert squeeze(text) in deck


def test_typical_cases_are_in_every_format_without_names(pack_zh, sample_wh):
    picks = typical_picks(sample_wh)
    lines = pack_zh.data.typical
    assert len(lines) == len(picks) == 3
    for (_, record_id), line in zip(picks, lines, strict=True):
        assert line.startswith(f"{record_id}：")
    assert "已移送公安机关" in lines[2] or "罚没金额" in lines[2]
    with warehouse.read_snapshot(sample_wh) as con:
        names = {
            r[0]
            for r in con.execute(
                "select complainant_enterprise from fct_cases where case_id in (?, ?)",
                [picks[0][1], picks[1][1]],
            ).fetchall()
            if r[0]
        }
    pdf = squeeze(pdf_text(pack_zh.files["pdf"][0]))
    paragraphs, _ = docx_text(pack_zh.files["docx"][0])
    deck = squeeze(pptx_text(pack_zh.files["pptx"][0]))
    assert ("Heading 1", "四、典型案例") in paragraphs
    for i, line in enumerate(lines, start=1):
        assert squeeze(line) in pdf and ("Normal", f"{i}. {line}") in paragraphs
        assert squeeze(line) in deck
        assert not any(name in line for name in names)  # no company named in the briefing


def test_docx_has_word_headings_tables_and_pictures(pack_zh):
    from docx import Document

    paragraphs, tables = docx_text(pack_zh.files["docx"][0])
    assert paragraphs[0] == ("Title", f"{DISTRICT}知识产权保护工作季度简报")
    cover = "\n".join(text for _, text in paragraphs[:6])
    assert ISSUER in cover and "2024年第三季度" in cover and pack_zh.data.snapshot not in cover
    level1 = [text for style, text in paragraphs if style == "Heading 1"]
    assert level1[:5] == [
        "一、总体情况",
        "二、目标完成情况",
        "三、工作情况",
        "四、典型案例",
        "五、分项情况",
    ]
    assert level1[-1] == t("brief_h_appendix", "zh")
    areas = [text for style, text in paragraphs if style == "Heading 2"]
    for spec in briefing.SECTIONS:
        assert any(t(spec.title_key, "zh") in a for a in areas)
    assert tables[0][0][:2] == [t("brief_kpi", "zh"), t("brief_col_now", "zh")]
    assert Document(str(pack_zh.files["docx"][0])).inline_shapes.__len__() == len(briefing.SECTIONS)


def test_pack_numbers_equal_ipgov_kpis(pack_zh, sample_wh):
    """numbers.csv (one row per number in the pack) holds what `ipgov kpis --json` prints."""
    args = ["kpis", "--quarter", "2024Q3", "--json", "--db", str(sample_wh.db)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    cli = json.loads(result.output)
    with (pack_zh.out / "numbers.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    extra = sum(len(spec.extra) for spec in briefing.SECTIONS)
    assert len(rows) == len(kpis.KPI_KEYS) + extra
    by_key = {r["key"]: r for r in rows}
    for key in kpis.KPI_KEYS:
        value, expected = by_key[key]["value"], cli[key]
        assert (float(value) if value else None) == pytest.approx(expected), key
        assert by_key[key]["previous_quarter"] == "2024Q2"
        assert by_key[key]["source"] == "kpi_headline"
    share = by_key["takedown_within_2wd_share"]
    # 78.58% → 79.44%: +0.86 points, rounded once
    assert share["shown"] == "79.4%" and float(share["qoq_change"]) == pytest.approx(0.9)


def test_sentences_state_the_change(pack_zh):
    takedowns = pack_zh.data.sections[0]
    assert takedowns.sentences[:2] == [
        "发出电商下架通知574条，比上季度增加37条（增长6.9%），比上年同期增加14条（增长2.5%）。",
        "2个工作日内下架占比79.4%，比上季度提高0.9个百分点，比上年同期提高5.3个百分点。",
    ]
    # which platform improved most and which got worse, by how much
    assert re.fullmatch(
        r"分平台看，.+改善最多，2个工作日内下架占比提高\d+\.\d个百分点；.+下滑最多，下降\d+\.\d个百分点。",
        takedowns.sentences[2],
    )
    fines = pack_zh.data.sections[3].sentences[1]
    assert fines.startswith("罚没金额200.24万元，比上季度增加73.76万元（增长58.3%）")
    text = squeeze(pdf_text(pack_zh.files["pdf"][0]))
    for section in pack_zh.data.sections:
        for sentence in section.sentences:
            assert squeeze(sentence) in text


def test_pdf_lines_never_start_with_a_closing_mark(pack_zh):
    """Chinese line breaking: no lone "。" or "）" at the start of a line, no number cut."""
    for line in pdf_text(pack_zh.files["pdf"][0]).splitlines():
        assert not re.match(r"\s*[，。、；：）%]", line), line


def test_pdf_pages_render(pack_zh, tmp_path):
    """Every page renders to an image (pdftoppm) with ink on it: what a reader would see."""
    if not shutil.which("pdftoppm"):
        pytest.skip("pdftoppm (poppler-utils) is not installed")
    pdf = pack_zh.files["pdf"][0]
    subprocess.run(["pdftoppm", "-png", "-r", "30", str(pdf), str(tmp_path / "p")], check=True)
    images = sorted(tmp_path.glob("p-*.png"))
    assert len(images) == len(PdfReader(pdf).pages)
    from PIL import Image

    for image in images:
        extrema = Image.open(image).convert("L").getextrema()
        assert extrema[0] < 100  # some dark ink: text or a chart


# --- PPTX, charts, CSV ------------------------------------------------------------------------


def test_pptx_has_the_same_sections(pack_zh):
    from pptx import Presentation

    deck = Presentation(str(pack_zh.files["pptx"][0]))
    titles = [slide.shapes.title.text for slide in deck.slides]
    assert titles[0] == f"{DISTRICT}知识产权保护工作季度简报\n2024年第三季度"
    assert titles[1:5] == [
        t("brief_h_overview", "zh"),
        t("brief_h_targets", "zh"),
        t("brief_h_narrative", "zh"),
        t("brief_h_typical", "zh"),
    ]
    assert titles[5:-1] == [
        f"{i}. {t(spec.title_key, 'zh')}" for i, spec in enumerate(briefing.SECTIONS, start=1)
    ]
    assert titles[-1] == t("brief_h_appendix", "zh")
    cover = "\n".join(s.text_frame.text for s in deck.slides[0].shapes if s.has_text_frame)
    assert ISSUER in cover and pack_zh.data.snapshot not in cover
    for slide in list(deck.slides)[5:-1]:  # one chart per section slide
        assert sum(shape.shape_type == 13 for shape in slide.shapes) == 1  # PICTURE
    table = next(s for s in deck.slides[1].shapes if s.has_table).table
    assert table.cell(1, 1).text == "1,241"  # patent pre-exams accepted, 2024Q3
    for slide in list(deck.slides)[:-1]:  # query names only in the appendix, not the notes
        assert ".sql" not in slide.notes_slide.notes_text_frame.text


def test_charts_are_png_and_svg_of_the_set_size(pack_zh):
    pngs, svgs = pack_zh.files["png"], pack_zh.files["svg"]
    assert len(pngs) == len(svgs) == len(briefing.SECTIONS)
    for png in pngs:
        head = png.read_bytes()[:24]
        assert head[:8] == b"\x89PNG\r\n\x1a\n" and head[12:16] == b"IHDR"
        assert struct.unpack(">II", head[16:24]) == PNG_SIZE
    for svg in svgs:
        root = ET.parse(svg).getroot()
        assert root.tag.endswith("svg")
        assert (float(root.get("width")), float(root.get("height"))) == (
            briefing.CHART_WIDTH,
            briefing.CHART_HEIGHT,
        )


def test_charts_are_labelled_by_chinese_quarters_on_one_axis(pack_zh):
    """Every chart of the Chinese pack: quarter labels like 第三季度 (never a month), one value
    axis, and the dashboard's colours (the figure the builder made, as exported)."""
    from dashboard import charts

    for section in pack_zh.data.reported:
        figure = section.figure.to_dict()
        layout = figure["layout"]
        assert "yaxis2" not in layout and "xaxis2" not in layout, section.spec.key
        text = json.dumps(figure, ensure_ascii=False)
        assert not MONTHS_EN.search(text), (section.spec.key, MONTHS_EN.search(text))
        if section.spec.trend:
            assert "第三季度" in text and "2024年" in text, section.spec.key
    platforms = pack_zh.data.sections[0].figure.to_dict()["data"]
    per_bar = [(trace.get("marker") or {}).get("color") for trace in platforms]
    colours = {c for cs in per_bar if isinstance(cs, list | tuple) for c in cs}
    assert colours and colours <= set(charts.PLATFORM_COLORS.values()) | set(charts.PALETTE)


def test_chart_data_is_written_next_to_the_charts(pack_zh):
    csvs = sorted((pack_zh.out / "charts").glob("*.csv"))
    assert [p.stem for p in csvs] == [p.stem for p in sorted(pack_zh.files["png"])]
    platforms = list(
        csv.DictReader((pack_zh.out / "charts" / "01-takedowns.csv").open(encoding="utf-8-sig"))
    )
    assert sum(int(r["notices"]) for r in platforms) == 574  # = takedown_requests 2024Q3


# --- languages and edge cases -----------------------------------------------------------------


def test_english_pack(pack_en):
    pdf = pack_en / "brief-2024Q3-en.pdf"
    pages = pdf_pages(pdf)
    assert appendix_page(pages, "en") <= MAX_PAGES_BEFORE_APPENDIX
    text = " ".join(pdf_text(pdf).split())
    assert "This district: IP protection quarterly briefing" in text
    assert "This district IP protection center" in text and "Q3 2024" in text
    assert (
        "Share removed within 2 working days: 79.4%, up 0.9 pp on the previous quarter, "
        "up 5.3 pp on a year before." in text
    )
    assert ".sql" not in " ".join(pages[:-1])
    assert not list(pack_en.glob("*.pptx"))  # only the formats asked for
    assert not list(pack_en.rglob("*.png")) and list((pack_en / "charts").glob("*.csv"))


@pytest.mark.parametrize("quarter", ["2010Q1", "2026Q4"])
def test_empty_quarter_is_stated_and_needs_no_browser(sample_wh, tmp_path, monkeypatch, quarter):
    """A quarter without records (2026Q4: the sample ends on 2026-09-30): the cover says so,
    the body is left out — no table of −100 %, no charts, no browser — only the appendix."""
    monkeypatch.setenv("IPGOV_CHROMIUM", str(tmp_path / "no-such-chromium"))
    args = ["brief", "--quarter", quarter, "--format", "pdf,docx,pptx,csv", "--out", str(tmp_path)]
    result = CliRunner().invoke(app, [*args, "--db", str(sample_wh.db)])
    assert result.exit_code == 0, result.output
    name = briefing.quarter_name(parse_quarter(quarter), "zh")
    statement = t("brief_no_records", "zh", quarter=name)
    assert statement in " ".join(result.output.split())
    pages = pdf_pages(tmp_path / f"brief-{quarter}-zh.pdf")
    assert len(pages) == 2 and squeeze(statement) in pages[0]
    assert appendix_page(pages, "zh") == 1
    text = "".join(pages)
    assert "−100" not in text and "-100" not in text and "%" not in pages[0]
    paragraphs, tables = docx_text(tmp_path / f"brief-{quarter}-zh.docx")
    assert any(statement == p for _, p in paragraphs)
    assert len(tables) == 1  # the appendix's definitions only
    assert not list(tmp_path.rglob("*.png"))


def test_partial_and_first_quarter_on_record(partial_wh, tmp_path, chromium):
    result = briefing.build_brief(partial_wh.db, QUARTER, "en", tmp_path, {"pdf", "csv"})
    last = result.data.span[1]
    assert dt.date(2024, 8, 9) <= last < QUARTER.end
    partial = t("brief_partial", "en", date=last.isoformat(), quarter="Q3 2024")
    first = t("brief_no_previous", "en", previous="Q2 2024", quarter="Q3 2024")
    assert result.statements[:2] == [partial, first]
    pages = pdf_pages(result.files["pdf"][0])
    assert squeeze(partial) in pages[0]
    # the cut-off on the cover is the data's last day, inside the quarter
    assert squeeze(f"data up to {last.isoformat()}") in pages[0]
    # areas without records are left out of the body and named once on the cover
    assert [s.spec.key for s in result.data.reported] == ["takedowns"]
    assert result.statements[3].startswith("No records in Q3 2024 of: Cases, ")
    images = sum(len(page.images) for page in PdfReader(result.files["pdf"][0]).pages)
    assert images == 1  # the takedowns chart alone
    takedowns = next(m for m in result.data.headline if m.key == "takedown_requests")
    assert takedowns.previous is None and takedowns.now > 0
    assert briefing.format_change("takedown_requests", takedowns.now, None, "en") == "—"
    with (tmp_path / "numbers.csv").open(encoding="utf-8-sig") as f:
        row = next(r for r in csv.DictReader(f) if r["key"] == "takedown_requests")
    assert row["qoq_shown"] == "—" and row["previous_value"] == ""
    assert "+100%" not in " ".join(pdf_text(result.files["pdf"][0]).split())


def test_first_quarter_of_the_sample_has_no_quarter_over_quarter(sample_wh):
    with settings.overridden(db=str(sample_wh.db)):
        from dashboard import queries

        data = briefing.collect(queries.snapshot_id(), parse_quarter("2022Q1"), "zh")
    assert data.statements == [
        t("brief_no_previous", "zh", previous="2021年第四季度", quarter="2022年第一季度"),
        t("brief_no_year_before", "zh", year_before="2021年第一季度"),
        t("brief_sections_missing", "zh", quarter="2022年第一季度", sections="存证公证"),
    ]
    assert all(m.previous is None and m.year_before is None for m in data.headline)
    assert "，上季度无数据，上年同期无数据。" in data.sections[1].sentences[0]
    # the table leaves out the comparison columns no quarter on record can fill
    assert briefing.table_rows(data, data.headline)[0] == [
        t("brief_kpi", "zh"),
        t("brief_col_now", "zh"),
    ]


def test_pending_takedown_notices_are_a_statement_of_the_latest_quarter(sample_wh):
    with settings.overridden(db=str(sample_wh.db)):
        from dashboard import queries

        latest = briefing.collect(queries.snapshot_id(), parse_quarter("2026Q3"), "en")
        past = briefing.collect(queries.snapshot_id(), parse_quarter("2025Q3"), "en")
    # the same 8 the Takedowns page and `ipgov kpis` show (tests/test_kpis.py counts them)
    said = t("brief_pending_2wd", "en", quarter="Q3 2026", n=8, date="2026-09-30")
    assert said in latest.statements
    assert not any("pending" in s for s in past.statements)


# --- the command line -------------------------------------------------------------------------


def test_missing_chromium_is_one_line_and_exit_2(sample_wh, tmp_path, monkeypatch):
    monkeypatch.setenv("IPGOV_CHROMIUM", str(tmp_path / "no-such-chromium"))
    args = ["brief", "--quarter", "2024Q3", "--format", "png", "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, [*args, "--db", str(sample_wh.db)])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {briefing.CHROMIUM_MISSING}"]
    assert "Traceback" not in result.output
    assert not (tmp_path / "out").exists()  # found before any work: nothing left behind
    assert "reading the numbers" not in result.output  # before the first query


def test_missing_cjk_font_is_found_first_and_leaves_nothing(sample_wh, tmp_path, monkeypatch):
    from dashboard.briefing import fonts

    monkeypatch.setattr(fonts, "FONT_DIRS", (tmp_path / "no-fonts",))
    args = ["brief", "--quarter", "2024Q3", "--out", str(tmp_path / "out")]
    result = CliRunner().invoke(app, [*args, "--db", str(sample_wh.db)])
    assert result.exit_code == 2
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert errors == [f"error: {briefing.FONT_MISSING}"]
    assert "reading the numbers" not in result.output  # before the first query
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--quarter", "2024Q5"], "is not like 2024Q3"),
        (["--quarter", "2024Q3", "--format", "pdf,odt"], "choose from pdf,docx,pptx,png,svg,csv"),
        (["--quarter", "2024Q3", "--lang", "fr"], "choose one of zh, en"),
    ],
)
def test_bad_input_exits_2(sample_wh, args, message):
    result = CliRunner().invoke(app, ["brief", *args, "--db", str(sample_wh.db)])
    assert result.exit_code == 2
    assert message in result.output and "Traceback" not in result.output


def test_no_data_loaded_exits_2(tmp_path):
    args = ["brief", "--quarter", "2024Q3", "--db", str(tmp_path / "w.duckdb")]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 2 and "no data loaded yet" in result.output


def test_default_folder_is_beside_the_warehouse(sample_wh):
    args = ["brief", "--quarter", "2024Q3", "--format", "csv", "--db", str(sample_wh.db)]
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    assert (sample_wh.reports / "brief-2024Q3-zh" / "numbers.csv").is_file()


# --- numbers as printed -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("key", "now", "before", "lang", "expected"),
    [
        ("cases_accepted", 122, 95, "zh", "+27（+28.4%）"),  # one sign, one bracket level
        ("cases_open_end", 35, 38, "en", "−3 (−7.9%)"),
        ("notarizations", 12, 0, "en", "+12"),  # from zero: no percentage
        ("takedown_within_2wd_share", 0.881, 0.8123, "zh", "+6.9个百分点"),  # 88.1% - 81.2%
        ("takedown_within_2wd_share", 0.8, 0.8, "en", "no change"),
        ("takedown_within_2wd_share", 0.8, 0.8, "zh", "持平"),
        ("takedown_median_workdays", 1.0, 1.5, "en", "−0.5"),
        (
            "trademark_fines_yuan",
            Decimal("2002378.77"),
            Decimal("1264741.46"),
            "zh",
            "+73.76万元（+58.3%）",
        ),
        ("trademark_fines_yuan", Decimal("150.60"), Decimal("100.00"), "en", "+¥51 (+50.6%)"),
        ("cases_accepted", 5, None, "en", "—"),  # no comparison quarter on record
    ],
)
def test_format_change(key, now, before, lang, expected):
    assert briefing.format_change(key, now, before, lang) == expected


def test_change_colour_knows_lower_is_better():
    assert briefing.change_color("takedown_median_workdays", 1.0, 2.0) == briefing.GOOD
    assert briefing.change_color("takedown_within_2wd_share", 0.7, 0.8) == briefing.BAD
    assert briefing.change_color("cases_accepted", 5, 5) == briefing.NEUTRAL


def test_every_sentence_and_definition_has_both_languages():
    from dashboard.i18n import CATALOG

    stories = {key for spec in briefing.SECTIONS for key in spec.stories}
    assert {f"brief_what_{k}" for k in stories} <= set(CATALOG)
    assert {f"brief_def_{k}" for k in kpis.KPI_KEYS} <= set(CATALOG)
    assert all(set(CATALOG[k]) == {"zh", "en"} for k in CATALOG if k.startswith("brief_"))


def test_settings_override_is_scoped():
    with settings.overridden(db="elsewhere/w.duckdb"):
        assert settings.db_path() == Path("elsewhere/w.duckdb")
    assert settings.db_path() != Path("elsewhere/w.duckdb")
    with pytest.raises(KeyError), settings.overridden(no_such_setting="x"):
        pass


# --- the dashboard page -----------------------------------------------------------------------


def briefing_page(lang: str) -> None:
    from dashboard.views import briefing as page

    page.render(lang)


def test_page_previews_and_builds_the_pack(monkeypatch, sample_wh, chromium):
    """An analyst types the narrative on the page, saves it (audited), builds the pack: the
    text is in the PDF, the Word document and the deck the page offers for download."""
    from streamlit.testing.v1 import AppTest

    from dashboard.access import audit
    from dashboard.views.briefing import PACK
    from tests.conftest import sign_in

    monkeypatch.setenv("IPGOV_DB", str(sample_wh.db))
    quarter = "2024Q2"  # pack_zh's narrative is 2024Q3's
    typed = {
        "achievements": "本季度受理量稳步增长。",
        "problems": "部分平台响应偏慢。",
        "next_steps": "下季度开展专项督办。",
    }
    at = AppTest.from_function(briefing_page, args=("zh",), default_timeout=120)
    at = sign_in(at, sample_wh.db, "analyst").run()
    assert not at.exception, at.exception
    at.selectbox(key="brief_quarter").set_value(quarter).run()
    assert len(at.get("plotly_chart")) == len(briefing.SECTIONS)
    summary = at.dataframe[0].value
    assert summary.iloc[0].tolist()[:2] == [t("patent_preexam_accepted", "zh"), "1,197"]
    for field, text in typed.items():
        at.text_area(key=f"brief_n_{field}_{quarter}_zh").input(text)
    with settings.overridden(db=str(sample_wh.db)):
        from dashboard import queries

        options = briefing.typical_options(queries.snapshot_id(), parse_quarter(quarter), "zh")
    picked = sorted(options["trademark"])[0]
    at.multiselect(key=f"brief_typical_trademark_{quarter}_zh").select(picked)
    at.button[0].click().run()  # the form's save button
    assert not at.exception, at.exception
    text_row, cases_row = audit.entries(
        sample_wh, user="test-analyst", action="briefing_narrative", limit=2
    )[::-1]
    assert (text_row.target, text_row.detail["fields"]) == (quarter, sorted(typed))
    assert (cases_row.target, cases_row.detail["typical_cases"]) == (
        quarter,
        [f"trademark:{picked}"],
    )
    assert briefing.narrative.stored(sample_wh.db, parse_quarter(quarter), "zh").texts == typed

    at.button(key="brief_build").click().run()
    assert not at.exception, at.exception
    built = audit.entries(sample_wh, user="test-analyst", action="briefing", limit=1)
    assert [(e.target, e.outcome, e.detail) for e in built] == [(quarter, "ok", {"lang": "zh"})]
    assert [d.label for d in at.get("download_button")] == [
        t("brief_download_pdf", "zh"),
        t("brief_download_docx", "zh"),
        t("brief_download_pptx", "zh"),
        t("brief_download_zip", "zh"),
    ]
    files = at.session_state[PACK][1]
    folder = Path(at.session_state[PACK][1]["stem"])
    scratch = sample_wh.db.parent / "page-pack"
    scratch.mkdir(exist_ok=True)
    for ext in ("pdf", "docx", "pptx"):
        (scratch / f"{folder}.{ext}").write_bytes(files[ext])
    pdf = squeeze(pdf_text(scratch / f"{folder}.pdf"))
    paragraphs, _ = docx_text(scratch / f"{folder}.docx")
    deck = squeeze(pptx_text(scratch / f"{folder}.pptx"))
    for text in typed.values():
        assert squeeze(text) in pdf and ("Normal", text) in paragraphs and squeeze(text) in deck
    line = options["trademark"][picked]
    assert squeeze(line) in pdf and ("Normal", f"1. {line}") in paragraphs
    assert briefing.narrative.stored_cases(sample_wh.db, parse_quarter(quarter)) == [
        ("trademark", picked)
    ]


def test_viewer_reads_the_narrative_but_cannot_edit(monkeypatch, sample_wh):
    from streamlit.testing.v1 import AppTest

    from tests.conftest import sign_in

    monkeypatch.setenv("IPGOV_DB", str(sample_wh.db))
    briefing.narrative.save(sample_wh.db, parse_quarter("2023Q4"), "zh", NARRATIVE, "an-analyst")
    at = AppTest.from_function(briefing_page, args=("zh",), default_timeout=60)
    at = sign_in(at, sample_wh.db, "viewer").run()
    at.selectbox(key="brief_quarter").set_value("2023Q4").run()
    assert not at.exception, at.exception
    assert not at.text_area  # no form
    shown = " ".join(m.value for m in at.markdown)
    assert all(text in shown for text in NARRATIVE.values())
    assert t("brief_narrative_readonly", "zh") in [c.value for c in at.caption]


def test_page_without_data(monkeypatch, tmp_path):
    from streamlit.testing.v1 import AppTest

    monkeypatch.setenv("IPGOV_DB", str(tmp_path / "empty" / "warehouse.duckdb"))
    at = AppTest.from_function(briefing_page, args=("en",), default_timeout=60).run()
    assert not at.exception
    assert [i.value for i in at.info] == [t("no_data", "en")]


def test_who_may_edit_the_narrative_is_documented():
    """roles.PERMISSIONS and docs/security.md's role table agree on who writes the narrative."""
    from dashboard.access import roles

    assert roles.PERMISSIONS["briefing_edit"] == "analyst"
    assert not roles.allowed("viewer", "briefing_edit") and roles.allowed(
        "steward", "briefing_edit"
    )
    text = (Path(__file__).parent.parent / "docs" / "security.md").read_text(encoding="utf-8")
    rows = {
        line.split("|")[1].strip(" `"): line for line in text.splitlines() if line.startswith("| `")
    }
    assert "narrative read-only" in rows["viewer"]
    assert "writing the quarterly briefing's narrative" in rows["analyst"]
    assert "`briefing_narrative`" in text


def test_a_chart_export_that_fails_once_is_tried_again_in_a_fresh_browser(
    tmp_path, monkeypatch, chromium
):
    """Kaleido once asked its page before the page's script ran ("kaleido_scopes is not
    defined", a busy machine): the export is tried once more, for real, and the files are
    written; failing twice is one line, not a traceback."""
    import kaleido
    import plotly.graph_objects as go
    from kaleido.errors import JavascriptError

    from dashboard.briefing.images import export_charts

    real, calls = kaleido.write_fig_from_object_sync, []

    def flaky(*args, **kwargs):
        calls.append(1)
        if len(calls) == 1:
            raise JavascriptError("ReferenceError: kaleido_scopes is not defined")
        return real(*args, **kwargs)

    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", flaky)
    figure = go.Figure(go.Bar(x=["淘宝", "抖音"], y=[3, 5]))
    written = export_charts({"bars": figure}, tmp_path / "charts", formats=("png",))
    png = written["bars"]["png"]
    assert len(calls) == 2 and png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    def broken(*args, **kwargs):
        raise JavascriptError("ReferenceError: kaleido_scopes is not defined")

    monkeypatch.setattr(kaleido, "write_fig_from_object_sync", broken)
    with pytest.raises(IpgovError, match=r"chart export failed in .*kaleido_scopes"):
        export_charts({"bars": figure}, tmp_path / "again", formats=("png",))
