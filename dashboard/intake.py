"""The Upload page's work, without Streamlit: save a steward's files in a folder of their own,
judge them as `ipgov check` does, publish them with `etl.load.load`, or throw them away.

Kept out of the page so the page is layout only and this can be tested directly. An upload
is saved beside the warehouse (`<db folder>/uploads/<random id>/`), not in a system temp
folder: the loader reads the same disk, and a crash leaves the files where an operator looks.
Nothing here writes to the warehouse except `publish`; `check` is the gate's read-only check,
`preview` the same check plus what a publish would change (etl/preview, as `ipgov check --db`).
Abandoned uploads expire (`expire`): when the page runs and when `ipgov serve` starts.
"""

from __future__ import annotations

import os
import secrets
import shutil
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from dashboard import display
from dashboard.columns import column
from etl import gate, settings
from etl.errors import IpgovError
from etl.gate.pii import shown_value
from etl.load import FileOutcome, LoadSummary, load
from etl.preview import SHOWN, OnStep, Preview
from etl.preview import preview as preview_batch
from etl.progress import OnProgress
from etl.sources.files import SUFFIXES

UPLOADS = "uploads"
UPLOAD_TYPES = sorted(s.lstrip(".") for s in SUFFIXES)  # what the file picker offers
MIB = 1024 * 1024
STATUSES = ("loaded", "skipped", "rejected")  # a file's outcome in a load (FileOutcome.status)
SHOWN_CHANGES = SHOWN  # changed records the preview lists field by field, per file


class TooBig(IpgovError):
    """A file over IPGOV_UPLOAD_MAX_MB: refused before it is saved, in both languages."""

    def __init__(self, name: str, size: int, limit_mb: int) -> None:
        mb = f"{size / MIB:,.1f}"
        super().__init__(f"{name} is {mb} MB; files up to {limit_mb} MB can be uploaded")
        self.message_zh = f"{name} 大小为 {mb} MB，超过上传上限 {limit_mb} MB，未保存"

    def message(self, lang: str) -> str:
        return self.message_zh if lang == "zh" else str(self)


@dataclass(frozen=True)
class Saved:
    """One uploaded file as saved: where, and how many bytes."""

    name: str
    path: Path
    size: int


def limit_mb() -> int:
    """IPGOV_UPLOAD_MAX_MB: the largest file the page saves."""
    return settings.current().upload_max_mb


def uploads_root(db: Path | None = None) -> Path:
    """Where every session's uploads live: beside the warehouse file."""
    return (db or settings.db_path()).parent / UPLOADS


def new_batch(db: Path | None = None) -> Path:
    """A fresh folder for one session's files; the random id keeps sessions apart."""
    folder = uploads_root(db) / secrets.token_hex(8)
    folder.mkdir(parents=True, exist_ok=False)
    return folder


def safe_name(name: str) -> str:
    """The file's own name without any folder part a browser might send (no `../`)."""
    base = Path(name.replace("\\", "/")).name.strip()
    return base if base not in {"", ".", ".."} else "upload"


def save(batch: Path, name: str, data: bytes) -> Saved:
    """Save one file into the batch (its own numbered subfolder, so two files of the same name
    both keep their name, which the warehouse records as lineage). TooBig over the limit."""
    limit = limit_mb()
    clean = safe_name(name)
    if len(data) > limit * MIB:
        raise TooBig(clean, len(data), limit)
    taken = [int(p.name) for p in batch.iterdir() if p.name.isdigit()]
    slot = batch / f"{max(taken, default=-1) + 1:03d}"
    slot.mkdir()
    path = slot / clean
    path.write_bytes(data)
    return Saved(clean, path, len(data))


def saved_files(batch: Path) -> list[Path]:
    """The batch's files, in upload order."""
    if not batch.is_dir():
        return []
    return sorted(p for slot in sorted(batch.iterdir()) if slot.is_dir() for p in slot.iterdir())


def remove(path: Path) -> None:
    """Remove one saved file (the user took it out of the picker) with its numbered folder."""
    slot = path.parent
    if slot.parent.parent.resolve() != uploads_root().resolve():
        raise ValueError(f"{path} is not an uploaded file")
    shutil.rmtree(slot, ignore_errors=True)


