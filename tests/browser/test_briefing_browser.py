"""The Quarterly briefing page in a real browser: the preview shows every section's chart, the
narrative typed in the form is saved, a comparison of two platforms is chosen (issue 16), the
button builds the pack, and the PDF and the Word document download with the narrative and the
comparison in them."""

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

    # the one comparison: the kind, then two platforms by name, as on the Compare page
    page.locator("[data-testid=stSelectbox]").filter(has_text=t("brief_compare_kind", "zh")).click()
    page.locator("[role=option]", has_text=t("compare_by_platforms", "zh")).first.click()
    heading = t("brief_h_compare", "zh", what=t("compare_by_platforms", "zh"))
    picker = page.locator("[data-testid=stMultiSelect]").filter(
        has_text=t("compare_pick", "zh", n=4)
    )
    picker.wait_for(timeout=30_000)
    for name in ("抖音", "淘宝"):
        picker.locator("input").click()
        picker.locator("input").fill(name)
        page.locator("[role=option]", has_text=name).first.click()
        page.keyboard.press("Escape")
        wait_until_rendered(page, selector=".js-plotly-plot")
    page.get_by_role("heading", name=heading).wait_for(timeout=30_000)
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot').length == {charts + 1}", timeout=30_000
    )
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, "briefing-zh-compare")

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
    assert any(p.endswith(heading) for p in paragraphs)
    if not shutil.which("pdftotext"):
        pytest.skip("pdftotext (poppler-utils) is not installed")
    pdf = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, text=True).stdout
    pdf = re.sub(r"\s+", "", pdf)
    for text in TYPED.values():
        assert text in pdf
    assert heading in pdf and "抖音" in pdf and "淘宝" in pdf
