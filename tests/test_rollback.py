"""Snapshots you can go back to (issue 13, etl/rollback.py): `ipgov snapshots` lists them,
`ipgov rollback` makes an earlier one current and withdraws the loads after it, so the next load
does not bring a bad one back, and its file can be loaded again."""

from __future__ import annotations

import json

import duckdb
from typer.testing import CliRunner

from dashboard.access import audit
from dashboard.cli import app
from etl import rollback, warehouse
from etl.load import load
from tests.conftest import TODAY, split_sample


def cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output, result.output
    return result


def _count(snapshot, table: str = "fct_takedowns") -> int:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return con.execute(f"select count(*) from {table}").fetchone()[0]
    finally:
        con.close()


def test_a_rollback_takes_a_load_back_until_it_is_loaded_again(tmp_path, monkeypatch):
    first, second = split_sample(tmp_path / "sample", seed=42, scale=0.05)
    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)
    good = load([first], db, today=TODAY)
    bad = load([second], db, today=TODAY)  # say the 2026 files were the wrong export
    before, after = _count(good.snapshot), _count(bad.snapshot)
    assert after > before
    listed = json.loads(cli("snapshots", "--json", "--db", str(db)).output)
    assert [(s["id"], s["current"], s["built"]) for s in listed] == [
        (bad.load_id, True, "incremental"),
        (good.load_id, False, "full"),
    ]
    assert listed[1]["rows"]["fct_takedowns"] == before
    done = cli("rollback", good.load_id, "--db", str(db))
    assert done.exit_code == 0, done.output
    assert warehouse.current_snapshot(paths) == good.snapshot  # the dashboard reads it now
    assert f"withdrawn load(s): {bad.load_id}" in done.output
    (entry,) = audit.entries(paths, action="rollback")
    assert entry.target == good.load_id and entry.detail["withdrawn"] == [bad.load_id]
    # another load: the withdrawn one stays out of its snapshot
    other = tmp_path / "other"
    other.mkdir()
    notes = (first / "takedowns_2025.csv").read_text(encoding="utf-8").splitlines()
    (other / "takedowns_fix.csv").write_text(
        "\n".join([notes[0], notes[1].replace(",,", ",WQ2025-0001,", 1)]) + "\n",
        encoding="utf-8",
    )
    fix = load([other], db, today=TODAY)
    assert _count(fix.snapshot) == before  # not `after`: the 2026 takedowns are not back
    # and the withdrawn files are not "the same bytes as before": they load again
    again = load([second], db, today=TODAY)
    assert {f.status for f in again.files} == {"loaded"}
    assert _count(again.snapshot) == after


def test_rollback_to_a_full_build_equals_incremental_builds_after_it(tmp_path, monkeypatch):
    first, second = split_sample(tmp_path / "sample", seed=42, scale=0.05)
    db = tmp_path / "wh" / "warehouse.duckdb"
    good = load([first], db, today=TODAY)
    load([second], db, today=TODAY)
    rollback.rollback(warehouse.WarehousePaths(db), good.load_id, "test")
    incremental = load([second], db, today=TODAY)  # reloaded after the rollback
    assert incremental.snapshot_build == "incremental"
    monkeypatch.setenv("IPGOV_SNAPSHOT_INCREMENTAL", "false")
    whole_db = tmp_path / "whole" / "warehouse.duckdb"
    load([first], whole_db, today=TODAY)
    whole = load([second], whole_db, today=TODAY)
    for table in rollback.COUNTED:
        assert _count(incremental.snapshot, table) == _count(whole.snapshot, table), table


def test_rolling_forward_reinstates_the_loads(tmp_path):
    first, second = split_sample(tmp_path / "sample", seed=42, scale=0.05)
    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)
    good = load([first], db, today=TODAY)
    later = load([second], db, today=TODAY)
    assert rollback.rollback(paths, good.load_id, "test").withdrawn == [later.load_id]
    forward = rollback.rollback(paths, later.load_id, "test")
    assert forward.reinstated == [later.load_id] and forward.withdrawn == []
    assert warehouse.current_snapshot(paths) == later.snapshot
    nothing = load([second], db, today=TODAY)  # the same bytes, live again: skipped
    assert {f.status for f in nothing.files} == {"skipped"} and nothing.snapshot is None


def test_rollback_to_an_unknown_snapshot_is_one_line(tmp_path, sample_wh):
    refused = cli("rollback", "19990101T000000000000Z", "--db", str(sample_wh.db))
    assert refused.exit_code == 2
    assert "no published snapshot '19990101T000000000000Z'" in refused.output
    assert "ipgov snapshots" in refused.output


def test_a_warehouse_from_before_rollbacks_loses_only_the_unique_sha256(tmp_path):
    # warehouses made before rollbacks held each SHA-256 once (UNIQUE): ensure_raw copies
    # raw.load_files into the current shape, every row kept
    from etl.raw import ensure_raw

    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema raw")
    con.execute(
        "create table raw.load_files (file_seq bigint primary key, load_id varchar not null, "
        "kind varchar not null, source_file varchar not null, source_path varchar not null, "
        "source_sha256 varchar not null unique, size_bytes bigint not null, encoding varchar "
        "not null, rows_read bigint not null, rows_loaded bigint not null, rows_quarantined "
        "bigint not null, ignored_columns varchar[], loaded_at timestamp not null)"
    )
    con.execute(
        "insert into raw.load_files values (1, 'L1', 'cases', 'a.csv', '/in/a.csv', 'abc', 10, "
        "'utf-8', 3, 3, 0, [], timestamp '2026-01-05 09:00:00')"
    )
    ensure_raw(con)
    assert con.execute(
        "select count(*) from duckdb_constraints() where table_name = 'load_files' "
        "and constraint_type = 'UNIQUE'"
    ).fetchone() == (0,)
    assert con.execute("select file_seq, load_id, source_sha256, sender from raw.load_files"
                       ).fetchall() == [(1, "L1", "abc", None)]  # fmt: skip
    con.execute(  # the same bytes again, as a withdrawn load's file loaded anew
        "insert into raw.load_files (file_seq, load_id, kind, source_file, source_path, "
        "source_sha256, size_bytes, encoding, rows_read, rows_loaded, rows_quarantined, "
        "loaded_at) values (2, 'L2', 'cases', 'a.csv', '/in/a.csv', 'abc', 10, 'utf-8', 3, 3, 0, "
        "timestamp '2026-02-05 09:00:00')"
    )
    con.close()