def check(paths: list[Path]) -> list[gate.FileReport]:
    """`ipgov check` on the files: the same gate, the same verdicts, nothing written."""
    return gate.check_paths(paths) if paths else []


def verdicts(reports: list[gate.FileReport], lang: str) -> pl.DataFrame:
    """One row per file: kind, rows read / valid / held back, verdict, a rejection's reason."""
    return pl.DataFrame(
        {
            "source_file": [r.path.name for r in reports],
            "kind": [r.kind or "-" for r in reports],
            "verdict": [r.verdict for r in reports],
            "rows_read": [r.rows_read for r in reports],
            "rows_valid": [r.rows_valid for r in reports],
            "rows_quarantined": [r.rows_quarantined for r in reports],
            "message": [(r.message_zh if lang == "zh" else r.message_en) or None for r in reports],
        },
        schema_overrides={"message": pl.String},
    )


def problems(reports: list[gate.FileReport], lang: str, first: int = 20) -> pl.DataFrame:
    """The first row problems of each file, personal data masked as in the check's report."""
    rows = [
        {
            "source_file": r.path.name,
            "source_row": p["source_row"],
            "column_name": p["column_name"],
            "raw_value": shown_value(p["raw_value"], p["is_pii"]),
            "rule": p["rule"],
            "message": p["message_zh"] if lang == "zh" else p["message_en"],
        }
        for r in reports
        for p in r.problems.head(first).iter_rows(named=True)
    ]
    schema = {c: pl.String for c in ("source_file", "column_name", "raw_value", "rule", "message")}
    return pl.DataFrame(rows, schema={**schema, "source_row": pl.Int64}).select(
        "source_file", "source_row", "column_name", "raw_value", "rule", "message"
    )


def publishable(reports: list[gate.FileReport]) -> bool:
    """Whether Publish has anything to load: at least one file the gate did not reject."""
    return any(r.verdict != "rejected" for r in reports)


def publish(
    batch: Path,
    db: Path | None = None,
    *,
    allow_revert: bool = False,
    on_file: Callable[[FileOutcome], None] | None = None,
    on_progress: OnProgress | None = None,
) -> LoadSummary:
    """Load the batch's files into the warehouse (a new snapshot), as `ipgov load` does
    (`--allow-revert` once the steward confirmed the reverts the preview named). IpgovError
    (e.g. a load already running) is the caller's to show."""
    return load(
        saved_files(batch),
        db or settings.db_path(),
        on_file=on_file,
        allow_revert=allow_revert,
        on_progress=on_progress,
    )


def outcomes(summary: LoadSummary, lang: str) -> pl.DataFrame:
    """One row per file of a load: what happened to it and why."""
    return pl.DataFrame(
        {
            "source_file": [f.path.name for f in summary.files],
            "load_status": [f.status for f in summary.files],
            "rows_read": [f.rows_read for f in summary.files],
            "rows_loaded": [f.rows_loaded for f in summary.files],
            "rows_quarantined": [f.rows_quarantined for f in summary.files],
            "message": [
                (f.message_zh if lang == "zh" else f.message) or None for f in summary.files
            ],
        },
        schema_overrides={"message": pl.String},
    )


def reverts(summary: LoadSummary) -> list[str]:
    """The files rejected because they would put records back to an older version."""
    return [
        f.path.name
        for f in summary.files
        if f.status == "rejected" and f.report is not None and f.report.reason_code == "revert"
    ]


def discard(batch: Path, db: Path | None = None) -> None:
    """Remove the batch's folder — only ever a folder under the uploads root."""
    root = uploads_root(db).resolve()
    target = batch.resolve()
    if target.parent != root:
        raise ValueError(f"{batch} is not an upload folder")
    shutil.rmtree(target, ignore_errors=True)


# --- What a publish would change (etl/preview) -------------------------------------------------


def preview(
    paths: list[Path],
    on_step: OnStep | None = None,
    db: Path | None = None,
    on_progress: OnProgress | None = None,
) -> Preview:
    """`ipgov check --db` on the files: the gate's verdicts and what publishing them would change
    in the warehouse, nothing written. Counted as a Publish with the reverts confirmed would
    load them: the page asks for that confirmation before it publishes such a batch."""
    return preview_batch(
        paths,
        db or settings.db_path(),
        allow_revert=True,
        on_step=on_step,
        on_progress=on_progress,
    )


