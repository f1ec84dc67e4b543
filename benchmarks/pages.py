"""Time to a fully rendered dashboard page in headless Chromium, per page.

    python benchmarks/pages.py [--scale 1] [--runs 5] [--db PATH]

Writes the sample at the scale (unless --db names a loaded warehouse), loads it, serves the
dashboard, opens each page `--runs` times in a fresh browser context (cold: no Streamlit cache
for the first run; warm after) and records the seconds from navigation until the KPI tiles are
shown, every chart is drawn and no script is running. Results go to
benchmarks/results/pages-scale<S>.json and a markdown table on stdout (copy it into
docs/performance.md). Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    start_streamlit,
    stop,
    wait_until_rendered,
)

PAGES = ["overview", "takedowns", "cases", "patents", "trademarks", "notarizations", "referrals"]
CHARTS = {
    "overview": 2,
    "takedowns": 4,
    "cases": 5,
    "patents": 3,
    "trademarks": 4,
    "notarizations": 2,
    "referrals": 3,
}


def prepare(scale: float, work: Path) -> Path:
    from etl.load import load
    from etl.sample import write_sample

    t0 = time.perf_counter()
    write_sample(work / "sample", seed=42, scale=scale)
    db = work / "warehouse.duckdb"
    load([work / "sample"], db)
    print(f"sample + load at scale {scale}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return db


def measure(url: str, runs: int) -> dict[str, list[float]]:
    from playwright.sync_api import sync_playwright

    times: dict[str, list[float]] = {p: [] for p in PAGES}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for _ in range(runs):
            for name in PAGES:
                context = browser.new_context(viewport={"width": 1400, "height": 2400})
                page = context.new_page()
                t0 = time.perf_counter()
                page.goto(f"{url}/{name}?period=year&y=2025")
                page.wait_for_function(
                    f"document.querySelectorAll('.js-plotly-plot .main-svg').length >= "
                    f"{CHARTS[name]}",
                    timeout=60_000,
                )
                wait_until_rendered(page, timeout=60_000)
                # the stability window (0.6 s) is not part of the render time
                times[name].append(time.perf_counter() - t0 - 0.6)
                context.close()
        browser.close()
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--db", type=Path)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or prepare(args.scale, Path(tmp))
        url, process = start_streamlit(db)
        try:
            times = measure(url, args.runs)
        finally:
            stop(process)
    result = {
        "scale": args.scale,
        "runs": args.runs,
        "pages": {
            name: {
                "first_s": round(v[0], 3),
                "median_s": round(statistics.median(v), 3),
                "max_s": round(max(v), 3),
            }
            for name, v in times.items()
        },
    }
    out = ROOT / "benchmarks" / "results" / f"pages-scale{args.scale:g}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    print(f"| page | first load (s) | median of {args.runs} (s) | max (s) |")
    print("|---|---|---|---|")
    for name, r in result["pages"].items():
        print(f"| {name} | {r['first_s']:.2f} | {r['median_s']:.2f} | {r['max_s']:.2f} |")


if __name__ == "__main__":
    main()
