"""What one console run may use (time, rows shown and exported, memory, threads), from the
IPGOV_SQL_* settings: the session applies them, the page shows them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from etl import settings
from etl.errors import IpgovError


@dataclass(frozen=True)
class Limits:
    """What one run may use; defaults from the IPGOV_SQL_* settings."""

    time_limit_seconds: float = 10.0
    max_rows: int = 10_000
    export_max_rows: int = 1_000_000
    export_time_limit_seconds: float = 120.0
    memory_limit: str = "1GB"
    threads: int = 2

    @classmethod
    def from_settings(cls) -> Limits:
        def number(name: str, kind: Callable[[str], float]) -> Any:
            raw = settings.get(name)
            try:
                value = kind(raw)
            except ValueError:
                value = 0
            if value <= 0:
                raise IpgovError(f"IPGOV_{name.upper()}={raw!r} must be a positive number")
            return value

        return cls(
            time_limit_seconds=number("sql_time_limit_seconds", float),
            max_rows=number("sql_max_rows", int),
            export_max_rows=number("sql_export_max_rows", int),
            export_time_limit_seconds=number("sql_export_time_limit_seconds", float),
            memory_limit=settings.get("sql_memory_limit"),
            threads=number("sql_threads", int),
        )
