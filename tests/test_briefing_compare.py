"""The briefing's one comparison (issue 16): `ipgov brief --compare KIND [--compare-items …]`
and the Briefing page put up to four platforms, parks, IP types, regions, quarters or years
side by side as a section of the PDF and the Word document — every number the one `ipgov kpis
--platform X` (etc.) prints for that quarter, each change against the quarter before, ranked
where the Compare page ranks, the chart in the codes' fixed colours — and as a CSV.

Packs are built once per module (chart export runs Chromium for a few seconds)."""

from __future__ import annotations

import csv
import json
import re
import struct
from pathlib import Path

import pytest
from pypdf import PdfReader
from typer.testing import CliRunner

from dashboard import briefing, charts, compare
from dashboard.briefing import outline
from dashboard.briefing.comparison import CHART_SIZE, Request
from dashboard.cli import app
from dashboard.i18n import t
from etl import settings
from etl.periods import parse_quarter
from tests.test_briefing import (
    MAX_PAGES_BEFORE_APPENDIX,
    NARRATIVE,
    appendix_page,
    docx_text,
    pdf_pages,
    pdf_text,
    squeeze,
    typical_picks,
)

QUARTER = parse_quarter("2024Q3")
PLATFORMS = ("douyin", "taobao", "tmall", "jd")  # as typed: the pack ranks them
NAMES_ZH = {"douyin": "抖音", "taobao": "淘宝", "tmall": "天猫", "jd": "京东"}
KPI_OPTION = {"platforms": "--platform", "locations": "--park", "ip_types": "--ip-type",
              "regions": "--region"}  # fmt: skip


def ipgov_kpis(db: Path, quarter: str, *args: str) -> dict:
    """What `ipgov kpis --quarter Q --json …` prints."""
    result = CliRunner().invoke(
        app, ["kpis", "--quarter", quarter, "--json", "--db", str(db), *args]
    )
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def number(shown: str) -> float | None:
    """A printed value back as a number: 91.8% → 0.918, 200.24万元 → 2002400, ¥8,184 → 8184."""
    if shown == "—":
        return None
    value = float(re.sub(r"[,%万元¥]", "", shown))
    if shown.endswith("%"):
        value /= 100
    if shown.endswith("万元"):
        value *= 10_000
    return value


def tolerance(shown: str) -> float:
    return {"%": 0.0005, "元": 50}.get(shown[-1], 0.05)


def comparison_table(tables: list, kind: str, lang: str) -> list[list[str]]:
    """The Word document's comparison table: the one whose first row names the sides."""
    qoq = t("brief_qoq", lang)
    return next(tbl for tbl in tables if len(tbl) > 1 and set(tbl[1][2::2]) == {qoq})


@pytest.fixture(scope="module")
def pack_cmp(sample_wh, tmp_path_factory, chromium) -> briefing.BriefResult:
    """2024Q3 in Chinese with the narrative and typical cases of tests/test_briefing.py's pack
    (its 4 pages full) and four platforms compared, in the order typed."""
    out = tmp_path_factory.mktemp("brief-compare") / "zh"
    briefing.narrative.save(sample_wh.db, QUARTER, "zh", NARRATIVE, "test-analyst")
    briefing.narrative.save_cases(sample_wh.db, QUARTER, typical_picks(sample_wh), "test-analyst")
    return briefing.build_brief(
        sample_wh.db,
        QUARTER,
        "zh",
        out,
        set(briefing.FORMATS),
        comparison=Request("platforms", PLATFORMS),
    )


@pytest.fixture(scope="module")
def pack_regions(sample_wh, tmp_path_factory, chromium) -> Path:
    """2025Q3 (no narrative saved) through the command line: partner regions, items left to the
    default (the four with the most referrals out), PDF, Word and CSV."""
    out = tmp_path_factory.mktemp("brief-compare") / "regions"
    args = ["brief", "--quarter", "2025Q3", "--format", "pdf,docx,csv", "--compare", "regions"]
    result = CliRunner().invoke(app, [*args, "--out", str(out), "--db", str(sample_wh.db)])
    assert result.exit_code == 0, result.output
    return out


# --- the section in the PDF and the Word document -------------------------------------------------


