"""The Quarterly briefing page in a real browser: the preview shows every section's chart, the
button builds the pack, and the PDF downloads."""

from __future__ import annotations

from dashboard import briefing
from dashboard.i18n import t
from tests.browser.conftest import screenshot, wait_until_rendered


def test_briefing_page_previews_builds_and_downloads(page, sample_url, tmp_path):
    page.goto(f"{sample_url}/briefing")
    wait_until_rendered(page, selector=".js-plotly-plot")
    charts = len(briefing.SECTIONS)
    page.wait_for_function(
        f"document.querySelectorAll('.js-plotly-plot').length == {charts}", timeout=30_000
    )
    assert page.locator("[data-testid=stException]").count() == 0
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
