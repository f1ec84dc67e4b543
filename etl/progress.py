"""Progress inside one file: how far reading, parsing, judging and inserting a big file have come,
for the Upload page's bars and `ipgov load` / `ipgov check`'s line (issue 13).

A 200 MB export spends seconds in one step; a bar per file and step shows it moving. The load
and check path carries one hook, `OnProgress`, that receives a `Progress` (file, step, fraction
or None, rows if known); without a hook (the default) nothing is measured, no thread starts and
no DuckDB setting changes. Every fraction is a real measure, never a guess:

- steps done in Python (the SHA-256, the CSV reading checks, a transcoded copy): bytes read of
  the file's size, reported per chunk (`FileProgress.reader`);
- a long DuckDB statement (parsing the cells, the suite, the insert into raw): DuckDB's own
  estimate, `query_progress()`, sampled every POLL_SECONDS by a thread while the statement runs
  (`FileProgress.statement`). DuckDB keeps that estimate only with `enable_progress_bar` on
  (and it draws its own bar on stdout unless `enable_progress_bar_print` is off), so both are
  set for the statement and switched back after; it answers -1 when it has no estimate, which
  is reported as None. `query_progress` reads counters without the connection's lock, so
  sampling from a second thread is safe; the thread is joined before the statement's result
  (or error) is returned, so it never outlives the statement nor touches a closed connection.

Fractions of a step only grow (DuckDB's estimate can step back between pipelines) and stay
below 1 until the step is done, when 1 is reported. The hook may be called from the poller or
the loader's read-ahead thread: it must be thread-safe. `Throttled` keeps a page from being
flooded: at most one update per file every THROTTLE_SECONDS, each a whole percent on.
"""

from __future__ import annotations

import contextlib
import math
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import duckdb

POLL_SECONDS = 0.05  # how often a running statement's progress is sampled
THROTTLE_SECONDS = 0.5  # at most one update per file this often (Throttled)
RUNNING_CAP = 0.99  # a step still running never reads as done
# The steps of one file, in the order they run (docs/operations.md, "Progress"):
# hash: SHA-256 of the file (bytes); scan: the CSV reading checks, or a transcoded copy
# (bytes); parse: the cells parsed into DuckDB; judge: the suite run over them; compare: the
# preview's comparison with the warehouse; insert: the good rows into raw (DuckDB's estimate);
# transcode: a GB18030 or UTF-16 CSV copied as UTF-8 (bytes), between scan and parse.
STEPS = ("hash", "scan", "transcode", "parse", "judge", "compare", "insert")


@dataclass(frozen=True)
class Progress:
    """One report: `fraction` of `step` done for the file at `path` (None: no estimate), the
    rows known so far (None when unknown) and the file's size, which bytes are a share of."""

    path: Path
    step: str
    fraction: float | None
    rows: int | None = None
    size_bytes: int | None = None

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def done(self) -> bool:
        return self.fraction is not None and self.fraction >= 1.0

    @property
    def bytes_done(self) -> int | None:
        """The bytes the fraction stands for: exact for a reading step, DuckDB's estimate else."""
        if self.fraction is None or self.size_bytes is None:
            return None
        return round(self.fraction * self.size_bytes)


OnProgress = Callable[[Progress], None]


