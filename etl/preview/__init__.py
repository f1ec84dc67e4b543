"""What publishing files would change, computed without writing the warehouse (issue 13).

For each file, as `ipgov load` would treat it: skipped (the same bytes were loaded), rejected
by the gate, or loaded — and then how many of its records are **new**, **changed** (with the
first few, field by field, old → new) or **unchanged**, and which it would put back to an older
version (**reverts**, etl/reverts.py: the loader refuses those without allow_revert).

The preview must equal what a publish really does, so it runs the loader's own pieces on a
private in-memory database rather than restating them: the gate (`Gate.check`), the raw tables'
DDL (`raw.ensure_raw`), the reference tables (`raw.refresh_reference`), the staging models
with their one latest-version-wins macro (`transform.build(..., "staging")`) and the revert
check (`reverts.find`). Into that private raw layer go, for each file's keys only, the rows the
ingest database holds (read through a read-only ATTACH that lasts only while they are copied,
so a load is never held up for long) and the file's own good rows under the next file_seq, as
the loader would number them. A record is then compared on its `stg_<kind>` row before and after
(counts.sql, changed.sql): what the marts show of it, so a change only to personal data (which
staging drops) or to another spelling of the same code counts as unchanged.

Files are previewed in order, as one batch: a later file is compared with the warehouse plus the
earlier files that would load, as the loader numbers them.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import duckdb
import polars as pl

from etl import reverts, transform, warehouse
from etl.gate import FileReport, Gate, engine
from etl.gate.engine import Judged
from etl.progress import QUIET, FileProgress, OnProgress, for_file
from etl.raw import LINEAGE_COLUMNS, LIVE, ensure_raw, refresh_reference, sha256_of
from etl.sources import KINDS
from etl.sources.files import source_files
from etl.sources.schema import RecordKind
from etl.sources.staged import quote_name

SQL = Path(__file__).parent
SHOWN = 5  # changed records shown field by field; the count says how many in all
INGEST = "preview_ingest"  # the ingest database's alias while it is attached read-only
LINEAGE = ("load_id", "source_file")  # staging columns that say where a row came from
RAW_LINEAGE = set(LINEAGE_COLUMNS)  # raw's: load, file, its SHA-256, row, time
PREVIEW_LOAD = "preview"  # load_id of the rows a preview adds (never a real load's id)
STATUSES = ("loads", "reverts", "skipped", "rejected")

# a step of the preview, for progress bars: (file index from 0, files, file name, step)
OnStep = Callable[[int, int, str, str], None]


@dataclass(frozen=True)
class Change:
    """One record a publish would change: its key and each changed staging column."""

    key: str
    fields: list[tuple[str, Any, Any]]  # (column, old value, new value)


@dataclass
class FilePreview:
    """What publishing one file would do.

    status: `loads`; `reverts` (it would put records back to an older version: the loader
    rejects it unless allow_revert, and loads it as counted with it); `skipped` (its bytes
    were loaded before); `rejected` (by the gate). Counts are of distinct records (a record
    twice in the file is one), for `loads` and `reverts` only."""

    path: Path
    kind: str | None
    status: str
    new: int = 0
    changed: int = 0
    unchanged: int = 0
    reverted: reverts.Reverts | None = None
    before: pl.DataFrame = field(default_factory=pl.DataFrame)  # first changed, staging rows
    after: pl.DataFrame = field(default_factory=pl.DataFrame)  # the same records afterwards
    key_column: str = ""

    @property
    def reverts(self) -> int:
        return self.reverted.count if self.reverted else 0

    def changes(self) -> list[Change]:
        """The first changed records (at most SHOWN), field by field, in key order."""
        found = []
        for old, new in zip(
            self.before.iter_rows(named=True), self.after.iter_rows(named=True), strict=True
        ):
            fields = [(c, old[c], new[c]) for c in self.before.columns if old[c] != new[c]]
            found.append(Change(str(new[self.key_column]), fields))
        return found

    def to_json(self) -> dict[str, Any]:
        """For `ipgov check --json --db`: the same numbers the Upload page shows."""
        return {
            "status": self.status,
            "records_new": self.new,
            "records_changed": self.changed,
            "records_unchanged": self.unchanged,
            "records_reverted": self.reverts,
            "reverted_records": self.reverted.keys if self.reverted else [],
            "changed_records": [
                {"record": c.key, "fields": {f: {"old": o, "new": n} for f, o, n in c.fields}}
                for c in self.changes()
            ],
        }


@dataclass
class Preview:
    """A batch's gate reports and, file by file, what publishing it would do; `unavailable`
    says why there is no comparison (e.g. a load holds the warehouse), the reports stay."""

    reports: list[FileReport]
    files: list[FilePreview]
    unavailable: str | None = None

    def totals(self) -> dict[str, dict[str, int]]:
        """Per record kind, the files' counts added up."""
        totals: dict[str, dict[str, int]] = {}
        for f in self.files:
            if f.kind is None or f.status not in ("loads", "reverts"):
                continue
            row = totals.setdefault(
                f.kind,
                {"records_new": 0, "records_changed": 0, "records_unchanged": 0,
                 "records_reverted": 0},
            )  # fmt: skip
            row["records_new"] += f.new
            row["records_changed"] += f.changed
            row["records_unchanged"] += f.unchanged
            row["records_reverted"] += f.reverts
        return totals


