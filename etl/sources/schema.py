"""The shape every record kind shares: canonical columns, their Chinese headers and types.

Source files arrive with English or Chinese headers; one `Column` says both names, the type a cell
must parse to, and whether the field is personal data (which never leaves staging).
"""

from __future__ import annotations

from dataclasses import dataclass

ROW = "source_row"  # 1-based row as a clerk sees it in a spreadsheet (the header is row 1)

# Logical types, kept small on purpose: the reader parses each into one polars / DuckDB type.
STRING = "string"
DATE = "date"
TIMESTAMP = "timestamp"
INTEGER = "integer"
DECIMAL = "decimal"  # money in yuan, two places
BOOLEAN = "boolean"

DUCKDB_TYPES = {
    STRING: "VARCHAR",
    DATE: "DATE",
    TIMESTAMP: "TIMESTAMP",
    INTEGER: "BIGINT",
    DECIMAL: "DECIMAL(18,2)",
    BOOLEAN: "BOOLEAN",
}


@dataclass(frozen=True)
class Column:
    """One canonical field of a record kind."""

    name: str
    type: str
    zh: str
    doc: str
    required: bool = False
    pii: bool = False
    code_domain: str | None = None  # values are normalised against etl/reference/codes.csv
    # An identifier (a natural key or a reference to one): read as the clerk sees it, full-width
    # digits as ASCII and invisible characters dropped (cells.id_sql), so one id is one record.
    is_id: bool = False


@dataclass(frozen=True)
class RecordKind:
    """A kind of source record: its columns, natural key and one-line grain."""

    name: str
    zh: str
    grain: str
    key: str
    columns: tuple[Column, ...]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def column(self, name: str) -> Column:
        for c in self.columns:
            if c.name == name:
                return c
        raise KeyError(name)

    def header_aliases(self) -> dict[str, str]:
        """Every accepted header spelling (lower-cased) mapped to its canonical column name."""
        aliases: dict[str, str] = {}
        for c in self.columns:
            for alias in (c.name, c.zh, c.name.replace("_", " ")):
                aliases[alias.strip().lower()] = c.name
        return aliases
