"""A month of files into a big warehouse: the incremental snapshot against a full rebuild.

    python benchmarks/incremental.py --sample DIR   # a sample (`ipgov sample --scale 1000`)
    python benchmarks/incremental.py --scale 50     # write the sample first, in a temporary folder

The sample's last month (September 2026) is cut out of its 2026 takedown, case and
pre-examination files — the three kinds that arrive as monthly exports and make up 95 % of the
rows — and written in the same formats (UTF-8 CSV, GB18030 CSV, Parquet). Then, each in a fresh
child process (`wait4`'s max RSS is its own):

* `base`: everything else loaded into a fresh warehouse (`ipgov load`), untimed for the target;
* `month`: the month's three files loaded into that warehouse — the incremental snapshot;
* `month_full`: the same month loaded into a copy of the base warehouse with
  `IPGOV_SNAPSHOT_INCREMENTAL=false` — what the same load cost when every snapshot was built
  from scratch.

Results: benchmarks/results/incremental-<label>.json and a markdown table on stdout for
docs/performance.md. Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = "2026-11-25"
MONTH = "2026-09"


def _split_lines(path: Path, encoding: str, date_at: int, month_prefix: str, out: Path) -> int:
    """Split a dated CSV (rows in date order, one header line) at its first row of the month."""
    base, month = out / "base" / path.name, out / "month" / f"{path.stem}_{MONTH}{path.suffix}"
    rows = 0
    with (
        path.open(encoding=encoding, newline="") as src,
        base.open("w", encoding=encoding, newline="") as b,
        month.open("w", encoding=encoding, newline="") as m,
    ):
        header = src.readline()
        b.write(header)
        m.write(header)
        for line in src:
            in_month = line.split(",")[date_at].startswith(month_prefix)
            (m if in_month else b).write(line)
            rows += in_month
    return rows


def split_sample(sample: Path, out: Path) -> dict[str, int]:
    """base/: the sample without its last month (other files hard-linked); month/: that month."""
    import duckdb

    (out / "base").mkdir(parents=True)
    (out / "month").mkdir()
    cut = {"takedowns_2026.csv", "cases_2026.csv", "patents_2026.parquet"}
    for path in sorted(sample.iterdir()):
        if path.is_file() and path.name not in cut:
            os.link(path, out / "base" / path.name)
    rows = {
        "takedowns": _split_lines(sample / "takedowns_2026.csv", "utf-8", 4, MONTH, out),
        "cases": _split_lines(sample / "cases_2026.csv", "gb18030", 1, "2026/9/", out),
    }
    patents = sample / "patents_2026.parquet"
    con = duckdb.connect()
    for part, where in (("base", f"accepted_on < date '{MONTH}-01'"), ("month", None)):
        name = patents.name if part == "base" else f"patents_2026_{MONTH}.parquet"
        where = where or f"accepted_on >= date '{MONTH}-01'"
        con.execute(
            f"copy (from read_parquet('{patents}') where {where}) to '{out / part / name}' "
            "(format parquet)"
        )
    rows["patents"] = con.execute(
        f"select count(*) from read_parquet('{out / 'month' / f'patents_2026_{MONTH}.parquet'}')"
    ).fetchone()[0]
    return rows


def run_load(files: Path, db: Path) -> dict:
    """One `ipgov load` as the CLI runs it, in this process."""
    from etl.load import load

    started = time.perf_counter()
    cpu = time.process_time()
    summary = load([files], db, today=dt.date.fromisoformat(TODAY))
    return {
        "seconds": round(time.perf_counter() - started, 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "phases": {k: round(v, 2) for k, v in summary.phases.items()},
        "snapshot_build": summary.snapshot_build,
        "snapshot_steps": summary.snapshot_steps,
        "rows_loaded": sum(f.rows_loaded for f in summary.files),
    }


def in_child(step: str, files: Path, db: Path, env: dict[str, str] | None = None) -> dict:
    """Run one load in a fresh interpreter; its result plus that process's peak memory."""
    code = (
        "import json, sys; sys.path.insert(0, sys.argv[1]); "
        "from benchmarks.incremental import run_load; from pathlib import Path; "
        "print(json.dumps(run_load(Path(sys.argv[2]), Path(sys.argv[3]))))"
    )
    proc = subprocess.Popen(
        [sys.executable, "-c", code, str(ROOT), str(files), str(db)],
        stdout=subprocess.PIPE,
        env={**os.environ, **(env or {})},
        text=True,
    )
    stdout = proc.stdout.read() if proc.stdout else ""
    _, status, usage = os.wait4(proc.pid, 0)
    if status != 0:
        raise SystemExit(f"{step} failed (status {status})")
    result = json.loads(stdout.strip().splitlines()[-1])
    result["peak_mib"] = round(usage.ru_maxrss / 1024)
    print(f"{step}: {result}", file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, help="An existing sample folder.")
    parser.add_argument("--scale", type=float, default=1000.0)
    parser.add_argument("--label", help="Results file label (default: scale<S>).")
    parser.add_argument("--work", type=Path, help="Folder for the split and the warehouses.")
    args = parser.parse_args()
    work = args.work or Path(tempfile.mkdtemp(prefix="ipgov-incremental-"))
    sample = args.sample
    if sample is None:
        from etl.sample import write_sample

        sample = work / "sample"
        write_sample(sample, seed=42, scale=args.scale)
    rows = split_sample(sample, work / "split")
    print(f"month: {rows}", file=sys.stderr)
    base_db = work / "base" / "warehouse.duckdb"
    base = in_child("base", work / "split" / "base", base_db)
    copy = work / "copy"
    shutil.copytree(base_db.parent, copy)
    month = in_child("month", work / "split" / "month", base_db)
    full = in_child(
        "month_full",
        work / "split" / "month",
        copy / "warehouse.duckdb",
        {"IPGOV_SNAPSHOT_INCREMENTAL": "false"},
    )
    result = {
        "label": args.label or f"scale{args.scale:g}",
        "machine": {"python": platform.python_version(), "cpus": os.cpu_count()},
        "month_rows": rows,
        "base": base,
        "month": month,
        "month_full": full,
    }
    out = ROOT / "benchmarks" / "results" / f"incremental-{result['label']}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, indent=2) + "\n")
    print("| run | wall (s) | CPU (s) | peak (MiB) | phases (wall s) |")
    print("|---|---:|---:|---:|---|")
    for name in ("base", "month", "month_full"):
        r = result[name]
        phases = ", ".join(f"{k} {v}" for k, v in r["phases"].items())
        print(f"| {name} | {r['seconds']} | {r['cpu_seconds']} | {r['peak_mib']:,} | {phases} |")


if __name__ == "__main__":
    main()
