"""`ipgov demo` — the README's first command — writes the sample, loads it and serves a
dashboard that shows the published figures."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from tests.browser.conftest import _free_port, _wait_healthy, stop, wait_until_rendered


def test_demo_serves_the_sample(page, tmp_path):
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
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        url = f"http://localhost:{port}"
        _wait_healthy(url, process, timeout=180)
        page.goto(f"{url}/?period=year&y=2023&lang=en")
        wait_until_rendered(page)
        tile = page.locator("[data-testid=stMetric]", has_text="Assistance cases received")
        assert tile.locator("[data-testid=stMetricValue]").inner_text().strip() == "408"
    finally:
        stop(process)
    assert (tmp_path / "sample" / "cases_2023.csv").exists()
