"""Record kinds and their readers: source file → typed rows in DuckDB, faults found first."""

from etl.sources import cases, notarizations, patents, takedowns, trademarks
from etl.sources.schema import RecordKind

KINDS: dict[str, RecordKind] = {
    m.KIND.name: m.KIND for m in (cases, takedowns, patents, trademarks, notarizations)
}
