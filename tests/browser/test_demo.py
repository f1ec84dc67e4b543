"""`ipgov demo` — the README's first command — writes the sample, loads it and serves a
dashboard that shows the published figures."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from tests.browser.conftest import _free_port, _wait_healthy, stop, wait_until_rendered


def test_demo_serves_the_sample(browser, tmp_path):
    page = browser.new_page(locale="zh-CN")
    port = _free_port()
    ipgov = str(Path(sys.executable).parent / "ipgov")
    process = subprocess.Popen(
        [
            ipgov,
            "demo",
            "--out",
            str(tmp_path / "sample"),
            "--db",
            str(tmp_path / "wh" / "warehouse.duckdb"),
            "--port",
            str(port),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    try:
        url = f"http://localhost:{port}"
        _wait_healthy(url, process, timeout=180)
        assert process.stdout is not None
        printed = ""
        while "password" not in printed:  # printed before the server starts
            printed += process.stdout.readline()
        password = re.search(r"sign in as demo with the password (\S+)", printed)
        assert password, printed
        page.goto(f"{url}/?period=year&y=2023&lang=en")
        page.fill("#name", "demo")
        page.fill("#password", password.group(1))
        page.click("button[type=submit]")
        wait_until_rendered(page)
        tile = page.locator("[data-testid=stMetric]", has_text="Assistance cases received")
        assert tile.locator("[data-testid=stMetricValue]").inner_text().strip() == "408"
    finally:
        stop(process)
    assert (tmp_path / "sample" / "cases_2023.csv").exists()
