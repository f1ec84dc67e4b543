"""The query core without Streamlit: reads cached per snapshot in plain Python, one read-only
connection per snapshot per process, the same numbers as `ipgov kpis`."""

from __future__ import annotations

from dashboard import core
from dashboard.core import connections
from etl import kpis, settings, warehouse
from etl.periods import parse_quarter

QUARTER = parse_quarter("2024Q3")


def test_reads_are_cached_per_snapshot_and_share_one_connection(sample_wh):
    with settings.overridden(db=str(sample_wh.db)):
        snapshot = core.snapshot_id()
        first = core.frame("codes", snapshot)
        assert core.frame("codes", snapshot) is first  # the cache, not a second read
        assert not first.is_empty()
    db = str(sample_wh.db)
    assert connections.reader(db, snapshot) is connections.reader(db, snapshot)


def test_headline_and_record_counts_equal_the_snapshot(sample_wh):
    with warehouse.read_snapshot(sample_wh) as con:
        want = kpis.headline(con, QUARTER)
    with settings.overridden(db=str(sample_wh.db)):
        snapshot = core.snapshot_id()
        assert core.headline(snapshot, QUARTER) == want
        records = core.records("takedown_records", snapshot, core.Filters(QUARTER).params(), 10)
    assert records.rows.height == 10 and records.total == want["takedown_requests"]


def test_nothing_loaded_is_no_snapshot(tmp_path):
    with settings.overridden(db=str(tmp_path / "none" / "warehouse.duckdb")):
        assert core.snapshot_id() is None
