"""The SQL console, shared by `ipgov sql` and the dashboard's SQL page: beside the query core,
because it reads the published snapshot like every other part of the dashboard.

Analysts type their own SQL, so every run is bounded by two independent layers:

1. **The engine** (`session`, on `warehouse.open_sandbox`): a fresh in-memory DuckDB instance
   holding only the published snapshot, ATTACHed read-only; external access off; configuration
   locked; memory, thread and time limits (`limits`).
2. **The checks** (`guard`): DuckDB's own parser, exactly one statement of an allowed type, and
   the parsed tree checked against an allow-list of table functions and a deny-list of catalog
   objects that describe the server.

Each run and each download happens in a worker process (`worker`), started and watched by
`isolation`: past its memory cap or the time limit the worker is killed, so a runaway statement
ends only itself and the dashboard keeps serving everyone else.

Then one job per module: `convert` (values as each output holds them), `export` (downloads),
`writers` (one per file format, each within a byte budget), `target` (where `ipgov sql --out`
may write, through a temporary file), `catalog` (the schema browser), `starters` (the starter
queries), `refusal` (`SqlRefused`: one line saying what was refused and why, never a
traceback). See docs/sql.md.
"""

from __future__ import annotations

from dashboard.console.catalog import (
    EXAMPLE_ROWS,
    ColumnDoc,
    TableDoc,
    catalog,
    catalog_as_json,
)
from dashboard.console.export import (
    EXPORT_MAX_BYTES,
    FORMATS,
    MEDIA_TYPES,
    XLSX_MAX_ROWS,
    Export,
)
from dashboard.console.guard import (
    ALLOWED_KINDS,
    ALLOWED_TABLE_FUNCTIONS,
    DENIED_FUNCTIONS,
    DENIED_RELATIONS,
    MAX_SQL_CHARS,
    check_references,
    parse,
)
from dashboard.console.isolation import export, run, warm
from dashboard.console.limits import Limits
from dashboard.console.refusal import REFUSAL_CODES, SqlRefused
from dashboard.console.session import (
    BATCH_ROWS,
    DISPLAY_MAX_BYTES,
    ERROR_CATEGORIES,
    NUMERIC_TYPES,
    Result,
)
from dashboard.console.starters import StarterQuery, starter_queries

__all__ = [
    "ALLOWED_KINDS",
    "ALLOWED_TABLE_FUNCTIONS",
    "BATCH_ROWS",
    "DENIED_FUNCTIONS",
    "DENIED_RELATIONS",
    "DISPLAY_MAX_BYTES",
    "ERROR_CATEGORIES",
    "EXAMPLE_ROWS",
    "EXPORT_MAX_BYTES",
    "FORMATS",
    "MAX_SQL_CHARS",
    "MEDIA_TYPES",
    "NUMERIC_TYPES",
    "REFUSAL_CODES",
    "XLSX_MAX_ROWS",
    "ColumnDoc",
    "Export",
    "Limits",
    "Result",
    "SqlRefused",
    "StarterQuery",
    "TableDoc",
    "catalog",
    "catalog_as_json",
    "check_references",
    "export",
    "parse",
    "run",
    "starter_queries",
    "warm",
]
