"""The dashboard as a person clicks it: ONE browser session, no reloads between steps.

Fresh-session AppTests cannot see state that breaks on the second click (issue 11: the second
sidebar click raised KeyError 'f_quarter'), so this walks the sidebar through every page in both
languages, every period kind on every filtered page, switches the language midway, goes back and
forward, and opens deep links valid and invalid. Any exception element, traceback or Streamlit
error dialog on the page, or traceback in the server's log, fails the walk with the step that
caused it.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

import pytest

from dashboard.i18n import CATALOG, t
from tests.browser.conftest import screenshot, server_log, wait_until_rendered

PAGES = [
    ("overview", "page_overview"),
    ("takedowns", "page_takedowns"),
    ("cases", "page_cases"),
    ("patents", "page_patents"),
    ("trademarks", "page_trademarks"),
    ("notarizations", "page_notarizations"),
    ("referrals", "page_referrals"),
    ("sql", "page_sql"),
    ("briefing", "page_briefing"),
    ("quality", "page_quality"),
]
FILTERED = ["overview", "takedowns", "cases", "patents", "trademarks", "notarizations", "referrals"]
# The Overview is the default page, served at "/": its sidebar link points there.
HREF = {"overview": ""}


class Walk:
    """One page (browser tab) and the server behind it; `check` after every step."""

    def __init__(self, page, url: str):
        self.page, self.url, self.steps = page, url, []
        self.log_start = len(server_log(url))
        # An office's dashboard runs on an intranet: nothing it shows may be fetched from
        # elsewhere (a Material-symbol favicon came from fonts.gstatic.com, issue 11).
        self.elsewhere: list[str] = []
        home = urlsplit(url).netloc
        page.on(
            "request",
            lambda r: (
                self.elsewhere.append(r.url)
                if urlsplit(r.url).scheme in ("http", "https", "ws", "wss")
                and urlsplit(r.url).netloc != home
                else None
            ),
        )

    def settle(self, step: str, selector: str = "[data-testid=stMainBlockContainer] h1") -> None:
        self.steps.append(step)
        wait_until_rendered(self.page, selector)
        self.check()

    def check(self) -> None:
        step = " → ".join(self.steps[-3:])
        errors = self.page.locator("[data-testid=stException]")
        assert errors.count() == 0, f"after {step}: {errors.first.inner_text()[:500]}"
        text = self.page.inner_text("body")
        assert "Traceback" not in text, f"after {step}: traceback on the page"
        dialogs = self.page.locator("[role=dialog]")
        assert dialogs.count() == 0, f"after {step}: dialog {dialogs.first.inner_text()[:200]}"
        log = server_log(self.url)[self.log_start :]
        assert "Traceback" not in log, f"after {step}: the server logged\n{log[-3000:]}"
        assert not self.elsewhere, f"after {step}: requests off the server: {self.elsewhere[:3]}"

    def nav(self, path: str, lang: str, title_key: str) -> None:
        link = self.page.locator(f"[data-testid=stSidebarNav] a[href$='/{HREF.get(path, path)}']")
        link.first.click()
        self.settle(f"sidebar {path}")
        assert t(title_key, lang) in self.page.inner_text("[data-testid=stSidebarNav]")

    def radio(self, label: str) -> None:
        self.page.locator(
            "[data-testid=stSidebar] label", has_text=re.compile(f"^{label}$")
        ).first.click()
        self.settle(f"radio {label}")

    def goto(self, path: str) -> None:
        self.page.goto(self.url + path)
        self.settle(f"goto {path}")

    def title(self) -> str:
        return self.page.locator("[data-testid=stMainBlockContainer] h1").first.inner_text()


@pytest.fixture
def walk(page, sample_url):
    page.set_viewport_size({"width": 1440, "height": 900})
    w = Walk(page, sample_url)  # listening before the first request
    page.goto(sample_url)
    w.settle("open")
    return w


def test_sidebar_in_any_order_both_languages_every_period_kind(walk):
    for lang in ("zh", "en"):
        if lang == "en":
            walk.radio("English")
        for path, key in [*PAGES[1:], PAGES[0], *reversed(PAGES[1:4])]:
            walk.nav(path, lang, key)
            expected = t("app_title" if path == "overview" else key, lang)
            assert walk.title() == expected, path
            if path in FILTERED:
                for kind in ("year", "custom", "quarter"):
                    walk.radio(t(f"period_{kind}", lang))
                    assert f"period={kind}" in walk.page.url
        screenshot(walk.page, f"walk-{lang}-last")


def test_language_switch_midway_keeps_page_and_filters(walk):
    walk.nav("cases", "zh", "page_cases")
    walk.radio(t("period_year", "zh"))
    year = walk.page.url.split("y=")[1].split("&")[0]
    walk.radio("English")
    assert walk.title() == CATALOG["page_cases"]["en"]
    assert f"y={year}" in walk.page.url and "lang=en" in walk.page.url
    walk.nav("patents", "en", "page_patents")
    assert f"y={year}" in walk.page.url  # the year survives the page change
    walk.radio("中文")
    assert walk.title() == CATALOG["page_patents"]["zh"]


def _banner_matches_url(walk) -> None:
    """The page shows the period its URL names (history entries are whole views)."""
    url, main = walk.page.url, walk.page.inner_text("[data-testid=stMain]")
    if "period=year" in url:
        assert re.search("统计期间：2026年[（—]", main), url
    elif "period=quarter" in url:
        assert "统计期间：2026年第三季度" in main, url


def test_back_and_forward(walk):
    walk.nav("takedowns", "zh", "page_takedowns")
    walk.nav("cases", "zh", "page_cases")
    walk.radio(t("period_year", "zh"))
    walk.nav("sql", "zh", "page_sql")
    seen = []
    for _ in range(8):  # Streamlit adds an entry per page change and per URL update
        walk.page.go_back()
        walk.settle("back")
        seen.append((walk.title(), walk.page.url))
        _banner_matches_url(walk)
        if walk.title() == t("page_takedowns", "zh"):
            break
    titles = [title for title, _ in seen]
    assert titles[0] == t("page_cases", "zh") and "period=year" in seen[0][1]
    assert titles[-1] == t("page_takedowns", "zh")
    assert any("period=quarter" in u for title, u in seen if title == t("page_cases", "zh"))
    for _ in range(8):
        walk.page.go_forward()
        walk.settle("forward")
        _banner_matches_url(walk)
        if "period=year" in walk.page.url:
            break
    assert walk.title() == t("page_cases", "zh") and "period=year" in walk.page.url


@pytest.mark.parametrize(
    ("path", "title_key", "note", "url_has"),
    [
        ("/overview", "app_title", None, "period=quarter"),
        ("/takedowns?period=year&y=2023&lang=en", "page_takedowns", None, "y=2023"),
        ("/cases?period=quarter&q=2019Q1", "page_cases", "2019年第一季度 没有数据", "q=2022Q1"),
        ("/patents?period=year&y=1999", "page_patents", "1999 年没有数据", "y=2022"),
        ("/trademarks?period=banana", "page_trademarks", "期间类型“banana”无效", "period=quarter"),
        ("/takedowns?platform=nosuch", "page_takedowns", "“nosuch”不存在", "period=quarter"),
        ("/no-such-page", "app_title", "没有名为 /no-such-page 的页面", "period=quarter"),
    ],
)
def test_deep_links(walk, path, title_key, note, url_has):
    walk.goto(path)
    lang = "en" if "lang=en" in path else "zh"
    assert walk.title() == t(title_key, lang)
    if note:
        assert note in walk.page.inner_text("[data-testid=stMain]")
    assert url_has in walk.page.url
