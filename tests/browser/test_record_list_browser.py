"""A drill-down record list in a real browser: the page shows the first rows and says how many
there are; the CSV, built only when the button is clicked, holds every record."""

from __future__ import annotations

import json

import polars as pl
from typer.testing import CliRunner

from dashboard.cli import app
from dashboard.columns import COLUMNS
from tests.browser.conftest import wait_until_rendered


def test_takedown_records_download_every_notice_on_click(page, sample_url, sample_wh, tmp_path):
    result = CliRunner().invoke(
        app, ["kpis", "--json", "--db", str(sample_wh.db), "--year", "2023"]
    )
    want = json.loads(result.output)["takedown_requests"]

    page.goto(f"{sample_url}/takedowns?period=year&y=2023&lang=en")
    wait_until_rendered(page)
    records = page.locator("[data-testid=stExpander]", has_text="Records behind the numbers")
    records.get_by_text("Records behind the numbers").click()
    wait_until_rendered(page, "[data-testid=stDataFrame]")
    assert records.get_by_text(f"{want:,} rows").count() == 1

    with page.expect_download() as download:
        records.get_by_role("button", name="Download CSV").click()
    assert download.value.suggested_filename == "takedown_records.csv"
    path = tmp_path / "takedown_records.csv"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads the Chinese right"
    notices = pl.read_csv(data[3:])
    assert notices.height == want
    # headers and codes in the reader's language, as on screen (dashboard/display.py)
    assert notices[COLUMNS["notice_id"].header("en")].n_unique() == want
    # the download is in the audit trail: who, which file, how many rows
    from dashboard.access import audit

    (row,) = audit.entries(sample_wh, action="download", limit=1)
    assert (row.target, row.rows, row.detail["query"]) == (
        "takedown_records.csv",
        want,
        "takedown_records",
    )
    assert "tmall" not in set(notices[COLUMNS["platform"].header("en")])
