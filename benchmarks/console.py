"""What running each SQL console statement in a worker process costs, and what it saves.

    python benchmarks/console.py [--scale 1] [--runs 30] [--db PATH] [--skip-probes]

1. **Overhead**: p50/p95 of a few statements run in this process (`session.run`, the path before
   issue 12) and through a warm worker (`console.run`), and the first run's cost (a cold worker).
2. **Probes** (the issue's statements): each one run in this process, inside a child process
   of its own that is killed at `--kill-mb` (so the machine survives the measurement), and
   through the worker; for both, the peak resident memory of the process that would be the
   dashboard's, and the outcome.
Results: benchmarks/results/console.json and markdown tables on stdout (for docs/sql.md).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from dashboard import console  # noqa: E402
from dashboard.console import Limits, SqlRefused, session  # noqa: E402
from etl import warehouse  # noqa: E402

STATEMENTS = {
    "select 1": "select 1",
    "starter (group by)": "select platform, count(*) filter (where latency_workdays > 2) as slow, "
    "count(*) as n from fct_takedowns group by all order by slow desc",
    "10,000 rows shown": "select * from fct_takedowns",
}
PROBES = [
    "select range(100000000)",
    "select range(1000000) from range(10000)",
    "select list(range(1000000)) from range(100000)",
    "select repeat('x', 1000000000)",
    "select repeat('x', 100000000) from range(100)",
    "select string_agg(range::varchar, ',') from range(50000000)",
]
IN_PROCESS = """
import json, sys
from pathlib import Path
sys.path.insert(0, {root!r})
from dashboard.console import session, SqlRefused
from etl import warehouse
try:
    r = session.run(warehouse.WarehousePaths(Path({db!r})), {sql!r})
    r.table.to_pylist()
    print("ok", r.rows)
except SqlRefused as e:
    print("refused", e)
except BaseException as e:
    print("TRACEBACK", type(e).__name__, str(e).splitlines()[0][:120])
"""


def rss_mb(pid: int | str = "self") -> float:
    try:
        with open(f"/proc/{pid}/status") as status:
            for line in status:
                if line.startswith("VmRSS:"):
                    return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _summary(seconds: list[float]) -> dict[str, float]:
    seconds = sorted(seconds)
    return {
        "p50_ms": round(statistics.median(seconds) * 1000, 1),
        "p95_ms": round(seconds[min(len(seconds) - 1, int(len(seconds) * 0.95))] * 1000, 1),
    }


def overhead(paths: warehouse.WarehousePaths, runs: int) -> dict[str, object]:
    """Each statement in this process and through the warm worker, turn about, so that the
    load of a shared machine weighs on both alike."""
    limits = Limits.from_settings()
    started = time.perf_counter()
    console.run(paths, "select 1", limits)  # starts the pool's first worker
    cold = time.perf_counter() - started
    rows = {}
    for name, sql in STATEMENTS.items():
        here, worker = [], []
        for _ in range(runs):
            for how, seconds in ((session.run, here), (console.run, worker)):
                started = time.perf_counter()
                how(paths, sql, limits)
                seconds.append(time.perf_counter() - started)
        added = sorted(w - h for h, w in zip(here, worker, strict=True))
        rows[name] = {
            "in_process": _summary(here),
            "worker": _summary(worker),
            "added_p50_ms": round(statistics.median(added) * 1000, 1),
        }
    return {"cold_first_run_ms": round(cold * 1000), "statements": rows}


def probe_in_process(db: Path, sql: str, kill_mb: int) -> dict[str, object]:
    """The statement in a child Python that does what the dashboard did before: its peak."""
    code = IN_PROCESS.format(root=str(ROOT), db=str(db), sql=sql)
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True
    )
    peak, killed, started = 0.0, False, time.monotonic()
    while child.poll() is None:
        peak = max(peak, rss_mb(child.pid))
        if peak > kill_mb:
            child.kill()
            killed = True
        time.sleep(0.01)
    out = (child.stdout.read() if child.stdout else "").strip()
    outcome = f"killed at {kill_mb} MB" if killed else out
    return {
        "peak_mb": round(peak),
        "seconds": round(time.monotonic() - started, 1),
        "outcome": outcome,
    }


def probe_worker(paths: warehouse.WarehousePaths, sql: str) -> dict[str, object]:
    """The statement through console.run: the peak growth of this (the serving) process."""
    base, peak, done = rss_mb(), [0.0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], rss_mb() - base)
            time.sleep(0.005)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    started = time.monotonic()
    try:
        outcome = f"ok {console.run(paths, sql).rows} rows"
    except SqlRefused as e:
        outcome = f"{e.code}: {e}"
    seconds = time.monotonic() - started
    done.set()
    sampler.join()
    return {
        "parent_growth_mb": round(peak[0], 1),
        "seconds": round(seconds, 1),
        "outcome": outcome,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--kill-mb", type=int, default=6000)
    parser.add_argument("--skip-probes", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        if args.db:
            db = args.db
        else:
            from etl.load import load
            from etl.sample import write_sample

            write_sample(Path(tmp) / "sample", seed=42, scale=args.scale)
            db = Path(tmp) / "warehouse.duckdb"
            load([Path(tmp) / "sample"], db)
        paths = warehouse.WarehousePaths(db)
        result: dict[str, object] = {"scale": args.scale, "runs": args.runs}
        result["overhead"] = found = overhead(paths, args.runs)
        print(f"first run, cold worker: {found['cold_first_run_ms']} ms")
        print("| statement | in process p50 / p95 (ms) | warm worker p50 / p95 (ms) | added p50 |")
        print("|---|---|---|---|")
        for name, r in found["statements"].items():
            here, there = r["in_process"], r["worker"]
            print(
                f"| {name} | {here['p50_ms']} / {here['p95_ms']} | "
                f"{there['p50_ms']} / {there['p95_ms']} | {r['added_p50_ms']} |"
            )
        if not args.skip_probes:
            probes = {}
            print()
            print(
                "| statement | in process: peak RSS, outcome | worker: serving process, outcome |"
            )
            print("|---|---|---|")
            for sql in PROBES:
                before = probe_in_process(db, sql, args.kill_mb)
                after = probe_worker(paths, sql)
                probes[sql] = {"in_process": before, "worker": after}
                old = f"{before['peak_mb']} MB, {before['outcome']} ({before['seconds']} s)"
                new = f"+{after['parent_growth_mb']} MB, {after['outcome']} ({after['seconds']} s)"
                print(f"| `{sql}` | {old} | {new} |", flush=True)
            result["probes"] = probes
    out = ROOT / "benchmarks" / "results" / "console.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
