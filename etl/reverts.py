"""Reverts are never silent: a file that would put back an older version of records.

The latest loaded version of a record wins (staging's `latest_version`). So when an original is
re-sent after its correction — as other bytes, say re-saved as UTF-8, so the SHA-256 check does
not skip it — its rows become the latest versions and silently undo the correction. A row is a
*revert* when its content differs from its record's current version and equals an older,
superseded version of the same record. The loader refuses such a file, naming the records,
unless the load says `--allow-revert` (etl/load.py).

Content is compared on the kind's own columns (not lineage), as DuckDB hashes them; the keys are
found among raw's rows by their range first, as the incremental snapshot does (etl/snapshot.py):
a month's new ids lie in a narrow range, so DuckDB skips the row groups of earlier years.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb

from etl.sources.schema import ROW, RecordKind
from etl.sources.staged import quote_name

SHOWN = 5  # records a message names; the count says how many in all


@dataclass(frozen=True)
class Reverts:
    """The records a file would put back to an older version."""

    kind: str
    keys: list[str]  # the first SHOWN, in key order
    count: int

    def __bool__(self) -> bool:
        return self.count > 0

    @property
    def listed(self) -> str:
        more = f" … (+{self.count - len(self.keys)})" if self.count > len(self.keys) else ""
        return ", ".join(self.keys) + more

    def message(self) -> str:
        return (
            f"this file would put {self.count} record(s) back to an older version ({self.listed}): "
            "it looks like an original sent again after its correction. Nothing was loaded. If "
            "the older version is right, load the file again with --allow-revert"
        )

    def message_zh(self) -> str:
        return (
            f"本文件会把 {self.count} 条记录恢复为较早的版本（{self.listed}），"
            "看起来是更正之后又重新报送了原始文件。未加载任何数据。"
            "如确认较早的版本正确，请加上 --allow-revert 重新加载此文件。"
        )


def find(con: duckdb.DuckDBPyConnection, kind: RecordKind, new_rows_sql: str) -> Reverts:
    """The reverts among `new_rows_sql` (a query of the file's good rows: the kind's columns and
    ROW) against raw.<kind> on the same connection."""
    key = quote_name(kind.key)
    content = "hash(" + ", ".join(quote_name(c.name) for c in kind.columns) + ")"
    raw = f"raw.{quote_name(kind.name)}"
    lo, hi = con.execute(f"select min({key}), max({key}) from ({new_rows_sql})").fetchone()
    if lo is None:
        return Reverts(kind.name, [], 0)
    # only the keys raw already has can be reverted: usually none (a new month), and then no
    # row of the file is hashed and one query said so (no table made, counted and dropped)
    shared = (
        f"from {raw} where {key} between ? and ? and {key} in (select {key} from ({new_rows_sql}))"
    )
    if not con.execute(f"select exists (select 1 {shared})", [lo, hi]).fetchone()[0]:
        return Reverts(kind.name, [], 0)
    con.execute(
        f"create or replace temp table revert_keys as select distinct {key} as k {shared}",
        [lo, hi],
    )
    try:
        found = con.execute(
            f"""
            with new as (
                select {key} as k, {content} as h from ({new_rows_sql})
                where {key} in (select k from revert_keys)
            ),
            ranked as (
                select {key} as k, {content} as h,
                    row_number() over (partition by {key} order by file_seq desc, {ROW} desc) as n
                from {raw}
                where {key} between ? and ? and {key} in (select k from revert_keys)
            )
            select n.k
            from new as n
            join ranked as c on c.k = n.k and c.n = 1 and c.h <> n.h
            where exists (select 1 from ranked as o where o.k = n.k and o.n > 1 and o.h = n.h)
            order by n.k
            """,
            [lo, hi],
        ).fetchall()
    finally:
        con.execute("drop table if exists revert_keys")
    keys = [str(k) for (k,) in found]
    return Reverts(kind.name, keys[:SHOWN], len(keys))