def changes(result: Preview) -> pl.DataFrame:
    """One row per file: what publishing it would do, and to how many records."""
    return pl.DataFrame(
        {
            "source_file": [f.path.name for f in result.files],
            "kind": [f.kind or "-" for f in result.files],
            "publish_status": [f.status for f in result.files],
            "records_new": [f.new for f in result.files],
            "records_changed": [f.changed for f in result.files],
            "records_unchanged": [f.unchanged for f in result.files],
            "records_reverted": [f.reverts for f in result.files],
        },
        schema_overrides={c: pl.Int64 for c in ("records_new", "records_changed",
                                                 "records_unchanged", "records_reverted")},
    )  # fmt: skip


def kind_totals(result: Preview) -> pl.DataFrame:
    """One row per record kind: the files' counts added up (`ipgov check --json`'s
    preview.kinds)."""
    totals = result.totals()
    counts = ("records_new", "records_changed", "records_unchanged", "records_reverted")
    return pl.DataFrame(
        {"kind": list(totals), **{c: [row[c] for row in totals.values()] for c in counts}},
        schema={"kind": pl.String, **dict.fromkeys(counts, pl.Int64)},
    )


def changed_fields(
    result: Preview, lang: str, codes: Mapping[str, Mapping[str, str]]
) -> pl.DataFrame:
    """The first changed records of each file, one row per changed field: its label and the old
    and new value as the dashboard's tables show them (dashboard/display.py: code names, dates,
    money with its unit, "—" for none)."""
    rows = []
    for f in result.files:
        for i, change in enumerate(f.changes()):
            for name, _old, _new in change.fields:
                old = display.table_frame(f.before[i].select(name), lang, codes)
                new = display.table_frame(f.after[i].select(name), lang, codes)
                entry = column(name)
                rows.append(
                    {
                        "source_file": f.path.name,
                        "record_id": change.key,
                        "field_label": entry.header(lang) if entry else name,
                        "old_value": old.item(0, 0) if old.width else None,
                        "new_value": new.item(0, 0) if new.width else None,
                    }
                )
    columns = ("source_file", "record_id", "field_label", "old_value", "new_value")
    return pl.DataFrame(rows, schema=dict.fromkeys(columns, pl.String))


def reverted(result: Preview, lang: str) -> list[str]:
    """For each file that would put records back to an older version: the file and the
    records, as one line."""
    sep = "、" if lang == "zh" else ", "
    return [
        f"{f.path.name}{'：' if lang == 'zh' else ': '}{sep.join(f.reverted.keys)}"
        + (f" … (+{f.reverted.count - len(f.reverted.keys)})"
           if f.reverted.count > len(f.reverted.keys) else "")
        for f in result.files
        if f.reverted
    ]  # fmt: skip


# --- Abandoned uploads -------------------------------------------------------------------------


def last_touched(folder: Path) -> float:
    """The newest modification time of an upload folder and everything in it."""
    times = [folder.stat().st_mtime]
    for path in folder.rglob("*"):
        try:
            times.append(path.lstat().st_mtime)
        except FileNotFoundError:  # removed meanwhile by its own session
            continue
    return max(times)


def touch(batch: Path | None) -> None:
    """Mark the session's batch as in use, so no expiry (of this or another process) takes it."""
    if batch is not None and batch.is_dir():
        os.utime(batch)


def expire(
    db: Path | None = None, keep: Path | None = None, now: float | None = None
) -> list[Path]:
    """Remove the upload folders nobody touched for IPGOV_UPLOAD_EXPIRE_HOURS — a steward who
    closed the tab without Publish or Discard — never `keep` (the current session's batch).
    Returns the folders removed."""
    root = uploads_root(db)
    if not root.is_dir():
        return []
    hours = settings.current().upload_expire_hours
    limit = (now if now is not None else time.time()) - hours * 3600
    kept = keep.resolve() if keep else None
    removed = []
    for folder in sorted(root.iterdir()):
        if not folder.is_dir() or folder.is_symlink() or folder.resolve() == kept:
            continue
        try:
            old = last_touched(folder) < limit
        except FileNotFoundError:
            continue
        if old:
            shutil.rmtree(folder, ignore_errors=True)
            removed.append(folder)
    return removed