def test_pdf_and_docx_carry_the_comparison_with_every_number_of_ipgov_kpis(pack_cmp, sample_wh):
    heading = f"六、{t('brief_h_compare', 'zh', what='电商平台')}"
    paragraphs, tables = docx_text(pack_cmp.files["docx"][0])
    assert ("Heading 1", heading) in paragraphs
    table = comparison_table(tables, "platforms", "zh")
    pages = pdf_pages(pack_cmp.files["pdf"][0])
    page = next(p for p in pages if squeeze(heading) in p)
    # the sides ranked by the share within 2 working days, as `ipgov kpis --platform` says
    now = {c: ipgov_kpis(sample_wh.db, "2024Q3", "--platform", c) for c in PLATFORMS}
    before = {c: ipgov_kpis(sample_wh.db, "2024Q2", "--platform", c) for c in PLATFORMS}
    order = sorted(PLATFORMS, key=lambda c: -now[c]["takedown_within_2wd_share"])
    # each side's name over its two columns (merged), 本期 · 环比 under it
    assert table[0][1::2] == [f"{i}. {NAMES_ZH[c]}" for i, c in enumerate(order, start=1)]
    assert table[0][1::2] == table[0][2::2]
    assert table[1][1:] == [t("brief_compare_value", "zh"), t("brief_qoq", "zh")] * 4
    for cell in table[0]:
        assert squeeze(cell) in page
    rows = {row[0]: row for row in table[2:]}
    assert len(rows) == len(compare.KPIS["platforms"])
    for key in compare.KPIS["platforms"]:
        row = rows[t(key, "zh")]
        for i, code in enumerate(order):
            shown, change = row[1 + 2 * i], row[2 + 2 * i]
            expected = now[code][key]
            if expected is None:
                assert shown == "—", (key, code)
            else:
                assert number(shown) == pytest.approx(expected, abs=tolerance(shown)), (key, code)
            assert change == briefing.format_change(
                key, expected, before[code][key], "zh", with_percent=False
            ), (key, code)
        # the same cells, in the same order, on the PDF's page
        assert squeeze("".join(row[1:])) in page, key
        assert squeeze(row[0]) in page


def test_the_comparison_keeps_the_four_pages_and_takes_a_page_of_its_own(pack_cmp):
    """With the narrative and typical cases, the four pages before the appendix are full: the
    comparison, kept whole, is page 5 — that page alone is added (heading, table, chart)."""
    pdf = pack_cmp.files["pdf"][0]
    pages = pdf_pages(pdf)
    first = appendix_page(pages, "zh")
    heading = squeeze(f"六、{t('brief_h_compare', 'zh', what='电商平台')}")
    on = [i for i, p in enumerate(pages) if heading in p]
    assert on == [first - 1] == [MAX_PAGES_BEFORE_APPENDIX]
    assert squeeze(t("page_referrals", "zh")) in pages[first - 2]  # the areas end before it
    page = pages[first - 1]
    assert page.index(heading) < 60  # first on its page, after the running header
    assert squeeze(t("brief_h_appendix", "zh")) not in page
    images = PdfReader(pdf).pages[first - 1].images
    assert len(images) == 1  # its chart on the same page


def test_the_comparison_fits_the_last_page_when_there_is_room(pack_regions):
    pages = pdf_pages(pack_regions / "brief-2025Q3-zh.pdf")
    first = appendix_page(pages, "zh")
    assert first <= MAX_PAGES_BEFORE_APPENDIX
    heading = squeeze(t("brief_h_compare", "zh", what=t("compare_by_regions", "zh")))
    assert heading in pages[first - 1]
    assert squeeze(t("page_referrals", "zh")) in "".join(pages[:first])


