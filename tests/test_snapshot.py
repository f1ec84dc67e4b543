"""The incremental snapshot (etl/snapshot.py) publishes exactly what a full build would.

One sequence of loads, run twice — incremental, and with IPGOV_SNAPSHOT_INCREMENTAL=false —
and after every load the two published snapshots compared table by table, row by row: the
2022–2025 files with half the notarization chain, then the 2026 files (new keys of four kinds),
then corrections (new versions of existing keys, one that leaves the referrals) with the rest of
the chain.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import duckdb
import pytest

from etl import snapshot, transform, warehouse
from etl.errors import IpgovError
from etl.load import load
from tests.conftest import TODAY, split_sample


def _split_chain(path: Path, third: Path) -> None:
    """notarizations.csv cut in two: its first half of records stays, the rest goes to third."""
    lines = path.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    half = len(lines) // 2
    path.write_text("\ufeff" + "".join(lines[:half]), encoding="utf-8")
    (third / "notarizations_rest.csv").write_text(
        "\ufeff" + lines[0] + "".join(lines[half:]), encoding="utf-8"
    )


def _corrections(first: Path, third: Path) -> dict[str, str]:
    """New versions of existing records: 20 takedowns removed a day later, 20 cases closed,
    and one referred case whose referral is withdrawn (it must leave fct_referrals)."""
    notices = (first / "takedowns_2024.csv").read_text(encoding="utf-8").splitlines()
    fixed = [notices[0]]
    for line in notices[1:21]:
        cells = line.split(",")
        cells[5] = "2024-12-30 10:00:00"
        fixed.append(",".join(cells))
    (third / "takedowns_fix.csv").write_text("\n".join(fixed) + "\n", encoding="utf-8")
    cases = (first / "cases_2024.csv").read_text(encoding="gb18030").splitlines()
    header, rows = cases[0], [r.split(",") for r in cases[1:]]
    referred = next(r for r in rows if r[14])
    withdrawn = [*referred[:14], "", "", "", ""]
    unreferred = [r for r in rows if not r[14]][:20]
    closed = [[*r[:10], "已结案", r[11], "2024/12/30", "已答复", *r[14:]] for r in unreferred]
    body = "\n".join(",".join(r) for r in [withdrawn, *closed])
    (third / "cases_fix.csv").write_text(f"{header}\n{body}\n", encoding="gb18030")
    return {"withdrawn_case": referred[0]}


@pytest.fixture(scope="module")
def batches(tmp_path_factory: pytest.TempPathFactory) -> tuple[list[Path], dict[str, str]]:
    out = tmp_path_factory.mktemp("incremental")
    first, second = split_sample(out, seed=42, scale=0.2)
    third = out / "third"
    third.mkdir()
    _split_chain(first / "notarizations.csv", third)
    facts = _corrections(first, third)
    return [first, second, third], facts


def _tables(path: Path) -> list[str]:
    con = duckdb.connect(str(path), read_only=True)
    try:
        return [
            n
            for (n,) in con.execute("select table_name from duckdb_tables() order by 1").fetchall()
        ]
    finally:
        con.close()


# When each load ran: the two warehouses load at other times, so these differ by design.
LOAD_TIMES = {"loaded_at", "loaded_on", "quarantined_at", "quarantined_on"}
LOAD_TIMES |= {"first_rejected_at", "last_rejected_at", "rejected_on"}


def _comparable(con: duckdb.DuckDBPyConnection, db: str, table: str) -> str:
    """The table's rows with each load id replaced by that load's place in the sequence (1, 2,
    3) and the load times left out: what must be equal between the two warehouses."""
    columns = [
        c
        for (c,) in con.execute(
            "select column_name from duckdb_columns() where database_name = ? "
            "and table_name = ? order by column_index",
            [db, table],
        ).fetchall()
        if c not in LOAD_TIMES
    ]
    if "load_id" not in columns:
        return f"select {', '.join(columns)} from {db}.{table}"
    order = f"(select distinct load_id from {db}.fct_load_files)"
    shown = [("o.pos" if c == "load_id" else f"t.{c}") for c in columns]
    return (
        f"select {', '.join(shown)} from {db}.{table} as t left join "
        f"(select load_id, row_number() over (order by load_id) as pos from {order}) as o "
        "on o.load_id = t.load_id"
    )


def _differences(a: Path, b: Path) -> list[str]:
    """Tables, columns, comments and rows that differ between two snapshot files."""
    con = duckdb.connect()
    con.execute(f"attach '{a}' as a (read_only)")
    con.execute(f"attach '{b}' as b (read_only)")
    found = []
    catalog = (
        "select table_name, column_name, data_type, comment from duckdb_columns() "
        "where database_name = ? order by all"
    )
    if con.execute(catalog, ["a"]).fetchall() != con.execute(catalog, ["b"]).fetchall():
        found.append("catalog (tables, columns, types or comments)")
    views = "select view_name, sql from duckdb_views() where database_name = ? order by all"
    if con.execute(views, ["a"]).fetchall() != con.execute(views, ["b"]).fetchall():
        found.append("views")
    for name in _tables(a):
        for x, y in (("a", "b"), ("b", "a")):
            (n,) = con.execute(
                f"select count(*) from ({_comparable(con, x, name)} "
                f"except all {_comparable(con, y, name)})"
            ).fetchone()
            if n:
                found.append(f"{name}: {n} rows of {x} not in {y}")
    for (view,) in con.execute(
        "select view_name from duckdb_views() where database_name = 'a' and not internal"
    ).fetchall():
        con.execute("use a")
        left = con.execute(f"from {view} order by all").fetchall()
        con.execute("use b")
        right = con.execute(f"from {view} order by all").fetchall()
        if left != right:
            found.append(f"KPI view {view}")
    con.close()
    return found


def _run(batches: list[Path], db: Path) -> list[tuple[str, Path, str]]:
    published = []
    for batch in batches:
        summary = load([batch], db, today=TODAY)
        assert summary.snapshot is not None and not summary.rejected, summary.rejected
        published.append((summary.snapshot_build, summary.snapshot, summary.snapshot_reason))
    return published


def test_every_incremental_snapshot_equals_the_full_one(batches, tmp_path, monkeypatch):
    files, facts = batches
    incremental = _run(files, tmp_path / "inc" / "warehouse.duckdb")
    monkeypatch.setenv("IPGOV_SNAPSHOT_INCREMENTAL", "false")
    full = _run(files, tmp_path / "full" / "warehouse.duckdb")
    assert [mode for mode, _, _ in incremental] == ["full", "incremental", "incremental"]
    assert [mode for mode, _, _ in full] == ["full", "full", "full"]
    assert full[1][2] == "IPGOV_SNAPSHOT_INCREMENTAL is off"
    # what each incremental build recomputed: the four kinds of 2026 by key, then two kinds by
    # key and the notarizations whole (the chain's second half)
    assert "fct_takedowns" in incremental[1][2] and "fct_notarizations" not in incremental[1][2]
    assert "whole fct_load_files" in incremental[1][2]
    assert "new and changed keys of fct_cases, fct_referrals, fct_takedowns" in incremental[2][2]
    assert "fct_patent_preexams" not in incremental[2][2]
    assert "fct_notarizations" in incremental[2][2]
    for (_, inc, _), (_, whole, _) in zip(incremental, full, strict=True):
        assert _differences(inc, whole) == []
    # and the corrections really changed something, so the comparison is not of two no-ops
    con = duckdb.connect(str(incremental[2][1]), read_only=True)
    gone = con.execute(
        "select count(*) from fct_referrals where case_id = ?", [facts["withdrawn_case"]]
    ).fetchone()
    moved = con.execute(
        "select count(*) from fct_takedowns where removed_on = date '2024-12-30'"
    ).fetchone()
    chain = con.execute("select count(*) from fct_notarizations").fetchone()
    con.close()
    earlier = duckdb.connect(str(incremental[1][1]), read_only=True)
    was = earlier.execute(
        "select count(*) from fct_referrals where case_id = ?", [facts["withdrawn_case"]]
    ).fetchone()
    earlier.close()
    assert was == (1,) and gone == (0,)
    assert moved[0] >= 20
    lines = [
        (files[0] / "notarizations.csv").read_text(encoding="utf-8-sig").count("\n"),
        (files[2] / "notarizations_rest.csv").read_text(encoding="utf-8-sig").count("\n"),
    ]
    assert chain == (sum(lines) - 2,)  # every record of both halves, headers not counted


def test_a_changed_snapshot_file_is_not_copied_on(batches, tmp_path):
    files, _ = batches
    db = tmp_path / "wh" / "warehouse.duckdb"
    load([files[0]], db, today=TODAY)
    current = warehouse.current_snapshot(warehouse.WarehousePaths(db))
    assert current is not None
    with current.open("r+b") as f:  # one byte of the last block changed, as a bad disk might
        f.seek(-100, 2)
        byte = f.read(1)
        f.seek(-100, 2)
        f.write(bytes([byte[0] ^ 0xFF]))
    summary = load([files[1]], db, today=TODAY)
    assert summary.snapshot_build == "full"
    assert (
        summary.snapshot_reason
        == f"the current snapshot {current.name} changed since it was published"
    )


def test_changed_models_or_reference_build_a_full_snapshot(batches, tmp_path, monkeypatch):
    files, _ = batches
    db = tmp_path / "wh" / "warehouse.duckdb"
    load([files[0]], db, today=TODAY)
    models_of = transform.models

    def changed(layer: str) -> list[transform.Model]:
        return [
            replace(m, sql=m.sql.replace("select * from final", "select * from final "))
            if m.name == "fct_cases"
            else m
            for m in models_of(layer)
        ]

    monkeypatch.setattr(transform, "models", changed)
    summary = load([files[1]], db, today=TODAY)
    assert summary.snapshot_build == "full"
    assert "models or the reference tables changed" in summary.snapshot_reason
    # a new year of calendar (today moves on: dim_date reaches further) is a change too
    monkeypatch.setattr(transform, "models", models_of)
    later = load([files[2]], db, today=TODAY.replace(year=TODAY.year + 1))
    assert later.snapshot_build == "full"


def test_a_mart_refreshed_by_key_may_not_read_a_mart_refreshed_otherwise():
    marts = transform.models("marts")
    wrong = [
        replace(m, refresh="raw.takedowns(notice_id)") if m.name == "fct_referrals" else m
        for m in marts
    ]
    with pytest.raises(transform.ModelGraphError, match=r"fct_referrals.*fct_cases"):
        snapshot.plans(wrong)
    assert snapshot.plans(marts)["fct_referrals"] == snapshot.Refresh(
        "by_key", ("raw.cases",), "case_id"
    )
    with pytest.raises(transform.ModelGraphError, match="not raw"):
        snapshot.Refresh.of(replace(marts[0], refresh="cases by id"))


def test_a_bad_setting_is_one_line(monkeypatch):
    from etl import settings

    monkeypatch.setenv("IPGOV_SNAPSHOT_INCREMENTAL", "maybe")
    with pytest.raises(IpgovError, match=r"IPGOV_SNAPSHOT_INCREMENTAL='maybe'.*true or false"):
        settings.current()


def test_marts_built_side_by_side_equal_those_built_one_at_a_time(batches, tmp_path, monkeypatch):
    files, _ = batches
    monkeypatch.setenv("IPGOV_SNAPSHOT_INCREMENTAL", "false")
    together = _run(files[:1], tmp_path / "together" / "warehouse.duckdb")
    monkeypatch.setattr(snapshot, "ALONE_ROWS", -1)  # every mart on its own, one after another
    apart = _run(files[:1], tmp_path / "apart" / "warehouse.duckdb")
    assert _differences(together[0][1], apart[0][1]) == []


def test_the_lanes_follow_the_raw_tables_a_mart_refreshes_from(batches, tmp_path, monkeypatch):
    files, _ = batches
    db = tmp_path / "wh" / "warehouse.duckdb"
    load([files[0]], db, today=TODAY)
    marts = transform.models("marts")
    con = duckdb.connect(str(db), read_only=True)
    try:
        (patents,) = con.execute("select count(*) from raw.patents").fetchone()
        (takedowns,) = con.execute("select count(*) from raw.takedowns").fetchone()
        assert 0 < takedowns < patents
        monkeypatch.setattr(snapshot, "ALONE_ROWS", takedowns)  # only the patents are bigger
        alone, side_by_side = snapshot.lanes(con, marts)
    finally:
        con.close()
    assert [m.name for m in alone] == ["fct_patent_preexams"]
    assert {m.name for m in side_by_side} == {m.name for m in marts} - {"fct_patent_preexams"}


def test_a_mart_failing_beside_another_publishes_nothing(batches, tmp_path, monkeypatch):
    files, _ = batches
    db = tmp_path / "wh" / "warehouse.duckdb"
    first = load([files[0]], db, today=TODAY)
    models_of = transform.models

    def broken(layer: str) -> list[transform.Model]:
        return [
            replace(m, sql="select 1 / 0 as x from raw.takedowns where error('mart fails')")
            if m.name == "fct_takedowns"
            else m
            for m in models_of(layer)
        ]

    copied = []
    copy_mart = snapshot._copy_mart

    def watched(con, built, model, cursor=False):
        copied.append((model.name, cursor))
        copy_mart(con, built, model, cursor)

    monkeypatch.setattr(transform, "models", broken)
    monkeypatch.setattr(snapshot, "_copy_mart", watched)
    monkeypatch.setenv("IPGOV_SNAPSHOT_INCREMENTAL", "false")
    with pytest.raises(duckdb.Error, match="mart fails"):
        load([files[1]], db, today=TODAY)
    assert ("fct_takedowns", True) in copied  # it failed on its own cursor, beside others
    assert len(copied) == len(models_of("marts"))  # the others ran to their end
    paths = warehouse.WarehousePaths(db)
    assert warehouse.current_snapshot(paths) == first.snapshot
    assert [p.name for p in paths.snapshots.iterdir() if "building" in p.name] == []
