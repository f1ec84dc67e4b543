"""The Loads page (issue 13): every load's history — who, when, files, outcomes, rows, the
snapshot — read from the loads' reports and the audit trail, so it stays whole after a
rollback; the snapshots as `ipgov snapshots` lists them; a rollback from the page, confirmed,
as the signed-in user, audited. And the pruning that keeps what a rollback points at."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import core
from dashboard.access import audit, roles
from dashboard.cli import app as cli_app
from dashboard.columns import COLUMNS, local_codes
from dashboard.i18n import t
from etl import kpis, periods, rollback, warehouse
from etl.load import load
from tests.conftest import TODAY, sign_in, split_sample

UPLOADED = ("cases_2026.csv", "takedowns_2026.csv")  # the steward's load, on the Upload page
YEAR_2026 = periods.year(2026)


def _page(name: str, lang: str) -> None:
    import importlib

    importlib.import_module(f"dashboard.views.{name}").render(lang)


def _app(db: Path, name: str = "loads", role: str = "steward", lang: str = "en") -> AppTest:
    at = AppTest.from_function(_page, args=(name, lang), default_timeout=120)
    return sign_in(at, db, role).run()


def cli(*args: str):
    result = CliRunner().invoke(cli_app, list(args))
    assert "Traceback" not in result.output, result.output
    assert result.exit_code == 0, result.output
    return result


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    """Three loads: the files up to 2025 by `ipgov load`, two 2026 files by a steward on the
    Upload page, then one of those again by `ipgov load` (skipped: nothing new). With the
    folder of the 2026 files."""
    root = tmp_path_factory.mktemp("loads-page")
    first, second = split_sample(root / "sample", seed=42, scale=0.05)
    db = root / "wh" / "warehouse.duckdb"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPGOV_DB", str(db))
        cli("load", str(first), "--db", str(db))
        at = _app(db, "upload")
        at.file_uploader(key="up_files_0").set_value(
            [(name, (second / name).read_bytes(), "text/csv") for name in UPLOADED]
        ).run()
        at.button(key="up_publish").click().run()
        assert not at.exception, at.exception
        cli("load", str(second / UPLOADED[1]), "--db", str(db))
    return db, second


@pytest.fixture
def wh(
    base: tuple[Path, Path], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> warehouse.WarehousePaths:
    """A copy of the three-load warehouse each test may change, named by IPGOV_DB."""
    folder = tmp_path / "wh"
    shutil.copytree(base[0].parent, folder)
    db = folder / "warehouse.duckdb"
    monkeypatch.setenv("IPGOV_DB", str(db))
    return warehouse.WarehousePaths(db)


def _raw_files(paths: warehouse.WarehousePaths) -> dict[str, list[tuple]]:
    """load id → (file, kind, rows read, loaded, held back) as the ingest database has them."""
    con = duckdb.connect(str(paths.db), read_only=True)
    try:
        rows = con.execute(
            "select load_id, source_file, kind, rows_read, rows_loaded, rows_quarantined "
            "from raw.load_files order by file_seq"
        ).fetchall()
    finally:
        con.close()
    found: dict[str, list[tuple]] = {}
    for load_id, *rest in rows:
        found.setdefault(load_id, []).append(tuple(rest))
    return found


def _facts(snapshot: Path) -> dict[str, int]:
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return {
            table: con.execute(f"select count(*) from {table}").fetchone()[0]
            for table in rollback.COUNTED
        }
    finally:
        con.close()


def _kpis_of(snapshot: Path) -> dict[str, object]:
    """The headline KPIs of 2026 read straight from a snapshot file (not through the app)."""
    con = duckdb.connect(str(snapshot), read_only=True)
    try:
        return dict(kpis.headline(con, YEAR_2026))
    finally:
        con.close()


def _shown_kpis(paths: warehouse.WarehousePaths) -> dict[str, object]:
    """The same KPIs as the dashboard's query core serves them now."""
    snapshot = core.snapshot_id()
    return dict(core.headline(snapshot, YEAR_2026))


