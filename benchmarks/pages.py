"""Dashboard page views at the district's scale, the way officials have them (issue 11).

    python benchmarks/pages.py [--scale 1] [--db PATH] [--sessions 3] [--clients 10] [--rounds 3]
                               [--runaway]

Serves the dashboard as `ipgov serve` does (dashboard.serve) and measures, in headless Chromium
at 1440×900:

- **walk**: `--sessions` browser sessions one after another, each opening the dashboard (a full
  page load of the Overview) and clicking the sidebar through the six other filtered pages and
  back. The first session starts right after the server did, so the first view after a start
  (cold caches) is in the numbers. A view is rendered when the tab's title names the clicked page,
  no script runs and the page has not changed for 0.5 s; its time runs from the click (or the
  navigation start) to the last change, so the quiet half second is not in it.
- **server CPU per warm view**: the server process's CPU time over the sessions after the first,
  divided by their views.
- **deep links**: each page as a full page load of a shared link, in a fresh browser context
  (a first visit) and in a context that has opened the dashboard before (its HTTP cache warm).
- **clients**: `--clients` sessions opening pages at the same instant, `--rounds` times. The
  clients speak Streamlit's websocket protocol without a browser: on this 2-core machine ten
  Chromium tabs would take the CPU that each official's own computer provides, so this measures
  the server's part of a view (connect → page script finished, every element sent).
- **beside a runaway console query** (`--runaway`, issue 12): the walk again, while another
  signed-in session keeps the SQL console busy with a statement that runs to its time limit
  (started again whenever it has ended), against the same walk with the console idle just
  before. The console's worker process is what competes with the dashboard for the cores.

Every browser context and websocket client is signed in as the test admin (a session cookie,
as tests/browser does): since issue 12 an anonymous visit sees only the sign-in page.

Writes benchmarks/results/pages-scale<S>.json and prints markdown for docs/performance.md.
Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard.access.sessions import COOKIE  # noqa: E402
from dashboard.i18n import t  # noqa: E402
from tests.browser.conftest import (  # noqa: E402
    CHROMIUM,
    CHROMIUM_ARGS,
    start_streamlit,
    stop,
    test_admin_session,
)

WALK = ["takedowns", "cases", "patents", "trademarks", "notarizations", "referrals", "overview"]
HREF = {"overview": ""}  # the Overview is the default page, at "/"
QUIET_MS = 500
# runs to the console's time limit on any warehouse: a cross join of two ranges, CPU only
RUNAWAY = "select count(*) from range(1000000) as a, range(1000000) as b"
EDITOR = "[data-testid=stTextArea] textarea"
RUNNING = "[data-testid=stApp][data-test-script-state=running]"
TICK = os.sysconf("SC_CLK_TCK")

# Every DOM change stamps the time, so "rendered" is the last change, not when we looked.
INIT_SCRIPT = """
window.__lastChange = performance.now();
new MutationObserver(() => { window.__lastChange = performance.now(); })
  .observe(document, {subtree: true, childList: true, attributes: true, characterData: true});
"""
SETTLED_JS = """
([title, quiet]) => {
  if (!document.title.startsWith(title + ' ')) return false;
  if (document.querySelector('[data-testid=stStatusWidget]')) return false;
  return performance.now() - window.__lastChange > quiet;
}
"""
CLICK_JS = """
(href) => {
  const link = [...document.querySelectorAll('[data-testid=stSidebarNav] a')]
    .find((a) => new URL(a.href).pathname.replace(/\\/$/, '').endsWith('/' + href)
                 || (href === '' && new URL(a.href).pathname === '/'));
  const started = performance.now();
  link.click();
  return started;
}
"""


def prepare(scale: float, work: Path) -> Path:
    from etl.load import load
    from etl.sample import write_sample

    t0 = time.perf_counter()
    write_sample(work / "sample", seed=42, scale=scale)
    db = work / "warehouse.duckdb"
    load([work / "sample"], db)
    print(f"sample + load at scale {scale:g}: {time.perf_counter() - t0:.1f} s", file=sys.stderr)
    return db


def cpu_seconds(pid: int) -> float:
    """User + system CPU of one process, from /proc (the server is one process)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


def _settle(page, name: str, started_ms: float) -> float:
    page.wait_for_function(
        SETTLED_JS, arg=[t(f"page_{name}", "zh"), QUIET_MS], timeout=90_000, polling=50
    )
    return (page.evaluate("window.__lastChange") - started_ms) / 1000


def _context(browser, url: str, cookie: str):
    context = browser.new_context(viewport={"width": 1440, "height": 900}, locale="zh-CN")
    context.add_cookies([{"name": COOKIE, "value": cookie, "url": url}])
    context.add_init_script(INIT_SCRIPT)
    return context


