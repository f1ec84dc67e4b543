"""What publishing would change (etl/preview, issue 13): the preview's numbers and fields equal
the real difference a publish makes in the fact tables, it writes nothing, it names reverts as
the loader refuses them, a batch's later file is compared with the earlier ones, and
`ipgov check --json --db` carries the same numbers."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.cli import app as cli_app
from etl import warehouse
from etl.load import load
from etl.preview import SHOWN, preview
from tests.conftest import TODAY
from tests.test_reverts import FIXED, revert_files

# fct_cases columns computed from the staging ones (not in the preview, which compares staging)
DERIVED = {"is_closed", "opinion_latency_workdays", "closing_latency_workdays", "load_id"}
NEW_IDS = ["WQ2023-9901", "WQ2023-9902"]


def _rows(paths: warehouse.WarehousePaths, table: str, key: str) -> dict[str, dict]:
    """Every row of a published fact table, by its key."""
    with warehouse.read_snapshot(paths) as con:
        cursor = con.execute(f"select * from {table}")
        names = [d[0] for d in cursor.description]
        rows = cursor.fetchall()
        return {row[names.index(key)]: dict(zip(names, row, strict=True)) for row in rows}


def _differences(before: dict[str, dict], after: dict[str, dict]) -> dict[str, dict]:
    """Key → {column: (old, new)} for the records whose published row changed."""
    changed = {}
    for key, row in after.items():
        if key in before:
            diff = {c: (before[key][c], v) for c, v in row.items() if before[key][c] != v}
            diff = {c: d for c, d in diff.items() if c not in DERIVED}
            if diff:
                changed[key] = diff
    return changed


@pytest.fixture(scope="module")
def older(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """small_sample's 2022 files and its 2023 cases, loaded once: the warehouse as it stood."""
    db = tmp_path_factory.mktemp("preview-base") / "warehouse.duckdb"
    files = [*sorted(small_sample.glob("*2022*")), small_sample / "cases_2023.csv"]
    assert not load(files, db, today=TODAY).rejected
    return db


@pytest.fixture
def wh(older: Path, tmp_path: Path) -> warehouse.WarehousePaths:
    folder = tmp_path / "wh"
    shutil.copytree(older.parent, folder)
    return warehouse.WarehousePaths(folder / "warehouse.duckdb")


def corrected_cases(small_sample: Path, folder: Path) -> tuple[Path, list[str]]:
    """The 2023 cases file corrected: five cases closed on 2023-12-29 with outcome 已答复, one
    case's contact phone changed (personal data: the marts do not hold it), two new cases."""
    lines = (small_sample / "cases_2023.csv").read_text(encoding="gb18030").splitlines()
    header, rows = lines[0], [line.split(",") for line in lines[1:]]
    fixed = [i for i, r in enumerate(rows) if not r[14] and r[12] != "2023/12/29"][:FIXED]
    for i in fixed:
        rows[i] = [*rows[i][:10], "已结案", rows[i][11], "2023/12/29", "已答复", *rows[i][14:]]
    phone_only = next(i for i in range(len(rows)) if i not in fixed)
    rows[phone_only][7] = "13000000000"
    rows += [[new_id, *rows[0][1:]] for new_id in NEW_IDS]
    path = folder / "cases_2023_fixed.csv"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(header + "\n" + "\n".join(",".join(r) for r in rows) + "\n", "gb18030")
    return path, sorted(rows[i][0] for i in fixed)


