"""Chinese throughout in zh: the visible text of every page, read in the browser, holds no
English word outside a short allow-list, and no "None", "nan" or "NaT" anywhere, table cells
included.

Read as a person sees it, in one session: every expander opened (tables inside included, through
the data grid's accessible cells), chart text (axes, legends, titles) included. Icon ligatures,
style sheets, the screen-reader skip link, code (commands and SQL shown as code are for analysts)
and web addresses are not prose and are left out; so is the SQL page's schema tab, a listing of
identifiers, types and example values (its descriptions and meanings are Chinese in zh:
tests/test_sql_console.py, test_page_schema_tab_speaks_chinese_in_zh).
"""

from __future__ import annotations

import re

from tests.browser.conftest import screenshot, wait_until_rendered

PAGES = [
    "",
    "takedowns",
    "cases",
    "patents",
    "trademarks",
    "notarizations",
    "referrals",
    "sql",
    "briefing",
    "quality",
    "audit",
    "upload",
    "loads",
    "worklist",  # issue 16
    "alerts",
    "compare",
]
# Words a Chinese page may show: names of formats and tools officials meet as such, the
# statistic P90, and the language switch, which must name English in English.
ALLOWED = {"SQL", "CSV", "ID", "URL", "P", "PDF", "PPTX", "DOCX", "ZIP", "Excel", "English"}
ALLOWED |= {"TSV", "TXT", "XLSX", "Parquet"}  # the file formats the Upload page takes
ALLOWED_PHRASES = ("语言 / Language",)
# The page's text as a person reads it, without what is not prose; `cells` keeps the table
# cells (values from the records: brand names, file and folder names are data, not labels).
TEXT_JS = """(cells) => {
  const app = document.querySelector('[data-testid=stApp]');
  // what the reader does not see (display: none) is no English on the page
  app.querySelectorAll('*').forEach(e => {
    if (getComputedStyle(e).display === 'none') e.setAttribute('data-unseen', '');
  });
  const copy = app.cloneNode(true);
  app.querySelectorAll('[data-unseen]').forEach(e => e.removeAttribute('data-unseen'));
  const drop = ['style', 'script', 'code', 'textarea', '[data-testid=stIconMaterial]',
    '[data-testid=stSkipToContent]', '.st-key-sql_schema', '[data-unseen]'];
  if (!cells) drop.push('[id^=glide-cell]');
  copy.querySelectorAll(drop.join(',')).forEach(e => e.remove());
  // an empty picker shows its placeholder ("Choose options"), an attribute, not text
  copy.querySelectorAll('input[placeholder]').forEach(e => {
    const picker = e.closest('[data-testid=stMultiSelect], [data-testid=stSelectbox]');
    if (picker && !e.value && !picker.querySelector('[data-baseweb=tag]'))
      e.before(' ' + e.getAttribute('placeholder'));
  });
  copy.querySelectorAll('*').forEach(e => e.append(' '));  // cells and labels stay words
  return copy.textContent;
}"""
URL = re.compile(r"https?://\S+")
WITH_DIGIT = re.compile(r"[A-Za-z0-9_-]*\d[A-Za-z0-9_-]*")  # ids: TD2024-000123, snapshot ids
MISSING = re.compile(r"\b(None|nan|NaN|NaT|null)\b")


def english_words(text: str) -> set[str]:
    for phrase in ALLOWED_PHRASES:
        text = text.replace(phrase, "")
    text = WITH_DIGIT.sub(" ", URL.sub(" ", text))
    return {w for w in re.findall(r"[A-Za-z]+", text) if w not in ALLOWED}


def test_english_words_are_found():
    assert english_words("下架通知 Notices 2024年 P90 SQL") == {"Notices"}
    assert english_words("None — nan") == {"None", "nan"}
    assert MISSING.findall("— 2024 None NaT") == ["None", "NaT"]
    assert english_words("https://item.jd.com/1.html TD2024-000123 20261201T124335616735Z") == set()


def test_every_page_in_chinese_reads_chinese(page, sample_url, sample_wh):
    from dashboard.briefing import narrative
    from etl.periods import parse_quarter

    # the briefing page as its preparer leaves it: a narrative saved (who and when it says)
    quarter = parse_quarter("2026Q3")  # the sample's latest complete quarter, the page's first
    narrative.save(sample_wh.db, quarter, "zh", {"achievements": "下架时效稳定。"}, "测试管理员")
    page.set_viewport_size({"width": 1440, "height": 900})
    found: dict[str, set[str]] = {}
    for path in PAGES:
        page.goto(f"{sample_url}/{path}?period=quarter&q=2024Q3&lang=zh")
        wait_until_rendered(page, "[data-testid=stMainBlockContainer] h1")
        for summary in page.locator("[data-testid=stExpander] summary").all():
            if summary.is_visible():  # not those on a tab not shown
                summary.click()  # the page reruns and draws what the expander holds
                wait_until_rendered(page, "[data-testid=stMainBlockContainer] h1")
        page.wait_for_timeout(800)  # tables in opened expanders draw their cells
        words = english_words(page.evaluate(TEXT_JS, False))
        words |= set(MISSING.findall(page.evaluate(TEXT_JS, True)))
        if words:
            found[path or "overview"] = words
            screenshot(page, f"english-in-zh-{path or 'overview'}")
    assert not found, f"English on Chinese pages: {found}"
