"""Faults a person can fix: a full disk, a read-only folder, a damaged or missing warehouse file.
Each gives one line and exit 2, and leaves the last good state readable. The disk and folder
faults use a small tmpfs mounted for the test (root can; elsewhere they skip)."""

from __future__ import annotations

import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from etl import warehouse
from tests.conftest import split_sample
from tests.test_reliability import snapshot_checksums

pytestmark = pytest.mark.reliability


def run(*args: str):
    result = CliRunner().invoke(app, list(args))
    assert "Traceback" not in result.output
    return result


@pytest.fixture
def tiny_disk(tmp_path: Path) -> Iterator[Path]:
    mount_point = tmp_path / "tiny"
    mount_point.mkdir()
    done = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=64m", "tmpfs", str(mount_point)],
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {done.stderr.strip()}")
    try:
        yield mount_point
    finally:
        subprocess.run(["umount", "-l", str(mount_point)], check=False)


@pytest.fixture(scope="module")
def small_sample(tmp_path_factory) -> tuple[Path, Path]:
    return split_sample(tmp_path_factory.mktemp("fault-sample"), seed=3, scale=0.05)


def test_disk_full_keeps_the_last_good_state(tiny_disk, small_sample):
    first, second = small_sample
    db = tiny_disk / "wh" / "warehouse.duckdb"
    assert run("load", str(first), "--db", str(db)).exit_code == 0
    paths = warehouse.WarehousePaths(db)
    before = snapshot_checksums(paths)
    free = shutil.disk_usage(tiny_disk).free
    filler = tiny_disk / "filler"
    with filler.open("wb") as f:  # leave ~64 kB: not enough for another load
        f.write(b"\0" * max(free - 64 * 1024, 0))
    result = run("load", str(second), "--db", str(db))
    assert result.exit_code == 2, result.output
    assert "full" in result.output or "space" in result.output
    assert snapshot_checksums(paths) == before
    filler.unlink()
    again = run("load", str(second), "--db", str(db))
    assert again.exit_code == 0, again.output
    assert snapshot_checksums(paths) != before


def test_read_only_folder(tiny_disk, small_sample):
    first, second = small_sample
    db = tiny_disk / "wh" / "warehouse.duckdb"
    assert run("load", str(first), "--db", str(db)).exit_code == 0
    before = snapshot_checksums(warehouse.WarehousePaths(db))
    subprocess.run(["mount", "-o", "remount,ro", str(tiny_disk)], check=True)
    result = run("load", str(second), "--db", str(db))
    assert result.exit_code == 2, result.output
    assert "read-only" in result.output or "cannot write" in result.output
    kpis = run("kpis", "--year", "2024", "--db", str(db))  # readers still work
    assert kpis.exit_code == 0, kpis.output
    assert snapshot_checksums(warehouse.WarehousePaths(db)) == before


def test_damaged_warehouse_file(tmp_path, small_sample):
    first, _ = small_sample
    db = tmp_path / "wh" / "warehouse.duckdb"
    db.parent.mkdir()
    db.write_bytes(b"this is not a database" * 100)
    result = run("load", str(first), "--db", str(db))
    assert result.exit_code == 2
    assert "damaged or not a DuckDB database" in result.output


def test_missing_current_pointer_means_no_data(tmp_path, small_sample):
    first, _ = small_sample
    db = tmp_path / "wh" / "warehouse.duckdb"
    assert run("load", str(first), "--db", str(db)).exit_code == 0
    warehouse.WarehousePaths(db).current_pointer.unlink()
    result = run("kpis", "--db", str(db))
    assert result.exit_code == 2 and "no data loaded yet" in result.output
