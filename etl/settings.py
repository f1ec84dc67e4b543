"""Every setting ipgov reads from the environment, with safe defaults; only this reads os.environ.

Each setting is an `IPGOV_<NAME>` variable. `docs/settings.md` documents them (a test checks).
"""

from __future__ import annotations

import contextlib
import contextvars
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True)
class Setting:
    name: str
    default: str
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "db",
        "data/warehouse.duckdb",
        "Ingest warehouse file; snapshots, reports and the app database live beside it.",
    ),
    Setting("port", "8501", "Port `ipgov serve` listens on."),
    Setting(
        "load_memory_limit",
        "1GB",
        "Memory DuckDB may use during a load or check; beyond it, it spills to disk.",
    ),
    Setting("snapshot_keep", "3", "Published snapshots kept besides the current one."),
    Setting(
        "snapshot_grace_seconds",
        "600",
        "Older snapshots are deleted only after this long, so open readers finish first.",
    ),
    Setting(
        "sql_time_limit_seconds",
        "10",
        "SQL console: a query still running after this long is interrupted.",
    ),
    Setting("sql_max_rows", "10000", "SQL console: rows shown (more are cut, with a notice)."),
    Setting(
        "sql_export_max_rows",
        "1000000",
        "SQL console: rows written by a download or `ipgov sql --out` (XLSX: at most 1,048,575).",
    ),
    Setting(
        "sql_export_time_limit_seconds",
        "120",
        "SQL console: a download or `ipgov sql --out` still writing after this long is stopped.",
    ),
    Setting("sql_memory_limit", "1GB", "SQL console: memory one query may use (no spilling)."),
    Setting("sql_threads", "2", "SQL console: threads one query may use."),
    Setting(
        "chromium",
        "auto",
        "Browser for chart export (`ipgov brief`); auto: /usr/bin/chromium, else one on PATH.",
    ),
    Setting("district", "本区", "District name on the quarterly briefing's cover."),
    Setting(
        "target_takedown_within_2wd",
        "0.90",
        "Target share of takedown notices removed within 2 working days (the Overview's status).",
    ),
    Setting(
        "target_opinion_within_2wd",
        "0.95",
        "Target share of advisory opinions issued within 2 working days of accepting the case.",
    ),
    Setting(
        "target_watch_points",
        "5",
        "A share this many percentage points or less below its target shows amber, not red.",
    ),
    Setting(
        "attention_case_open_days",
        "90",
        "Open cases older than this many days are listed under the Overview's needs attention.",
    ),
)

# Values that win over the environment inside `overridden(...)`, per thread: how a command-line
# option such as `ipgov brief --db` reaches code that reads the setting deep down (the
# dashboard's query layer) without writing os.environ, which every thread would see.
_OVERRIDES: contextvars.ContextVar[dict[str, str] | None] = contextvars.ContextVar(
    "ipgov_setting_overrides", default=None
)


@contextlib.contextmanager
def overridden(**values: str) -> Iterator[None]:
    """Settings `values` win over IPGOV_* in this thread (and context) until the block ends."""
    known = {s.name for s in SETTINGS}
    for name in values:
        if name not in known:
            raise KeyError(name)
    token = _OVERRIDES.set((_OVERRIDES.get() or {}) | values)
    try:
        yield
    finally:
        _OVERRIDES.reset(token)


def get(name: str) -> str:
    """The value of setting `name`: an `overridden` value, else IPGOV_<NAME>, else its default."""
    for s in SETTINGS:
        if s.name == name:
            overrides = _OVERRIDES.get() or {}
            if name in overrides:
                return overrides[name]
            return os.environ.get(f"IPGOV_{name.upper()}", s.default)
    raise KeyError(name)


def db_path() -> Path:
    return Path(get("db"))


def quiet_libraries() -> None:
    """Environment for libraries imported lazily: Great Expectations must send no usage
    analytics from a government machine (STACK-NOTES.md). A value the operator set wins."""
    os.environ.setdefault("GX_ANALYTICS_ENABLED", "False")
