"""`ipgov load` against the limit: plain DuckDB ingesting the same files, side by side.

    python benchmarks/load.py --sample DIR   # an existing sample (`ipgov sample --scale 1000`)
    python benchmarks/load.py --scale 100    # write the sample first, into a temporary folder
    python benchmarks/load.py --sample DIR --repeat 3   # three rounds, medians and ranges

Three runs, each in a fresh child process so its peak memory is its own (`wait4`'s max RSS):

* `raw_ingest`: what loading the files costs at the least — one `CREATE TABLE … AS SELECT * FROM
  read_csv(...)` / `read_parquet(...)` per file into a new DuckDB file. DuckDB reads no GB18030
  (only UTF-8/UTF-16/Latin-1 without the `encodings` extension, which needs the internet) and no
  XLSX (the `excel` extension, likewise), so those files are transcoded in a stream and read by
  `read_csv`, or read by calamine (fastexcel) into Arrow: the least a user could do.
* `ingest_and_copy`: plain ingest, then every table copied into a second DuckDB file: the floor
  of a load that keeps raw tables and publishes a separate snapshot (architecture §6).
* `ipgov_load`: `etl.load.load` as `ipgov load` runs it — the quality gate on every file, raw
  with lineage, staging, marts, the KPI snapshot published, JSON report and data docs — with
  its phases (files, marts, snapshot, reports).

This machine's speed drifts by a third within minutes, so `--repeat N` runs N rounds of the
three, interleaved (ingest, copy, load, ingest, …): each ratio is taken within a round, where the
sides ran minutes apart, and reported as its median and range over the rounds. Every run starts
from a quiet disk: the run before it is deleted and the page cache written out (`os.sync`), so no
side pays for the writes of another.

Results: benchmarks/results/load-<label>.json (each side's median-wall run in full, every run's
wall and CPU, the per-round ratios) and a markdown table on stdout for docs/performance.md. Not
a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TODAY = "2026-11-25"
SUFFIXES = (".csv", ".parquet", ".xlsx")


def raw_ingest(sample: Path, db: Path) -> dict:
    """The limit: every file into its own table, nothing checked, nothing derived."""
    import codecs

    import duckdb
    import fastexcel

    con = duckdb.connect(str(db))
    files = {}
    started = time.perf_counter()
    for path in sorted(p for p in sample.iterdir() if p.suffix in SUFFIXES):
        began = time.perf_counter()
        table = path.stem.replace("-", "_")
        if path.suffix == ".parquet":
            con.execute(f"create table {table} as select * from read_parquet('{path}')")
        elif path.suffix == ".xlsx":
            sheet = fastexcel.read_excel(path).load_sheet(0).to_arrow()
            con.register("sheet", sheet)
            con.execute(f"create table {table} as select * from sheet")
            con.unregister("sheet")
            del sheet
        else:
            source = path
            head = path.read_bytes()[:4096]
            try:
                head.decode("utf-8")
            except UnicodeDecodeError:  # GB18030: DuckDB cannot read it, transcode in a stream
                source = db.parent / f"{path.stem}.utf8.csv"
                decoder = codecs.getincrementaldecoder("gb18030")()
                with path.open("rb") as f, source.open("wb") as out:
                    while chunk := f.read(16 << 20):
                        out.write(decoder.decode(chunk).encode("utf-8"))
            con.execute(f"create table {table} as select * from read_csv('{source}')")
            if source != path:
                source.unlink()
        rows = con.execute(f"select count(*) from {table}").fetchall()[0][0]
        files[path.name] = {"seconds": round(time.perf_counter() - began, 3), "rows": rows}
    con.execute("checkpoint")
    con.close()
    return {"seconds": round(time.perf_counter() - started, 3), "files": files}


def ingest_and_copy(sample: Path, db: Path) -> dict:
    """The floor of this design: plain ingest, then every table copied into a second file — the
    least a load that keeps its raw tables and publishes a separate snapshot for the dashboard
    must write (nothing parsed, checked or derived)."""
    import duckdb

    ingest = raw_ingest(sample, db)
    started = time.perf_counter()
    con = duckdb.connect(str(db))
    con.execute(f"attach '{db.with_name('snapshot.duckdb')}' as snap")
    tables = con.execute(
        "select table_name from duckdb_tables() where database_name = current_database()"
    ).fetchall()
    for (table,) in tables:
        con.execute(f"create table snap.main.{table} as from main.{table}")
    con.execute("detach snap")
    con.close()
    return {"seconds": round(ingest["seconds"] + time.perf_counter() - started, 3)}


def ipgov_load(sample: Path, db: Path) -> dict:
    """`ipgov load` as shipped: gate, raw, marts, snapshot, reports."""
    from etl.load import load

    summary = load([sample], db, today=dt.date.fromisoformat(TODAY))
    return {
        "seconds": round(summary.seconds, 3),
        "phases": {k: round(v, 3) for k, v in summary.phases.items()},
        "snapshot_steps": summary.snapshot_steps,  # seconds of each mart, the grain checks …
        "files": {
            f.path.name: {
                "seconds": round(f.seconds, 3),
                "rows": f.rows_read,
                "loaded": f.rows_loaded,
                "quarantined": f.rows_quarantined,
                "status": f.status,
                "engine": f.report.engine if f.report else None,
            }
            for f in summary.files
        },
    }


RUNS = {"raw_ingest": raw_ingest, "ingest_and_copy": ingest_and_copy, "ipgov_load": ipgov_load}


def child(run: str, sample: Path, db: Path, out: Path) -> None:
    out.write_text(json.dumps(RUNS[run](sample, db)))


def measure(run: str, sample: Path, work: Path) -> dict:
    """Run one side in a fresh process from a quiet disk: its wall time, result and peak
    resident memory. Its files are deleted after (their size is in the result)."""
    db = work / run / "warehouse.duckdb"
    shutil.rmtree(db.parent, ignore_errors=True)
    db.parent.mkdir(parents=True)
    out = work / f"{run}.json"
    os.sync()  # the previous run's writes reach the disk before this run's clock starts
    started = time.perf_counter()
    process = subprocess.Popen(
        [
            sys.executable,
            __file__,
            "--child",
            run,
            "--sample",
            str(sample),
            "--db",
            str(db),
            "--out",
            str(out),
        ]
    )
    _, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    if status != 0:
        raise SystemExit(f"{run} failed (status {status})")
    result = json.loads(out.read_text())
    result["wall_seconds"] = round(wall, 3)
    result["cpu_seconds"] = round(usage.ru_utime + usage.ru_stime, 3)  # all threads, user + sys
    result["peak_rss_mib"] = round(usage.ru_maxrss / 1024, 1)  # Linux: kilobytes
    result["disk_mib"] = round(
        sum(p.stat().st_size for p in db.parent.rglob("*") if p.is_file()) / 2**20, 1
    )
    shutil.rmtree(db.parent, ignore_errors=True)
    return result


def median_run(runs: list[dict]) -> dict:
    """The run of median wall time (the lower middle one of an even count), in full, with
    every run's wall and CPU seconds beside it."""
    chosen = sorted(runs, key=lambda r: r["wall_seconds"])[(len(runs) - 1) // 2]
    return {
        **chosen,
        "all_wall_seconds": [r["wall_seconds"] for r in runs],
        "all_cpu_seconds": [r["cpu_seconds"] for r in runs],
    }


def files_seconds(run: str, result: dict) -> float:
    """Reading, judging and writing the files: the load's files phase, a plain ingest's all."""
    return result["phases"]["files"] if run == "ipgov_load" else result["seconds"]


def round_ratios(
    rounds: list[dict[str, dict]],
    ours: str,
    base: str,
    key: str | Callable[[str, dict], float],
) -> dict:
    """`ours`/`base` within each round of `key`: a result's field, or a function of the run's
    name and result. Its median, lowest and highest."""
    value = key if callable(key) else (lambda _run, result: result[key])
    ratios = [value(ours, r[ours]) / value(base, r[base]) for r in rounds]
    return {
        "median": round(statistics.median(ratios), 2),
        "min": round(min(ratios), 2),
        "max": round(max(ratios), 2),
        "rounds": [round(x, 2) for x in ratios],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sample", type=Path, help="an existing sample folder")
    parser.add_argument("--scale", type=float, default=100.0, help="else write one this big")
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--label", help="results file suffix (default: the scale)")
    parser.add_argument(
        "--repeat", type=int, default=1, help="rounds of the three runs, interleaved (default 1)"
    )
    parser.add_argument("--child", choices=sorted(RUNS), help=argparse.SUPPRESS)
    parser.add_argument("--db", type=Path, help=argparse.SUPPRESS)
    parser.add_argument("--out", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, args.sample, args.db, args.out)
        return 0
    with tempfile.TemporaryDirectory(prefix="ipgov-bench-load-") as tmp:
        work = Path(tmp)
        sample = args.sample
        if sample is None:
            from etl.sample import write_sample

            sample = work / "sample"
            write_sample(sample, seed=args.seed, scale=args.scale)
        files = sorted(p for p in sample.iterdir() if p.suffix in SUFFIXES)
        results: dict = {
            "sample": str(sample),
            "scale": None if args.sample else args.scale,
            "files": len(files),
            "bytes": sum(p.stat().st_size for p in files),
            "machine": f"{platform.machine()}, {os.cpu_count()} cores, "
            f"Python {platform.python_version()}",
            "when": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "rounds": args.repeat,
        }
        rounds: list[dict[str, dict]] = []
        for i in range(args.repeat):  # side by side, interleaved, each in its own process
            rounds.append({})
            for run in RUNS:
                print(f"round {i + 1}/{args.repeat}: {run} …", file=sys.stderr, flush=True)
                rounds[-1][run] = measure(run, sample, work)
    for run in RUNS:
        results[run] = median_run([r[run] for r in rounds])
    raw, ours = results["raw_ingest"], results["ipgov_load"]
    # load + validate: reading, judging and writing the files, against ingest
    results["load_validate_ratio"] = round_ratios(rounds, "ipgov_load", "raw_ingest", files_seconds)
    # the whole command, building and publishing the KPI snapshot too
    results["ratio"] = round_ratios(rounds, "ipgov_load", "raw_ingest", "wall_seconds")
    # the same in CPU seconds: what the load costs the machine, whatever else runs on it
    results["cpu_ratio"] = round_ratios(rounds, "ipgov_load", "raw_ingest", "cpu_seconds")
    # the floor of a design with raw tables and a separate snapshot: ingest plus one copy
    floor = results["ingest_and_copy"]
    results["floor_ratio"] = round_ratios(rounds, "ingest_and_copy", "raw_ingest", "wall_seconds")
    results["floor_cpu_ratio"] = round_ratios(
        rounds, "ingest_and_copy", "raw_ingest", "cpu_seconds"
    )
    results["load_over_floor"] = round_ratios(
        rounds, "ipgov_load", "ingest_and_copy", "wall_seconds"
    )
    label = args.label or f"scale{args.scale:g}" if not args.sample else (args.label or sample.name)
    target = ROOT / "benchmarks" / "results" / f"load-{label}.json"
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    rows = sum(f["rows"] for f in raw["files"].values())
    print(f"{len(files)} files, {results['bytes'] / 2**20:,.0f} MiB, {rows:,} rows")
    if args.repeat > 1:
        print(f"{args.repeat} rounds: each side's median-wall run; ratios within a round")
    print("| run | wall (s) | CPU (s) | peak RSS (MiB) | phases (s) |")
    print("|---|---:|---:|---:|---|")
    print(
        f"| plain DuckDB ingest | {raw['wall_seconds']:.1f} | {raw['cpu_seconds']:.1f} "
        f"| {raw['peak_rss_mib']:,.0f} | — |"
    )
    print(
        f"| plain ingest + a copy of every table into a second file | "
        f"{floor['wall_seconds']:.1f} | {floor['cpu_seconds']:.1f} "
        f"| {floor['peak_rss_mib']:,.0f} | — |"
    )
    phases = ", ".join(f"{k} {v:.1f}" for k, v in ours["phases"].items())
    print(
        f"| `ipgov load` | {ours['wall_seconds']:.1f} | {ours['cpu_seconds']:.1f} "
        f"| {ours['peak_rss_mib']:,.0f} | {phases} |"
    )
    print(
        f"load + validate {_spread(results['load_validate_ratio'])} the plain ingest; the whole "
        f"`ipgov load` {_spread(results['ratio'])} wall, {_spread(results['cpu_ratio'])} CPU "
        f"(the floor of ingest + copy: {_spread(results['floor_ratio'])} wall, "
        f"{_spread(results['floor_cpu_ratio'])} CPU; the load over that floor: "
        f"{_spread(results['load_over_floor'])} wall); written {target.relative_to(ROOT)}"
    )
    return 0


def _spread(ratio: dict) -> str:
    if ratio["min"] == ratio["max"]:
        return f"{ratio['median']}×"
    return f"{ratio['median']}× ({ratio['min']}–{ratio['max']}×)"


if __name__ == "__main__":
    sys.exit(main())
