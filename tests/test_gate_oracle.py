"""The one gate engine (etl/gate/engine.py, SQL in DuckDB) held to Great Expectations, the oracle.

For every file of the fault corpus and of the sample, GX runs the same committed suite on the
frame the engine parsed (its values and helper columns: one cell parser, the SQL one) and must
find exactly the failures the engine finds — every row, column, rule and expectation type — and
the loader must write what that verdict says: the rows GX passes into raw, the first failing rule
of each bad cell into the quarantine.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from etl.gate import Gate, engine, oracle, suites
from etl.gate.engine import FOUND_TABLE
from etl.load import load
from tests.broken_files import FAULTS
from tests.conftest import TODAY

JUDGED = [f for f in FAULTS if f.verdict != "rejected"]


def _first_per_cell(found: set[tuple[int, str, str, str]], suite: dict) -> set[tuple]:
    """One problem per cell: the first rule in suite order, as the quarantine holds it."""
    order = {
        (e["meta"]["rule"], e["meta"]["column"]): i for i, e in enumerate(suite["expectations"])
    }
    first: dict[tuple[int, str], tuple[int, tuple]] = {}
    for row, column, rule, type_ in found:
        position = order[(rule, column)]
        if (row, column) not in first or position < first[(row, column)][0]:
            first[(row, column)] = (position, (row, column, rule, type_))
    return {cell for _, cell in first.values()}


def engine_and_oracle(path: Path, kind: str | None = None) -> tuple[dict, set, set, dict]:
    """(report, the engine's failures, GX's failures, GX's failed rows per rule)."""
    gate = Gate(TODAY)
    try:
        report, judged = gate.check(path, kind)
        assert judged is not None, report.message_en
        con = judged.con
        by_engine = set(
            con.execute(
                f"select source_row, column_name, rule, expectation_type from {FOUND_TABLE}"
            ).fetchall()
        )
        frame = con.sql(engine.helper_frame_sql(judged.rows)).pl()
        suite = suites.load_suite(judged.kind)
        by_gx, failed = oracle.gx_failures(frame, suite, engine.suite_parameters(TODAY), path.name)
        return report.to_json(), by_engine, by_gx, failed
    finally:
        gate.close()


@pytest.mark.parametrize("fault", JUDGED, ids=lambda f: f.name)
def test_the_engine_finds_what_gx_finds_on_the_corpus(fault, corpus):
    report, by_engine, by_gx, failed = engine_and_oracle(corpus[fault.name], fault.kind)
    assert by_engine == by_gx
    suite = suites.load_suite(_kind(report["kind"]))
    reported = {
        (p["row"], p["column"], p["rule"], p["expectation_type"]) for p in report["problems"]
    }
    assert reported == _first_per_cell(by_gx, suite)
    for rule in report["rules"]:  # the report's per-rule counts are GX's too
        assert rule["failed_rows"] == failed[f"{rule['rule']}@{rule['column']}"], rule
    if fault.verdict == "quarantined":
        assert (fault.row, fault.column, fault.rule) in {c[:3] for c in by_gx}
    else:
        assert not by_gx


def _kind(name: str):
    from etl.sources import KINDS

    return KINDS[name]


@pytest.mark.parametrize(
    "name",
    [
        *(f"cases_{y}.csv" for y in (2022, 2026)),
        *(f"takedowns_{y}.csv" for y in (2022, 2026)),
        *(f"patents_{y}.parquet" for y in (2022, 2026)),
        *(f"trademarks_{y}.xlsx" for y in (2022, 2026)),
        "notarizations.csv",
    ],
)
def test_the_engine_finds_what_gx_finds_on_the_sample(name, small_sample):
    report, by_engine, by_gx, failed = engine_and_oracle(small_sample / name)
    assert by_engine == by_gx == set()
    assert report["verdict"] == "ok" and report["rows_read"] > 0
    assert all(rule["failed_rows"] == 0 for rule in report["rules"])
    assert set(failed.values()) == {0}


def test_the_load_writes_what_gx_passes(small_sample, corpus, tmp_path):
    """The sample plus every quarantined corpus file: raw holds the rows GX passes, the
    quarantine the first failing rule of each cell GX fails, for every file."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for f in small_sample.iterdir():
        (inbox / f.name).write_bytes(f.read_bytes())
    for fault in (f for f in FAULTS if f.verdict == "quarantined"):
        path = corpus[fault.name]
        (inbox / path.name).write_bytes(path.read_bytes())
    db = tmp_path / "wh" / "warehouse.duckdb"
    summary = load([inbox], db, today=TODAY, reports=False)
    assert not summary.rejected
    con = duckdb.connect(str(db), read_only=True)
    try:
        held = 0
        for outcome in summary.files:
            _, _, by_gx, _ = engine_and_oracle(outcome.path)
            suite = suites.load_suite(_kind(outcome.kind))
            quarantined = set(
                con.execute(
                    "select source_row, column_name, rule, expectation_type from raw.quarantine "
                    "where source_file = ?",
                    [outcome.path.name],
                ).fetchall()
            )
            assert quarantined == _first_per_cell(by_gx, suite), outcome.path.name
            bad_rows = {row for row, *_ in by_gx}
            loaded = {
                row
                for (row,) in con.execute(
                    f"select source_row from raw.{outcome.kind} where source_file = ?",
                    [outcome.path.name],
                ).fetchall()
            }
            assert len(loaded) == outcome.rows_read - len(bad_rows) == outcome.rows_loaded
            assert not loaded & bad_rows
            held += len(quarantined)
        assert held >= sum(f.verdict == "quarantined" for f in FAULTS)
    finally:
        con.close()
