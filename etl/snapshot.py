"""Building the published snapshot: the marts computed as tables into a new file, each checked at
its grain, the KPI views added, then published atomically (warehouse.publish).

Two ways to build one, with the same tables as the result (tests/test_snapshot.py holds them to
it on a sequence of loads):

* **full**: every mart computed from staging, over every row of raw.
* **incremental**: a copy of the current snapshot, and in it only what the loads since it
  changed. A month of files into a national warehouse touches a few percent of the keys, and
  recomputing every mart over every row is what made such a load as slow as the first one.

Each mart's header says how it may be refreshed (`-- refresh:`, etl/sql/marts):
    -- refresh: raw.takedowns(notice_id)   each row depends only on the raw rows with its key
                                           (and on reference marts): the new rows' keys are
                                           deleted and recomputed, from those keys' rows only
    -- refresh: raw.notarizations           computed again, whole, when that table has new rows
    -- refresh: reference                   depends on the reference tables only (ref.*)
A mart without the key is computed again, whole, every time (safe, and they are small).

Incremental needs three things, else the build is full (and says why in `Built.reason`): the
current snapshot was built by this code from the same reference tables (its *fingerprint*, a
hash of every model's SQL and of ref.*, recorded in raw.snapshot_builds); its file is intact
(its SHA-256, taken when it was published, checked while copying it — a damaged block would
otherwise be copied on into every later snapshot); and the setting IPGOV_SNAPSHOT_INCREMENTAL.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import shutil
import time
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path

import duckdb

from etl import settings, transform, warehouse
from etl.errors import IpgovError
from etl.sources import KINDS

# Bump when this module changes what a snapshot holds, so the next build is full.
SNAPSHOT_FORMAT = 1
_REFRESH = re.compile(r"^(?P<table>raw\.\w+)\((?P<key>\w+)\)$")
_RAW_TABLE = re.compile(r"^raw\.\w+$")
_COPY_CHUNK = 8 * 1024**2
# A mart over more raw rows than this keeps every core busy on its own (DuckDB splits a scan by
# row groups of 122,880 rows); the smaller ones are built side by side, one per core: a query
# over a row group or two runs on one thread (docs/performance.md, "Load", session 15)
ALONE_ROWS = 1_000_000


@dataclass(frozen=True)
class Refresh:
    """How one mart of a snapshot is brought up to date (its `-- refresh:` header)."""

    kind: str  # by_key | whole_when | reference | always
    tables: tuple[str, ...] = ()  # raw tables whose new rows matter
    key: str = ""  # by_key: the natural key shared by the raw table and the mart

    @classmethod
    def of(cls, model: transform.Model) -> Refresh:
        text = model.refresh.strip()
        if not text:
            return cls("always")
        if text == "reference":
            return cls("reference")
        keyed = _REFRESH.match(text)
        if keyed:
            return cls("by_key", (keyed.group("table"),), keyed.group("key"))
        tables = tuple(t.strip() for t in text.split(","))
        if all(_RAW_TABLE.match(t) for t in tables):
            return cls("whole_when", tables)
        raise transform.ModelGraphError(
            f"{model.layer}/{model.name}.sql: `-- refresh: {text}` is not raw.<table>(<key>), "
            "raw tables separated by commas, or reference"
        )


@dataclass
class Built:
    """What a build did, for the load's summary and report."""

    path: Path
    mode: str = ""  # full | incremental
    reason: str = ""  # why full; for incremental, what was recomputed
    steps: dict[str, float] = field(default_factory=dict)  # seconds of each step, in order

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        """Time one step of the build (the load's report shows where the phase went)."""
        started = time.perf_counter()
        try:
            yield
        finally:
            self.steps[name] = round(self.steps.get(name, 0.0) + time.perf_counter() - started, 3)


class GrainError(IpgovError):
    """A snapshot's table breaks its declared grain (etl/transform.check_grains): a bug in a
    model or a fault the gate let through, never published."""

    def __init__(self, failures: list[transform.GrainFailure]) -> None:
        listed = "; ".join(map(str, failures[:5])) + (" …" if len(failures) > 5 else "")
        super().__init__(
            f"the new snapshot breaks its models' grain and was not published (the current one "
            f"stays): {listed}"
        )
        self.failures = failures


