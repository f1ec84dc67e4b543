"""Shared fixtures: small warehouses built in temp folders, a fixed 'today', quiet env."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings as hypothesis_settings

from etl import settings, transform, warehouse
from etl.load import LoadSummary, load

BROWSER_TESTS = Path(__file__).parent / "browser"

# Property tests explore new random inputs on every developer run (and keep what failed in
# .hypothesis/); in CI they run a fixed sequence, so a landing is judged on the code, not on
# the draw — a failure found locally is added as an @example.
hypothesis_settings.register_profile("ci", derandomize=True, print_blob=True)
if os.environ.get("CI"):
    hypothesis_settings.load_profile("ci")


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Two tiers: the fast one (unit and small-warehouse tests, `pytest -m "not full"`, for every
    change) and the full suite, which adds the browser walks and the crash and concurrency
    tests (`-m full`); CI runs both. A test is in the full tier by where it lives, its
    `reliability` mark, or its use of the `chromium` fixture (chart export), so a new browser
    test cannot land in the fast tier by mistake; the fast tier needs no Chromium at all."""
    for item in items:
        if (
            BROWSER_TESTS in item.path.parents
            or item.get_closest_marker("reliability")
            or "chromium" in getattr(item, "fixturenames", ())
        ):
            item.add_marker(pytest.mark.full)


TODAY = dt.date(2026, 11, 25)


@pytest.fixture(scope="session")
def chromium() -> Path:
    """The system Chromium that chart export (kaleido) drives: skipped without it, except in
    CI. A test that asks for it, directly or through a fixture, is in the full tier."""
    from dashboard import briefing
    from etl.errors import IpgovError

    try:
        return Path(briefing.chromium_path())
    except IpgovError as e:
        if os.environ.get("CI"):
            pytest.fail(str(e))
        pytest.skip(str(e))


@pytest.fixture(autouse=True, scope="session")
def _component_scan_once() -> Iterator[None]:
    """Streamlit's AppTest scans every installed distribution for v2 component manifests on
    each new app (0.11 s: 175 apps, ~6 % of the fast tier); the packages do not change while
    the tests run, so the real scan runs once and its answer is reused."""
    import functools

    from streamlit.components.v2 import manifest_scanner

    with pytest.MonkeyPatch.context() as patch:
        scan = functools.cache(manifest_scanner.scan_component_manifests)
        patch.setattr(manifest_scanner, "scan_component_manifests", scan)
        yield


@pytest.fixture(autouse=True, scope="session")
def _cheap_password_hashes() -> Iterator[None]:
    """Accounts made and signed in during the tests hash with argon2-cffi's CHEAPEST profile
    (argon2id, for testing only, its documentation says): the same hashing and verification,
    without 0.3 s of CPU per password (~9 % of the fast tier). The product's parameters are
    checked in tests/test_access.py; the browser tests' servers run with them."""
    from argon2 import PasswordHasher, profiles

    from dashboard.access import passwords

    cheap = PasswordHasher.from_parameters(profiles.CHEAPEST)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(passwords, "_HASHER", cheap)
        patch.setattr(passwords, "DUMMY_HASH", cheap.hash("not a password of anyone"))
        yield


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """No test reads the developer's IPGOV_* settings or writes into the repo's data/."""
    for setting in settings.SETTINGS:
        monkeypatch.delenv(f"IPGOV_{setting.name.upper()}", raising=False)
    monkeypatch.setenv("IPGOV_DB", str(tmp_path / "default-wh" / "warehouse.duckdb"))


@pytest.fixture
def write_csv(tmp_path: Path) -> Callable[..., Path]:
    """Write rows (first row = headers) as a CSV in the given encoding; returns its path."""

    def write(name: str, rows: list[list[str]], encoding: str = "utf-8") -> Path:
        path = tmp_path / "in" / name
        path.parent.mkdir(parents=True, exist_ok=True)
        text = "\n".join(",".join(cell for cell in row) for row in rows) + "\n"
        path.write_bytes(text.encode(encoding))
        return path

    return write


@pytest.fixture
def load_into(tmp_path: Path) -> Callable[..., LoadSummary]:
    """Load paths into a per-test warehouse (tmp/wh/warehouse.duckdb) with the fixed today."""

    def run(*paths: Path, **kwargs: object) -> LoadSummary:
        return load(list(paths), tmp_path / "wh" / "warehouse.duckdb", today=TODAY, **kwargs)

    return run


