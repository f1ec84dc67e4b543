"""The Upload page's work, without Streamlit: save a steward's files in a folder of their own,
judge them as `ipgov check` does, publish them with `etl.load.load`, or throw them away.

Kept out of the page so the page is layout only and this can be tested directly. An upload
is saved beside the warehouse (`<db folder>/uploads/<random id>/`), not in a system temp
folder: the loader reads the same disk, and a crash leaves the files where an operator looks.
Nothing here writes to the warehouse except `publish`; `check` is the gate's read-only check.
"""

from __future__ import annotations

import secrets
import shutil
from dataclasses import dataclass
from pathlib import Path

import polars as pl

from etl import gate, settings
from etl.errors import IpgovError
from etl.gate.pii import shown_value
from etl.load import LoadSummary, load
from etl.sources.files import SUFFIXES

UPLOADS = "uploads"
UPLOAD_TYPES = sorted(s.lstrip(".") for s in SUFFIXES)  # what the file picker offers
MIB = 1024 * 1024
STATUSES = ("loaded", "skipped", "rejected")  # a file's outcome in a load (FileOutcome.status)


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


def publish(batch: Path, db: Path | None = None) -> LoadSummary:
    """Load the batch's files into the warehouse (a new snapshot), as `ipgov load` does without
    --allow-revert. IpgovError (e.g. a load already running) is the caller's to show."""
    return load(saved_files(batch), db or settings.db_path())


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
