"""One Streamlit progress bar per file, fed by the loader's progress hook (etl/progress.py).

The hook is called from threads Streamlit did not start — the thread sampling DuckDB's estimate,
the loader's read-ahead thread — and Streamlit drops what a thread without the script's run
context draws. So the bars are drawn in the script's thread before the work starts, and a
report from another thread first attaches that thread to the script's context, then updates its
file's bar under a lock. Reports pass through `Throttled`: a 1 GB file redraws its bar at most
twice a second, each time a whole percent further, whatever the polling rate.
"""

from __future__ import annotations

import threading
from pathlib import Path

import streamlit as st
from streamlit.runtime.scriptrunner import add_script_run_ctx, get_script_run_ctx

from dashboard.i18n import t
from dashboard.progress_text import progress_label
from etl.progress import Progress, Throttled


class FileBars:
    """A bar per file in the current container; `hook` is what the loader is given."""

    def __init__(self, paths: list[Path], lang: str) -> None:
        self.lang = lang
        self.updates = 0  # bars redrawn from reports (after throttling)
        self._ctx = get_script_run_ctx()
        self._lock = threading.Lock()
        self._value: dict[Path, float] = {}
        self._bars = {
            path: st.progress(0.0, text=t("up_progress_waiting", lang, name=path.name))
            for path in paths
        }
        self.hook = Throttled(self._show)

    def _show(self, progress: Progress) -> None:
        bar = self._bars.get(progress.path)
        if bar is None:
            return
        if self._ctx is not None and get_script_run_ctx(suppress_warning=True) is None:
            add_script_run_ctx(threading.current_thread(), self._ctx)
        with self._lock:
            value = self._value.get(progress.path, 0.0)
            if progress.fraction is not None:
                value = progress.fraction
            self._value[progress.path] = value
            bar.progress(value, text=progress_label(progress, self.lang))
            self.updates += 1

    def finish(self) -> None:
        """Every bar full and said done (in the script's thread, after the work)."""
        with self._lock:
            for path, bar in self._bars.items():
                bar.progress(1.0, text=t("up_progress_done", self.lang, name=path.name))
