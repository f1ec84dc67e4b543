"""Which files are source files: the formats ipgov reads, and the files found under a folder."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from etl.errors import IpgovError

CSV_SUFFIXES = {".csv", ".txt", ".tsv"}
EXCEL_SUFFIXES = {".xlsx", ".xlsm"}
PARQUET_SUFFIXES = {".parquet", ".pq"}
SUFFIXES = CSV_SUFFIXES | EXCEL_SUFFIXES | PARQUET_SUFFIXES


def source_files(paths: Iterable[Path]) -> list[Path]:
    """Files named, plus supported files found below named folders, in a stable order.

    A file named explicitly is returned whatever its suffix, so the gate can reject it with a
    reason (`unsupported_type`) instead of it being skipped without a word."""
    found: list[Path] = []
    for path in paths:
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*") if p.suffix.lower() in SUFFIXES))
        elif path.is_file():
            found.append(path)
        else:
            raise IpgovError(f"{path}: no such file or folder")
    return found
