"""Every console run in a worker process of its own, so that no statement can take the server
down (issue 12).

DuckDB's memory limit covers its buffer manager, not every allocation: `select range(100000000)`
or `select repeat('x', 1000000000)` build one huge value per row outside it, past the limit and
past the time limit too (the interrupt is checked between vectors, not inside one value). Run in
the dashboard's process, such a statement grew it by gigabytes until it was killed from outside.
So the statement runs in a worker (dashboard/console/worker.py) and this module, in the
dashboard's (or the CLI's) process, waits for its answer while watching it:

- **memory**: the worker's resident memory is read every POLL_SECONDS; past
  IPGOV_SQL_PROCESS_MEMORY_MB it is killed and the run answers "stopped: … memory". (The worker
  also caps its own address space, a backstop should this watch stop.)
- **time**: the worker's watchdog interrupts DuckDB at the time limit; if the worker has not
  answered GRACE_SECONDS later, it is killed and the run answers "stopped after N s".
- **exit**: a worker that dies (a crash inside DuckDB) is one line, never a traceback.
- **bytes**: the answer is at most MAX_REPLY_BYTES of Arrow IPC (the shown rows are capped at
  DISPLAY_MAX_BYTES in the worker); a download is a file the worker writes, copied to its sink.

Waiting is a `poll` on a socket, which holds neither the GIL nor a lock, so other sessions' pages
keep being served while a query runs. Workers are kept warm between runs (starting one costs about
half a second of imports; a run in a warm worker costs a few milliseconds more than in-process),
at most IPGOV_SQL_WORKERS at once: one more run waits for a free worker up to the time limit.
"""

from __future__ import annotations

import atexit
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import asdict, dataclass, field
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any, BinaryIO

import pyarrow as pa

from dashboard.console.export import EXPORT_MAX_BYTES, Export
from dashboard.console.guard import parse
from dashboard.console.limits import ADDRESS_HEADROOM_MB, Limits
from dashboard.console.refusal import REFUSAL_CODES, SqlRefused
from dashboard.console.session import DISPLAY_MAX_BYTES, Result, memory_refusal
from dashboard.console.target import replacing
from etl import warehouse
from etl.errors import DamagedSnapshotError, IpgovError, NoDataError

POLL_SECONDS = 0.02  # how often the worker's memory is read while it runs
GRACE_SECONDS = 2.0  # after the time limit, for the worker's own watchdog to answer first
IDLE_WORKERS = 2  # warm workers kept between runs
# A worker is replaced after this many runs, after a run stopped for memory, or when a run
# leaves it holding half its memory cap or half its spare address space (glibc keeps what a
# big query mapped: reused, it would refuse the next query for memory it never uses).
RETIRE_AFTER_RUNS = 500
RETIRE_SHARE = 0.5
_MEMORY_CODES = frozenset({"memory_limit", "too_large"})
MAX_HEADER_BYTES = 1024**2
MAX_REPLY_BYTES = 2 * DISPLAY_MAX_BYTES  # the shown rows as Arrow IPC, with room for metadata
# The worker's program: dashboard/console/worker.py of this very dashboard package, whatever the
# working directory or PYTHONPATH (the environment is passed on unchanged).
_WORKER_MAIN = (
    f"import sys; sys.path.insert(0, {str(Path(__file__).resolve().parents[2])!r}); "
    "from dashboard.console.worker import main; sys.exit(main(sys.argv[1:]))"
)
_PAGE_BYTES = os.sysconf("SC_PAGE_SIZE")