def frames(at: AppTest) -> dict[str, object]:
    """The page's tables by the key the page gave them (AppTest does not expose it)."""
    keys = ["loads_table", "loads_files", "loads_snapshots", "loads_plan_files", "loads_counts"]
    shown = [d.value for d in at.dataframe]
    if len(shown) == 4:  # a confirmation without a load to withdraw has no file list
        keys.remove("loads_plan_files")
    return dict(zip(keys, shown, strict=False))


def h(name: str, lang: str = "en") -> str:
    return COLUMNS[name].header(lang)


def code(domain: str, value: str, lang: str = "en") -> str:
    return local_codes(lang)[domain][value]


@pytest.mark.parametrize("role", roles.ROLES)
def test_only_stewards_and_admins_may_open_the_loads_page(role):
    assert roles.PAGE_PERMISSION["loads"] == "load"
    assert roles.may_open(role, "loads") == (role in ("steward", "admin"))


def test_before_the_first_load_the_page_says_so(paths):
    at = _app(paths.db, lang="zh")
    assert not at.exception, at.exception
    assert [i.value for i in at.info] == [t("loads_none", "zh")]


def test_in_chinese_states_and_outcomes_are_named_in_chinese(wh):
    at = _app(wh.db, lang="zh")
    assert not at.exception, at.exception
    history = frames(at)["loads_table"]
    assert set(history[h("load_state", "zh")]) == {
        code("load_state", s, "zh") for s in ("current", "live", "nothing_new")
    }
    (skipped,) = frames(at)["loads_files"].to_dict("records")
    assert skipped[h("load_status", "zh")] == "已跳过（重复）"
    assert skipped[h("message_zh", "zh")].startswith(f"与已加载的 {UPLOADED[1]}")


def test_the_page_shows_every_load_with_the_right_values(wh):
    raw = _raw_files(wh)
    cli_load, uploaded = sorted(raw)
    skipped = [p for p in wh.reports.glob("*Z.json") if p.stem not in raw]
    assert len(skipped) == 1
    at = _app(wh.db)
    assert not at.exception, at.exception
    history = frames(at)["loads_table"]
    assert list(history[h("load_id")]) == [skipped[0].stem, uploaded, cli_load]
    rows = {r[h("load_id")]: r for _, r in history.iterrows()}
    assert rows[cli_load][h("loaded_by")] == audit.cli_actor()
    assert rows[uploaded][h("loaded_by")] == "test-steward"
    assert rows[cli_load][h("load_state")] == code("load_state", "live")
    assert rows[uploaded][h("load_state")] == code("load_state", "current")
    assert rows[skipped[0].stem][h("load_state")] == code("load_state", "nothing_new")
    for load_id, files in raw.items():
        row = rows[load_id]
        assert int(row[h("files_loaded")]) == len(files)
        assert int(row[h("rows_loaded")]) == sum(f[3] for f in files)
        assert row[h("snapshot_id")] == load_id  # a load publishes the snapshot of its id
    assert int(rows[skipped[0].stem][h("files_skipped")]) == 1

    # the newest load's file: skipped, and why
    (only,) = frames(at)["loads_files"].to_dict("records")
    assert only[h("source_file")] == UPLOADED[1]
    assert only[h("load_status")] == code("load_status", "skipped")
    assert f"load {uploaded}" in only[h("message_en")]

    at.selectbox(key="loads_pick").set_value(uploaded).run()
    files = frames(at)["loads_files"]
    shown = [
        (
            r[h("source_file")],
            r[h("load_status")],
            int(r[h("rows_read")]),
            int(r[h("rows_valid")]),
            int(r[h("rows_quarantined")]),
        )
        for _, r in files.iterrows()
    ]
    want = [(f[0], code("load_status", "loaded"), f[2], f[3], f[4]) for f in raw[uploaded]]
    assert sorted(shown) == sorted(want)
    assert at.get("download_button")  # the load's quality report
    report = json.loads(core.loads.report_path(wh, uploaded).read_text(encoding="utf-8"))
    assert {f["file"] for f in report["files"]} == set(UPLOADED)

    snapshots = frames(at)["loads_snapshots"]
    assert list(snapshots[h("snapshot_id")]) == [uploaded, cli_load]
    assert list(snapshots[h("snapshot_state")]) == [
        code("snapshot_state", "current"),
        code("snapshot_state", "earlier"),
    ]
    for _, row in snapshots.iterrows():
        facts = _facts(wh.snapshots / f"{row[h('snapshot_id')]}.duckdb")
        assert int(row[h("rows_takedowns")]) == facts["fct_takedowns"]
        assert int(row[h("rows_cases")]) == facts["fct_cases"]


