"""One read-only connection per published snapshot for the whole process.

Opening a DuckDB file costs more than most dashboard queries, so every reader in the process
(pages, briefing, CLI) shares one connection per (warehouse, snapshot) and takes a cursor per
query (cursors are safe across threads). A new snapshot is a new key; the oldest connection is
dropped beyond MAX_OPEN but not closed, because another thread may still be reading through a
cursor of it: DuckDB closes it when its last cursor goes, which also keeps a pruned snapshot file
readable until then.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from pathlib import Path

import duckdb

from etl import warehouse

MAX_OPEN = 4  # snapshots a process reads at once: the current one and a few just replaced

_lock = threading.Lock()
_open: OrderedDict[tuple[str, str], duckdb.DuckDBPyConnection] = OrderedDict()


def reader(db: str, snapshot: str) -> duckdb.DuckDBPyConnection:
    """The shared read-only connection to snapshot `snapshot` of warehouse `db`."""
    key = (db, snapshot)
    with _lock:  # opened under the lock: two threads asking at once must not open it twice
        con = _open.get(key)
        if con is None:
            con = warehouse.open_snapshot(warehouse.WarehousePaths(Path(db)), snapshot)
            _open[key] = con
            while len(_open) > MAX_OPEN:
                _open.popitem(last=False)
        else:
            _open.move_to_end(key)
        return con