@dataclass
class Worker:
    """One worker process and the parent's end of its socket."""

    process: subprocess.Popen
    conn: Connection
    cap_mb: int  # its IPGOV_SQL_PROCESS_MEMORY_MB (its address-space limit is set from it)
    runs: int = 0

    @classmethod
    def start(cls, memory_mb: int) -> Worker:
        ours, theirs = socket.socketpair()
        command = [sys.executable, "-c", _WORKER_MAIN, str(theirs.fileno()), str(memory_mb)]
        try:
            process = subprocess.Popen(
                command,
                pass_fds=[theirs.fileno()],
                stdin=subprocess.DEVNULL,
                stdout=subprocess.DEVNULL,  # never into the CLI's own output (CSV to stdout)
                start_new_session=True,  # Ctrl-C reaches the CLI, which kills its worker
            )
        except OSError as e:
            ours.close()
            raise IpgovError(f"cannot start the SQL console's worker process: {e}") from e
        finally:
            theirs.close()
        return cls(process, Connection(ours.detach()), memory_mb)

    def usage_mb(self) -> tuple[float, float] | None:
        """(address space, resident memory) now, or None once the process is gone."""
        try:
            with open(f"/proc/{self.process.pid}/statm", "rb") as statm:
                size, resident = statm.read().split()[:2]
        except (OSError, ValueError):
            return None
        return int(size) * _PAGE_BYTES / 1024**2, int(resident) * _PAGE_BYTES / 1024**2

    def rss_mb(self) -> float | None:
        """Resident memory now, or None once the process is gone."""
        memory = self.usage_mb()
        return None if memory is None else memory[1]

    def worn(self, limits: Limits, reply: dict[str, Any]) -> bool:
        """Whether to replace this worker rather than keep it warm (RETIRE_*)."""
        memory = self.usage_mb()
        if memory is None or self.runs >= RETIRE_AFTER_RUNS:
            return True
        if reply.get("refused", {}).get("code") in _MEMORY_CODES:
            return True
        size, resident = memory
        return (
            resident > RETIRE_SHARE * limits.process_memory_mb
            or size > limits.process_memory_mb + RETIRE_SHARE * ADDRESS_HEADROOM_MB
        )

    def alive(self) -> bool:
        return self.process.poll() is None

    def close(self) -> None:
        """End the process (idle or mid-query: nothing it holds is worth waiting for)."""
        self.conn.close()
        if self.alive():
            self.process.kill()
        self.process.wait()


@dataclass
class Pool:
    """Warm workers, and how many runs hold one now."""

    idle: list[Worker] = field(default_factory=list)
    busy: int = 0
    changed: threading.Condition = field(default_factory=threading.Condition)

    def acquire(self, limits: Limits, wait_seconds: float) -> Worker:
        deadline = time.monotonic() + wait_seconds
        stale: list[Worker] = []
        with self.changed:
            while self.busy >= limits.workers:
                if not self.changed.wait(deadline - time.monotonic()):
                    raise SqlRefused(
                        "busy",
                        f"not run: {self.busy} console queries are already running "
                        "(IPGOV_SQL_WORKERS) — try again in a moment",
                        count=self.busy,
                    )
            self.busy += 1
            worker = None
            while self.idle and worker is None:
                candidate = self.idle.pop()
                if candidate.alive() and candidate.cap_mb == limits.process_memory_mb:
                    worker = candidate
                else:
                    stale.append(candidate)
        for old in stale:
            old.close()
        if worker is not None:
            return worker
        try:
            return Worker.start(limits.process_memory_mb)
        except BaseException:
            self.release(None)
            raise

    def release(self, worker: Worker | None, reusable: bool = False) -> None:
        with self.changed:
            self.busy -= 1
            if worker is not None and reusable and len(self.idle) < IDLE_WORKERS:
                self.idle.append(worker)
                worker = None
            self.changed.notify()
        if worker is not None:
            worker.close()

    def warm(self, limits: Limits) -> None:
        """Start a worker now if none is waiting, so the next run does not pay for the start."""
        with self.changed:
            if self.idle or self.busy >= limits.workers:
                return
            self.busy += 1
        try:
            worker = Worker.start(limits.process_memory_mb)
        except IpgovError:
            self.release(None)
            return
        self.release(worker, reusable=True)

    def close(self) -> None:
        with self.changed:
            idle, self.idle = self.idle, []
        for worker in idle:
            worker.close()