def test_a_rollback_from_the_page_changes_the_snapshot_and_the_kpis(wh):
    cli_load, uploaded = sorted(_raw_files(wh))
    before = _shown_kpis(wh)
    assert before == _kpis_of(wh.snapshots / f"{uploaded}.duckdb")
    at = _app(wh.db)
    at.selectbox(key="loads_target").set_value(cli_load).run()
    at.button(key="loads_ask").click().run()
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert t("loads_confirm_what", "en", target=cli_load, current=uploaded) in warnings
    assert t("loads_confirm_withdraw", "en", n=1, loads=uploaded) in warnings
    planned = frames(at)["loads_plan_files"]
    assert sorted(planned[h("source_file")]) == sorted(UPLOADED)
    counts = frames(at)["loads_counts"]
    now, after = (
        _facts(wh.snapshots / f"{uploaded}.duckdb"),
        _facts(wh.snapshots / f"{cli_load}.duckdb"),
    )
    takedowns = counts[counts[h("kind")] == code("record_kind", "takedowns")].iloc[0]
    assert int(takedowns[h("rows_now")]) == now["fct_takedowns"]
    assert int(takedowns[h("rows_after")]) == after["fct_takedowns"]
    assert warehouse.snapshot_id(wh) == uploaded  # nothing before Confirm

    at.button(key="loads_confirm").click().run()
    assert not at.exception, at.exception
    assert t("loads_done", "en", snapshot=cli_load, previous=uploaded) in [
        s.value for s in at.success
    ]
    assert warehouse.snapshot_id(wh) == cli_load
    shown = _shown_kpis(wh)
    assert shown == _kpis_of(wh.snapshots / f"{cli_load}.duckdb") and shown != before
    (entry,) = audit.entries(wh, action="rollback")
    assert (entry.actor, entry.target, entry.outcome) == ("test-steward", cli_load, "ok")
    assert entry.detail["previous"] == uploaded and entry.detail["withdrawn"] == [uploaded]
    history = frames(at)["loads_table"]
    states = dict(zip(history[h("load_id")], history[h("load_state")], strict=True))
    assert states[uploaded] == code("load_state", "withdrawn")
    assert states[cli_load] == code("load_state", "current")
    assert list(frames(at)["loads_snapshots"][h("snapshot_state")]) == [
        code("snapshot_state", "withdrawn"),
        code("snapshot_state", "current"),
    ]

    # and forward again: the withdrawn load comes back
    at.selectbox(key="loads_target").set_value(uploaded).run()
    at.button(key="loads_ask").click().run()
    assert t("loads_confirm_reinstate", "en", n=1, loads=uploaded) in [i.value for i in at.info]
    at.button(key="loads_confirm").click().run()
    assert warehouse.snapshot_id(wh) == uploaded and _shown_kpis(wh) == before


def test_cancel_changes_nothing_and_a_load_in_between_refuses(wh, base):
    cli_load, uploaded = sorted(_raw_files(wh))
    at = _app(wh.db, lang="zh")
    at.selectbox(key="loads_target").set_value(cli_load).run()
    at.button(key="loads_ask").click().run()
    at.button(key="loads_cancel").click().run()
    assert not at.exception, at.exception
    assert "loads_confirm" not in [b.key for b in at.button]
    assert warehouse.snapshot_id(wh) == uploaded

    at.button(key="loads_ask").click().run()
    other = next(f for f in sorted(base[1].glob("*2026*")) if f.name not in UPLOADED)
    newer = load([other], wh.db, today=TODAY)  # another steward publishes in between
    at.button(key="loads_confirm").click().run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t("loads_changed", "zh")]
    assert warehouse.snapshot_id(wh) == newer.load_id  # not rolled back
    (refused,) = audit.entries(wh, action="rollback")
    assert (refused.actor, refused.outcome, refused.target) == ("test-steward", "refused", cli_load)


