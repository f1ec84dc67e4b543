"""A file's progress as words, in Chinese and English: the Upload page's bars
(dashboard/file_bars.py) and the `ipgov load` / `ipgov check` line say the same thing.

Pure (no Streamlit), so the CLI can use it.
"""

from __future__ import annotations

from dashboard import formats
from dashboard.i18n import t
from etl.progress import Progress

BYTE_STEPS = {"hash", "scan", "transcode"}  # measured in bytes read: exact, not estimated


def progress_label(progress: Progress, lang: str) -> str:
    """A file's progress bar text: the step, the file, the percentage and, when the file's size
    is known, the bytes it stands for — exact for a reading step, "about" for DuckDB's estimate
    (正在检查 takedowns.csv：42%（约 504 MB / 1.2 GB）)."""
    step = t(f"up_progress_{progress.step}", lang)
    if progress.fraction is None:
        return t("up_progress_unknown", lang, step=step, name=progress.name)
    percent = int(progress.fraction * 100)
    done, total = progress.bytes_done, progress.size_bytes
    if not done or total is None:  # nothing done yet: "0 B of 58 MB" says nothing more than 0%
        return t("up_progress_percent", lang, step=step, name=progress.name, percent=percent)
    key = "up_progress_bytes" if progress.step in BYTE_STEPS else "up_progress_estimate"
    return t(
        key,
        lang,
        step=step,
        name=progress.name,
        percent=percent,
        done=formats.size(done),
        total=formats.size(total),
    )
