"""The Compare page as a person clicks it, in ONE browser session (issue 16): open it, choose
four platforms, switch to quarters, go to another page and back, browser back and forward —
no exception anywhere, and every number the one `ipgov kpis` prints for that side."""

from __future__ import annotations

import json
import re

from typer.testing import CliRunner

from dashboard import compare, formats
from dashboard.cli import app as cli_app
from dashboard.i18n import CATALOG, t
from etl.periods import parse_quarter
from tests.browser.conftest import screenshot, wait_until_rendered
from tests.browser.test_click_paths import Walk
from tests.browser.test_language import MISSING, TEXT_JS, english_words

PLATFORMS = {"tmall": "天猫", "jd": "京东", "pinduoduo": "拼多多", "douyin": "抖音"}
QUARTERS = ("2025Q3", "2026Q3")


def shown_sides(page) -> dict[str, dict[str, str]]:
    """Each side's column as the browser shows it: heading → {KPI label: value}."""
    out: dict[str, dict[str, str]] = {}
    columns = page.locator("[data-testid=stColumn]")
    for i in range(columns.count()):
        column = columns.nth(i)
        metrics = column.locator("[data-testid=stMetric]")
        if metrics.count() == 0:
            continue
        heading = column.locator("[data-testid=stMarkdownContainer] strong").first.inner_text()
        out[heading] = {
            metrics.nth(j).locator("[data-testid=stMetricLabel]").inner_text().strip(): metrics.nth(
                j
            )
            .locator("[data-testid=stMetricValue]")
            .inner_text()
            .strip()
            for j in range(metrics.count())
        }
    return out


def expected(db, kind: str, *args: str) -> dict[str, str]:
    """The side's KPIs as `ipgov kpis --json …` gives them, in the page's zh formats."""
    result = CliRunner().invoke(cli_app, ["kpis", "--json", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    got = json.loads(result.output)
    label = {k: t(f"tile_{k}" if f"tile_{k}" in CATALOG else k, "zh") for k in compare.KPIS[kind]}
    return {label[k]: compare.value_text(k, got[k], "zh") for k in compare.KPIS[kind]}


def reads_chinese(page) -> None:
    """No English word and no None/nan on the page in zh, the page list in the sidebar included
    (past twelve pages Streamlit would fold it behind an English "View N more": app.py)."""
    words = english_words(page.evaluate(TEXT_JS, False))
    words |= set(MISSING.findall(page.evaluate(TEXT_JS, True)))
    assert not words, words


def tall_screenshot(page, name: str) -> None:
    """The whole page: Streamlit scrolls inside its main block, so the window is made tall."""
    page.set_viewport_size({"width": 1500, "height": 4200})
    wait_until_rendered(page)
    page.wait_for_timeout(800)  # the charts draw
    screenshot(page, name)
    page.set_viewport_size({"width": 1500, "height": 1000})


def pick(walk: Walk, option: str) -> None:
    """Type an option's name into the comparison's picker and take it."""
    box = walk.page.locator("[data-testid=stMultiSelect]").first
    box.locator("input").click()
    box.locator("input").fill(option)
    walk.page.locator("[role=option]", has_text=option).first.click()
    walk.page.keyboard.press("Escape")
    walk.settle(f"pick {option}", "[data-testid=stMain] h1")


def main_radio(walk: Walk, label: str) -> None:
    walk.page.locator(
        "[data-testid=stMain] [data-testid=stRadio] label", has_text=re.compile(f"^{label}$")
    ).first.click()
    walk.settle(f"radio {label}")


def test_compare_walk_four_platforms_then_quarters_and_back(page, sample_url, sample_wh):
    page.set_viewport_size({"width": 1500, "height": 1000})
    page.goto(f"{sample_url}/compare?by=platforms&pick=&in=2026Q3")
    walk = Walk(page, sample_url)
    walk.settle("open compare, nothing picked")
    assert walk.title() == t("page_compare", "zh")
    assert t("compare_pick_some", "zh", n=4) in page.inner_text("[data-testid=stMain]")

    for name in PLATFORMS.values():
        pick(walk, name)
    wait_until_rendered(page)
    assert "pick=tmall%2Cjd%2Cpinduoduo%2Cdouyin" in page.url or "pick=tmall,jd" in page.url
    sides = shown_sides(page)
    assert len(sides) == 4
    share = t("takedown_within_2wd_share", "zh")
    by_rank = {}
    for heading, metrics in sides.items():
        rank, name = heading.split(". ", 1)
        code = next(c for c, n in PLATFORMS.items() if n == name)
        want = expected(sample_wh.db, "platforms", "--quarter", "2026Q3", "--platform", code)
        assert metrics == want, code
        by_rank[int(rank)] = float(metrics[share].rstrip("%"))
    assert [by_rank[r] for r in (1, 2, 3, 4)] == sorted(by_rank.values(), reverse=True)
    assert page.locator("[data-testid=stPlotlyChart]").count() == 5  # four trends, the bars
    reads_chinese(page)
    tall_screenshot(page, "compare-zh-platforms")

    main_radio(walk, t("compare_by_quarters", "zh"))  # the default: 2026Q3 and a year before
    wait_until_rendered(page)
    assert "by=quarters" in page.url
    words = {formats.period_label(parse_quarter(q), "zh"): q for q in QUARTERS}
    sides = shown_sides(page)
    assert set(sides) == set(words)
    for heading, metrics in sides.items():
        assert metrics == expected(sample_wh.db, "quarters", "--quarter", words[heading])
    reads_chinese(page)
    tall_screenshot(page, "compare-zh-quarters")

    walk.nav("takedowns", "zh", "page_takedowns")
    walk.nav("compare", "zh", "page_compare")
    wait_until_rendered(page)
    assert set(shown_sides(page)) == set(words)  # the quarters, kept across the page change

    # back: through the Takedowns page's entries (its sidebar writes its filters into the
    # address, one history entry), to the quarters, then to the four platforms before the switch
    back(walk, lambda: walk.title() == t("page_takedowns", "zh"))
    back(walk, lambda: walk.title() == t("page_compare", "zh") and "by=quarters" in page.url)
    assert set(shown_sides(page)) == set(words)
    back(walk, lambda: "by=platforms" in page.url)
    assert walk.title() == t("page_compare", "zh")
    for heading, metrics in shown_sides(page).items():
        code = next(c for c, n in PLATFORMS.items() if n == heading.split(". ", 1)[1])
        want = expected(sample_wh.db, "platforms", "--quarter", "2026Q3", "--platform", code)
        assert metrics == want, code
    assert len(shown_sides(page)) == 4
    page.go_forward()
    walk.settle("forward")
    wait_until_rendered(page)
    assert "by=quarters" in page.url
    assert set(shown_sides(page)) == set(words)

    walk.radio("English")  # the language switch keeps the page and the comparison
    wait_until_rendered(page)
    assert walk.title() == t("page_compare", "en") and "lang=en" in page.url
    assert set(shown_sides(page)) == {
        formats.period_label(parse_quarter(q), "en") for q in QUARTERS
    }
    main = page.inner_text("[data-testid=stMain]")
    chinese = re.findall(r"[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]+", main)
    assert not chinese, chinese  # English complete on its own (the grid draws on a canvas)
    walk.check()


def back(walk: Walk, arrived, most: int = 4) -> None:
    """Browser back until `arrived()` (at most `most` steps), checking the page after each."""
    for _ in range(most):
        walk.page.go_back()
        walk.settle("back")
        if arrived():
            wait_until_rendered(walk.page)
            return
    raise AssertionError(f"not there after {most} steps back: {walk.page.url}")