class Runaway:
    """Another person's SQL console, kept busy with RUNAWAY: `keep_busy()` starts it again
    whenever the last run has ended (its time limit), so it runs through a whole walk."""

    def __init__(self, browser, url: str, cookie: str) -> None:
        self.context = _context(browser, url, cookie)
        self.page = self.context.new_page()
        self.page.goto(f"{url}/sql?lang=en")
        self.page.wait_for_selector(EDITOR, timeout=90_000)
        self.page.locator(EDITOR).fill(RUNAWAY)
        self.runs = 0

    def keep_busy(self) -> None:
        if self.page.locator(RUNNING).count() == 0:
            self.page.get_by_role("button", name="Run", exact=True).click()
            self.page.wait_for_selector(RUNNING, timeout=30_000)
            self.runs += 1

    def close(self) -> None:
        self.context.close()


def walk(
    browser, url: str, pid: int, sessions: int, read: float, cookie: str, runaway=None
) -> list[dict]:
    """Open the dashboard and click through the sidebar, `sessions` times (with `runaway`
    kept busy before every view, when given)."""
    busy = runaway.keep_busy if runaway else lambda: None
    views = []
    for session in range(sessions):
        context = _context(browser, url, cookie)
        page = context.new_page()
        busy()
        cpu = cpu_seconds(pid)
        page.goto(url)
        seconds = _settle(page, "overview", 0.0)  # performance.now() starts at navigation
        views.append({"session": session, "page": "overview", "how": "load", "s": seconds})
        views[-1]["server_cpu_s"] = cpu_seconds(pid) - cpu
        for name in WALK:
            time.sleep(read)
            busy()
            cpu = cpu_seconds(pid)
            started = page.evaluate(CLICK_JS, HREF.get(name, name))
            seconds = _settle(page, name, started)
            views.append({"session": session, "page": name, "how": "click", "s": seconds})
            views[-1]["server_cpu_s"] = cpu_seconds(pid) - cpu
        context.close()
    return views


def deep_links(browser, url: str, cookie: str, warm: bool = False) -> list[dict]:
    """Each page as a full page load of a shared link: in a new browser context each (a first
    visit: Streamlit's and Plotly's JavaScript fetched and compiled), or with `warm` in one
    context that has opened the dashboard before (its HTTP cache holds them, as the browser of
    an official who used the dashboard last week does), a new tab per link."""
    views = []
    context = _context(browser, url, cookie) if warm else None
    if context is not None:
        first = context.new_page()
        first.goto(url)
        _settle(first, "overview", 0.0)
        first.goto(f"{url}/takedowns")  # a chart page: the Plotly chunk is cached too
        _settle(first, "takedowns", 0.0)
        first.close()
    for name in ["overview", *WALK[:-1]]:
        own = context or _context(browser, url, cookie)
        page = own.new_page()
        page.goto(f"{url}/{HREF.get(name, name)}")
        views.append({"page": name, "how": "load", "s": _settle(page, name, 0.0)})
        page.close()
        if context is None:
            own.close()
    if context is not None:
        context.close()
    return views


