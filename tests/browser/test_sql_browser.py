"""The SQL console in a real browser: run a starter query, save it, reload and find it again,
download the result as CSV and get exactly the rows the sandbox gives; a download bigger than
IPGOV_DOWNLOAD_MAX_MB is cut there and the page says so."""

from __future__ import annotations

import uuid

import polars as pl

from dashboard import console
from etl import appdb
from tests.browser.conftest import screenshot, signed_in_context, wait_until_rendered

STARTER = "takedowns_slow_by_platform"
EDITOR = "[data-testid=stTextArea] textarea"
TABLE = "[data-testid=stDataFrame]"


def test_run_save_reload_download(page, sample_url, sample_wh, tmp_path):
    starter = next(s for s in console.starter_queries() if s.key == STARTER)
    want = console.run(sample_wh, starter.sql).frame()
    name = f"慢平台 {uuid.uuid4().hex[:6]}"

    page.goto(f"{sample_url}/sql")
    wait_until_rendered(page, EDITOR)
    sidebar = page.locator("[data-testid=stSidebar]")
    sidebar.get_by_role("button", name=starter.title_zh).click()
    wait_until_rendered(page, TABLE)
    assert page.locator(EDITOR).input_value().strip() == starter.sql
    assert page.get_by_text(f"{want.height} 行 · ").count() == 1
    screenshot(page, "sql-result-zh")

    page.get_by_text("保存此查询").click()
    page.get_by_label("名称").fill(name)
    page.get_by_label("名称").press("Enter")
    wait_until_rendered(page, TABLE)
    page.get_by_label("说明（回答什么问题）").fill("哪些平台没有做到2个工作日内下架")
    page.get_by_label("说明（回答什么问题）").press("Enter")
    wait_until_rendered(page, TABLE)
    page.get_by_role("button", name="保存", exact=True).click()
    wait_until_rendered(page, "[data-testid=stAlertContentSuccess]")

    page.reload()
    wait_until_rendered(page, EDITOR)
    saved = sidebar.get_by_role("button", name=name)
    assert saved.count() == 1, "the saved query survives a reload"
    saved.click()
    wait_until_rendered(page, TABLE)

    with page.expect_download() as download:
        page.get_by_role("button", name="下载 CSV").click()
    path = tmp_path / "result.csv"
    download.value.save_as(path)
    data = path.read_bytes()
    assert data.startswith(b"\xef\xbb\xbf"), "a BOM, so Excel reads the Chinese right"
    got = pl.read_csv(data[3:])
    assert got.columns == want.columns
    assert got.height == want.height
    assert got["removed_after_2wd"].to_list() == want["removed_after_2wd"].to_list()
    screenshot(page, "sql-saved-zh")
    assert appdb.delete_query(sample_wh, name)


def test_refusal_shows_one_line(page, sample_url):
    page.goto(f"{sample_url}/sql?lang=en")
    wait_until_rendered(page, EDITOR)
    page.locator(EDITOR).fill("select 1; drop table fct_cases")
    page.get_by_role("button", name="Run", exact=True).click()
    wait_until_rendered(page, "[data-testid=stAlertContentError]")
    error = page.locator("[data-testid=stAlertContentError]").inner_text().strip()
    assert error == "Refused: 2 statements — the console runs exactly one per run."


def test_a_download_over_the_byte_cap_is_cut_and_the_page_says_so(page, serve, sample_wh, tmp_path):
    """The deferred download runs in Streamlit's worker thread; the click's rerun waits for it
    (on_click) and then shows the warning, while the browser still gets the file."""
    url = serve(sample_wh.db, IPGOV_DOWNLOAD_MAX_MB="1")
    query = "select md5(i::varchar) || md5((i * 7)::varchar) as digest, i from range(200000) t(i)"
    page.goto(f"{url}/sql?lang=en")
    wait_until_rendered(page, EDITOR)
    page.locator(EDITOR).fill(query)
    page.get_by_role("button", name="Run", exact=True).click()
    wait_until_rendered(page, TABLE)
    caps = "Downloads hold the whole result, up to 1,000,000 rows and 1 MB"
    assert page.get_by_text(caps).count() == 1

    with page.expect_download() as download:
        page.get_by_role("button", name="Download CSV").click()
    path = tmp_path / "cut.csv"
    download.value.save_as(path)
    data = path.read_bytes()
    assert len(data) <= 1024**2
    rows = pl.read_csv(data[3:]).height
    assert 0 < rows < 200_000
    warning = "[data-testid=stAlertContentWarning]"
    wait_until_rendered(page, warning)
    texts = page.locator(warning).all_inner_texts()
    want = f"The CSV download was cut at the 1 MB download limit: it holds the first {rows:,} rows."
    assert any(text.startswith(want) for text in texts), texts
    screenshot(page, "sql-download-cut-en")


RUNAWAY = "select count(*) from range(1000000) as a, range(1000000) as b"
RUNNING = "[data-testid=stApp][data-test-script-state=running]"


# Long enough for the other session to load its page and get its answer on a slow shared CI
# machine (two cores, the browser and the server on them): with the default 10 s the runaway
# could reach its limit first there, and the test would prove nothing.
RUNAWAY_LIMIT_SECONDS = 30


def test_a_runaway_query_does_not_hold_up_another_session(browser, serve, sample_wh):
    """Issue 12: while one analyst's query runs to its time limit, another browser session gets
    its page and its own query's answer; the runaway then ends in one line."""
    url = serve(sample_wh.db, IPGOV_SQL_TIME_LIMIT_SECONDS=str(RUNAWAY_LIMIT_SECONDS))
    contexts = [
        signed_in_context(browser, url, sample_wh.db, viewport={"width": 1400, "height": 1600})
        for _ in range(2)
    ]
    analyst, other = (context.new_page() for context in contexts)
    try:
        analyst.goto(f"{url}/sql?lang=en")
        wait_until_rendered(analyst, EDITOR)
        analyst.locator(EDITOR).fill(RUNAWAY)
        analyst.get_by_role("button", name="Run", exact=True).click()
        analyst.wait_for_selector(RUNNING)

        other.goto(f"{url}/sql?lang=en")
        wait_until_rendered(other, EDITOR)
        other.locator(EDITOR).fill("select 42 as answer")
        other.get_by_role("button", name="Run", exact=True).click()
        wait_until_rendered(other, TABLE)
        assert other.get_by_text("1 rows · ").count() == 1
        assert analyst.locator(RUNNING).count() == 1, "answered while the runaway still runs"
        assert analyst.locator("[data-testid=stAlertContentError]").count() == 0

        limit_ms = (RUNAWAY_LIMIT_SECONDS + 30) * 1000  # the runaway's limit, then the usual wait
        wait_until_rendered(analyst, "[data-testid=stAlertContentError]", timeout=limit_ms)
        error = analyst.locator("[data-testid=stAlertContentError]").inner_text().strip()
        assert error == f"Stopped after {RUNAWAY_LIMIT_SECONDS} s (time limit)."
    finally:
        for context in contexts:
            context.close()