def preview(
    paths: list[Path],
    db: Path,
    kind: str | None = None,
    *,
    strict: bool = False,
    allow_revert: bool = False,
    today: dt.date | None = None,
    on_step: OnStep | None = None,
    on_progress: OnProgress | None = None,
) -> Preview:
    """Judge `paths` as `ipgov check` does and say what `ipgov load` would change in the
    warehouse `db` (allow_revert as the load would be given it); nothing is written there.
    on_step: each file's check and comparison as they start; on_progress: how far each file's
    steps have come (etl/progress.py)."""
    today = today or dt.date.today()
    files = source_files(paths)
    con = warehouse.connect_scratch()
    try:
        return _Batch(con, db, today, strict, allow_revert).run(files, kind, on_step, on_progress)
    finally:
        con.close()


class _Batch:
    """One preview's private database: the raw layer of the records concerned, staging over it."""

    def __init__(
        self,
        con: duckdb.DuckDBPyConnection,
        db: Path,
        today: dt.date,
        strict: bool,
        allow_revert: bool,
    ) -> None:
        self.con = con
        self.db = db
        self.allow_revert = allow_revert
        self.gate = Gate(today, strict=strict, con=con, scratch=Path(tempfile.gettempdir()))
        ensure_raw(con)
        refresh_reference(con, today)  # the code lists the load will use, from the package
        transform.build(con, "staging", "staging")
        self.loaded: set[str] = set()  # SHA-256 of live loaded files, then of this batch's
        self.file_seq = 0  # the highest file_seq the warehouse has given
        self.ingest_columns: dict[str, list[str]] = {}
        self.unavailable: str | None = None
        self._read_ingest_state()
        self.ingest_seq = self.file_seq  # rows up to it came from the ingest database

    def _attached(self) -> bool:
        """Attach the ingest database read-only (False when there is none yet)."""
        if self.unavailable or not self.db.exists():
            return False
        try:
            self.con.execute(f"attach {_literal(str(self.db))} as {INGEST} (read_only)")
        except duckdb.Error as e:
            self.unavailable = warehouse.explain(e, self.db)
            return False
        return True

    def _detach(self) -> None:
        self.con.execute(f"detach {INGEST}")

    def _read_ingest_state(self) -> None:
        """What the loader reads before its files: the live SHA-256s, the last file_seq, the
        withdrawn loads, and which columns each raw table has."""
        if not self._attached():
            return
        try:
            tables = {
                name
                for (name,) in self.con.execute(
                    "select table_name from duckdb_tables() where database_name = ? "
                    "and schema_name = 'raw'",
                    [INGEST],
                ).fetchall()
            }
            if "load_files" in tables:
                live = LIVE if "withdrawn_loads" in tables else ""
                rows = self.con.execute(
                    f"select source_sha256 from {INGEST}.raw.load_files where true "
                    + live.replace("raw.withdrawn_loads", f"{INGEST}.raw.withdrawn_loads")
                ).fetchall()
                self.loaded = {sha for (sha,) in rows}
                self.file_seq = self.con.execute(
                    f"select coalesce(max(file_seq), 0) from {INGEST}.raw.load_files"
                ).fetchall()[0][0]
            if "withdrawn_loads" in tables:
                self.con.execute(
                    f"insert into raw.withdrawn_loads by name "
                    f"select * from {INGEST}.raw.withdrawn_loads"
                )
            for name in KINDS:
                if name in tables:
                    self.ingest_columns[name] = [
                        c
                        for (c,) in self.con.execute(
                            "select column_name from duckdb_columns() where database_name = ? "
                            "and schema_name = 'raw' and table_name = ?",
                            [INGEST, name],
                        ).fetchall()
                    ]
        finally:
            self._detach()

    def run(
        self,
        files: list[Path],
        kind: str | None,
        on_step: OnStep | None,
        on_progress: OnProgress | None = None,
    ) -> Preview:
        reports, previews = [], []
        for i, path in enumerate(files):
            if on_step:
                on_step(i, len(files), path.name, "check")
            report, judged = self.gate.check(path, kind, on_progress=on_progress)
            reports.append(report)
            try:
                if on_step and judged is not None:
                    on_step(i, len(files), path.name, "compare")
                previews.append(self._file(path, report, judged, for_file(on_progress, path)))
            finally:
                engine.drop_tables(self.con)
        return Preview(reports, previews, self.unavailable)

    def _file(
        self,
        path: Path,
        report: FileReport,
        judged: Judged | None,
        progress: FileProgress = QUIET,
    ) -> FilePreview:
        sha256 = sha256_of(path, progress)
        if sha256 in self.loaded:  # the loader skips it before judging it
            return FilePreview(path, report.kind, "skipped")
        if judged is None:
            return FilePreview(path, report.kind, "rejected")
        if self.unavailable:
            return FilePreview(path, report.kind, "loads")
        progress.report("compare", None)  # several queries, none long: no one estimate
        kind = judged.kind
        rows = judged.good_rows_sql()
        self._copy_ingest_rows(kind, rows)
        if self.unavailable:
            return FilePreview(path, report.kind, "loads")
        back = reverts.find(self.con, kind, rows)
        self._stage("preview_before", kind, rows)
        seq = self.file_seq + 1
        self._add_rows(kind, rows, seq, path, sha256)
        self._stage("preview_after", kind, rows)
        loads = not back or self.allow_revert
        if loads:  # a later file of the batch sees it, as the loader's next file would
            self.file_seq = seq
            self.loaded.add(sha256)
        else:
            self.con.execute(f"delete from raw.{quote_name(kind.name)} where file_seq = ?", [seq])
        ((new, changed, unchanged),) = self.con.execute(_sql("counts")).fetchall()
        first = self.con.sql(_sql("changed"), params={"shown": SHOWN}).pl()
        before, after = (
            (first["old"].struct.unnest(), first["new"].struct.unnest())
            if first.height
            else (pl.DataFrame(), pl.DataFrame())
        )
        progress.done("compare")
        return FilePreview(
            path,
            kind.name,
            "loads" if not back else "reverts",
            new,
            changed,
            unchanged,
            back if back else None,
            before.drop("record_key", strict=False),
            after.drop("record_key", strict=False),
            kind.key,
        )

    def _copy_ingest_rows(self, kind: RecordKind, rows: str) -> None:
        """The ingest database's rows (every version, withdrawn ones too, as the loader's revert
        check sees them) of the file's keys not copied before, into the private raw table."""
        columns = self.ingest_columns.get(kind.name)
        if not columns or not self._attached():
            return
        try:
            key = quote_name(kind.key)
            target = f"raw.{quote_name(kind.name)}"
            bounds = f"select min({key}), max({key}) from ({rows})"
            ((lo, hi),) = self.con.execute(bounds).fetchall()
            if lo is None:
                return
            wanted = {c.name for c in kind.columns} | RAW_LINEAGE
            listed = ", ".join(quote_name(c) for c in columns if c in wanted)
            self.con.execute(
                f"insert into {target} by name select {listed} "
                f"from {INGEST}.raw.{quote_name(kind.name)} "
                f"where {key} between ? and ? and {key} in (select {key} from ({rows})) "
                f"and {key} not in (select {key} from {target} where file_seq <= ?)",
                [lo, hi, self.ingest_seq],
            )
        finally:
            self._detach()

    def _stage(self, table: str, kind: RecordKind, rows: str) -> None:
        """The file's records as staging shows them now: record_key plus stg_<kind> columns
        without lineage."""
        key = quote_name(kind.key)
        lineage = ", ".join(LINEAGE)
        self.con.execute(
            f"create or replace temp table {table} as "
            f"select {key} as record_key, * exclude ({lineage}) "
            f"from staging.stg_{kind.name} where {key} in (select {key} from ({rows}))"
        )

    def _add_rows(self, kind: RecordKind, rows: str, seq: int, path: Path, sha256: str) -> None:
        """The file's good rows as the loader would insert them, under file_seq `seq`."""
        self.con.execute(
            f"insert into raw.{quote_name(kind.name)} by name "
            "select ? as load_id, ? as file_seq, ? as source_file, ? as source_sha256, "
            f"now()::timestamp as loaded_at, * from ({rows})",
            [PREVIEW_LOAD, seq, path.name, sha256],
        )


def _sql(name: str) -> str:
    return (SQL / f"{name}.sql").read_text(encoding="utf-8")


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"
