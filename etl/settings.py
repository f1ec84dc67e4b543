"""Every setting ipgov reads from the environment, with safe defaults; only this reads os.environ.

Each setting is an `IPGOV_<NAME>` variable. `docs/settings.md` documents them (a test checks).
"""

from __future__ import annotations

import os
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
    Setting("snapshot_keep", "3", "Published snapshots kept besides the current one."),
    Setting(
        "snapshot_grace_seconds",
        "600",
        "Older snapshots are deleted only after this long, so open readers finish first.",
    ),
)


def get(name: str) -> str:
    """The value of setting `name`: IPGOV_<NAME> if set, else its default."""
    for s in SETTINGS:
        if s.name == name:
            return os.environ.get(f"IPGOV_{name.upper()}", s.default)
    raise KeyError(name)


def db_path() -> Path:
    return Path(get("db"))
