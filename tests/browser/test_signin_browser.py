"""Sign-in as a person meets it, in one real browser window against the served dashboard:
the sign-in page for an anonymous visit, a wrong password, the lockout, reload and a new tab
keeping the session, sign-out, the idle timeout, and a viewer's deep links refused."""

from __future__ import annotations

import re
import time
import urllib.request

import pytest

from dashboard.access import accounts, audit
from dashboard.i18n import t
from tests.browser.conftest import screenshot, wait_until_rendered

PASSWORD = "browser test password"


def _user(paths, name: str, role: str) -> str:
    if accounts.find(paths, name) is None:
        accounts.add(paths, name, role, PASSWORD)
    return name


def _sign_in(page, name: str, password: str = PASSWORD) -> None:
    page.fill("#name", name)
    page.fill("#password", password)
    page.click("button[type=submit]")


def test_an_anonymous_visit_shows_only_the_sign_in_page(fresh, sample_url):
    fresh.goto(f"{sample_url}/takedowns?period=year&y=2023")
    assert "/auth/signin" in fresh.url
    text = fresh.inner_text("body")
    assert t("signin_title", "zh") in text and t("signin_name", "zh") in text
    assert not re.search(r"\d{2,}", text.replace("2023", ""))  # no KPI number anywhere
    screenshot(fresh, "signin-zh")
    fresh.click("text=English")
    assert "Sign in" in fresh.inner_text("body") and "用户名" not in fresh.inner_text("body")


def test_sign_in_reload_new_tab_and_sign_out(fresh, sample_url, sample_wh):
    name = _user(sample_wh, "browser-analyst", "analyst")
    fresh.goto(f"{sample_url}/cases?period=year&y=2023&lang=en")
    _sign_in(fresh, name, "not the password")
    assert fresh.inner_text("p.error") == t("signin_wrong", "en")
    _sign_in(fresh, name)
    wait_until_rendered(fresh)
    assert "/cases" in fresh.url and "y=2023" in fresh.url  # back where the visit began
    assert t("signed_in_as", "en", user=name, role=t("role_analyst", "en")) in fresh.inner_text(
        "[data-testid=stSidebar]"
    )
    fresh.reload()
    wait_until_rendered(fresh)
    assert "/auth/signin" not in fresh.url
    tab = fresh.context.new_page()
    tab.goto(f"{sample_url}/takedowns?lang=en")
    wait_until_rendered(tab)
    assert "/auth/signin" not in tab.url
    session_cookie = next(c for c in fresh.context.cookies() if c["name"] == "ipgov_session")
    assert session_cookie["httpOnly"]
    fresh.get_by_role("button", name=t("signout_button", "en")).click()
    fresh.wait_for_selector(f"text={t('session_ended', 'en')}")
    assert not fresh.locator("[data-testid=stMetric]").count()
    tab.reload()  # the other tab's session is the same one: over too
    tab.wait_for_url(re.compile(r".*/auth/signin.*"))
    # the old cookie, replayed from outside the browser, opens nothing
    request = urllib.request.Request(
        f"{sample_url}/", headers={"cookie": f"ipgov_session={session_cookie['value']}"}
    )
    opener = urllib.request.build_opener(_NoRedirect)
    with pytest.raises(urllib.request.HTTPError) as refused:
        opener.open(request)
    assert refused.value.code == 303
    done = [e.action for e in audit.entries(sample_wh, user=name)]
    assert done[0] == "signout" and "signin" in done and "page_view" in done


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


def test_five_wrong_passwords_lock_the_account(fresh, sample_url, sample_wh):
    name = _user(sample_wh, "browser-locked", "viewer")
    fresh.goto(f"{sample_url}/?lang=en")
    for attempt in range(5):
        _sign_in(fresh, name, f"wrong password {attempt}")
    assert fresh.inner_text("p.error") == t("signin_locked", "en", minutes="15")
    _sign_in(fresh, name)  # the right one, too late
    assert fresh.inner_text("p.error") == t("signin_locked", "en", minutes="15")
    assert "/auth/signin" in fresh.url
    reasons = [e.detail["reason"] for e in audit.entries(sample_wh, user=name, action="signin")]
    assert reasons[:2] == ["locked", "locked"] and reasons.count("wrong") == 4


def test_a_viewer_deep_link_to_sql_and_to_a_record_list_is_refused(fresh, sample_url, sample_wh):
    name = _user(sample_wh, "browser-viewer", "viewer")
    fresh.goto(f"{sample_url}/sql?lang=en&role=admin")  # a role in the URL is no role
    _sign_in(fresh, name)
    fresh.wait_for_selector(f"text={t('no_permission', 'en', role=t('role_viewer', 'en'))}")
    main = fresh.inner_text("[data-testid=stMain]")
    assert t("sql_run", "en") not in main
    nav = fresh.inner_text("[data-testid=stSidebarNav]")
    assert t("page_sql", "en") not in nav and t("page_takedowns", "en") in nav
    screenshot(fresh, "viewer-sql-refused")
    fresh.goto(f"{sample_url}/takedowns?period=year&y=2023&lang=en")
    wait_until_rendered(fresh)
    fresh.get_by_text(t("drill_down", "en")).first.click()
    fresh.wait_for_selector(f"text={t('records_need_role', 'en')}")
    assert not fresh.get_by_role("button", name=t("download_csv", "en")).count()
    denied = [(e.action, e.target) for e in audit.entries(sample_wh, user=name)]
    assert ("page_denied", "sql") in denied and ("records_denied", "takedown_records") in denied


def test_an_idle_session_ends(serve, sample_wh, browser):
    # 12 seconds: the first page after signing in must render well within it, or its own
    # reruns find the session idle before the click does (a slow CI machine took 4 s to render)
    url = serve(sample_wh.db, IPGOV_SESSION_IDLE_MINUTES="0.2")
    name = _user(sample_wh, "browser-idle", "viewer")
    context = browser.new_context(viewport={"width": 1440, "height": 1200}, locale="zh-CN")
    page = context.new_page()
    try:
        page.goto(f"{url}/?lang=en")
        _sign_in(page, name)
        wait_until_rendered(page)
        assert page.locator("[data-testid=stMetric]").count()  # signed in, the page shown
        time.sleep(13)
        page.get_by_text(t("period_year", "en")).first.click()  # the next click, after 13 s idle
        page.wait_for_selector(f"text={t('session_idle', 'en', minutes='0.2')}")
        assert not page.locator("[data-testid=stMetric]").count()
        page.reload()
        page.wait_for_url(re.compile(r".*/auth/signin.*"))
    finally:
        context.close()
    ended = audit.entries(sample_wh, user=name, action="session_end")
    assert ended and ended[0].detail == {"reason": "idle"}
