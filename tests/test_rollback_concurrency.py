"""A rollback while the dashboard serves and another load runs (issue 13), with real processes:
readers query the published snapshot in a loop through the dashboard's query layer (one also
lists the loads and snapshots as the Loads page does, which opens the ingest database
read-only), `ipgov load` loads a month, and `ipgov rollback` goes back to an earlier snapshot
while that load holds the ingest database. No query fails, no snapshot is lost, and the end
state is consistent whichever finished last. The numbers go to
test-output/rollback-concurrency.json and docs/reliability.md."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import pytest

from etl import rollback, warehouse
from etl.load import load
from tests.conftest import TODAY, split_sample

pytestmark = pytest.mark.reliability

ROOT = Path(__file__).resolve().parent.parent
OUTPUT = ROOT / "test-output"
MONTH = "2026-03"
READ_SECONDS_MAX = 120


def read_loop(db: str, stop_file: str, out: str, listing: bool) -> None:
    """A dashboard process's reads until `stop_file` appears: the current snapshot's id, then
    the Overview's headline KPIs and a trend through the query layer without a cache (each
    call reaches DuckDB); with `listing`, also the Loads page's history and snapshot list."""
    os.environ["IPGOV_DB"] = db
    import datetime as dt

    from dashboard.core import QueryLayer, snapshot_id
    from dashboard.core import loads as page_loads
    from etl import periods

    layer = QueryLayer(lambda function, _size: function)
    params = {
        "start": dt.date(2026, 1, 1),
        "end": dt.date(2026, 12, 31),
        "platforms": [],
        "locations": [],
        "ip_types": [],
        "regions": [],
        "grain": "month",
        "as_of": dt.date(2026, 9, 30),
    }
    paths = warehouse.WarehousePaths(Path(db))
    queries = failures = listings = 0
    errors: list[str] = []
    seen: list[str] = []
    started = time.monotonic()
    while not Path(stop_file).exists() and time.monotonic() - started < READ_SECONDS_MAX:
        try:
            snapshot = snapshot_id()
            if not seen or seen[-1] != snapshot:
                seen.append(snapshot)
            layer.headline(snapshot, periods.year(2026))
            layer.frame("takedown_trend", snapshot, params)
            queries += 2
            if listing:
                page_loads.history(paths)
                page_loads.snapshot_list(paths)
                listings += 1
        except Exception as e:  # every failure counted and kept, none hidden
            failures += 1
            errors.append(f"{type(e).__name__}: {e}"[:300])
    Path(out).write_text(
        json.dumps(
            {
                "queries": queries,
                "failures": failures,
                "errors": errors[:10],
                "listings": listings,
                "snapshots_seen": seen,
                "seconds": time.monotonic() - started,
            }
        )
    )


def _reader(db: Path, stop: Path, out: Path, listing: bool) -> subprocess.Popen:
    code = (
        "import sys; from tests.test_rollback_concurrency import read_loop; "
        "read_loop(sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4] == '1')"
    )
    args = [sys.executable, "-c", code, str(db), str(stop), str(out), "1" if listing else "0"]
    return subprocess.Popen(args, cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)})