def clients(url: str, pid: int, count: int, rounds: int, cookie: str) -> dict:
    """`count` websocket sessions ask for a page at the same instant; seconds until each has
    its page script's last element (Streamlit's `script_finished`)."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    pages = ["overview", *WALK[:-1]]

    async def one(name: str, start: asyncio.Event) -> float:
        await start.wait()
        t0 = time.perf_counter()
        stream = url.replace("http", "ws", 1) + "/_stcore/stream"
        async with websockets.connect(
            stream,
            subprotocols=["streamlit"],
            max_size=None,
            additional_headers={"Cookie": f"{COOKIE}={cookie}"},
        ) as ws:
            msg = BackMsg()
            msg.rerun_script.page_name = "" if name == "overview" else name
            await ws.send(msg.SerializeToString())
            while True:
                reply = ForwardMsg.FromString(await ws.recv())
                if reply.WhichOneof("type") == "script_finished":
                    return time.perf_counter() - t0

    async def run() -> list[float]:
        times = []
        for r in range(rounds):
            start = asyncio.Event()
            tasks = [
                asyncio.create_task(one(pages[(i + r) % len(pages)], start)) for i in range(count)
            ]
            await asyncio.sleep(0.2)
            start.set()
            times += await asyncio.gather(*tasks)
            await asyncio.sleep(0.5)
        return times

    cpu = cpu_seconds(pid)
    times = asyncio.run(run())
    cpu = cpu_seconds(pid) - cpu
    return {
        "clients": count,
        "rounds": rounds,
        "median_s": statistics.median(times),
        "p95_s": _p95(times),
        "max_s": max(times),
        "server_cpu_per_view_s": cpu / len(times),
    }


def _p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[-1]


def summary(views: list[dict]) -> dict:
    seconds = [v["s"] for v in views]
    return {
        "views": len(views),
        "median_s": statistics.median(seconds),
        "p95_s": _p95(seconds),
        "max_s": max(seconds),
    }


def beside_runaway(browser, url: str, pid: int, args, cookie: str) -> dict:
    """The walk's sidebar clicks with the console idle, then with a runaway query running in
    another session all along (same server, warm caches both times)."""
    idle = walk(browser, url, pid, args.sessions, args.read, cookie)
    runaway = Runaway(browser, url, cookie)
    try:
        busy = walk(browser, url, pid, args.sessions, args.read, cookie, runaway)
    finally:
        runaway.close()
    clicks = [v for v in idle if v["how"] == "click"]
    busy_clicks = [v for v in busy if v["how"] == "click"]
    return {
        "runaway": {
            "statement": RUNAWAY,
            "runs_started": runaway.runs,
            "idle_clicks": summary(clicks),
            "runaway_clicks": summary(busy_clicks),
            "views": busy,
        }
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--db", type=Path, help="a loaded warehouse (default: a fresh sample)")
    parser.add_argument("--sessions", type=int, default=3)
    parser.add_argument("--read", type=float, default=2.0, help="seconds between clicks")
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument(
        "--runaway", action="store_true", help="also walk beside a runaway console query"
    )
    args = parser.parse_args()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        db = args.db or prepare(args.scale, Path(tmp))
        url, process = start_streamlit(db)
        cookie = test_admin_session(db)
        beside: dict = {}
        try:
            with sync_playwright() as p:
                browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
                views = walk(browser, url, process.pid, args.sessions, args.read, cookie)
                links = deep_links(browser, url, cookie)
                warm_links = deep_links(browser, url, cookie, warm=True)
                if args.runaway:
                    beside = beside_runaway(browser, url, process.pid, args, cookie)
                browser.close()
            load = clients(url, process.pid, args.clients, args.rounds, cookie)
        finally:
            stop(process)
    warm = [v for v in views if v["session"] > 0]
    result = {
        "scale": args.scale,
        "read_s": args.read,
        "walk": summary(views) | {"first_view_s": views[0]["s"]},
        "walk_clicks": summary([v for v in views if v["how"] == "click"]),
        "server_cpu_per_warm_view_s": sum(v["server_cpu_s"] for v in warm) / max(len(warm), 1),
        "deep_links": summary(links),
        "deep_links_warm_cache": summary(warm_links),
        "concurrent": load,
        "views": views,
        "deep_link_views": links,
        "deep_link_warm_cache_views": warm_links,
    } | beside
    out = ROOT / "benchmarks" / "results" / f"pages-scale{args.scale:g}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))
    w, c, d = result["walk"], result["walk_clicks"], result["deep_links"]
    dw = result["deep_links_warm_cache"]
    print(f"| measure (scale {args.scale:g}) | median (s) | p95 (s) | max (s) |")
    print("|---|---|---|---|")
    print(f"| walk, {w['views']} views, first after start incl. | "
          f"{w['median_s']:.2f} | {w['p95_s']:.2f} | {w['max_s']:.2f} |")  # fmt: skip
    print(f"| sidebar clicks only | {c['median_s']:.2f} | {c['p95_s']:.2f} | {c['max_s']:.2f} |")
    print(
        f"| deep links, first visit (new browser) | {d['median_s']:.2f} | {d['p95_s']:.2f} "
        f"| {d['max_s']:.2f} |"
    )
    print(
        f"| deep links, browser used before (HTTP cache warm) | {dw['median_s']:.2f} "
        f"| {dw['p95_s']:.2f} | {dw['max_s']:.2f} |"
    )
    print(f"| {load['clients']} clients at once × {load['rounds']} | "
          f"{load['median_s']:.2f} | {load['p95_s']:.2f} | {load['max_s']:.2f} |")  # fmt: skip
    print(f"\nfirst view after start {w['first_view_s']:.2f} s; server CPU per warm view "
          f"{result['server_cpu_per_warm_view_s']:.3f} s; under load "
          f"{load['server_cpu_per_view_s']:.3f} s")  # fmt: skip
    if beside:
        r = beside["runaway"]
        print(f"\n| sidebar clicks, console … ({r['runs_started']} runaway runs) | median (s) "
              "| p95 (s) | max (s) |\n|---|---|---|---|")  # fmt: skip
        for label, key in [("idle", "idle_clicks"), ("running a runaway", "runaway_clicks")]:
            m = r[key]
            print(f"| {label} | {m['median_s']:.2f} | {m['p95_s']:.2f} | {m['max_s']:.2f} |")
    print("\n| page | " + " | ".join(f"session {i + 1}" for i in range(args.sessions)) + " |")
    print("|---|" + "---|" * args.sessions)
    for name in ["overview", *WALK[:-1]]:
        cells = [f"{v['s']:.2f}" for v in views if v["page"] == name and v["how"] == "click"]
        first = [f"{v['s']:.2f} (load)" for v in views if v["page"] == name and v["how"] == "load"]
        print(f"| {name} | " + " | ".join((first + cells)[: args.sessions]) + " |")


if __name__ == "__main__":
    main()
