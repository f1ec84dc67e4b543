"""The Quarterly briefing page in a real browser: the preview shows every section's chart, the
narrative typed in the form is saved, the button builds the pack, and the PDF and the Word
document download with the narrative in them."""

from __future__ import annotations

import re
import shutil
import subprocess

import pytest

from dashboard import briefing
from dashboard.i18n import t
from tests.browser.conftest import screenshot, wait_until_rendered

TYPED = {
    "achievements": "浏览器测试：专项行动成效明显。",
    "problems": "浏览器测试：个别平台响应偏慢。",
    "next_steps": "浏览器测试：下季度开展督办。",
}


def test_briefing_page_previews_builds_and_downloads(page, sample_url, tmp_path):
    page.goto(f"{sample_url}/briefing")
    wait_until_rendered(page, selector=".js-plotly-plot")
    charts = len(briefing.SECTIONS)
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot').length == {charts}", timeout=30_000
    )
    assert page.locator("[data-testid=stException]").count() == 0

    for field, text in TYPED.items():
        page.get_by_label(t(f"brief_narrative_{field}", "zh")).fill(text)
    page.get_by_role("button", name=t("brief_narrative_save", "zh")).click()
    page.get_by_text(re.compile("已保存")).wait_for(timeout=30_000)
    wait_until_rendered(page, selector=".js-plotly-plot")
    screenshot(page, "briefing-zh")

    page.get_by_role("button", name=t("brief_build", "zh")).click()
    button = page.get_by_role("button", name=t("brief_download_pdf", "zh"))
    button.wait_for(timeout=120_000)
    with page.expect_download() as download:
        button.click()
    path = tmp_path / "brief.pdf"
    download.value.save_as(path)
    assert path.read_bytes()[:5] == b"%PDF-"
    assert download.value.suggested_filename.startswith("brief-") and path.stat().st_size > 10_000
    with page.expect_download() as word:
        page.get_by_role("button", name=t("brief_download_docx", "zh")).click()
    docx_path = tmp_path / "brief.docx"
    word.value.save_as(docx_path)
    assert word.value.suggested_filename.endswith(".docx")

    from docx import Document

    paragraphs = [p.text for p in Document(str(docx_path)).paragraphs]
    for text in TYPED.values():
        assert text in paragraphs
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    pdf = re.sub(r"\s+", "", pdf)
    for text in TYPED.values():
        assert text in pdf
