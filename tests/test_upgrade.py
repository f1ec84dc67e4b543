"""A snapshot built by an older ipgov (its recorded fingerprint is another version's): before
this, every page calling a macro the new version added failed ("Table Function with name
worklist_items does not exist") until the next load brought new files. `ipgov serve` and a load
of files already loaded now rebuild it from raw first."""

from __future__ import annotations

import shutil
from pathlib import Path

import duckdb
import pytest

from dashboard.cli import server
from etl import load, publish, warehouse
from tests.conftest import TODAY, query

COUNTS = "select (select count(*) from fct_cases), (select count(*) from fct_takedowns)"


@pytest.fixture
def older(sample_wh: warehouse.WarehousePaths, tmp_path: Path) -> warehouse.WarehousePaths:
    """A copy of the sample warehouse whose snapshot an older version built: its build record
    holds another fingerprint, and it lacks a macro this version's pages call."""
    folder = tmp_path / "wh"
    shutil.copytree(sample_wh.folder, folder)
    paths = warehouse.WarehousePaths(folder / sample_wh.db.name)
    current = warehouse.snapshot_id(paths)
    with duckdb.connect(str(paths.db)) as con:
        con.execute(
            "update raw.snapshot_builds set fingerprint = 'an older version' where load_id = ?",
            [current],
        )
    with duckdb.connect(str(warehouse.current_snapshot(paths))) as con:
        con.execute("drop macro table worklist_items")
    return paths


def test_serving_rebuilds_a_snapshot_an_older_version_built(older, capsys):
    before = warehouse.snapshot_id(older)
    counts = query(older, COUNTS)
    with pytest.raises(duckdb.CatalogException):
        query(older, "select count(*) from worklist_items(current_date, 2, 2, 90, 30, 1)")
    server._current_models(older.db)
    assert "rebuilt the snapshot with this version's models" in capsys.readouterr().out
    assert warehouse.snapshot_id(older) != before
    assert query(older, COUNTS) == counts  # the same records, from raw
    assert query(older, "select count(*) from worklist_items(date '2026-09-30', 2, 2, 90, 30, 1)")
    assert publish.republish_if_outdated(older.db) is None  # built by this version now
    server._current_models(older.db)
    assert "rebuilt" not in capsys.readouterr().out


def test_loading_files_already_loaded_rebuilds_an_outdated_snapshot(older, sample_dir):
    before = warehouse.snapshot_id(older)
    summary = load.load([sample_dir], older.db, today=TODAY, reports=False)
    assert {f.status for f in summary.files} == {"skipped"}
    assert summary.snapshot is not None and summary.snapshot_build == "full"
    assert warehouse.snapshot_id(older) != before
    again = load.load([sample_dir], older.db, today=TODAY, reports=False)
    assert again.snapshot is None  # nothing new, nothing outdated: no build


def test_a_current_snapshot_is_left_as_it_is(sample_wh, tmp_path):
    folder = tmp_path / "wh"
    shutil.copytree(sample_wh.folder, folder)
    paths = warehouse.WarehousePaths(folder / sample_wh.db.name)
    before = warehouse.snapshot_id(paths)
    assert publish.republish_if_outdated(paths.db, today=TODAY) is None
    assert warehouse.snapshot_id(paths) == before
