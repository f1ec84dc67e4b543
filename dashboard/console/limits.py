"""What one console run may use (time, rows shown and exported, memory, threads, the worker
process, bytes of a download), from the IPGOV_SQL_* and IPGOV_DOWNLOAD_MAX_MB settings: the
session and the worker pool apply them, the page shows them."""

from __future__ import annotations

from dataclasses import dataclass

from etl import settings

# Address space a console worker may reserve beyond its memory cap: DuckDB, Arrow and glibc map
# about 1.5 to 2.5 GB (VmSize) for 150 MB resident (VmRSS) once a query has run, so a limit at the
# cap itself would refuse ordinary queries. Resident memory, watched by the parent, is the cap.
ADDRESS_HEADROOM_MB = 3072


@dataclass(frozen=True)
class Limits:
    """What one run may use; defaults from the IPGOV_SQL_* settings."""

    time_limit_seconds: float = 10.0
    max_rows: int = 10_000
    export_max_rows: int = 1_000_000
    export_time_limit_seconds: float = 120.0
    memory_limit: str = "1GB"
    threads: int = 2
    download_max_bytes: int = 100 * 1024**2  # the page's downloads, held in the server's memory
    process_memory_mb: int = 2048
    workers: int = 4

    @classmethod
    def from_settings(cls) -> Limits:
        s = settings.current()  # SettingError for a value that is not a positive number
        return cls(
            time_limit_seconds=s.sql_time_limit_seconds,
            max_rows=s.sql_max_rows,
            export_max_rows=s.sql_export_max_rows,
            export_time_limit_seconds=s.sql_export_time_limit_seconds,
            memory_limit=s.sql_memory_limit,
            threads=s.sql_threads,
            download_max_bytes=s.download_max_mb * 1024**2,
            process_memory_mb=s.sql_process_memory_mb,
            workers=s.sql_workers,
        )