def test_default_items_are_the_busiest_and_equal_ipgov_kpis(pack_regions, sample_wh):
    """No items named: the four partner regions with the most referrals out in the quarter,
    each with the KPIs a region carries, numbers as `ipgov kpis --region` prints them."""
    with settings.overridden(db=str(sample_wh.db)):
        from dashboard import queries

        names = queries.codes(queries.snapshot_id(), "zh")["region"]
    out = {c: ipgov_kpis(sample_wh.db, "2025Q3", "--region", c) for c in names}
    busiest = sorted(
        (c for c in out if out[c]["referrals_out"]), key=lambda c: -out[c]["referrals_out"]
    )
    _, tables = docx_text(pack_regions / "brief-2025Q3-zh.docx")
    table = comparison_table(tables, "regions", "zh")
    assert table[0][1::2] == [names[c] for c in busiest[:4]]  # not ranked: busiest first
    rows = {row[0]: row for row in table[2:]}
    for key in compare.KPIS["regions"]:
        label = "罚没金额" if key == "trademark_fines_yuan" else t(key, "zh")
        for i, code in enumerate(busiest[:4]):
            shown = rows[label][1 + 2 * i]
            assert number(shown) == pytest.approx(out[code][key], abs=tolerance(shown)), (key, code)
    # the CSV beside it: each region's quarter and the one before
    with (pack_regions / "compare-regions-2025Q3.csv").open(encoding="utf-8-sig") as f:
        written = list(csv.DictReader(f))
    assert len(written) == 8
    assert [r["对比项"] for r in written[::2]] == [names[c] for c in busiest[:4]]


def test_the_deck_has_the_comparison_slide(pack_cmp):
    from pptx import Presentation

    deck = Presentation(str(pack_cmp.files["pptx"][0]))
    titles = [slide.shapes.title.text for slide in deck.slides]
    heading = t("brief_h_compare", "zh", what="电商平台")
    assert titles[-2:] == [heading, t("brief_h_appendix", "zh")]
    slide = deck.slides[len(titles) - 2]
    (grid,) = [s for s in slide.shapes if getattr(s, "has_table", False) and s.has_table]
    heads = [cell.text for cell in grid.table.rows[0].cells]
    assert {h.split(". ")[1] for h in heads[1::2]} == set(NAMES_ZH.values())
    assert sum(shape.shape_type == 13 for shape in slide.shapes) == 1  # PICTURE: the chart
    for shape in slide.shapes:  # nothing beyond the 13.333 × 7.5 in slide
        assert shape.left + shape.width <= deck.slide_width and shape.top + shape.height <= (
            deck.slide_height
        )


def test_appendix_names_the_comparison_queries_chart_and_csv(pack_cmp):
    pages = pdf_pages(pack_cmp.files["pdf"][0])
    appendix = pages[appendix_page(pages, "zh")]
    assert squeeze("kpi_headline, codes") in appendix
    assert "charts/07-compare-platforms.png" in appendix
    assert "compare-platforms-2024Q3.csv" in appendix
    body = "".join(pages[: appendix_page(pages, "zh")])
    assert "kpi_headline" not in body and ".csv" not in body


def test_chart_is_small_in_the_platforms_fixed_colours(pack_cmp):
    figure = pack_cmp.data.comparison.figure.to_dict()
    bars = figure["data"][0]
    by_name = {NAMES_ZH[c]: c for c in PLATFORMS}
    for name, colour in zip(bars["y"], bars["marker"]["color"], strict=True):
        assert colour == charts.PLATFORM_COLORS[by_name[name]], name
    png = pack_cmp.out / "charts" / "07-compare-platforms.png"
    head = png.read_bytes()[:24]
    assert struct.unpack(">II", head[16:24]) == (CHART_SIZE[0] * 3, CHART_SIZE[1] * 3)
    assert (pack_cmp.out / "charts" / "07-compare-platforms.csv").is_file()
    assert (pack_cmp.out / "compare-platforms-2024Q3.csv").is_file()


