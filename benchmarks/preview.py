"""What the Upload page's preview (etl/preview) adds to a check: the same files judged by
`ipgov check` alone and by `ipgov check --db` (the check plus what loading them would change).

    python benchmarks/preview.py [--scale 1] [--seed 42]

Writes the sample at the scale into a temporary folder, loads its 2022 and 2023 files (and the
notarizations) into a warehouse, then times, best of three each:

* `check_new`, `preview_new`: the 2024 files — records the warehouse does not have;
* `check_resent`, `preview_resent`: the 2023 takedowns and cases re-saved with the other line
  endings (other bytes, the same records) — every record compared with its loaded version.

Records the seconds in benchmarks/results/preview-scale<S>.json and prints a markdown table.
Not a test: the numbers depend on the machine.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import platform
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from etl.gate import check_paths  # noqa: E402
from etl.load import load  # noqa: E402
from etl.preview import preview  # noqa: E402
from etl.sample import write_sample  # noqa: E402

TODAY = dt.date(2026, 11, 25)
RUNS = 3


def best(run: Callable[[], object]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def resaved(sample: Path, folder: Path, names: list[str]) -> list[Path]:
    """The files with the other line endings (CRLF ↔ LF): other bytes (not skipped), the
    same records."""
    folder.mkdir()
    out = []
    for name in names:
        data = (sample / name).read_bytes()
        crlf = b"\r\n" in data
        data = data.replace(b"\r\n", b"\n") if crlf else data.replace(b"\n", b"\r\n")
        (folder / name).write_bytes(data)
        out.append(folder / name)
    return out


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seed", type=int, default=42)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ipgov-bench-") as tmp:
        sample, db = Path(tmp) / "sample", Path(tmp) / "wh" / "warehouse.duckdb"
        write_sample(sample, seed=args.seed, scale=args.scale)
        base = [*sorted(sample.glob("*2022*")), *sorted(sample.glob("*2023*"))]
        load([*base, sample / "notarizations.csv"], db, today=TODAY, reports=False)
        new = sorted(sample.glob("*2024*"))
        again = resaved(sample, Path(tmp) / "resaved", ["takedowns_2023.csv", "cases_2023.csv"])
        seconds = {
            "check_new": best(lambda: check_paths(new, today=TODAY)),
            "preview_new": best(lambda: preview(new, db, today=TODAY)),
            "check_resent": best(lambda: check_paths(again, today=TODAY)),
            "preview_resent": best(lambda: preview(again, db, today=TODAY)),
        }
        compared = preview(again, db, today=TODAY)
        records = sum(f.unchanged + f.changed for f in compared.files)
    results = {
        "scale": args.scale,
        "seed": args.seed,
        "machine": f"{platform.machine()}, {platform.python_version()}",
        "records_compared": records,
        "seconds": {k: round(v, 3) for k, v in seconds.items()},
    }
    out = ROOT / "benchmarks" / "results" / f"preview-scale{args.scale:g}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print("| files | check (s) | check --db (s) |")
    print("|---|---|---|")
    print(f"| 2024 (new) | {seconds['check_new']:.2f} | {seconds['preview_new']:.2f} |")
    print(
        f"| 2023 re-saved ({records:,} records compared) | {seconds['check_resent']:.2f} | "
        f"{seconds['preview_resent']:.2f} |"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
