"""What the data-quality gate adds to a load: the same files loaded with and without validation.

    python benchmarks/validation.py [--scale 100] [--seed 42]

Writes the sample at the scale into a temporary folder (scale 100 ≈ 1M takedowns, 2.3M patent
pre-examinations, 3.7M rows in all), then loads it three times into fresh warehouses:

* `baseline`: `etl.load.load(validate=False, reports=False)`: the suites' type and
  required-value rules only (the cell parser's own checks: what the loader did before the gate);
* `gate`: every rule of the committed suites, executed in DuckDB (etl/gate/engine.py), no JSON
  report or data docs;
* `gate_and_reports`: what `ipgov load` does: validation, the JSON report and the gate's
  results saved for the data docs;
* `with_data_docs`: `ipgov load --data-docs`: the same, and GX's data docs rendered at once.

Records wall-clock seconds per run, the gate's seconds per file (read + validate) and the peak
resident memory of this process, in benchmarks/results/validation.json, and prints a markdown
table for docs/performance.md. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import resource
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.load import load  # noqa: E402
from etl.sample import write_sample  # noqa: E402

RUNS = {
    "baseline": {"validate": False, "reports": False},
    "gate": {"validate": True, "reports": False},
    "gate_and_reports": {"validate": True, "reports": True},
    "with_data_docs": {"validate": True, "reports": True, "data_docs": True},
}
TODAY = dt.date(2026, 11, 25)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=100.0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    results: dict[str, object] = {
        "scale": args.scale,
        "seed": args.seed,
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "runs": {},
    }
    with tempfile.TemporaryDirectory(prefix="ipgov-bench-") as tmp:
        sample = Path(tmp) / "sample"
        started = time.perf_counter()
        files = write_sample(sample, seed=args.seed, scale=args.scale)
        results["sample_seconds"] = round(time.perf_counter() - started, 1)
        results["files"] = len(files)
        for name, options in RUNS.items():
            db = Path(tmp) / name / "warehouse.duckdb"
            started = time.perf_counter()
            summary = load([sample], db, today=TODAY, **options)
            seconds = time.perf_counter() - started
            assert not summary.rejected, [f.message for f in summary.rejected]
            rows = sum(f.rows_read for f in summary.files)
            per_file = {
                f.path.name: {"rows": f.rows_read, "seconds": round(f.seconds, 2)}
                for f in summary.files
            }
            results["runs"][name] = {  # type: ignore[index]
                "seconds": round(seconds, 1),
                "rows": rows,
                "rows_quarantined": sum(f.rows_quarantined for f in summary.files),
                "file_seconds": round(sum(f.seconds for f in summary.files), 1),
                "per_file": per_file,
            }
            print(f"{name}: {seconds:.1f} s for {rows:,} rows", file=sys.stderr)
    results["peak_rss_mib"] = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
    out = ROOT / "benchmarks" / "results" / "validation.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    runs = results["runs"]
    base = runs["baseline"]["seconds"]  # type: ignore[index]
    print(f"| run (scale {args.scale:g}, {runs['baseline']['rows']:,} rows) | seconds | added |")  # type: ignore[index]
    print("|---|---:|---:|")
    for name, run in runs.items():  # type: ignore[union-attr]
        print(f"| {name} | {run['seconds']:.1f} | {run['seconds'] - base:+.1f} |")
    print(f"\npeak RSS {results['peak_rss_mib']} MiB; results in {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
