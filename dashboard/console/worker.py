"""The console's worker process: runs one analyst's statement at a time, for the dashboard or
`ipgov sql`, so that a runaway statement can only end this process (issue 12).

dashboard/console/isolation.py starts it (`main(["FD", "MEMORY_MB"])`, FD being its end of a
socket pair) and watches it: its resident memory, the time limit, its exit. Here, each request
runs exactly as it would have in the dashboard's process
(`session.run`, `export.export`) and the answer goes back as JSON frames, plus the shown rows as
Arrow IPC bytes. Never pickle: a process that runs analysts' SQL must not be able to make the
dashboard run code by what it sends back.

Its own backstops, should the parent stop watching: an address-space limit (RLIMIT_AS), at which
allocations fail and DuckDB reports out of memory instead of growing further; and it ends itself
when the parent has gone (killed, crashed), even in the middle of a query.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import json
import os
import resource
import sys
import threading
import time
import traceback
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import pyarrow as pa

from dashboard.console import session
from dashboard.console.export import export as export_file
from dashboard.console.limits import ADDRESS_HEADROOM_MB, Limits
from dashboard.console.refusal import SqlRefused, first_line
from etl import warehouse
from etl.errors import DamagedSnapshotError, IpgovError, NoDataError

WORKER_NICENESS = 10  # what `nice` adds by default: below interactive work, not starved


def limit_address_space(memory_mb: int) -> None:
    """Allocations past memory_mb + headroom fail (DuckDB raises out-of-memory, Python
    MemoryError) even if the parent has stopped watching."""
    wanted = (memory_mb + ADDRESS_HEADROOM_MB) * 1024**2
    _, hard = resource.getrlimit(resource.RLIMIT_AS)
    if hard != resource.RLIM_INFINITY:
        wanted = min(wanted, hard)
    resource.setrlimit(resource.RLIMIT_AS, (wanted, hard))


def fewer_malloc_arenas() -> None:
    """glibc gives each thread its own 64 MB malloc arena; two are enough here (DuckDB's threads
    allocate through them too) and hold far less address space (`mallopt(M_ARENA_MAX, 2)`)."""
    libc = ctypes.util.find_library("c")
    if libc:
        with contextlib.suppress(OSError, AttributeError):
            ctypes.CDLL(libc).mallopt(-8, 2)  # M_ARENA_MAX


def leave_with_the_parent(every_seconds: float = 0.5) -> None:
    """End this process once its parent is gone: nobody would read the answer, and a query
    deaf to DuckDB's interrupt would otherwise run on unwatched."""
    parent = os.getppid()

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(every_seconds)
        os._exit(1)

    threading.Thread(target=watch, name="ipgov-parent-watch", daemon=True).start()


def _frame(data: dict[str, Any]) -> bytes:
    return json.dumps(data, default=str).encode("utf-8")


def _table_bytes(table: pa.Table) -> pa.Buffer:
    sink = pa.BufferOutputStream()
    with pa.ipc.new_stream(sink, table.schema) as writer:
        writer.write_table(table)
    return sink.getvalue()


def answer(request: dict[str, Any]) -> list[bytes | pa.Buffer]:
    """The frames that answer one request: a JSON header, then for a run the rows as Arrow IPC."""
    paths = warehouse.WarehousePaths(Path(request["db"]))
    limits = Limits(**request["limits"])
    snapshot = request.get("snapshot")
    try:
        if request["op"] == "run":
            result = session.run(paths, request["sql"], limits, snapshot)
            head = {
                "snapshot": result.snapshot,
                "types": result.types,
                "truncated": result.truncated,
                "limit_rows": result.limit_rows,
            }
            return [_frame({"ok": "run", **head}), _table_bytes(result.table)]
        if request["op"] == "export":
            done = export_file(
                paths,
                request["sql"],
                request["format"],
                Path(request["path"]),
                limits,
                snapshot,
                max_bytes=int(request["max_bytes"]),
            )
            head = {
                "rows": done.rows,
                "truncated": done.truncated,
                "limit_rows": done.limit_rows,
                "bytes": done.bytes,
                "cut_by": done.cut_by,
                "limit_bytes": done.limit_bytes,
                "passes": done.passes,
            }
            return [_frame({"ok": "export", **head})]
        raise ValueError(f"unknown request {request['op']!r}")
    except SqlRefused as e:
        return [_frame({"refused": {"code": e.code, "message": str(e), "values": e.values}})]
    except MemoryError:
        refusal = session.memory_refusal(limits.memory_limit)
        return [_frame({"refused": {"code": refusal.code, "message": str(refusal), "values": {}}})]
    except DamagedSnapshotError as e:
        error = {"type": "damaged", "message": str(e), "path": e.path, "kind": e.kind}
        return [_frame({"error": error})]
    except NoDataError as e:
        return [_frame({"error": {"type": "no_data", "message": str(e)}})]
    except IpgovError as e:
        return [_frame({"error": {"type": "user", "message": str(e)}})]
    except Exception as e:  # a bug: its traceback goes to the server's log, one line to the user
        traceback.print_exc(file=sys.stderr)
        return [
            _frame({"error": {"type": "bug", "message": f"{type(e).__name__}: {first_line(e)}"}})
        ]


def yield_the_cpu(niceness: int = WORKER_NICENESS) -> None:
    """Run below the dashboard's priority: on a small server an analyst's query that takes
    every core to its time limit must not slow other people's pages (the scheduler gives the
    serving process the cores first; the query still gets whatever is idle)."""
    with contextlib.suppress(OSError):
        os.nice(niceness)


def serve(conn: Connection) -> None:
    """Answer requests until the parent closes its end (or is gone)."""
    while True:
        try:
            request = json.loads(conn.recv_bytes())
        except (EOFError, OSError):
            return
        try:
            for frame in answer(request):
                conn.send_bytes(frame)
        except OSError:  # the parent has gone (or killed this request's wait)
            return


def main(argv: list[str]) -> int:
    fd, memory_mb = int(argv[0]), int(argv[1])
    fewer_malloc_arenas()
    yield_the_cpu()
    limit_address_space(memory_mb)
    leave_with_the_parent()
    serve(Connection(fd))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
