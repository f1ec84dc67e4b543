"""The app database under contention from real processes (etl/appdb.py).

CI once failed `ipgov load` at its audit row with "database is locked": the load and a rollback
finished together on a warehouse whose app database did not exist yet, and both created it.
SQLite's busy timeout does not cover creating the file (rollback-journal mode answers a lock
at once, and switching to WAL needs the file alone), so the set-up step retries. Before that
fix, one trial in five of three processes failed here."""

from __future__ import annotations

import multiprocessing
from pathlib import Path

from dashboard.access import audit
from etl import warehouse

PROCESSES = 4
TRIALS = 15


def _write(db: str, barrier, results) -> None:
    """One process's audit row, sent when every process is ready, so the creates race."""
    barrier.wait()
    try:
        audit.record(warehouse.WarehousePaths(Path(db)), "cli:test", "load", target=db)
        results.put("ok")
    except Exception as e:  # every failure reported to the test, none hidden
        results.put(f"{type(e).__name__}: {e}")


def test_processes_creating_the_app_database_at_once_all_write(tmp_path):
    context = multiprocessing.get_context("fork")  # the imports done once, so the starts align
    failures: list[str] = []
    for trial in range(TRIALS):
        db = tmp_path / f"t{trial}" / "warehouse.duckdb"
        barrier, results = context.Barrier(PROCESSES), context.Queue()
        workers = [
            context.Process(target=_write, args=(str(db), barrier, results))
            for _ in range(PROCESSES)
        ]
        for worker in workers:
            worker.start()
        outcomes = [results.get(timeout=60) for _ in workers]
        for worker in workers:
            worker.join(timeout=60)
        failures += [o for o in outcomes if o != "ok"]
        rows = audit.entries(warehouse.WarehousePaths(db))  # each write that said ok is kept
        assert [(r.action, r.target) for r in rows] == [("load", str(db))] * outcomes.count("ok")
    assert failures == []
