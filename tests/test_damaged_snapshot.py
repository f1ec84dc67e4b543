"""A published snapshot that is damaged or unreadable (issue #7): every dashboard page says so in
the reader's language, naming the file and the remedy; `ipgov kpis` and `ipgov sql` print one
line and exit 2; a load publishes a fresh snapshot over it. Damaged the ways a disk, a copy or a
person does it: overwritten, cut in half, emptied, unreadable, or `CURRENT` naming no snapshot."""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard.cli import app
from dashboard.i18n import t
from etl import warehouse
from etl.errors import DamagedSnapshotError
from etl.load import load
from tests.conftest import TODAY, sign_in, write_sample_dir

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
PAGES = [
    "overview", "takedowns", "cases", "patents", "trademarks", "notarizations", "referrals",
    "sql", "briefing", "quality",
]  # fmt: skip


def _snapshot(paths: warehouse.WarehousePaths) -> Path:
    return paths.snapshots / paths.current_pointer.read_text(encoding="utf-8").strip()


def _overwrite(paths: warehouse.WarehousePaths) -> None:
    _snapshot(paths).write_bytes(b"this is not a database" * 1000)


def _truncate(paths: warehouse.WarehousePaths) -> None:
    snapshot = _snapshot(paths)  # opens fine: DuckDB notices when a query reads a cut-off block
    snapshot.write_bytes(snapshot.read_bytes()[: snapshot.stat().st_size // 2])


def _empty(paths: warehouse.WarehousePaths) -> None:
    _snapshot(paths).write_bytes(b"")


def _no_permission(paths: warehouse.WarehousePaths) -> None:
    if os.geteuid() == 0:
        pytest.skip("root reads a file whatever its mode")
    _snapshot(paths).chmod(0)


def _pointer_to_nothing(paths: warehouse.WarehousePaths) -> None:
    paths.current_pointer.write_text("20990101T000000000000Z.duckdb\n", encoding="utf-8")


def _pointer_binary(paths: warehouse.WarehousePaths) -> None:
    paths.current_pointer.write_bytes(b"\xff\xfe\x00\x17 garbage")


def _pointer_empty(paths: warehouse.WarehousePaths) -> None:
    paths.current_pointer.write_bytes(b"")  # once resolved to the snapshots folder itself


def _pointer_outside(paths: warehouse.WarehousePaths) -> None:
    # the ingest file holds raw rows with personal data: a reader must never open it
    paths.current_pointer.write_text("../warehouse.duckdb\n", encoding="utf-8")


# name: (how to damage, the message's kind, whether the file named is CURRENT)
DAMAGE: dict[str, tuple[Callable[[warehouse.WarehousePaths], None], str, bool]] = {
    "overwritten": (_overwrite, "damaged", False),
    "truncated": (_truncate, "damaged", False),
    "empty": (_empty, "damaged", False),
    "no_permission": (_no_permission, "no_permission", False),
    "pointer_to_nothing": (_pointer_to_nothing, "pointer", True),
    "pointer_binary": (_pointer_binary, "pointer", True),
    "pointer_empty": (_pointer_empty, "pointer", True),
    "pointer_outside": (_pointer_outside, "pointer", True),
}
FILE_DAMAGE = [name for name, (_, _, pointer) in DAMAGE.items() if not pointer]


@pytest.fixture(scope="module")
def source(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_sample_dir(tmp_path_factory, "damage-source", seed=3, scale=0.05)


@pytest.fixture(scope="module")
def good(source: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A loaded warehouse folder, copied by each test before it damages the copy."""
    db = tmp_path_factory.mktemp("damage-good") / "warehouse.duckdb"
    load([source], db, today=TODAY, validate=False, reports=False)
    return db.parent


def damaged(good: Path, tmp_path: Path, name: str) -> tuple[warehouse.WarehousePaths, str, str]:
    """A copy of the good warehouse damaged as `name`: its paths, the message kind, the file the
    message must name."""
    folder = tmp_path / "wh"
    shutil.copytree(good, folder)
    paths = warehouse.WarehousePaths(folder / "warehouse.duckdb")
    shown = paths.current_pointer if DAMAGE[name][2] else _snapshot(paths)
    DAMAGE[name][0](paths)
    return paths, DAMAGE[name][1], str(shown)


def cli(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


def page_script(name: str, lang: str) -> None:
    """One page the way app.py runs it: through components.render_page."""
    import importlib

    from dashboard.components import render_page

    render_page(importlib.import_module(f"dashboard.views.{name}").render, lang)


def run_page(monkeypatch: pytest.MonkeyPatch, paths: warehouse.WarehousePaths, name: str,
             lang: str) -> AppTest:  # fmt: skip
    monkeypatch.setenv("IPGOV_DB", str(paths.db))
    return AppTest.from_function(page_script, args=(name, lang), default_timeout=60).run()


@pytest.mark.parametrize("name", list(DAMAGE))
def test_readers_raise_damaged_snapshot_naming_the_file(good, tmp_path, name):
    paths, kind, shown = damaged(good, tmp_path, name)
    with pytest.raises(DamagedSnapshotError) as raised:  # noqa: SIM117 — the read is the point
        with warehouse.read_snapshot(paths) as con:
            con.execute("from meta_data_span").fetchall()
    assert (raised.value.kind, raised.value.path) == (kind, shown)
    assert "ipgov load" in str(raised.value) and "\n" not in str(raised.value)


@pytest.mark.parametrize("name", list(DAMAGE))
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_overview_shows_the_message(monkeypatch, good, tmp_path, name, lang):
    paths, kind, shown = damaged(good, tmp_path, name)
    at = run_page(monkeypatch, paths, "overview", lang)
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t(f"snapshot_{kind}", lang, path=shown)]


@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("name", ["overwritten", "pointer_to_nothing"])
def test_every_page_shows_the_message(monkeypatch, good, tmp_path, page, name):
    paths, kind, shown = damaged(good, tmp_path, name)
    at = run_page(monkeypatch, paths, page, "zh")
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t(f"snapshot_{kind}", "zh", path=shown)]


def test_the_app_runs_its_pages_through_the_guard(monkeypatch, good, tmp_path):
    paths, kind, shown = damaged(good, tmp_path, "truncated")
    monkeypatch.setenv("IPGOV_DB", str(paths.db))
    at = sign_in(AppTest.from_file(APP, default_timeout=60), paths.db).run()
    assert not at.exception, at.exception
    assert [e.value for e in at.error] == [t(f"snapshot_{kind}", "zh", path=shown)]


@pytest.mark.parametrize("name", list(DAMAGE))
def test_kpis_prints_one_line_and_exits_2(good, tmp_path, name):
    paths, _, shown = damaged(good, tmp_path, name)
    result = cli("kpis", "--db", str(paths.db))
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert shown in result.output and "ipgov load" in result.output


@pytest.mark.parametrize("name", list(DAMAGE))
def test_sql_prints_one_line_and_exits_2(good, tmp_path, name):
    paths, _, shown = damaged(good, tmp_path, name)
    result = cli("sql", "select * from meta_data_span", "--db", str(paths.db))
    assert result.exit_code == 2, result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    # a truncated file attaches; the query's read fails with DuckDB's own line, which names it
    assert shown in result.output


@pytest.mark.parametrize("name", FILE_DAMAGE)
def test_verify_snapshot_reads_every_block(good, tmp_path, name):
    paths, _, _ = damaged(good, tmp_path, name)
    with pytest.raises(DamagedSnapshotError):
        warehouse.verify_snapshot(paths)


def test_verify_snapshot_passes_an_intact_snapshot(good):
    warehouse.verify_snapshot(warehouse.WarehousePaths(good / "warehouse.duckdb"))


@pytest.mark.parametrize("name", DAMAGE)
def test_a_load_of_the_same_files_publishes_a_fresh_snapshot(good, tmp_path, source, name):
    paths, _, _ = damaged(good, tmp_path, name)
    result = cli("load", str(source), "--db", str(paths.db))
    assert result.exit_code == 0, result.output
    kpis = cli("kpis", "--db", str(paths.db))
    assert kpis.exit_code == 0, kpis.output
    assert warehouse.current_snapshot(paths) is not None
