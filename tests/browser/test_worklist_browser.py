"""The 督办 worklist in a real browser, one session: opened from the sidebar in Chinese, the
tiles and the list as the query has them, narrowed by its own kind filter, followed by a
record link to the page listing the record, and back; then the Alerts page; zh screenshots."""

from __future__ import annotations

from dashboard.columns import local_codes
from dashboard.i18n import t
from tests.browser.conftest import screenshot, server_log, wait_until_rendered

MAIN = "[data-testid=stMain]"


def test_worklist_walk(page, sample_url):
    log_start = len(server_log(sample_url))
    names = local_codes("zh")["worklist_kind"]
    page.goto(f"{sample_url}/?lang=zh")
    wait_until_rendered(page)
    page.locator("[data-testid=stSidebarNav] a", has_text=t("page_worklist", "zh")).click()
    page.wait_for_url("**/worklist**")
    wait_until_rendered(page, "[data-testid=stDataFrame]")
    main = page.locator(MAIN)
    assert main.locator("h1").inner_text().strip() == t("page_worklist", "zh")
    tiles = {
        m.locator("[data-testid=stMetricLabel]").inner_text().strip(): m.locator(
            "[data-testid=stMetricValue]"
        )
        .inner_text()
        .strip()
        for m in main.locator("[data-testid=stMetric]").all()
    }
    assert tiles == {
        names["takedown_live"]: "295",
        names["opinion_missing"]: "0",
        names["case_open"]: "3",
        names["referral_unanswered"]: "2",
    }
    assert main.get_by_text(t("rows_shown", "zh", n=303), exact=True).count() == 1
    shot = screenshot(page, "worklist-zh")
    assert shot.stat().st_size > 10_000

    # the page's own kind filter: open cases only
    kinds = main.locator("[data-testid=stMultiSelect]").first
    kinds.click()
    page.get_by_role("option", name=names["case_open"]).click()
    page.keyboard.press("Escape")
    wait_until_rendered(page, "[data-testid=stDataFrame]")
    assert main.get_by_text(t("rows_shown", "zh", n=4), exact=True).count() == 1

    # a record link: the Cases page on the day the oldest open case was accepted
    page.goto(f"{sample_url}/cases?period=custom&from=2026-06-01&to=2026-06-01&lang=zh")
    wait_until_rendered(page)
    assert "2026-06-01" in page.locator(MAIN).inner_text()
    page.go_back()
    wait_until_rendered(page, "[data-testid=stMetric]")
    assert page.locator(MAIN).locator("h1").inner_text().strip() == t("page_worklist", "zh")

    # the Alerts page in the same session: nothing sent on the sample yet, the default rules
    page.locator("[data-testid=stSidebarNav] a", has_text=t("page_alerts", "zh")).click()
    page.wait_for_url("**/alerts**")
    wait_until_rendered(page, "[data-testid=stDataFrame]")
    main = page.locator(MAIN)
    assert main.locator("h1").inner_text().strip() == t("page_alerts", "zh")
    assert main.get_by_text(t("alerts_no_sends", "zh")).count() == 1
    assert main.get_by_role("button", name=t("alerts_save", "zh")).count() == 1  # an admin
    screenshot(page, "alerts-zh")

    assert "Traceback" not in server_log(sample_url)[log_start:]
    assert not page.locator("[data-testid=stException]").count()
