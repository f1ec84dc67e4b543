"""Where `ipgov sql --out FILE` may write, and how: never over what it did not write (issue 12).

A refused, failed or stopped query used to delete the `--out` target — the ingest warehouse,
`/dev/null` or a symlink included — and a successful one overwrote any file, the published
snapshot too. Now the target is checked before the query runs (and again just before the file
is put in place), the result is written to a temporary file beside the target, and only a
finished file is renamed onto it; on any failure only that temporary file is removed.
"""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import BinaryIO

from etl import settings, warehouse
from etl.errors import IpgovError

TEMP_SUFFIX = ".ipgov-tmp"
# The first bytes of the databases a result must never replace, whichever warehouse they are of.
_DUCKDB_MAGIC = (8, b"DUCK")
_SQLITE_MAGIC = (0, b"SQLite format 3\x00")


class TargetRefused(IpgovError):
    """`--out` names a file the export will not write; the message says which and why."""


def _real(path: Path) -> Path:
    """The path with its folder's symlinks resolved but not the last name's (that is checked
    with lstat: a symlink target is refused, never followed)."""
    return Path(os.path.realpath(path.parent)) / path.name


def _protected(paths: warehouse.WarehousePaths) -> list[tuple[Path, str, bool]]:
    """(path, what it is, whether everything inside it is protected too) for the warehouse's own
    files: the command's warehouse and, if different, the default one."""
    out = []
    for each in {paths.db, settings.db_path()}:
        p = warehouse.WarehousePaths(each)
        out += [
            (p.db, "the ingest warehouse", False),
            (Path(f"{p.db}.wal"), "the ingest warehouse's write-ahead log", False),
            (p.current_pointer, "the published snapshot's CURRENT pointer", False),
            (p.snapshots, "the published snapshots' folder", True),
            (p.app_db, "the dashboard's app database", False),
        ]
        out += [
            (Path(f"{p.app_db}{side}"), "the dashboard's app database", False)
            for side in ("-wal", "-shm", "-journal")
        ]
    return out


def _is_database(path: Path) -> str | None:
    try:
        with path.open("rb") as f:
            head = f.read(16)
    except OSError:
        return None
    for (offset, magic), kind in ((_DUCKDB_MAGIC, "DuckDB"), (_SQLITE_MAGIC, "SQLite")):
        if head[offset : offset + len(magic)] == magic:
            return kind
    return None


def check(path: Path, paths: warehouse.WarehousePaths, overwrite: bool) -> None:
    """Refuse (TargetRefused, one line) a target `--out` must not write; return if it may.

    Refused even with --overwrite: the warehouse's own files (ingest database and WAL, the
    snapshots folder and anything in it, CURRENT, the app database), any existing DuckDB or
    SQLite database, a symlink, a folder, a special file (FIFO, device — /dev/null —, socket),
    and a target whose folder does not exist (it is not created). An existing regular file only
    with --overwrite.
    """
    real = _real(path)
    for protected, what, inside in _protected(paths):
        mine = _real(protected)
        if real == mine or (inside and mine in real.parents):
            where = f"{what}" if real == mine else f"inside {what} ({protected})"
            raise TargetRefused(
                f"refused: {path} is {where}; ipgov sql --out never writes over the "
                "warehouse's own files — choose another file"
            )
        with contextlib.suppress(OSError):
            if os.path.samefile(path, protected):
                raise TargetRefused(
                    f"refused: {path} is {what} ({protected}); ipgov sql --out never writes "
                    "over the warehouse's own files — choose another file"
                )
    folder = path.parent
    if not os.path.lexists(folder):
        raise TargetRefused(
            f"refused: the folder {folder} does not exist; create it first (--out does not)"
        )
    if not folder.is_dir():
        raise TargetRefused(f"refused: {folder} is not a folder")
    try:
        mode = path.lstat().st_mode
    except FileNotFoundError:
        return
    if stat.S_ISLNK(mode):
        raise TargetRefused(
            f"refused: {path} is a symbolic link; --out does not follow links — give the "
            "real file's path"
        )
    if stat.S_ISDIR(mode):
        raise TargetRefused(f"refused: {path} is a folder; give a file name")
    if not stat.S_ISREG(mode):
        raise TargetRefused(
            f"refused: {path} is not a regular file (a device, FIFO or socket); --out writes "
            "only regular files"
        )
    database = _is_database(path)
    if database:
        raise TargetRefused(
            f"refused: {path} is a {database} database; ipgov sql --out never writes over a "
            "database — choose another file"
        )
    if not overwrite:
        raise TargetRefused(f"refused: {path} already exists; add --overwrite to replace it")


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


@contextlib.contextmanager
def replacing(path: Path, paths: warehouse.WarehousePaths, overwrite: bool) -> Iterator[BinaryIO]:
    """A temporary file beside `path` to write the result into; put in place only when the
    block finishes without an error, else removed (and `path` untouched).

    Checked before the block (so a refused target costs no query) and again before the rename:
    the query may have run for minutes while someone made the name a symlink or a file. Without
    --overwrite the file is put in place with a hard link, which fails if the name exists by
    then, instead of a rename, which would replace it.
    """
    check(path, paths, overwrite)
    try:
        fd, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=TEMP_SUFFIX)
    except OSError as e:
        raise IpgovError(warehouse.explain(e, path)) from None
    temp = Path(name)
    try:
        with os.fdopen(fd, "wb") as out:
            yield out
            out.flush()
            os.fsync(out.fileno())
        temp.chmod(0o666 & ~_umask())  # as an ordinary new file, not mkstemp's 0600
        check(path, paths, overwrite)
        _put_in_place(temp, path, overwrite)
    finally:
        temp.unlink(missing_ok=True)  # only ever the file this command created


def _put_in_place(temp: Path, path: Path, overwrite: bool) -> None:
    if overwrite:
        os.replace(temp, path)  # atomic; replaces the name, never writes into the old file
        return
    try:
        os.link(temp, path)
    except FileExistsError:
        raise TargetRefused(
            f"refused: {path} appeared while the query ran; add --overwrite to replace it"
        ) from None
    except OSError:  # a file system without hard links: check-then-rename is the best left
        if os.path.lexists(path):
            raise TargetRefused(
                f"refused: {path} appeared while the query ran; add --overwrite to replace it"
            ) from None
        os.replace(temp, path)