def test_the_preview_equals_what_publishing_changes(wh, small_sample, tmp_path):
    corrected, fixed_ids = corrected_cases(small_sample, tmp_path / "in")
    snapshot = warehouse.snapshot_id(wh)
    before = _rows(wh, "fct_cases", "case_id")
    ingest_bytes = wh.db.read_bytes()

    result = preview([corrected], wh.db, today=TODAY)
    (file,) = result.files
    assert result.unavailable is None and file.status == "loads" and file.kind == "cases"
    # the file: the 20 cases loaded before (FIXED of them corrected) and 2 new ones
    assert (file.new, file.changed, file.unchanged, file.reverts) == (2, FIXED, 20 - FIXED, 0)
    # nothing written: the same snapshot, the same ingest file
    assert warehouse.snapshot_id(wh) == snapshot and wh.db.read_bytes() == ingest_bytes

    summary = load([corrected], wh.db, today=TODAY)
    assert [f.status for f in summary.files] == ["loaded"]
    after = _rows(wh, "fct_cases", "case_id")
    assert sorted(after.keys() - before.keys()) == NEW_IDS
    published = _differences(before, after)
    assert sorted(published) == fixed_ids  # the phone's change shows nowhere, as previewed
    changes = file.changes()
    assert [c.key for c in changes] == fixed_ids[:SHOWN]
    for change in changes:
        previewed = {name: (old, new) for name, old, new in change.fields}
        assert previewed == published[change.key]
    assert {name for c in changes for name, _, _ in c.fields} == {"closed_on", "outcome"}
    assert file.changed + file.unchanged + file.new == len(after.keys() & _ids(corrected))


def _ids(path: Path) -> set[str]:
    lines = path.read_text(encoding="gb18030").splitlines()[1:]
    return {line.split(",")[0] for line in lines}


def test_a_revert_is_named_and_counted_as_the_load_with_allow_revert_does(small_sample, tmp_path):
    original, correction, resent, ids = revert_files(small_sample, tmp_path)
    db = tmp_path / "wh" / "warehouse.duckdb"
    load([original], db, today=TODAY)
    load([correction], db, today=TODAY)
    paths = warehouse.WarehousePaths(db)
    before = _rows(paths, "fct_cases", "case_id")

    (file,) = preview([resent], db, today=TODAY).files
    assert file.status == "reverts" and file.reverted.keys == ids and file.reverts == FIXED
    assert (file.new, file.changed, file.unchanged) == (0, FIXED, len(before) - FIXED)

    refused = CliRunner().invoke(cli_app, ["check", str(resent), "--db", str(db), "--json"])
    assert refused.exit_code == 2  # the load would reject it without --allow-revert
    entry = json.loads(refused.stdout)["files"][0]
    assert entry["verdict"] == "ok"  # the gate's own verdict is unchanged
    assert entry["preview"]["status"] == "reverts"
    assert entry["preview"]["reverted_records"] == ids
    allowed = CliRunner().invoke(
        cli_app, ["check", str(resent), "--db", str(db), "--allow-revert", "--json"]
    )
    assert allowed.exit_code == 0

    load([resent], db, today=TODAY, allow_revert=True)
    published = _differences(before, _rows(paths, "fct_cases", "case_id"))
    assert sorted(published) == ids
    assert {c.key: {n: (o, v) for n, o, v in c.fields} for c in file.changes()} == published


def test_a_batch_compares_each_file_with_the_ones_before_it(small_sample, tmp_path):
    """The original and its correction in one batch, into a warehouse without 2023: the
    correction changes what the original brings, as one load of both does."""
    original, correction, _resent, ids = revert_files(small_sample, tmp_path)
    db = tmp_path / "wh" / "warehouse.duckdb"
    load(sorted(small_sample.glob("cases_2022*")), db, today=TODAY)
    first, second = preview([original, correction], db, today=TODAY).files
    assert (first.new, first.changed, first.unchanged) == (20, 0, 0)
    assert (second.new, second.changed, second.unchanged) == (0, FIXED, 0)
    assert [c.key for c in second.changes()] == ids
    load([original, correction], db, today=TODAY)
    closed = _rows(warehouse.WarehousePaths(db), "fct_cases", "case_id")
    for change in second.changes():
        for name, _old, new in change.fields:
            assert closed[change.key][name] == new


def test_progress_names_each_file_and_step(wh, small_sample, tmp_path):
    junk = tmp_path / "notes.csv"
    junk.write_text("hello,world\n1,2\n", encoding="utf-8")
    files = [small_sample / "takedowns_2023.csv", junk]
    steps: list[tuple] = []
    preview(files, wh.db, today=TODAY, on_step=lambda *step: steps.append(step))
    assert steps == [
        (0, 2, "takedowns_2023.csv", "check"),
        (0, 2, "takedowns_2023.csv", "compare"),
        (1, 2, "notes.csv", "check"),  # rejected: nothing to compare
    ]


