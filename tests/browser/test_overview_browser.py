"""The Overview page in a real browser: numbers equal `ipgov kpis`, the language switch works."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from etl.cli import app
from tests.browser.conftest import screenshot, wait_until_rendered


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
    assert page.locator(".js-plotly-plot").count() == 2
    screenshot(page, "overview-zh")

    page.get_by_text("English", exact=True).click()
    wait_until_rendered(page)
    assert metric(page, "Assistance cases received") == f"{want['cases_accepted']:,}"
    assert "lang=en" in page.url
    screenshot(page, "overview-en")
