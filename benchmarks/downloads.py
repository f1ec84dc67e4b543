"""Server memory of one SQL-console download, the way the dashboard builds it (issue 12).

    python benchmarks/downloads.py --db PATH [--rows 1000000] [--width 1024] [--formats csv,parquet]
        [--max-mb 100] [--code CHECKOUT]

Each download runs in a fresh child process, so its peak memory is its own (`wait4`'s max RSS):
the child imports the dashboard, calls `dashboard.queries.sql_export` (what the page's download
button runs on a click) for ROWS rows of WIDTH hex characters (`md5` digests, which no format
compresses away), and hands the bytes to Streamlit's in-memory media storage as the button does.
A second child only imports, so `peak - imports` is what building and holding the file cost.
`--code` measures another checkout (e.g. the commit before the byte cap, from `git archive`).
Prints a markdown table (copy it into docs/performance.md). Not a test: numbers vary by machine.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

CHILD = """
import json, sys, time
download = sys.argv[1] == "download"
from dashboard import queries
from streamlit.runtime.download_data_util import convert_data_to_bytes_and_infer_mime
from streamlit.runtime.media_file_storage import MediaFileKind
from streamlit.runtime.memory_media_file_storage import MemoryMediaFileStorage
size = 0
started = time.perf_counter()
if download:
    sql, fmt = sys.argv[2], sys.argv[3]
    data = queries.sql_export(sql, fmt, queries.snapshot_id())
    data, _ = convert_data_to_bytes_and_infer_mime(data, ValueError())
    MemoryMediaFileStorage("media").load_and_get_id(data, "x", MediaFileKind.DOWNLOADABLE, "f")
    size = len(data)
print(json.dumps({"bytes": size, "seconds": time.perf_counter() - started}))
"""


def child(code_root: Path, db: Path, *args: str) -> dict:
    """Run CHILD in a fresh process: what it printed, and its own peak RSS in MiB."""
    env = os.environ | {"PYTHONPATH": str(code_root), "IPGOV_DB": str(db)}
    with tempfile.TemporaryFile("w+") as out:
        process = subprocess.Popen([sys.executable, "-c", CHILD, *args], env=env, stdout=out)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = status
        out.seek(0)
        printed = out.read()
    if status != 0:
        raise SystemExit(f"child failed (status {status}): {printed}")
    return json.loads(printed.strip().splitlines()[-1]) | {"peak_mib": usage.ru_maxrss / 1024}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True, help="a loaded warehouse")
    parser.add_argument("--code", type=Path, default=ROOT, help="the ipgov checkout to measure")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument(
        "--width", type=int, default=1000, help="hex characters per row (a multiple of 32)"
    )
    parser.add_argument("--formats", default="csv,parquet")
    parser.add_argument("--max-mb", default=None, help="IPGOV_DOWNLOAD_MAX_MB for the children")
    args = parser.parse_args()
    if args.max_mb:
        os.environ["IPGOV_DOWNLOAD_MAX_MB"] = args.max_mb
    os.environ.setdefault("IPGOV_SQL_MEMORY_LIMIT", "1GB")
    # hex digests, so no format can compress the text away (a repeated letter zips to nothing)
    digests = " || ".join(f"md5((i * {k + 1})::varchar)" for k in range(max(args.width // 32, 1)))
    sql = f"select {digests} as s, i from range({args.rows}) t(i)"
    print(f"code: {args.code}  query: {sql}  IPGOV_DOWNLOAD_MAX_MB={args.max_mb or 'default'}")
    print("| format | file MiB | seconds | peak RSS MiB | of which imports | download |")
    print("|---|---|---|---|---|---|")
    for fmt in args.formats.split(","):
        base = child(args.code, args.db, "imports")
        started = time.perf_counter()
        run = child(args.code, args.db, "download", sql, fmt)
        wall = time.perf_counter() - started
        print(
            f"| {fmt} | {run['bytes'] / 1024**2:,.1f} | {wall:.1f} | {run['peak_mib']:,.0f} "
            f"| {base['peak_mib']:,.0f} | {run['peak_mib'] - base['peak_mib']:,.0f} |"
        )


if __name__ == "__main__":
    main()
