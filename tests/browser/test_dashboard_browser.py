"""The dashboard in a real browser: every page renders, KPI numbers equal `ipgov kpis`, filters
change the view and land in the URL, the language switch works; screenshots for a person."""

from __future__ import annotations

import json

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from tests.browser.conftest import screenshot, wait_until_rendered

PAGES = ["overview", "takedowns", "cases", "patents", "trademarks", "notarizations", "referrals"]


def kpis_json(db, *args: str) -> dict:
    result = CliRunner().invoke(app, ["kpis", "--json", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


def metric(page, label: str) -> str:
    tile = page.locator("[data-testid=stMetric]", has_text=label).first
    return tile.locator("[data-testid=stMetricValue]").inner_text().strip()


def test_overview_matches_cli_and_switches_language(page, sample_url, sample_wh):
    page.goto(sample_url)
    wait_until_rendered(page)
    want = kpis_json(sample_wh.db)  # default period: the latest quarter with data
    assert metric(page, "维权援助受理") == f"{want['cases_accepted']:,}"
    assert metric(page, "下架通知") == f"{want['takedown_requests']:,}"
    # the landing page draws no chart until its trends are opened (dashboard/prefetch.py)
    assert page.locator(".js-plotly-plot").count() == 0
    page.get_by_text("月度趋势", exact=True).click()
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot .main-svg').length >= 2", timeout=30_000
    )
    wait_until_rendered(page)
    assert page.locator(".js-plotly-plot").count() == 2
    screenshot(page, "overview-zh")

    page.get_by_text("English", exact=True).click()
    wait_until_rendered(page)
    assert metric(page, "Assistance cases received") == f"{want['cases_accepted']:,}"
    assert "lang=en" in page.url
    screenshot(page, "overview-en")


def test_changing_the_period_follows_ipgov_kpis(page, sample_url, sample_wh):
    page.goto(f"{sample_url}/?period=year&y=2023")
    wait_until_rendered(page)
    want = kpis_json(sample_wh.db, "--year", "2023")
    assert metric(page, "维权援助受理") == f"{want['cases_accepted']:,}" == "408"
    assert metric(page, "商标执法立案") == f"{want['trademark_cases']:,}" == "189"

    page.get_by_text("季度", exact=True).click()  # switch the period type to a quarter
    wait_until_rendered(page)
    assert "period=quarter" in page.url
    quarter = page.url.split("q=")[1].split("&")[0]
    want = kpis_json(sample_wh.db, "--quarter", quarter)
    assert metric(page, "专利预审受理") == f"{want['patent_preexam_accepted']:,}"


@pytest.mark.parametrize("name", PAGES[1:])
def test_every_page_renders_in_the_browser(page, sample_url, name):
    page.goto(f"{sample_url}/{name}?period=quarter&q=2024Q3")
    wait_until_rendered(page)
    page.wait_for_function(
        "document.querySelectorAll('.js-plotly-plot').length >= 2", timeout=30_000
    )
    assert page.locator("[data-testid=stException]").count() == 0
    screenshot(page, f"{name}-2024Q3")


def test_takedowns_page_with_a_platform_filter(page, sample_url, sample_wh):
    page.goto(f"{sample_url}/takedowns?period=quarter&q=2024Q3&lang=en")
    wait_until_rendered(page)
    want = kpis_json(sample_wh.db, "--quarter", "2024Q3")
    assert metric(page, "Notices") == f"{want['takedown_requests']:,}"
    page.goto(f"{sample_url}/takedowns?period=quarter&q=2024Q3&lang=en&platform=tmall")
    wait_until_rendered(page)
    filtered = int(metric(page, "Notices").replace(",", ""))
    assert 0 < filtered < want["takedown_requests"]
    screenshot(page, "takedowns-tmall-en")
