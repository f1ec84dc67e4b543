"""Upload, publish, roll back — one steward's session in a real browser (issue 13): a good
file uploaded on the Upload page and published, the KPI changes on the Overview; on the Loads
page the earlier snapshot is made current again, and the KPI is back. Widgets are found by the
keys the pages give them (Streamlit's `st-key-<key>` classes) and labels from the catalogue,
not by wording that may change. Screenshots (zh) in test-output/screenshots/loads-*.png."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.access import audit
from dashboard.cli import app
from dashboard.i18n import t
from etl import warehouse
from etl.load import load
from tests.browser.conftest import screenshot, signed_in_context, wait_until_rendered
from tests.conftest import TODAY, split_sample

FILE = "takedowns_2026.csv"
TITLE = "[data-testid=stMainBlockContainer] h1"


def kpis_2026(db: Path) -> dict:
    result = CliRunner().invoke(app, ["kpis", "--json", "--year", "2026", "--db", str(db)])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def notices_shown(page) -> str:
    tile = page.locator("[data-testid=stMetric]", has_text=t("takedown_requests", "zh")).first
    return tile.locator("[data-testid=stMetricValue]").inner_text().strip()


@pytest.fixture
def steward_wh(tmp_path: Path) -> tuple[warehouse.WarehousePaths, Path]:
    """A warehouse holding a twentieth of the sample up to 2025, and the 2026 files."""
    first, second = split_sample(tmp_path / "sample", seed=42, scale=0.05)
    db = tmp_path / "wh" / "warehouse.duckdb"
    load([first], db, today=TODAY)
    return warehouse.WarehousePaths(db), second


def test_upload_publish_then_roll_back_in_one_session(browser, serve, steward_wh):
    paths, second = steward_wh
    url = serve(paths.db)
    context = signed_in_context(
        browser, url, paths.db, viewport={"width": 1400, "height": 1800}, locale="zh-CN"
    )
    page = context.new_page()
    try:
        before = kpis_2026(paths.db)["takedown_requests"]
        page.goto(f"{url}/?period=year&y=2026&lang=zh")
        wait_until_rendered(page)
        assert notices_shown(page) == f"{before:,}"
        first_snapshot = warehouse.snapshot_id(paths)

        page.goto(f"{url}/upload?lang=zh")
        wait_until_rendered(page, TITLE)
        page.locator("[data-testid=stFileUploaderDropzoneInput]").set_input_files(
            str(second / FILE)
        )
        publish = page.locator(".st-key-up_publish button")
        publish.wait_for(timeout=60_000)
        wait_until_rendered(page, ".st-key-up_publish button")
        screenshot(page, "loads-1-upload-checked-zh")
        publish.click()
        page.wait_for_selector("[data-testid=stAlertContentSuccess]", timeout=120_000)
        wait_until_rendered(page, TITLE)
        screenshot(page, "loads-2-published-zh")
        published = warehouse.snapshot_id(paths)
        assert published != first_snapshot
        after = kpis_2026(paths.db)["takedown_requests"]
        assert after > before

        page.goto(f"{url}/?period=year&y=2026&lang=zh")
        wait_until_rendered(page)
        assert notices_shown(page) == f"{after:,}"
        screenshot(page, "loads-3-kpi-after-publish-zh")

        page.goto(f"{url}/loads?lang=zh")
        wait_until_rendered(page, ".st-key-loads_ask button")
        assert page.locator(TITLE).inner_text().strip() == t("page_loads", "zh")
        screenshot(page, "loads-4-history-zh")
        page.locator(".st-key-loads_ask button").click()  # the only earlier snapshot: chosen
        confirm = page.locator(".st-key-loads_confirm button")
        confirm.wait_for(timeout=30_000)
        wait_until_rendered(page, ".st-key-loads_confirm button")
        text = page.inner_text("[data-testid=stMain]")
        assert t("loads_confirm_what", "zh", target=first_snapshot, current=published) in text
        assert t("loads_confirm_withdraw", "zh", n=1, loads=published) in text
        screenshot(page, "loads-5-confirm-zh")
        confirm.click()
        page.wait_for_selector("[data-testid=stAlertContentSuccess]", timeout=60_000)
        wait_until_rendered(page, TITLE)
        done = t("loads_done", "zh", snapshot=first_snapshot, previous=published)
        assert done in page.inner_text("[data-testid=stMain]")
        screenshot(page, "loads-6-rolled-back-zh")
        assert warehouse.snapshot_id(paths) == first_snapshot

        page.goto(f"{url}/?period=year&y=2026&lang=zh")
        wait_until_rendered(page)
        assert (
            notices_shown(page) == f"{before:,}" == f"{kpis_2026(paths.db)['takedown_requests']:,}"
        )
        screenshot(page, "loads-7-kpi-back-zh")
    finally:
        context.close()
    actions = [(e.action, e.outcome) for e in audit.entries(paths) if e.action != "page_view"]
    assert ("publish", "ok") in actions and ("rollback", "ok") in actions
    (rolled,) = audit.entries(paths, action="rollback")
    assert rolled.target == first_snapshot and rolled.detail["withdrawn"] == [published]
