"""Time to build the quarterly briefing pack, in total and per stage.

    python benchmarks/brief.py [--scale 1] [--runs 3] [--quarter 2024Q3] [--lang zh] [--db PATH]
                               [--compare platforms]

Writes the sample at the scale and loads it (unless --db names a loaded warehouse), then:
1. builds the whole pack (PDF, DOCX, PPTX, PNG, SVG, CSV) `--runs` times in this process and records
   the seconds of each stage: query (the dashboard's query core; its cache is cold on the first
   run only), export (one Chromium session for every chart), pdf, docx, pptx, csv;
2. exports a single chart as PNG, to separate the browser's start from the per-chart cost;
3. runs `ipgov brief` once as a user would (a fresh process: imports, cold cache, everything).
With --compare KIND every build carries that comparison (its default items, issue 16).
Results go to benchmarks/results/brief-scale<S>.json and a markdown table on stdout (copy it into
docs/performance.md). Not a test: numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.periods import parse_quarter  # noqa: E402

STAGES = ("query", "export", "pdf", "docx", "pptx", "csv", "total")


def prepare(scale: float, work: Path) -> Path:
    from etl.load import load
    from etl.sample import write_sample

    write_sample(work / "sample", seed=42, scale=scale)
    load([work / "sample"], work / "warehouse.duckdb")
    return work / "warehouse.duckdb"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--quarter", default="2024Q3")
    parser.add_argument("--lang", default="zh")
    parser.add_argument("--db", type=Path)
    parser.add_argument("--compare", help="add the one comparison of this kind (default items)")
    args = parser.parse_args()
    quarter = parse_quarter(args.quarter)

    with tempfile.TemporaryDirectory(prefix="ipgov-bench-brief-") as tmp:
        work = Path(tmp)
        db = args.db or prepare(args.scale, work)
        from dashboard import briefing
        from dashboard.briefing.comparison import Request

        comparison = Request(args.compare) if args.compare else None
        runs = []
        for i in range(args.runs):
            out = work / f"run{i}"
            result = briefing.build_brief(
                db, quarter, args.lang, out, set(briefing.FORMATS), comparison=comparison
            )
            runs.append(result.seconds)
            print(f"run {i + 1}: {result.seconds}", file=sys.stderr)
        sizes = {fmt: sum(p.stat().st_size for p in paths) for fmt, paths in result.files.items()}
        charts = len(result.files["png"])

        figure = next(s.figure for s in result.data.sections if s.figure is not None)
        started = time.perf_counter()
        briefing.export_charts({"one": figure}, work / "one", ("png",))
        one_chart = time.perf_counter() - started

        command = [
            str(Path(sys.executable).parent / "ipgov"),
            "brief",
            "--quarter",
            quarter.label,
            "--lang",
            args.lang,
            "--db",
            str(db),
            "--out",
            str(work / "cli"),
        ] + (["--compare", args.compare] if args.compare else [])
        started = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True)
        cli = time.perf_counter() - started

    median = {stage: round(statistics.median(r[stage] for r in runs), 2) for stage in STAGES}
    report = {
        "scale": args.scale,
        "quarter": quarter.label,
        "lang": args.lang,
        "compare": args.compare,
        "charts": charts,
        "runs": runs,
        "median_seconds": median,
        "first_run_seconds": runs[0],
        "one_chart_export_seconds": round(one_chart, 2),
        "cli_seconds": round(cli, 2),
        "bytes": sizes,
        "machine": {
            "cpus": os.cpu_count(),
            "python": platform.python_version(),
            "platform": platform.platform(),
        },
    }
    suffix = f"-compare-{args.compare}" if args.compare else ""
    results = ROOT / "benchmarks" / "results" / f"brief-scale{args.scale:g}{suffix}.json"
    results.parent.mkdir(parents=True, exist_ok=True)
    results.write_text(json.dumps(report, indent=2))

    print(f"| stage | first run (s) | median of {args.runs} (s) |")
    print("|---|---:|---:|")
    for stage in STAGES:
        print(f"| {stage} | {runs[0][stage]:.2f} | {median[stage]:.2f} |")
    print(f"\none chart alone (browser start + 1 render): {one_chart:.2f} s")
    print(f"`ipgov brief` in a fresh process: {cli:.2f} s")
    print(f"sizes: {sizes}")


if __name__ == "__main__":
    main()
