"""Single sign-on as a person meets it: the real server with IPGOV_AUTH_SECRETS pointing at a
real OIDC provider (tests/oidc_provider.py, RS256 ID tokens from a key made for this run),
Streamlit's own OIDC client in between, one browser window. "Sign in with …" comes back signed
in with the mapped role; a user in no mapped group sees the no-role page until an admin gives a
role; sign-out ends the session and the next visit asks again."""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from dashboard.access import accounts, audit
from dashboard.i18n import t
from tests.browser.conftest import screenshot, wait_until_rendered
from tests.oidc_provider import OidcProvider, secrets_toml

LABEL = "区统一身份认证"
ROLES = {"ip-center-admins": "admin", "ip-center-analysts": "analyst", "officials": "viewer"}


@pytest.fixture(scope="module")
def provider() -> Iterator[OidcProvider]:
    with OidcProvider("ipgov-dashboard", "client-secret-for-tests") as running:
        yield running


@pytest.fixture(scope="module")
def sso_url(serve, sample_wh, provider, tmp_path_factory) -> str:
    path = tmp_path_factory.mktemp("sso") / "auth.toml"
    path.write_text(secrets_toml(provider, label=LABEL, roles=ROLES), encoding="utf-8")
    return serve(sample_wh.db, IPGOV_AUTH_SECRETS=str(path))


def _person(provider: OidcProvider, email: str, *groups: str) -> None:
    """Who is at the provider's keyboard next (it approves them without a form)."""
    provider.user = {"sub": email, "email": email, "email_verified": True, "groups": list(groups)}


def test_sign_in_with_the_provider_comes_back_with_the_mapped_role(
    fresh, sso_url, provider, sample_wh
):
    email = "li.analyst@example.gov.cn"
    _person(provider, email, "ip-center-analysts", "canteen")
    fresh.goto(f"{sso_url}/cases?period=year&y=2023&lang=en")
    assert "/auth/signin" in fresh.url
    button = fresh.locator("#sso")
    assert button.inner_text() == t("signin_sso_button", "en", provider=LABEL)
    screenshot(fresh, "signin-sso-en")
    button.click()
    wait_until_rendered(fresh)
    assert "/cases" in fresh.url and "y=2023" in fresh.url  # back where the visit began
    sidebar = fresh.inner_text("[data-testid=stSidebar]")
    assert t("signed_in_as", "en", user=email, role=t("role_analyst", "en")) in sidebar
    assert t("page_sql", "en") in fresh.inner_text("[data-testid=stSidebarNav]")
    assert provider.tokens_issued >= 1 and provider.authorized[-1]["code_challenge_method"] == (
        "S256"
    )
    cookies = {c["name"] for c in fresh.context.cookies()}
    assert "ipgov_session" in cookies and "_streamlit_user" not in cookies  # exchanged, cleared
    fresh.reload()
    wait_until_rendered(fresh)
    assert "/auth/signin" not in fresh.url

    fresh.get_by_role("button", name=t("signout_button", "en")).click()
    fresh.wait_for_selector(f"text={t('session_ended', 'en')}")
    screenshot(fresh, "signout-sso-en")
    fresh.get_by_role("link", name=t("signout_at_provider", "en", provider=LABEL)).click()
    fresh.wait_for_url("**/auth/signin**")  # provider → its registered URI → the guard
    assert len(provider.signed_out) == 1
    assert provider.signed_out[0]["client_id"] == "ipgov-dashboard"
    fresh.goto(f"{sso_url}/cases?lang=en")  # nothing signs the browser in again by itself
    assert "/auth/signin" in fresh.url and fresh.locator("#sso").count() == 1
    signin = audit.entries(sample_wh, user=email, action="signin")[0]
    assert signin.outcome == "ok"
    assert {k: signin.detail[k] for k in ("method", "provider", "claim", "role", "matched")} == {
        "method": "sso",
        "provider": "default",
        "claim": "groups",
        "role": "analyst",
        "matched": "ip-center-analysts",
    }
    assert [(e.action, e.detail.get("at")) for e in audit.entries(sample_wh, user=email)[:2]] == [
        ("signout", "provider"),
        ("signout", None),
    ]


def test_a_user_in_no_mapped_group_waits_for_an_admin(fresh, sso_url, provider, sample_wh):
    email = "wang.newcomer@example.gov.cn"
    _person(provider, email, "canteen")
    fresh.goto(f"{sso_url}/?lang=zh")
    fresh.locator("#sso").click()
    fresh.wait_for_selector(f"text={t('sso_no_role_title', 'en')}")
    text = fresh.inner_text("body")
    assert t("sso_no_role", "zh", user=email) in text and t("sso_no_role", "en", user=email) in text
    assert not re.search(r"\d{3,}", text)  # no KPI number anywhere
    screenshot(fresh, "sso-no-role")
    fresh.goto(f"{sso_url}/overview")
    assert "/auth/signin" in fresh.url  # no session was started
    account = accounts.get(sample_wh, email)
    assert (account.source, account.role) == ("sso", None)
    refused = audit.entries(sample_wh, user=email, action="signin")[0]
    assert (refused.outcome, refused.detail["reason"], refused.detail["values"]) == (
        "refused",
        "no_role",
        ["canteen"],
    )

    accounts.set_role(sample_wh, email, "viewer")  # what `ipgov users set-role` does
    fresh.locator("#sso").click()
    wait_until_rendered(fresh)
    sidebar = fresh.inner_text("[data-testid=stSidebar]")
    assert t("signed_in_as", "zh", user=email, role=t("role_viewer", "zh")) in sidebar
    assert t("page_sql", "zh") not in fresh.inner_text("[data-testid=stSidebarNav]")


def test_local_accounts_still_sign_in_beside_it(fresh, sso_url, sample_wh):
    if accounts.find(sample_wh, "browser-local-sso") is None:
        accounts.add(sample_wh, "browser-local-sso", "steward", "browser test password")
    fresh.goto(f"{sso_url}/?lang=en")
    fresh.fill("#name", "browser-local-sso")
    fresh.fill("#password", "browser test password")
    fresh.click("button[type=submit]")
    wait_until_rendered(fresh)
    assert "browser-local-sso" in fresh.inner_text("[data-testid=stSidebar]")
