"""What the SQL page's downloads did, so the page can say that one was cut at the byte cap.

Streamlit builds a deferred download (`st.download_button(data=callable)`) in a worker thread when
the button is clicked, outside any script run, so the callable cannot write to the page or to
`st.session_state`. It records its outcome here instead; the click's rerun waits (briefly, in
the button's on_click callback) for the build it triggered to finish, then the page reads the
outcome. Streamlit-free, so it is tested without a browser.
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import OrderedDict
from collections.abc import Iterator
from dataclasses import dataclass, field

from dashboard import console
from etl.errors import IpgovError

Key = tuple[str, str, str]  # (snapshot, sql, format)
KEEP = 64  # outcomes remembered; one per (snapshot, query, format), the oldest forgotten first
START_GRACE_SECONDS = 5.0  # how long a click's rerun waits for its build to begin
# A build this much older than the click still counts as the click's: the browser may ask for
# the file before the rerun starts, and an earlier build of the same key wrote the same file.
EARLIER_SECONDS = 10.0


@dataclass
class Build:
    """One click's download: when it began, whether it finished, what it wrote or why not."""

    started: float
    done: threading.Event = field(default_factory=threading.Event)
    export: console.Export | None = None
    error: IpgovError | None = None


_builds: OrderedDict[Key, Build] = OrderedDict()
_changed = threading.Condition()


@contextlib.contextmanager
def building(key: Key) -> Iterator[Build]:
    """Register a build of `key` for the block; the caller sets its `export`. A refused or
    stopped build records why; a failed one is done too, so nobody waits for it."""
    build = Build(time.monotonic())
    with _changed:
        _builds[key] = build
        _builds.move_to_end(key)
        while len(_builds) > KEEP:
            _builds.popitem(last=False)
        _changed.notify_all()
    try:
        yield build
    except IpgovError as e:
        build.error = e
        raise
    finally:
        with _changed:
            build.done.set()
            _changed.notify_all()


def outcome(key: Key) -> Build | None:
    """The last finished build of `key` (None: none has finished)."""
    with _changed:
        build = _builds.get(key)
    return build if build is not None and build.done.is_set() else None


def wait(key: Key, since: float, timeout: float) -> Build | None:
    """Wait for the build a click at `since` (monotonic seconds) started to finish: at most
    START_GRACE_SECONDS for it to begin and `timeout` in all. The build, or None."""
    deadline = since + timeout
    with _changed:
        while True:
            build = _builds.get(key)
            now = time.monotonic()
            if build is not None and build.started >= since - EARLIER_SECONDS:
                break
            if now >= min(deadline, since + START_GRACE_SECONDS):
                return None
            _changed.wait(min(deadline, since + START_GRACE_SECONDS) - now)
    build.done.wait(max(deadline - time.monotonic(), 0))
    return build if build.done.is_set() else None