@pytest.fixture
def wh_paths(tmp_path: Path) -> warehouse.WarehousePaths:
    return warehouse.WarehousePaths(tmp_path / "wh" / "warehouse.duckdb")


@pytest.fixture
def paths(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> warehouse.WarehousePaths:
    """A per-test warehouse's paths, named by IPGOV_DB as the dashboard, the sign-in guard and
    the CLI find it (nothing is created: the app database appears with its first account)."""
    db = tmp_path / "wh" / "warehouse.duckdb"
    monkeypatch.setenv("IPGOV_DB", str(db))
    return warehouse.WarehousePaths(db)


def query(paths: warehouse.WarehousePaths, sql: str, params: list | None = None) -> list[tuple]:
    """Rows of one query against the current published snapshot."""
    with warehouse.read_snapshot(paths) as con:
        return con.execute(sql, params or []).fetchall()


@pytest.fixture(scope="session")
def sample_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The scale-1 sample (seed 42), written once per test session."""
    return write_sample_dir(tmp_path_factory, "sample", seed=42, scale=1.0)


def write_sample_dir(factory: pytest.TempPathFactory, name: str, seed: int, scale: float) -> Path:
    """A new temporary folder holding the sample at `seed` and `scale`."""
    from etl.sample import write_sample

    out = factory.mktemp(name)
    write_sample(out, seed=seed, scale=scale)
    return out


@pytest.fixture(scope="session")
def sample_wh(
    sample_dir: Path, tmp_path_factory: pytest.TempPathFactory
) -> warehouse.WarehousePaths:
    """The scale-1 sample loaded into a warehouse, once per test session."""
    db = tmp_path_factory.mktemp("sample-wh") / "warehouse.duckdb"
    summary = load([sample_dir], db, today=TODAY)
    assert not summary.rejected, summary.rejected
    return warehouse.WarehousePaths(db)


def split_sample(out: Path, seed: int, scale: float) -> tuple[Path, Path]:
    """A sample in two batches: up to 2025 (a warehouse's good state) and the five 2026 files
    (the load under test), for the crash and fault tests."""
    import shutil

    from etl.sample import write_sample

    write_sample(out, seed=seed, scale=scale)
    first, second = out / "first", out / "second"
    first.mkdir()
    second.mkdir()
    for f in sorted(p for p in out.iterdir() if p.is_file()):
        shutil.move(f, (second if "2026" in f.name else first) / f.name)
    return first, second


@pytest.fixture(scope="session")
def small_sample(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A twentieth of the sample (seed 42): the files the fault corpus is made from."""
    return write_sample_dir(tmp_path_factory, "small-sample", seed=42, scale=0.05)


@pytest.fixture(scope="session")
def corpus(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Every fault of tests/broken_files.py as a file (tests copy, never change, them)."""
    from tests.broken_files import build_corpus

    return build_corpus(small_sample, tmp_path_factory.mktemp("corpus"))


def sign_in(at, db: Path, role: str = "analyst"):
    """Run the AppTest `at` as a signed-in user of `role`: a real account and live session in
    the warehouse's app database, the token where the app keeps it between runs
    (dashboard/signin.py; AppTest has no cookies). Page functions run without app.py read the
    role from the same session state."""
    from dashboard import signin
    from dashboard.access import accounts, sessions

    paths = warehouse.WarehousePaths(db)
    name = f"test-{role}"
    if accounts.find(paths, name) is None:
        accounts.add(paths, name, role, f"{name}-password")
    at.session_state[signin.TOKEN_KEY] = sessions.start(paths, name)
    at.session_state[signin.USER_KEY] = name
    at.session_state[signin.ROLE_KEY] = role
    return at


@pytest.fixture
def sql_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """An empty model folder in place of etl/sql (each layer present, no models); the cached
    Chinese docs of the real models are dropped before and after."""
    root = tmp_path / "sql"
    for layer in transform.LAYERS:
        (root / layer).mkdir(parents=True)
    monkeypatch.setattr(transform, "SQL_DIR", root)
    transform.docs_zh.cache_clear()
    yield root
    transform.docs_zh.cache_clear()