_POOL = Pool()
atexit.register(_POOL.close)


def warm(limits: Limits | None = None) -> None:
    """Have a worker ready (the SQL page calls this when it is shown)."""
    _POOL.warm(limits or Limits.from_settings())


def _refusal(reply: dict[str, Any]) -> IpgovError:
    """The worker's refusal or error as the exception the caller would have seen in-process."""
    if "refused" in reply:
        refused = reply["refused"]
        code = refused.get("code") if refused.get("code") in REFUSAL_CODES else "error"
        return SqlRefused(code, str(refused.get("message", "")), **dict(refused.get("values", {})))
    error = reply.get("error", {})
    message = str(error.get("message", "the console's worker gave no answer"))
    kind = error.get("type")
    if kind == "damaged":
        return DamagedSnapshotError(error.get("path", ""), error.get("kind", "damaged"), message)
    if kind == "no_data":
        return NoDataError(message)
    if kind == "user":
        return IpgovError(message)
    return SqlRefused(
        "error", f"the query could not be run: {message}", detail=message, category="other"
    )


def _stopped_by_time(seconds: float) -> SqlRefused:
    return SqlRefused(
        "time_limit", f"stopped after {seconds:g} s (time limit)", seconds=f"{seconds:g}"
    )


def _stopped_by_memory(limits: Limits) -> SqlRefused:
    return memory_refusal(f"{limits.process_memory_mb} MB")


def _ended(worker: Worker) -> SqlRefused:
    try:
        code = worker.process.wait(5)
    except subprocess.TimeoutExpired:  # its socket broke but it lives on: end it
        worker.close()
        code = worker.process.returncode
    how = f"signal {-code}" if code < 0 else f"exit status {code}"
    return SqlRefused(
        "crashed",
        f"stopped: the process running the query ended unexpectedly ({how}) — the dashboard "
        "is unaffected; simplify the query",
        detail=how,
    )


def _wait(worker: Worker, limits: Limits, seconds: float) -> dict[str, Any]:
    """The worker's answer header, watching its memory and the time until it comes."""
    deadline = time.monotonic() + seconds + GRACE_SECONDS
    while not worker.conn.poll(POLL_SECONDS):
        rss = worker.rss_mb()
        if rss is None or not worker.alive():
            raise _ended(worker)
        if rss > limits.process_memory_mb:
            worker.close()
            raise _stopped_by_memory(limits)
        if time.monotonic() > deadline:
            worker.close()
            raise _stopped_by_time(seconds)
    return json.loads(_receive(worker, MAX_HEADER_BYTES))


def _ends_soon(worker: Worker, seconds: float = 0.5) -> bool:
    """Whether a worker whose socket just broke is ending: killed (the OOM killer, a crash), it
    closes its end a moment before the kernel reports it gone — not a result too large."""
    try:
        worker.process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        return False
    return True


def _receive(worker: Worker, max_bytes: int) -> bytes:
    """One frame of the worker's answer, refused past `max_bytes` (a bound on what a worker
    can make this process hold; the shown rows are capped well below it in the worker)."""
    try:
        return worker.conn.recv_bytes(max_bytes)
    except EOFError:
        raise _ended(worker) from None
    except OSError:  # longer than max_bytes, or the socket broke
        if not worker.alive() or _ends_soon(worker):
            raise _ended(worker) from None
        worker.close()
        raise SqlRefused(
            "too_large",
            f"stopped: the result is larger than the {max_bytes / 1024**2:g} MB the console "
            "takes back from a query — select fewer rows or columns",
        ) from None