def _ipgov(*args: str) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", *args],
        cwd=ROOT,
        env=os.environ | {"PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )


def _month_file(second: Path, folder: Path) -> Path:
    """The 2026 takedowns file cut to one month's notices (the header and those rows)."""
    lines = (second / "takedowns_2026.csv").read_text(encoding="utf-8").splitlines()
    month = [line for line in lines[1:] if f",{MONTH}-" in line]  # sent (or removed) then
    assert month, "the sample has notices in the month"
    folder.mkdir()
    path = folder / f"takedowns_{MONTH}.csv"
    path.write_text("\n".join([lines[0], *month]) + "\n", encoding="utf-8")
    return path


def _facts(snapshot: Path) -> dict[str, int]:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return {t: con.execute(f"select count(*) from {t}").fetchone()[0] for t in rollback.COUNTED}
    finally:
        con.close()


def _locked(db: Path) -> bool:
    con = warehouse.try_read_only(db)
    if con is None:
        return True
    con.close()
    return False


def test_rollback_while_serving_and_loading(tmp_path):
    first, second = split_sample(tmp_path / "sample", seed=42, scale=0.05)
    month = _month_file(second, tmp_path / "month")
    (second / "takedowns_2026.csv").unlink()  # the month's notices arrive in the month's load
    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)
    good = load([first], db, today=TODAY)
    bad = load([second], db, today=TODAY)  # the load to take back
    published_before = {p.name for p in paths.snapshots.glob("*.duckdb")}

    stop = tmp_path / "stop"
    outs = [tmp_path / f"reader-{i}.json" for i in range(3)]
    readers = [_reader(db, stop, out, listing=i == 0) for i, out in enumerate(outs)]
    time.sleep(3)  # the readers are reading
    loading = _ipgov("load", str(month.parent), "--db", str(db))
    deadline = time.monotonic() + 60
    while not _locked(db) and loading.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    overlapped = loading.poll() is None  # the load held the ingest database: roll back now
    began = time.monotonic()
    rolling = _ipgov("rollback", good.load_id, "--db", str(db))
    rolled_output = rolling.communicate(timeout=120)[0]
    rollback_seconds = time.monotonic() - began
    load_output = loading.communicate(timeout=120)[0]
    tries = 1
    while rolling.returncode == 2 and "cannot roll back now" in rolled_output and tries < 5:
        tries += 1  # the load outlasted the rollback's wait: refused in one line, try again
        began = time.monotonic()
        rolling = _ipgov("rollback", good.load_id, "--db", str(db))
        rolled_output = rolling.communicate(timeout=120)[0]
        rollback_seconds = time.monotonic() - began
    time.sleep(2)  # the readers read the end state too
    stop.write_text("stop", encoding="utf-8")
    for reader in readers:
        assert reader.wait(timeout=READ_SECONDS_MAX + 30) == 0
    results = [json.loads(out.read_text()) for out in outs]

    assert loading.returncode == 0, load_output
    assert rolling.returncode == 0, rolled_output
    assert "Traceback" not in load_output + rolled_output
    # the readers: many queries, none failed, only published snapshots seen
    assert all(r["queries"] > 0 for r in results) and results[0]["listings"] > 0
    assert [r["failures"] for r in results] == [0, 0, 0], [r["errors"] for r in results]
    published_after = {p.name for p in paths.snapshots.glob("*.duckdb")}
    seen = {s for r in results for s in r["snapshots_seen"]}
    assert {f"{s}.duckdb" for s in seen} <= published_after
    # no snapshot lost: the two before, the month's load's own
    assert published_before < published_after and len(published_after) == 3
    assert not list(paths.snapshots.glob(".*"))  # nothing half-built left
    # consistent: CURRENT names an existing file; every listed snapshot exists
    current = warehouse.published_snapshot(paths)
    listed = rollback.snapshots(paths)
    assert all(s.path.is_file() for s in listed) and sum(s.current for s in listed) == 1
    month_load = next(s.id for s in listed if s.id not in (good.load_id, bad.load_id))
    withdrawn = {s.id for s in listed if s.withdrawn}
    rolled_after = month_load in rolled_output  # "withdrawn load(s): …" names it
    if rolled_after:  # the usual order: the rollback waited for the load, then took it back too
        assert current.stem == good.load_id
        assert withdrawn == {bad.load_id, month_load}
        assert _facts(current) == _facts(good.snapshot)
    else:  # the rollback came first; the month then loaded on the good state
        assert current.stem == month_load and withdrawn == {bad.load_id}
        facts, base = _facts(current), _facts(good.snapshot)
        assert facts["fct_takedowns"] > base["fct_takedowns"]
    OUTPUT.mkdir(exist_ok=True)
    report = {
        "readers": results,
        "queries": sum(r["queries"] for r in results),
        "failures": sum(r["failures"] for r in results),
        "listings": results[0]["listings"],
        "rollback_seconds": round(rollback_seconds, 3),
        "rollback_tries": tries,
        "rollback_during_load": overlapped,
        "rollback_after_load": rolled_after,
        "current": current.stem,
        "snapshots": sorted(published_after),
    }
    (OUTPUT / "rollback-concurrency.json").write_text(json.dumps(report, indent=2))