def test_files_loaded_before_or_rejected_change_nothing(wh, small_sample, tmp_path):
    junk = tmp_path / "notes.csv"
    junk.write_text("hello,world\n1,2\n", encoding="utf-8")
    same = small_sample / "cases_2022.csv"
    again, rejected = preview([same, junk], wh.db, today=TODAY).files
    assert (again.status, rejected.status) == ("skipped", "rejected")
    assert again.changes() == [] and (again.new, again.changed, again.unchanged) == (0, 0, 0)


def test_no_warehouse_yet_makes_every_record_new(small_sample, tmp_path):
    db = tmp_path / "none" / "warehouse.duckdb"
    result = preview([small_sample / "takedowns_2023.csv"], db, today=TODAY)
    (file,) = result.files
    assert file.status == "loads" and file.new == result.reports[0].rows_valid > 0
    assert not db.exists()


def test_check_json_carries_the_counts_per_file_and_kind(wh, small_sample, tmp_path):
    corrected, _ = corrected_cases(small_sample, tmp_path / "in")
    takedowns = small_sample / "takedowns_2023.csv"
    plain = CliRunner().invoke(cli_app, ["check", str(corrected), "--json"])
    result = CliRunner().invoke(
        cli_app, ["check", str(corrected), str(takedowns), "--db", str(wh.db), "--json"]
    )
    assert result.exit_code == 0, result.output
    payload = json.loads(result.stdout)
    without = json.loads(plain.stdout)["files"][0]
    cases = payload["files"][0]
    timing = {"seconds": 0}
    assert {k: v for k, v in cases.items() if k != "preview"} | timing == without | timing
    assert cases["preview"]["records_new"] == 2
    assert cases["preview"]["records_changed"] == FIXED
    assert cases["preview"]["records_unchanged"] == 20 - FIXED
    first = cases["preview"]["changed_records"][0]
    assert first["fields"]["outcome"]["new"] == "advice_given"
    assert first["fields"]["closed_on"]["new"] == "2023-12-29"
    kinds = payload["preview"]["kinds"]
    assert kinds["cases"]["records_new"] == 2
    assert kinds["takedowns"]["records_new"] == payload["files"][1]["rows_valid"]


def test_a_load_holding_the_warehouse_leaves_the_verdicts_and_says_why(wh, small_sample):
    """Another process has the ingest database open read-write (a load running): the files are
    still judged, the comparison is said to be unavailable, in one line."""
    hold = "import duckdb, sys, time; c = duckdb.connect(sys.argv[1]); print('ready', flush=True)"
    holder = subprocess.Popen(
        [sys.executable, "-c", hold + "; time.sleep(120)", str(wh.db)],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "ready"
        result = preview([small_sample / "takedowns_2023.csv"], wh.db, today=TODAY)
        args = ["check", str(small_sample / "takedowns_2023.csv"), "--db", str(wh.db), "--json"]
        busy = json.loads(CliRunner().invoke(cli_app, args).stdout)
    finally:
        holder.kill()
        holder.wait()
    assert busy["files"][0]["preview"] is None  # no numbers, rather than zeros
    assert busy["files"][0]["verdict"] == "ok" and busy["preview"]["unavailable"]
    assert result.reports[0].verdict == "ok" and result.reports[0].rows_valid > 0
    assert "in use by another ipgov load" in result.unavailable
    assert "\n" not in result.unavailable
    again = preview([small_sample / "takedowns_2023.csv"], wh.db, today=TODAY)
    assert again.unavailable is None and again.files[0].new == result.reports[0].rows_valid


def test_check_with_a_missing_warehouse_is_one_line(small_sample, tmp_path):
    missing = tmp_path / "typo.duckdb"
    result = CliRunner().invoke(
        cli_app, ["check", str(small_sample / "cases_2023.csv"), "--db", str(missing)]
    )
    assert result.exit_code == 2 and f"no warehouse at {missing}" in result.output
    assert not missing.exists()