class FileProgress:
    """The reports of one file: its hook (None: report nothing, measure nothing), its path and
    size, and the highest fraction each step reached (fractions never go back)."""

    def __init__(self, hook: OnProgress | None, path: Path) -> None:
        self.hook = hook
        self.path = path
        self.size: int | None = None
        if self.hook is not None:
            with contextlib.suppress(OSError):
                self.size = self.path.stat().st_size
        self._reached: dict[str, float] = {}
        self._lock = threading.Lock()

    @property
    def active(self) -> bool:
        return self.hook is not None

    def report(self, step: str, fraction: float | None, rows: int | None = None) -> None:
        """Tell the hook; a fraction below the step's highest so far is raised to it."""
        if self.hook is None:
            return
        with self._lock:
            if fraction is not None:
                fraction = max(0.0, min(1.0, fraction), self._reached.get(step, 0.0))
                self._reached[step] = fraction
        self.hook(Progress(self.path, step, fraction, rows, self.size))

    def done(self, step: str, rows: int | None = None) -> None:
        self.report(step, 1.0, rows)

    def restart(self, step: str) -> None:
        """The step runs again from the start (a CSV read the careful way after all): its
        fraction may go back to 0."""
        with self._lock:
            self._reached.pop(step, None)

    def reader(self, step: str, skip: int = 0) -> Callable[[int], None] | None:
        """A callback for a pass over the file: given the bytes read so far (after `skip`
        leading bytes), it reports them as a share of the file; None without a hook."""
        if self.hook is None:
            return None
        size = self.size or 0

        def read(count: int) -> None:
            whole = size - skip
            self.report(step, min(count / whole if whole > 0 else 1.0, RUNNING_CAP))

        return read

    @contextlib.contextmanager
    def statement(
        self, con: duckdb.DuckDBPyConnection, step: str, rows: int | None = None
    ) -> Iterator[None]:
        """Around one long statement on `con` (over `rows` rows, if known): DuckDB's estimate
        sampled in a thread while it runs, the step reported done if it succeeds. A failing
        statement raises as without progress; an error of the hook raises after the statement,
        never inside DuckDB."""
        if self.hook is None:
            yield
            return
        self.report(step, 0.0, rows)
        con.execute("set enable_progress_bar = true")
        con.execute("set enable_progress_bar_print = false")
        poller = _Poller(con, lambda f: self.report(step, f, rows))
        poller.start()
        try:
            yield
        finally:
            poller.finish()
            with contextlib.suppress(duckdb.Error):  # the connection may be gone with an error
                con.execute("set enable_progress_bar = false")
        poller.raise_error()
        self.done(step, rows)


class _Poller(threading.Thread):
    """Samples `con.query_progress()` every POLL_SECONDS until `finish`, reporting fractions."""

    def __init__(self, con: duckdb.DuckDBPyConnection, report: Callable[[float], None]) -> None:
        super().__init__(name="ipgov-progress", daemon=True)
        self._con = con
        self._report = report
        self._halt = threading.Event()
        self.error: BaseException | None = None

    def run(self) -> None:
        last = -1.0
        while not self._halt.wait(POLL_SECONDS):
            try:
                percent = self._con.query_progress()
            except duckdb.Error:
                return  # no running query to ask about any more
            if percent < 0 or percent == last:
                continue  # no estimate (yet), or no news
            last = percent
            try:
                self._report(min(percent / 100.0, RUNNING_CAP))
            except BaseException as e:  # the hook's bug: raised in the caller's thread
                self.error = e
                return

    def finish(self) -> None:
        self._halt.set()
        self.join()

    def raise_error(self) -> None:
        if self.error is not None:
            raise self.error


QUIET = FileProgress(None, Path())  # reports nothing: the default of every step's progress argument


def for_file(hook: OnProgress | None, path: Path) -> FileProgress:
    """The file's reports to `hook`, or QUIET without one."""
    return QUIET if hook is None else FileProgress(hook, path)


class Throttled:
    """A hook passed on at most every `seconds` per file, and only when the fraction moved by a
    whole percent; the first report of each step and a step done always pass (a page redraws a
    bar a few times a second at most, whatever the polling rate). Thread-safe."""

    def __init__(self, hook: OnProgress, seconds: float = THROTTLE_SECONDS) -> None:
        self.hook = hook
        self.seconds = seconds
        self._last: dict[Path, tuple[str, int, float]] = {}  # file → (step, percent, when)
        self._lock = threading.Lock()

    def __call__(self, progress: Progress) -> None:
        now = time.monotonic()
        percent = -1 if progress.fraction is None else math.floor(progress.fraction * 100)
        with self._lock:
            last = self._last.get(progress.path)
            new_step = last is None or last[0] != progress.step
            moved = last is not None and percent != last[1] and now - last[2] >= self.seconds
            if not (new_step or progress.done or moved):
                return
            self._last[progress.path] = (progress.step, percent, now)
        self.hook(progress)
