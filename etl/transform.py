"""Runs the SQL model files: each file is one `select`, wrapped here in `create or replace`.

A file's leading comment block documents the model; two keys in it steer the runner:
    -- materialized: view | table | macro | scalar_macro  (default: view; table in marts)
    -- parameters: start_date, end_date    (macros only)
The rest of the comment block becomes the object's COMMENT, and a trailing comment on a select
line documents that output column (`    n.notice_id,  -- Notice number.`), so the documentation
lives with the definition, travels with the published snapshot and shows in DuckDB's catalog
(`duckdb_tables()`, `duckdb_views()`, `duckdb_columns()`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
LAYERS = ("staging", "marts", "kpis")
# Marts are views in the ingest database, computed once, into tables, by each snapshot
# (load.build_snapshot): tables there too would compute and write every mart twice per load.
DEFAULT_MATERIALIZATION = {"staging": "view", "marts": "view", "kpis": "view"}
_KEY = re.compile(r"^--\s*(materialized|parameters)\s*:\s*(.+?)\s*$")
# `expr as name,  -- meaning` or `alias.name,  -- meaning` (the output column's documentation)
_COLUMN_DOC = re.compile(
    r"^\s*(?:.*?\s+as\s+(?P<alias>\w+)|(?:\w+\.)?(?P<name>\w+))\s*,?\s*--\s*(?P<doc>.+?)\s*$",
    re.I,
)


@dataclass(frozen=True)
class Model:
    """One SQL model file."""

    layer: str
    name: str
    sql: str
    materialized: str
    parameters: str
    description: str
    column_docs: dict[str, str]

    def create_statement(self, schema: str | None) -> str:
        target = f"{schema}.{self.name}" if schema else self.name
        if self.materialized == "macro":
            return f"create or replace macro {target}({self.parameters}) as table\n{self.sql}"
        if self.materialized == "scalar_macro":
            return f"create or replace macro {target}({self.parameters}) as (\n{self.sql}\n)"
        return f"create or replace {self.materialized} {target} as\n{self.sql}"

    def comment_statements(self, schema: str | None, columns: set[str]) -> list[str]:
        """COMMENT ON the object and on each documented column it really has."""
        if self.materialized.endswith("macro"):
            return []
        target = f"{schema}.{self.name}" if schema else self.name
        statements = []
        if self.description:
            statements.append(
                f"comment on {self.materialized} {target} is {_quote(self.description)}"
            )
        statements += [
            f"comment on column {target}.{column} is {_quote(doc)}"
            for column, doc in self.column_docs.items()
            if column in columns
        ]
        return statements


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _column_docs(body: str) -> dict[str, str]:
    docs = {}
    for line in body.splitlines():
        if line.lstrip().startswith("--"):
            continue
        match = _COLUMN_DOC.match(line)
        if match:
            docs[match.group("alias") or match.group("name")] = match.group("doc")
    return docs


def parse_model(layer: str, path: Path) -> Model:
    text = path.read_text(encoding="utf-8")
    options = {"materialized": DEFAULT_MATERIALIZATION[layer], "parameters": ""}
    doc_lines = []
    for line in text.splitlines():
        if not line.startswith("--"):
            break
        key = _KEY.match(line)
        if key:
            options[key.group(1)] = key.group(2)
        else:
            doc_lines.append(line.removeprefix("--").strip())
    body = text.strip().rstrip(";")
    return Model(
        layer,
        path.stem,
        body,
        options["materialized"],
        options["parameters"],
        " ".join(d for d in doc_lines if d),
        _column_docs(body),
    )


def models(layer: str) -> list[Model]:
    """The layer's models in build order: file name order (dim_ before fct_ before kpi_)."""
    return [parse_model(layer, p) for p in sorted((SQL_DIR / layer).glob("*.sql"))]


def document(con: duckdb.DuckDBPyConnection, model: Model, schema: str | None) -> None:
    """Attach the model's documentation to the object just created (tables, views)."""
    if model.materialized.endswith("macro"):
        return
    rows = con.execute(
        "select column_name from duckdb_columns() where table_name = ? "
        "and schema_name = coalesce(?, current_schema())",
        [model.name, schema],
    ).fetchall()
    for statement in model.comment_statements(schema, {c for (c,) in rows}):
        con.execute(statement)


def build(con: duckdb.DuckDBPyConnection, layer: str, schema: str | None) -> list[str]:
    """Create or replace every model of a layer; returns their names."""
    if schema:
        con.execute(f"create schema if not exists {schema}")
    built = []
    for model in models(layer):
        try:
            con.execute(model.create_statement(schema))
        except duckdb.Error as e:
            raise RuntimeError(f"SQL model {layer}/{model.name}.sql failed: {e}") from e
        document(con, model, schema)
        built.append(model.name)
    return built
