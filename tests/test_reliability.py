"""Crash safety and concurrent serving: a load killed at any point leaves the last good state,
re-running it loses or doubles nothing; readers never fail or see half a load while loads
publish snapshots. Bounded in time; marked `reliability` so a quick run can skip them
(`pytest -m "not reliability"`); `.ci/run` runs them."""

from __future__ import annotations

import datetime as dt
import json
import os
import random
import shutil
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import duckdb
import pytest

from etl import kpis, warehouse
from etl.periods import Period
from tests.conftest import split_sample

pytestmark = pytest.mark.reliability

OUTPUT = Path(__file__).resolve().parent.parent / "test-output"
IGNORED = {"load_id", "loaded_at", "file_seq", "quarantined_at", "first_seen_load_id"}
KILLS = 20


def snapshot_checksums(paths: warehouse.WarehousePaths) -> dict[str, tuple]:
    """Order-independent checksum of every published table, without per-load lineage columns."""
    with warehouse.read_snapshot(paths) as con:
        tables = [
            t
            for (t,) in con.execute(
                "select table_name from duckdb_tables() where schema_name = 'main' "
                "and not starts_with(table_name, 'meta_') and table_name not like '%load%' "
                "order by 1"
            ).fetchall()
        ]
        sums = {}
        for table in tables:
            columns = [
                c
                for (c,) in con.execute(
                    "select column_name from duckdb_columns() where table_name = ? "
                    "order by column_index",
                    [table],
                ).fetchall()
                if c not in IGNORED
            ]
            cols = ", ".join(columns)
            sums[table] = tuple(
                con.execute(f"select count(*), bit_xor(hash(({cols}))) from {table}").fetchall()[0]
            )
        return sums


def raw_counts(db: Path) -> dict[str, int]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return {
            k: con.execute(f"select count(*) from raw.{k}").fetchall()[0][0]
            for k in ("cases", "takedowns", "patents", "trademarks", "notarizations")
        }
    finally:
        con.close()


IPGOV = str(Path(sys.executable).parent / "ipgov")


def ipgov(*args: str, env: dict | None = None) -> subprocess.Popen:
    """The installed command, as an operator runs it (a real process to kill)."""
    return subprocess.Popen(
        [IPGOV, *args],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        env=os.environ | (env or {}),
    )


@pytest.fixture(scope="module")
def batches(tmp_path_factory) -> tuple[Path, Path]:
    """Two batches of source files: up to 2025 (the good state), and the five 2026 files."""
    return split_sample(tmp_path_factory.mktemp("rel-sample"), seed=7, scale=0.3)


@pytest.fixture(scope="module")
def states(batches, tmp_path_factory):
    """The warehouse after the first batch (A), and what a clean second load gives (B)."""
    first, second = batches
    good = tmp_path_factory.mktemp("rel-good") / "wh"
    assert ipgov("load", str(first), "--db", str(good / "warehouse.duckdb")).wait() == 0
    state_a = snapshot_checksums(warehouse.WarehousePaths(good / "warehouse.duckdb"))
    clean = tmp_path_factory.mktemp("rel-clean") / "wh"
    shutil.copytree(good, clean)
    started = time.monotonic()
    assert ipgov("load", str(second), "--db", str(clean / "warehouse.duckdb")).wait() == 0
    seconds = time.monotonic() - started
    state_b = snapshot_checksums(warehouse.WarehousePaths(clean / "warehouse.duckdb"))
    assert state_a != state_b
    return good, state_a, state_b, raw_counts(clean / "warehouse.duckdb"), seconds


def test_sigkill_during_load_leaves_last_good_state(states, batches, tmp_path):
    good, state_a, state_b, counts_b, seconds = states
    _, second = batches
    rng = random.Random(20261125)
    seen = {"A": 0, "B": 0}
    for i in range(KILLS):
        wh = tmp_path / f"kill{i}"
        shutil.copytree(good, wh)
        db = wh / "warehouse.duckdb"
        process = ipgov("load", str(second), "--db", str(db))
        time.sleep(rng.uniform(0.05, seconds * 1.1))
        process.send_signal(signal.SIGKILL)
        process.wait()
        paths = warehouse.WarehousePaths(db)
        after_kill = snapshot_checksums(paths)
        assert after_kill in (state_a, state_b), f"kill {i}: a state in between was published"
        seen["A" if after_kill == state_a else "B"] += 1
        rerun = ipgov("load", str(second), "--db", str(db))
        assert rerun.wait() == 0, rerun.stderr.read().decode()
        assert snapshot_checksums(paths) == state_b, f"kill {i}: re-run did not complete"
        assert raw_counts(db) == counts_b, f"kill {i}: rows lost or doubled"
        assert not list(paths.snapshots.glob("*.building")), "unfinished snapshot left behind"
        shutil.rmtree(wh)
    assert seen["A"] > 0, "no kill landed before the publish: the test did not test anything"
    OUTPUT.mkdir(parents=True, exist_ok=True)
    (OUTPUT / "reliability-kills.json").write_text(
        json.dumps(
            {
                "kills": KILLS,
                "clean_load_seconds": round(seconds, 2),
                "state_after_kill": seen,
                "reruns_completed": KILLS,
            },
            indent=2,
        )
    )


def test_readers_never_fail_while_loads_publish(batches, tmp_path):
    """Loads publish new snapshots in a loop while readers query continuously."""
    first, second = batches
    db = tmp_path / "wh" / "warehouse.duckdb"
    assert ipgov("load", str(first), "--db", str(db)).wait() == 0
    paths = warehouse.WarehousePaths(db)
    files = sorted(second.iterdir())
    failures: list[str] = []
    answers: list[tuple[int, int]] = []
    stop = threading.Event()
    everything = Period(dt.date(2000, 1, 1), dt.date(2030, 12, 31), "all time")

    def reader() -> None:
        while not stop.is_set():
            try:
                with warehouse.read_snapshot(paths) as con:
                    direct = con.execute("select count(*) from fct_takedowns").fetchall()[0][0]
                    via_kpi = kpis.headline(con, everything)["takedown_requests"]
                answers.append((direct, via_kpi))
            except Exception as e:  # any failure is what this test looks for
                failures.append(repr(e))

    def sql_cli() -> None:
        while not stop.is_set():
            result = subprocess.run(
                [IPGOV, "kpis", "--json", "--db", str(db)], capture_output=True, text=True
            )
            if result.returncode != 0:
                failures.append(result.stderr)

    threads = [threading.Thread(target=reader) for _ in range(3)]
    threads.append(threading.Thread(target=sql_cli))
    env = {"IPGOV_SNAPSHOT_KEEP": "1", "IPGOV_SNAPSHOT_GRACE_SECONDS": "1"}
    for t in threads:
        t.start()
    try:
        for f in files:
            load = ipgov("load", str(f), "--db", str(db), env=env)
            assert load.wait(timeout=120) == 0, load.stderr.read().decode()
    finally:
        stop.set()
        for t in threads:
            t.join(timeout=60)
    assert failures == []
    assert answers and all(direct == via for direct, via in answers), "mixed snapshots"
    time.sleep(1.1)
    assert ipgov("load", str(files[0]), "--db", str(db), env=env).wait() == 0  # prunes
    assert len(list(paths.snapshots.glob("*.duckdb"))) <= 2
