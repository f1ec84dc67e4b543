"""The data-quality gate: every source file judged by its kind's committed suite, in DuckDB.

Files come from clerks' exports and other agencies' spreadsheets, so the gate decides what enters
the warehouse and tells a person exactly what to fix (docs/quality.md). File-level faults are
found by the reader (etl/sources/) and reject the whole file; row-level rules are one Great
Expectations suite per kind (`expectations/<kind>.json`, etl/gate/suites.py) executed as SQL by
one engine (etl/gate/engine.py) for every file, whatever its size or format. A bad row goes to
quarantine with file, row, column, rule, value and a message in Chinese and English
(etl/gate/report.py); the good rows load. GX renders the data docs and is the oracle a parity
test holds the engine to (etl/gate/oracle.py).

    rules ─► suites ─► engine ─► report ─► judge (Gate)     codes, pii: shared by them
                          oracle (GX): data docs, parity
"""

from etl.gate.judge import Gate, check_paths
from etl.gate.report import FileReport, report_json

__all__ = ["FileReport", "Gate", "check_paths", "report_json"]