def test_english_comparison_of_quarters(sample_wh, tmp_path, chromium):
    """Quarters without items: the quarter and the three before it, district-wide, each against
    the quarter before it, in English."""
    args = ["brief", "--quarter", "2024Q3", "--lang", "en", "--format", "pdf,docx",
            "--compare", "quarters", "--out", str(tmp_path), "--db", str(sample_wh.db)]  # fmt: skip
    result = CliRunner().invoke(app, args)
    assert result.exit_code == 0, result.output
    paragraphs, tables = docx_text(tmp_path / "brief-2024Q3-en.docx")
    heading = t("brief_h_compare", "en", what="Quarters")
    assert any(style == "Heading 1" and text.endswith(heading) for style, text in paragraphs)
    table = comparison_table(tables, "quarters", "en")
    assert table[0][1::2] == ["Q4 2023", "Q1 2024", "Q2 2024", "Q3 2024"]
    text = squeeze(pdf_text(tmp_path / "brief-2024Q3-en.pdf"))
    assert squeeze(heading) in text
    rows = {row[0]: row for row in table[2:]}
    for i, quarter in enumerate(["2023Q4", "2024Q1", "2024Q2", "2024Q3"]):
        now = ipgov_kpis(sample_wh.db, quarter)
        before = ipgov_kpis(sample_wh.db, parse_quarter(quarter).previous().label)
        for key in ("takedown_requests", "cases_accepted", "takedown_within_2wd_share"):
            shown, change = rows[t(key, "en")][1 + 2 * i : 3 + 2 * i]
            assert number(shown) == pytest.approx(now[key], abs=tolerance(shown)), (quarter, key)
            assert change == briefing.format_change(key, now[key], before[key], "en", False)


# --- what is refused, and what does not change ----------------------------------------------------


@pytest.mark.parametrize(
    ("args", "said"),
    [
        (["--compare", "platforms", "--compare-items", "tmall,nosuch"],
         ["nosuch", "tmall（天猫 / Tmall）", "douyin（抖音 / Douyin）", "unknown item",
          "未知的电商平台对比项", "可选"]),
        (["--compare", "years", "--compare-items", "2019"],
         ["2019", "2023, 2022", "未知的年度对比项"]),
        (["--compare", "quarters", "--compare-items", "2024Q1,2024Q2,2024Q3,2024Q4,2025Q1"],
         ["at most 4", "最多 4 个"]),
        (["--compare-items", "tmall"], ["--compare-items needs --compare", "须与 --compare 同用"]),
        (["--compare", "courts"], ["choose one of platforms", "对比对象"]),
    ],
)  # fmt: skip
def test_bad_comparison_is_one_bilingual_line_and_nothing_is_written(
    sample_wh, tmp_path, args, said
):
    out = tmp_path / "out"
    base = ["brief", "--quarter", "2024Q3", "--out", str(out), "--db", str(sample_wh.db)]
    result = CliRunner().invoke(app, [*base, *args])
    assert result.exit_code == 2, result.output
    errors = [line for line in result.output.splitlines() if line.startswith("error:")]
    assert len(errors) == 1 and "Traceback" not in result.output
    text = " ".join(result.output.split())
    for part in said:
        assert part in text, part
    assert not out.exists()


def test_without_a_comparison_the_pack_is_unchanged(sample_wh):
    """The same outline block for block, the comparison's blocks only added after the areas;
    the appendix only gains the comparison's query line."""
    with settings.overridden(db=str(sample_wh.db)):
        from dashboard import queries

        snapshot = queries.snapshot_id()
        plain = briefing.collect(snapshot, QUARTER, "en")
        with_it = briefing.collect(
            snapshot, QUARTER, "en", comparison=Request("ip_types", ("patent", "trademark"))
        )
    assert plain.comparison is None and with_it.comparison is not None
    before, after = outline.body(plain), outline.body(with_it)
    assert after[: len(before)] == before
    added = after[len(before) :]
    assert added[0].kind == "heading" and added[0].keep
    assert added[0].text == f"4. {t('brief_h_compare', 'en', what='IP types')}"
    assert [b.kind for b in added[1:]] == ["paragraph", "table", "note", "chart"]
    plain_appendix, appendix = outline.appendix(plain), outline.appendix(with_it)
    assert appendix[: len(plain_appendix)] == plain_appendix
    assert len(appendix) == len(plain_appendix) + 1 and "kpi_headline" in appendix[-1].text


# --- the Briefing page ---------------------------------------------------------------------------


def briefing_page(lang: str) -> None:
    from dashboard.views import briefing as page

    page.render(lang)


