"""The Upload page in a real browser, on the server `ipgov serve` runs (issue 13): a corrected
file's preview shows the numbers `ipgov check --json --db` prints, the changed fields in the
page's language, and Publish loads it; Streamlit's own upload limit follows IPGOV_UPLOAD_MAX_MB."""

from __future__ import annotations

import json

from typer.testing import CliRunner

from dashboard.cli import app
from etl import warehouse
from etl.load import load
from tests.browser.conftest import signed_in_context, wait_until_rendered
from tests.conftest import TODAY, query
from tests.test_preview import corrected_cases

CELLS_JS = """(frame) => Array.from(frame.querySelectorAll('[id^=glide-cell]'))
  .map(c => [c.id, c.textContent.trim()])"""
HEADERS_JS = """(frame) => Array.from(frame.querySelectorAll('[role=columnheader]'))
  .map(c => c.textContent.trim())"""


def _rows(frame) -> list[dict[str, str]]:
    """A data grid's rows as header → text (glide's accessible table, drawn a moment after the
    grid)."""
    frame.locator("[id^=glide-cell]").first.wait_for(state="attached", timeout=15_000)
    cells: dict[tuple[int, int], str] = {}
    for cell_id, text in frame.evaluate(CELLS_JS):
        _, _, col, row = cell_id.split("-")
        cells[(int(row), int(col))] = text
    rows = sorted({r for r, _ in cells})
    cols = sorted({c for _, c in cells})
    headers = frame.evaluate(HEADERS_JS)
    return [dict(zip(headers, [cells.get((r, c), "") for c in cols], strict=True)) for r in rows]


def test_the_preview_in_the_browser_is_check_json_and_publish_loads_it(
    browser, serve, small_sample, tmp_path
):
    db = tmp_path / "wh" / "warehouse.duckdb"
    first = [*sorted(small_sample.glob("*2022*")), small_sample / "cases_2023.csv"]
    assert not load(first, db, today=TODAY).rejected
    corrected, fixed_ids = corrected_cases(small_sample, tmp_path / "in")
    result = CliRunner().invoke(app, ["check", str(corrected), "--db", str(db), "--json"])
    want = json.loads(result.stdout)["files"][0]["preview"]
    big = tmp_path / "in" / "big.csv"
    big.write_bytes(corrected.read_bytes() + b"\n" * (2 * 1024 * 1024))

    url = serve(db, IPGOV_UPLOAD_MAX_MB="1")
    context = signed_in_context(browser, url, db, viewport={"width": 1400, "height": 2400})
    page = context.new_page()
    try:
        page.goto(f"{url}/upload?lang=en")
        wait_until_rendered(page, "[data-testid=stMainBlockContainer] h1")
        page.set_input_files("[data-testid=stFileUploaderDropzoneInput]", [str(corrected)])
        wait_until_rendered(page, "text=What Publish would change")
        status = page.locator("[data-testid=stExpander] summary", has_text="1 file(s) checked.")
        assert status.count() == 1  # the progress, done
        bars = page.locator("[data-testid=stExpander] [data-testid=stProgress]")
        assert bars.count() == 2  # the batch's bar, then one per file (its steps' progress)
        assert page.get_by_text(f"{corrected.name} done", exact=True).count() == 1
        frames = page.locator("[data-testid=stDataFrame]")
        (shown,) = _rows(frames.nth(1))
        assert shown["On publish"] == "Loads"
        assert [shown[h] for h in ("New records", "Changed records", "Unchanged records")] == [
            str(want["records_new"]), str(want["records_changed"]),
            str(want["records_unchanged"])]  # fmt: skip
        fields = _rows(frames.nth(2))
        first_change = want["changed_records"][0]
        mine = [r for r in fields if r["Record ID"] == first_change["record"]]
        assert sorted(r["Field"] for r in mine) == ["Closed", "Outcome"]
        closed = next(r for r in mine if r["Field"] == "Closed")
        assert closed["New value"] == first_change["fields"]["closed_on"]["new"]
        assert sorted({r["Record ID"] for r in fields}) == fixed_ids

        # bigger than IPGOV_UPLOAD_MAX_MB: the picker refuses it in the browser, nothing saved
        page.set_input_files("[data-testid=stFileUploaderDropzoneInput]", [str(big)])
        picker = page.locator("[data-testid=stFileUploader]")
        picker.get_by_text("File must be 1.0MB or smaller.").wait_for(timeout=10_000)
        page.wait_for_timeout(500)
        assert page.get_by_text("files up to 1 MB can be uploaded").count() == 0  # not ours
        saved = sorted(p.name for p in (db.parent / "uploads").rglob("*.csv"))
        assert saved == [corrected.name]

        page.get_by_role("button", name="Publish").click()
        wait_until_rendered(page, "text=Load outcome")
    finally:
        context.close()
    paths = warehouse.WarehousePaths(db)
    marks = ", ".join("?" for _ in fixed_ids)
    closed_now = query(
        paths,
        f"select count(*) from fct_cases where case_id in ({marks}) "
        "and closed_on = date '2023-12-29'",
        fixed_ids,
    )
    assert closed_now == [(len(fixed_ids),)]
    assert query(paths, "select count(*) from fct_cases where case_id like 'WQ2023-99%'") == [
        (want["records_new"],)
    ]


def test_the_pickers_own_refusal_reads_chinese_on_the_chinese_page(
    browser, serve, small_sample, tmp_path
):
    """Streamlit refuses a file over the limit in the browser, in English; the Chinese page
    hides that line and says it in Chinese."""
    from dashboard.i18n import t

    db = tmp_path / "wh" / "warehouse.duckdb"
    assert not load(sorted(small_sample.glob("*2022*")), db, today=TODAY).rejected
    big = tmp_path / "in" / "big.csv"
    big.parent.mkdir()
    big.write_bytes((small_sample / "takedowns_2023.csv").read_bytes() + b"\n" * (2 << 20))
    url = serve(db, IPGOV_UPLOAD_MAX_MB="1")
    context = signed_in_context(browser, url, db, viewport={"width": 1400, "height": 1600})
    page = context.new_page()
    try:
        page.goto(f"{url}/upload?lang=zh")
        wait_until_rendered(page, "[data-testid=stMainBlockContainer] h1")
        page.set_input_files("[data-testid=stFileUploaderDropzoneInput]", [str(big)])
        alert = page.locator("[data-testid=stFileUploader] [role=alert]")
        alert.wait_for(state="attached", timeout=10_000)
        shown = alert.evaluate(
            "(e) => [getComputedStyle(e).visibility, getComputedStyle(e, '::after').content,"
            " getComputedStyle(e, '::after').visibility]"
        )
    finally:
        context.close()
    assert shown == ["hidden", f'"{t("up_refused_in_browser", "zh", mb=1)}"', "visible"]
    assert not list((db.parent / "uploads").rglob("*.csv"))