def fingerprint(con: duckdb.DuckDBPyConnection) -> str:
    """What a snapshot's content depends on besides raw: the SQL of every model, the reference
    tables as loaded (codes, aliases, calendar) and this module's format."""
    digest = hashlib.sha256(f"format {SNAPSHOT_FORMAT}\n".encode())
    for layer in transform.LAYERS:
        for model in transform.models(layer):
            digest.update(f"{layer}/{model.name}\n{model.sql}\n".encode())
    for (table,) in con.execute(
        "select table_name from duckdb_tables() where schema_name = 'ref' "
        "and database_name = current_database() order by 1"
    ).fetchall():
        (rows,) = con.execute(
            f"select md5(coalesce(string_agg(r::varchar, chr(10) order by r::varchar), '')) "
            f"from ref.{table} as r"
        ).fetchone()
        digest.update(f"ref.{table} {rows}\n".encode())
    return digest.hexdigest()


def _file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        while chunk := f.read(_COPY_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def _copy_verified(source: Path, target: Path, sha256: str) -> bool:
    """Copy the snapshot file (in the kernel) while another thread hashes it — hashlib and the
    copy both release the GIL, so this costs one pass, not two; False (and no copy) when the
    hash is not the one taken at publish: the file was damaged or replaced since."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        digest = pool.submit(_file_sha256, source)
        shutil.copyfile(source, target)
        if digest.result() == sha256:
            return True
    target.unlink()
    return False


def recorded(con: duckdb.DuckDBPyConnection, snapshot_id: str) -> tuple[str, str] | None:
    """A published snapshot's build record: its fingerprint and SHA-256 (None: not recorded)."""
    row = con.execute(
        "select fingerprint, sha256 from raw.snapshot_builds where load_id = ?", [snapshot_id]
    ).fetchone()
    return (row[0], row[1]) if row else None


def _new_rows(con: duckdb.DuckDBPyConnection, table: str, since: str) -> bool:
    """Whether a raw table has rows of loads after the snapshot `since` (load ids sort by time;
    a load that died before publishing counts too, as its rows are in raw)."""
    return bool(con.execute(f"select 1 from {table} where load_id > ? limit 1", [since]).fetchone())


def build(con: duckdb.DuckDBPyConnection, paths: warehouse.WarehousePaths, load_id: str) -> Built:
    """Build the snapshot for this load (incremental where it may be, else full), publish it
    and record how it was built. The load's connection holds the marts as views."""
    paths.snapshots.mkdir(parents=True, exist_ok=True)
    building = paths.snapshots / f".{load_id}.building"
    building.unlink(missing_ok=True)
    built = Built(building)
    with built.step("fingerprint"):
        print_ = fingerprint(con)
    previous = warehouse.current_snapshot(paths)
    record = recorded(con, previous.stem) if previous is not None else None
    reason = _why_full(previous, record, print_)
    if reason is None and previous is not None and record is not None:
        with built.step("copy"):
            if not _copy_verified(previous, building, record[1]):
                reason = f"the current snapshot {previous.name} changed since it was published"
    try:
        if reason is None and previous is not None:
            built.mode, built.reason = "incremental", _incremental(con, built, previous.stem)
        else:
            built.mode, built.reason = "full", reason or ""
            _full(con, built)
    except BaseException:
        for unfinished in paths.snapshots.glob(f"{building.name}*"):
            unfinished.unlink()
        raise
    with built.step("publish"):
        sha256 = _file_sha256(building)
        built.path = warehouse.publish(paths, building, load_id)
    con.execute(
        "insert or replace into raw.snapshot_builds values (?, ?, ?, ?, ?, ?)",
        [load_id, print_, sha256, built.mode, built.reason, dt.datetime.now(dt.UTC)],
    )
    return built


def _why_full(previous: Path | None, recorded: tuple[str, str] | None, print_: str) -> str | None:
    """Why this snapshot must be built from scratch, or None when it may be incremental;
    `recorded` is the current snapshot's build record (fingerprint, SHA-256)."""
    if not settings.current().snapshot_incremental:
        return "IPGOV_SNAPSHOT_INCREMENTAL is off"
    if previous is None:
        return "no snapshot published yet"
    if Path(f"{previous}.wal").exists():
        return f"the current snapshot {previous.name} has a write-ahead log"
    if recorded is None:
        return f"the current snapshot {previous.name} has no build record"
    if recorded[0] != print_:
        return "the models or the reference tables changed since the current snapshot"
    return None


def _full(con: duckdb.DuckDBPyConnection, built: Built) -> None:
    """Every mart computed into the new file; grains checked; documented; KPI views added."""
    marts = transform.models("marts")
    alone, side_by_side = lanes(con, marts)
    con.execute(f"attach '{built.path}' as snap")
    try:
        for model in alone:
            _copy_mart(con, built, model)
        # each mart is a view over staging and raw, never over another mart's copy: any order
        workers = con.execute("select current_setting('threads')").fetchall()[0][0]
        with ThreadPoolExecutor(max_workers=max(1, workers)) as pool:
            copies = [pool.submit(_copy_mart, con, built, m, cursor=True) for m in side_by_side]
        for copy in copies:
            copy.result()  # the first failure, once every copy has stopped
        # every mart table at its declared grain, or nothing is published: officials would
        # count a case twice. Checked here, on the load's connection and within its memory
        # limit (the snapshot's own connection would be a second buffer pool); the KPI views
        # group the marts, so their grains hold by construction and tests/test_models.py checks
        # them (docs/data-model.md, "Grain checks")
        with built.step("grains"):
            failures = transform.check_grains(con, "marts", "snap.main")
    finally:
        con.execute("detach snap")
    if failures:
        raise GrainError(failures)
    _finish(built, marts)


def lanes(
    con: duckdb.DuckDBPyConnection, marts: list[transform.Model]
) -> tuple[list[transform.Model], list[transform.Model]]:
    """(the marts built one at a time, each with every core; the marts built side by side): a
    mart goes alone when the raw tables its `-- refresh:` names hold over ALONE_ROWS rows. Side
    by side, two big marts would only share the cores and the load's memory (scale 1000: 38 →
    45 s); two small ones each use a core a lone build leaves idle (scale 50: 2.7 → 1.7–2.0 s)."""
    rows = dict(
        con.execute(
            "select schema_name || '.' || table_name, estimated_size from duckdb_tables() "
            "where database_name = current_database() and schema_name = 'raw'"
        ).fetchall()
    )
    alone, side_by_side = [], []
    for model in marts:
        size = sum(rows.get(table, 0) for table in Refresh.of(model).tables)
        (alone if size > ALONE_ROWS else side_by_side).append(model)
    return alone, side_by_side


def _copy_mart(
    con: duckdb.DuckDBPyConnection, built: Built, model: transform.Model, cursor: bool = False
) -> None:
    """One mart computed into the snapshot attached as `snap`; `cursor`: on a cursor of its own
    (a thread's), as DuckDB runs one statement at a time per connection."""
    on = con.cursor() if cursor else con
    try:
        with built.step(model.name):
            on.execute(f"create table snap.main.{model.name} as from marts.{model.name}")
    finally:
        if cursor:
            on.close()


def _finish(built: Built, documented: list[transform.Model]) -> None:
    """On the snapshot's own connection: comments on the tables written anew; the KPI layer
    built again (views and macros cost nothing, and kpi_monthly is a table over every mart).
    In one transaction: each of the ~250 statements committed on its own cost a small load
    twice the time (0.1 s of its 0.7 s; the file is not published if this fails)."""
    snap = warehouse.connect_new_snapshot(built.path)
    try:
        snap.begin()
        transform.document(snap, [replace(m, materialized="table") for m in documented], None)
        with built.step("kpis"):
            transform.build(snap, "kpis", None)
        snap.commit()
        with built.step("checkpoint"):
            snap.execute("checkpoint")
    finally:
        snap.close()


def plans(marts: list[transform.Model]) -> dict[str, Refresh]:
    """Each mart's refresh, checked against what it reads: a mart updated by key may read only
    reference marts and marts updated by the same key of the same raw table, and one computed
    again when a raw table changes only reference marts — else its copy would go stale when
    what it reads changed. ModelGraphError names the mart."""
    refresh = {m.name: Refresh.of(m) for m in marts}
    for name, reads in transform.dependencies(marts).items():
        plan = refresh[name]
        if plan.kind not in ("by_key", "whole_when"):
            continue
        wrong = sorted(
            d
            for d in reads
            if refresh[d].kind != "reference" and not (plan.kind == "by_key" and refresh[d] == plan)
        )
        if wrong:
            raise transform.ModelGraphError(
                f"marts/{name}.sql: `-- refresh:` {plan.kind} cannot read {', '.join(wrong)}, "
                "which is refreshed otherwise"
            )
    return refresh


def _incremental(con: duckdb.DuckDBPyConnection, built: Built, since: str) -> str:
    """Bring the copy of the snapshot `since` up to date; what was recomputed, in words."""
    marts = transform.models("marts")
    refresh = plans(marts)
    keyed = {p.tables[0]: p.key for p in refresh.values() if p.kind == "by_key"}
    touched = {}
    for table, key in keyed.items():
        lo, hi = con.execute(
            f"select min({key}), max({key}) from {table} where load_id > ?", [since]
        ).fetchone()
        if lo is not None:
            touched[table] = Touched(table, key, lo, hi)
    home = con.execute("select current_database()").fetchone()[0]
    con.execute(f"attach '{built.path}' as snap")
    con.execute("attach ':memory:' as delta")
    rewritten: list[transform.Model] = []
    updated: list[str] = []
    failures: list[transform.GrainFailure] = []
    try:
        with built.step("delta"):
            _prepare_delta(con, home, touched, since)
        con.execute("use delta")
        try:  # the same staging and mart SQL, over the touched keys' raw rows only
            transform.build(con, "staging", "staging")
            transform.build(con, "marts", "marts")
        finally:
            con.execute(f"use {home}")
        for model in marts:
            plan = refresh[model.name]
            if plan.kind == "reference":
                continue  # same fingerprint: the same reference tables, the same rows
            if plan.kind == "by_key":
                if plan.tables[0] in touched:
                    with built.step(model.name):
                        failures += _update_keys(con, model, touched[plan.tables[0]])
                    updated.append(model.name)
                continue
            if plan.kind == "whole_when" and not any(_new_rows(con, t, since) for t in plan.tables):
                continue
            target = f"snap.main.{model.name}"
            with built.step(model.name):
                con.execute(f"create or replace table {target} as from marts.{model.name}")
                failures += transform.check_model_grain(con, model, target)
            rewritten.append(model)
    finally:
        con.execute("detach delta")
        con.execute("detach snap")
    if failures:
        raise GrainError(failures)
    _finish(built, rewritten)
    parts = []
    if updated:
        parts.append("new and changed keys of " + ", ".join(updated))
    if rewritten:
        parts.append("whole " + ", ".join(m.name for m in rewritten))
    return "; ".join(parts) or "nothing changed"


@dataclass(frozen=True)
class Touched:
    """The keys of one raw table that loads after the snapshot brought, and their range: keys
    are ids that grow with time (TD2026-…), so a month's lie in a narrow range, and a filter on
    it lets DuckDB skip the row groups of earlier years by their min/max (1.0 s → 0.1 s to find
    a month's 0.5M keys among 23M patents). Correct for any keys; only faster for these."""

    table: str
    key: str
    lo: object
    hi: object

    def where(self, column: str, keys: str) -> str:
        """A condition: `column` is one of the keys in the relation `keys`."""
        return f"{column} between ? and ? and {column} in (select distinct {self.key} from {keys})"


def _prepare_delta(
    con: duckdb.DuckDBPyConnection, home: str, touched: dict[str, Touched], since: str
) -> None:
    """The delta catalog: every raw table the models read — a record kind's holding only the
    rows of the keys that loads after `since` touched (all their versions, so the latest still
    wins), empty for kinds nothing touched; the loader's own small tables (load_files,
    withdrawn_loads …) whole, as `live` and the quality marts read them — and the reference
    tables as they are."""
    for schema in ("raw", "ref"):
        con.execute(f"create schema delta.{schema}")
    for (table,) in con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = 'raw'",
        [home],
    ).fetchall():
        name = f"raw.{table}"
        source = f"{home}.raw.{table}"
        if name in touched:
            keys = touched[name]
            new = f"(select {keys.key} from {source} where load_id > ?)"
            con.execute(
                f"create table delta.{name} as from {source} where {keys.where(keys.key, new)}",
                [keys.lo, keys.hi, since],
            )
        elif table in KINDS:
            con.execute(f"create table delta.{name} as from {source} limit 0")
        else:
            con.execute(f"create table delta.{name} as from {source}")
    for (table,) in con.execute(
        "select table_name from duckdb_tables() where database_name = ? and schema_name = 'ref'",
        [home],
    ).fetchall():
        con.execute(f"create table delta.ref.{table} as from {home}.ref.{table}")


def _update_keys(
    con: duckdb.DuckDBPyConnection, model: transform.Model, keys: Touched
) -> list[transform.GrainFailure]:
    """Replace the rows of the touched keys by their recomputed ones; check their grain."""
    target = f"snap.main.{model.name}"
    rows = f"delta.main.{model.name}_rows"
    con.execute(f"create table {rows} as from delta.marts.{model.name}")
    con.execute(
        f"delete from {target} where {keys.where(keys.key, f'delta.{keys.table}')}",
        [keys.lo, keys.hi],
    )
    con.execute(f"insert into {target} by name from {rows}")
    if model.unique == (keys.key,):
        # every kept row with one of these keys was just deleted, so the new rows can only
        # collide among themselves
        return transform.check_model_grain(con, model, rows)
    # another grain (a bug, or a test of one): check it between the new rows and the kept ones
    unique = ", ".join(model.unique or ())
    near = (
        f"(from {target} semi join (select distinct {unique} from {rows}) as n using ({unique}))"
        if unique
        else target
    )
    return transform.check_model_grain(con, model, near, not_null_in=rows)