def test_page_chooses_a_comparison_and_the_pack_carries_it(monkeypatch, sample_wh, chromium):
    from streamlit.testing.v1 import AppTest

    from dashboard.views.briefing import PACK
    from tests.conftest import sign_in

    monkeypatch.setenv("IPGOV_DB", str(sample_wh.db))
    at = AppTest.from_function(briefing_page, args=("zh",), default_timeout=120)
    at = sign_in(at, sample_wh.db, "analyst").run()
    at.selectbox(key="brief_quarter").set_value("2025Q3").run()
    charts_before = len(at.get("plotly_chart"))
    kind = at.selectbox(key="brief_compare_kind")
    assert kind.options[0] == t("brief_compare_none", "zh")
    assert t("compare_by_platforms", "zh") in kind.options
    kind.set_value("platforms").run()
    assert not at.exception, at.exception
    picker = at.multiselect(key="brief_compare_items_platforms")
    assert picker.label == t("compare_pick", "zh", n=4)
    picker.select("douyin").select("taobao").run()
    assert not at.exception, at.exception
    heading = t("brief_h_compare", "zh", what="电商平台")
    assert heading in [s.value for s in at.subheader]
    cli = (
        "`ipgov brief --quarter 2025Q3 --lang zh --compare platforms --compare-items douyin,taobao`"
    )
    assert f"命令行生成：{cli}" in [c.value for c in at.caption]
    assert len(at.get("plotly_chart")) == charts_before + 1
    preview = at.dataframe[-1].value
    now = {c: ipgov_kpis(sample_wh.db, "2025Q3", "--platform", c) for c in ("douyin", "taobao")}
    order = sorted(now, key=lambda c: -now[c]["takedown_within_2wd_share"])  # ranked, as printed
    shown = [f"{i}. {NAMES_ZH[c]}" for i, c in enumerate(order, start=1)]
    assert preview.columns.tolist() == [
        t("brief_kpi", "zh"),
        shown[0],
        f"{shown[0]}环比",
        shown[1],
        f"{shown[1]}环比",
    ]
    row = preview[preview.iloc[:, 0] == t("takedown_requests", "zh")].iloc[0].tolist()
    assert row[1::2] == [f"{now[c]['takedown_requests']:,}" for c in order]

    at.button(key="brief_build").click().run()
    assert not at.exception, at.exception
    files = at.session_state[PACK][1]
    folder = sample_wh.db.parent / "page-compare"
    folder.mkdir(exist_ok=True)
    (folder / "pack.pdf").write_bytes(files["pdf"])
    (folder / "pack.docx").write_bytes(files["docx"])
    text = squeeze(pdf_text(folder / "pack.pdf"))
    assert squeeze(heading) in text and "抖音" in text and "淘宝" in text
    paragraphs, _ = docx_text(folder / "pack.docx")
    assert any(style == "Heading 1" and p.endswith(heading) for style, p in paragraphs)
    # choosing no comparison again: a pack built with it is no longer offered as current
    at.selectbox(key="brief_compare_kind").set_value("").run()
    assert not at.exception, at.exception
    assert not at.get("download_button")
    assert heading not in [s.value for s in at.subheader]


def test_years_default_to_the_quarters_year_and_say_when_one_is_incomplete(sample_wh):
    """Years without items: the quarter's year and the three before it, each `ipgov kpis
    --year`; the year still running at the data's end (2026-09-30) is said to be incomplete."""
    from dashboard.briefing.comparison import collect_comparison

    with settings.overridden(db=str(sample_wh.db)):
        from dashboard import queries

        found = collect_comparison(
            queries.snapshot_id(), parse_quarter("2026Q3"), Request("years"), "zh"
        )
    assert [c.key for c in found.columns] == ["2023", "2024", "2025", "2026"]
    assert [c.name for c in found.columns] == ["2023年", "2024年", "2025年", "2026年"]
    assert found.note.endswith("数据截至2026年9月30日，2026年不完整。")
    for column in found.columns:
        args = ["kpis", "--year", column.key, "--json", "--db", str(sample_wh.db)]
        printed = json.loads(CliRunner().invoke(app, args).output)
        for key, value in column.now.items():
            shown = float(value) if value is not None else None  # Decimal fines: JSON floats
            assert shown == pytest.approx(printed[key]), (column.key, key)