# --- keeping snapshots: the last N, the current one, what a rollback points at -------------


@pytest.fixture
def years(small_sample: Path, tmp_path: Path) -> list[Path]:
    """small_sample's files a year a folder, 2022 to 2025: four loads of new records."""
    folders = []
    for year in range(2022, 2026):
        folder = tmp_path / "years" / str(year)
        folder.mkdir(parents=True)
        for f in small_sample.glob(f"*{year}*"):
            shutil.copy(f, folder / f.name)
        folders.append(folder)
    return folders


def _kept(paths: warehouse.WarehousePaths) -> list[str]:
    return sorted(p.stem for p in paths.snapshots.glob("*.duckdb"))


def _listed(paths: warehouse.WarehousePaths) -> list[str]:
    listed = json.loads(cli("snapshots", "--json", "--db", str(paths.db)).output)
    return sorted(s["id"] for s in listed)


def test_pruning_keeps_the_rollback_target_and_the_newest(years, tmp_path, monkeypatch):
    monkeypatch.setenv("IPGOV_SNAPSHOT_KEEP", "1")
    monkeypatch.setenv("IPGOV_SNAPSHOT_GRACE_SECONDS", "0")
    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)
    a, b, c = (load([y], db, today=TODAY).load_id for y in years[:3])
    assert _kept(paths) == [b, c]  # the current one and the newest other
    cli("rollback", b, "--db", str(db))
    d = load([years[3]], db, today=TODAY).load_id
    # current d; newest other c (withdrawn, a roll-forward target); b: the rollback's target
    assert _kept(paths) == [b, c, d] == _listed(paths)
    assert warehouse.current_snapshot(paths) == paths.snapshots / f"{d}.duckdb"
    assert a not in _kept(paths)
    before_forward = _facts(paths.snapshots / f"{b}.duckdb")

    # forward to c: c's load is back, so no rollback points at b any more; d is withdrawn now,
    # by a rollback that points at c
    cli("rollback", c, "--db", str(db))
    again = load([years[3]], db, today=TODAY)  # d's files: withdrawn, so they load anew
    assert {f.status for f in again.files} == {"loaded"}
    assert _kept(paths) == [c, d, again.load_id] == _listed(paths)
    assert b not in _kept(paths)
    facts = _facts(warehouse.current_snapshot(paths))
    whole = load(years, tmp_path / "whole" / "warehouse.duckdb", today=TODAY)
    assert facts == _facts(whole.snapshot)  # all four years, as one load of them all gives
    assert facts["fct_takedowns"] > before_forward["fct_takedowns"]


def test_with_keep_0_only_the_current_and_the_rollback_target_stay(years, tmp_path, monkeypatch):
    monkeypatch.setenv("IPGOV_SNAPSHOT_KEEP", "0")
    monkeypatch.setenv("IPGOV_SNAPSHOT_GRACE_SECONDS", "0")
    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)
    a = load([years[0]], db, today=TODAY).load_id
    with monkeypatch.context() as keep_all:
        keep_all.setenv("IPGOV_SNAPSHOT_KEEP", "5")
        b = load([years[1]], db, today=TODAY).load_id
    cli("rollback", a, "--db", str(db))
    c = load([years[2]], db, today=TODAY).load_id
    assert _kept(paths) == [a, c] == _listed(paths)
    assert b not in _kept(paths)
    pointer = paths.current_pointer.read_text(encoding="utf-8").strip()
    assert (paths.snapshots / pointer).is_file() and pointer == f"{c}.duckdb"
