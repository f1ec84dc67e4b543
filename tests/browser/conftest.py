"""Browser tests: `streamlit run` on the scale-1 sample, driven by Playwright in the system
Chromium (Debian's package; Playwright cannot download its own browser here)."""

from __future__ import annotations

import os
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from dashboard.cli.server import streamlit_command
from etl import warehouse

ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS = ROOT / "test-output" / "screenshots"
CHROMIUM = os.environ.get("IPGOV_TEST_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_healthy(url: str, process: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"streamlit exited with {process.returncode}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.3)
    raise TimeoutError(f"streamlit did not answer at {url} within {timeout} s")


SERVER_LOGS = ROOT / "test-output" / "server-logs"


# the sidebar shows who is signed in: a Chinese name, so the Chinese pages stay Chinese
TEST_ADMIN = "测试管理员"


def test_admin_session(db: Path) -> str:
    """A live session of the warehouse's test admin (created once), for a browser that should
    start signed in: tests of other things than sign-in need not type a password."""
    from dashboard.access import accounts, sessions

    paths = warehouse.WarehousePaths(db)
    if accounts.find(paths, TEST_ADMIN) is None:
        accounts.add(paths, TEST_ADMIN, "admin", "browser-admin-password")
    return sessions.start(paths, TEST_ADMIN)


def signed_in_context(browser, url: str, db: Path, **options):
    """A new browser context (its own cookies: another person) signed in as the test admin."""
    from dashboard.access.sessions import COOKIE

    context = browser.new_context(**options)
    context.add_cookies([{"name": COOKIE, "value": test_admin_session(db), "url": url}])
    return context


def start_streamlit(db: Path, **env: str) -> tuple[str, subprocess.Popen]:
    """`streamlit run dashboard/app.py` on a free loopback port, as `ipgov serve` runs it
    (through dashboard.serve); returns its URL and process. Its output goes to
    test-output/server-logs/<port>.log (see `server_log`), so a test can fail on a traceback
    the server printed even when the page looked fine."""
    port = _free_port()
    SERVER_LOGS.mkdir(parents=True, exist_ok=True)
    log = (SERVER_LOGS / f"{port}.log").open("wb")
    process = subprocess.Popen(
        streamlit_command(port, "--server.address", "127.0.0.1"),
        env=os.environ | {"IPGOV_DB": str(db)} | env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    log.close()
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, process)
    except BaseException:
        stop(process)
        raise
    return url, process


def server_log(url: str) -> str:
    """What the server at `url` (started by start_streamlit) has printed so far."""
    port = url.rsplit(":", 1)[1]
    return (SERVER_LOGS / f"{port}.log").read_text(encoding="utf-8", errors="replace")


def stop(process: subprocess.Popen) -> None:
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


@pytest.fixture(scope="session")
def serve() -> Iterator:
    """Start the dashboard on a warehouse; returns its base URL. Stopped after the session."""
    started: list[subprocess.Popen] = []

    def start(db: Path, **env: str) -> str:
        url, process = start_streamlit(db, **env)
        started.append(process)
        return url

    yield start
    for process in started:
        stop(process)


@pytest.fixture(scope="session")
def sample_url(serve, sample_wh: warehouse.WarehousePaths) -> str:
    """The dashboard served on the scale-1 sample warehouse."""
    return serve(sample_wh.db)


@pytest.fixture(scope="session")
def browser():
    """Headless system Chromium. Missing Chromium fails in CI and skips elsewhere."""
    if not Path(CHROMIUM).exists():
        message = f"{CHROMIUM} not found: apt-get install -y chromium fonts-noto-cjk"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, sample_url, sample_wh):
    """A new browser window, signed in to the sample dashboard as its test admin."""
    context = signed_in_context(
        browser,
        sample_url,
        sample_wh.db,
        viewport={"width": 1400, "height": 2400},
        locale="zh-CN",
        accept_downloads=True,
    )
    page = context.new_page()
    yield page
    context.close()


@pytest.fixture
def fresh(browser):
    """A browser window with no cookie: an anonymous visitor (sign-in and SSO tests)."""
    context = browser.new_context(viewport={"width": 1440, "height": 1200}, locale="zh-CN")
    page = context.new_page()
    yield page
    context.close()


def wait_until_rendered(page, selector: str = "[data-testid=stMetric]", timeout: float = 30_000):
    """Streamlit is done when the element is there, no script runs, and the text is stable."""
    page.wait_for_selector(selector, timeout=timeout)
    page.wait_for_selector("[data-testid=stStatusWidget]", state="detached", timeout=timeout)
    previous, stable_since = None, time.monotonic()
    deadline = time.monotonic() + timeout / 1000
    while time.monotonic() < deadline:
        text = page.inner_text("[data-testid=stMain]")
        if text != previous:
            previous, stable_since = text, time.monotonic()
        elif time.monotonic() - stable_since > 0.6:
            return
        time.sleep(0.15)
    raise TimeoutError("page text did not settle")


def screenshot(page, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path
