"""The schema browser's catalogue: every table, view and table macro of the snapshot with its
columns, types, meanings (the comments set from the mart SQL, in English, and their Chinese from
the same files: etl/transform.docs_zh) and a few example values."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import duckdb
import pyarrow as pa

from dashboard.console.convert import value_text
from dashboard.console.limits import Limits
from dashboard.console.session import Watchdog, open_session, refusal_of
from etl import transform, warehouse

EXAMPLE_ROWS = 1_000  # rows read per table for the schema browser's example values


@dataclass(frozen=True)
class ColumnDoc:
    name: str
    type: str
    comment: str
    examples: list[str]
    comment_zh: str = ""

    def meaning(self, lang: str) -> str:
        """The meaning in the reader's language (English where a column has no Chinese)."""
        return self.comment_zh if lang == "zh" and self.comment_zh else self.comment


@dataclass(frozen=True)
class TableDoc:
    """One table, view or table macro of the snapshot, as the schema browser shows it."""

    name: str
    kind: str  # table | view | macro
    comment: str
    columns: list[ColumnDoc] = field(default_factory=list)
    parameters: list[str] = field(default_factory=list)
    rows: int | None = None
    comment_zh: str = ""

    def meaning(self, lang: str) -> str:
        """The description in the reader's language (English where there is no Chinese)."""
        return self.comment_zh if lang == "zh" and self.comment_zh else self.comment


def _examples(column: pa.ChunkedArray, count: int) -> list[str]:
    seen: list[str] = []
    for value in column.to_pylist():
        text = value_text(value) if not isinstance(value, str) else value
        if text is None or text in seen:
            continue
        seen.append(text if len(text) <= 40 else text[:39] + "…")
        if len(seen) == count:
            break
    return seen


def catalog(
    paths: warehouse.WarehousePaths,
    examples: int = 3,
    limits: Limits | None = None,
    snapshot: str | None = None,
) -> tuple[str, list[TableDoc]]:
    """Every table, view and table macro of the snapshot with its columns, their types, their
    meaning (the comments set from the mart SQL) and a few example values (from at most
    EXAMPLE_ROWS rows per table)."""
    limits = limits or Limits.from_settings()
    db = warehouse.SANDBOX_DATABASE
    with open_session(paths, limits, snapshot) as (snapshot_id, con):
        objects = con.execute(
            "select table_name, 'table', coalesce(comment, ''), estimated_size "
            "from duckdb_tables() where database_name = ? and not internal "
            "union all select view_name, 'view', coalesce(comment, ''), null "
            "from duckdb_views() where database_name = ? and not internal order by 1",
            [db, db],
        ).fetchall()
        columns = con.execute(
            "select table_name, column_name, data_type, coalesce(comment, '') "
            "from duckdb_columns() where database_name = ? order by table_name, column_index",
            [db],
        ).fetchall()
        macros = con.execute(
            "select function_name, parameters from duckdb_functions() "
            "where database_name = ? and not internal and function_type = 'table_macro' "
            "order by 1",
            [db],
        ).fetchall()
        docs = []
        chinese = transform.docs_zh()
        with Watchdog(con, limits.time_limit_seconds) as watchdog:
            for name, kind, comment, rows in objects:
                quoted = '"' + name.replace('"', '""') + '"'
                try:
                    sample = con.sql(
                        f"select * from {quoted} limit {EXAMPLE_ROWS}"
                    ).to_arrow_table()
                except duckdb.Error as e:
                    raise refusal_of(e, limits, watchdog) from None
                description_zh, meanings_zh = chinese.get(name, ("", {}))
                table_columns = [
                    ColumnDoc(
                        column,
                        data_type,
                        doc,
                        _examples(sample.column(column), examples) if examples else [],
                        meanings_zh.get(column, ""),
                    )
                    for table, column, data_type, doc in columns
                    if table == name
                ]
                docs.append(
                    TableDoc(
                        name, kind, comment, table_columns, rows=rows, comment_zh=description_zh
                    )
                )
    described = {m.name: m.description for m in transform.models("kpis")}
    docs += [
        TableDoc(
            name,
            "macro",
            described.get(name, ""),
            parameters=list(parameters),
            comment_zh=chinese.get(name, ("", {}))[0],
        )
        for name, parameters in macros
    ]
    return snapshot_id, docs


def catalog_as_json(snapshot: str, docs: list[TableDoc]) -> dict[str, Any]:
    """The catalogue as plain data (for `ipgov sql --schema --format json`)."""
    return {
        "snapshot": snapshot,
        "objects": [
            {
                "name": d.name,
                "kind": d.kind,
                "comment": d.comment,
                "comment_zh": d.comment_zh,
                "rows": d.rows,
                "parameters": d.parameters,
                "columns": [
                    {
                        "name": c.name,
                        "type": c.type,
                        "comment": c.comment,
                        "comment_zh": c.comment_zh,
                        "examples": c.examples,
                    }
                    for c in d.columns
                ],
            }
            for d in docs
        ],
    }