def _call(
    request: dict[str, Any], limits: Limits, seconds: float, payload: bool
) -> tuple[dict[str, Any], bytes | None]:
    """Send one request to a worker; its answer header (and the payload frame, if asked)."""
    worker = _POOL.acquire(limits, limits.time_limit_seconds)
    reusable = False
    try:
        try:
            worker.conn.send_bytes(json.dumps(request).encode("utf-8"))
        except OSError:  # it died while idle: one fresh start
            worker.close()
            worker = Worker.start(limits.process_memory_mb)
            worker.conn.send_bytes(json.dumps(request).encode("utf-8"))
        reply = _wait(worker, limits, seconds)
        data = None
        if payload and "ok" in reply:
            data = _receive(worker, MAX_REPLY_BYTES)
        worker.runs += 1
        reusable = not worker.worn(limits, reply)
        return reply, data
    finally:
        _POOL.release(worker, reusable)


def _request(
    op: str, paths: warehouse.WarehousePaths, sql: str, limits: Limits, snapshot: str | None
) -> dict[str, Any]:
    return {
        "op": op,
        "db": str(paths.db.absolute()),
        "sql": sql,
        "limits": asdict(limits),
        "snapshot": snapshot,
    }


def run(
    paths: warehouse.WarehousePaths,
    sql: str,
    limits: Limits | None = None,
    snapshot: str | None = None,
) -> Result:
    """`session.run` in a worker: the shown rows (at most `max_rows`) or one-line `SqlRefused`.

    The statement is parsed here first (pure and bounded), so a refused one costs no worker.
    """
    limits = limits or Limits.from_settings()
    started = time.perf_counter()
    parse(sql)
    reply, data = _call(
        _request("run", paths, sql, limits, snapshot), limits, limits.time_limit_seconds, True
    )
    if "ok" not in reply or data is None:
        raise _refusal(reply)
    table = pa.ipc.open_stream(data).read_all()
    return Result(
        reply["snapshot"],
        sql,
        table,
        list(reply["types"]),
        bool(reply["truncated"]),
        time.perf_counter() - started,
        int(reply["limit_rows"]),
    )


def export(
    paths: warehouse.WarehousePaths,
    sql: str,
    fmt: str,
    sink: Path | BinaryIO,
    limits: Limits | None = None,
    snapshot: str | None = None,
    *,
    max_bytes: int = EXPORT_MAX_BYTES,
    overwrite: bool = False,
) -> Export:
    """`export.export` in a worker: the worker writes the file into a private temporary folder
    and it is copied into the sink once the export has finished, so a worker stopped mid-way
    leaves nothing behind. A `Path` sink is checked and written here, in this process, through
    a temporary file beside it (console/target.py: never the warehouse's own files, a link, a
    device, or an existing file without `overwrite`), so a refused, failed or killed export
    leaves the path as it was."""
    limits = limits or Limits.from_settings()
    if isinstance(sink, Path):
        with replacing(sink, paths, overwrite) as out:
            return export(paths, sql, fmt, out, limits, snapshot, max_bytes=max_bytes)
    started = time.perf_counter()
    parse(sql)
    seconds = limits.export_time_limit_seconds
    with tempfile.TemporaryDirectory(prefix="ipgov-sql-") as folder:
        written = Path(folder) / f"result.{fmt}"
        request = _request("export", paths, sql, limits, snapshot)
        reply, _ = _call(
            request | {"format": fmt, "path": str(written), "max_bytes": max_bytes},
            limits,
            seconds,
            False,
        )
        if "ok" in reply:
            with written.open("rb") as data:
                shutil.copyfileobj(data, sink, 1024**2)
    if "ok" not in reply:
        raise _refusal(reply)
    return Export(
        fmt,
        int(reply["rows"]),
        bool(reply["truncated"]),
        time.perf_counter() - started,
        int(reply["limit_rows"]),
        bytes=int(reply["bytes"]),
        cut_by=str(reply["cut_by"]),
        limit_bytes=int(reply["limit_bytes"]),
        passes=int(reply["passes"]),
    )
