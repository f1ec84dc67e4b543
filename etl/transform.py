"""Runs the SQL model files: each file is one `select`, wrapped here in `create or replace`.

A file's leading comment block documents the model; two keys in it steer the runner:
    -- materialized: view | table | macro | scalar_macro  (default: view; table in marts)
    -- parameters: start_date, end_date    (macros only)
The rest of the comment block becomes the object's COMMENT, so the documentation travels with
the published snapshot and shows in DuckDB's catalog (`duckdb_views()`, `duckdb_tables()`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import duckdb

SQL_DIR = Path(__file__).parent / "sql"
LAYERS = ("staging", "marts", "kpis")
DEFAULT_MATERIALIZATION = {"staging": "view", "marts": "table", "kpis": "view"}
_KEY = re.compile(r"^--\s*(materialized|parameters)\s*:\s*(.+?)\s*$")


@dataclass(frozen=True)
class Model:
    """One SQL model file."""

    layer: str
    name: str
    sql: str
    materialized: str
    parameters: str
    description: str

    def create_statement(self, schema: str | None) -> str:
        target = f"{schema}.{self.name}" if schema else self.name
        if self.materialized == "macro":
            return f"create or replace macro {target}({self.parameters}) as table\n{self.sql}"
        if self.materialized == "scalar_macro":
            return f"create or replace macro {target}({self.parameters}) as (\n{self.sql}\n)"
        return f"create or replace {self.materialized} {target} as\n{self.sql}"

    def comment_statement(self, schema: str | None) -> str | None:
        if self.materialized.endswith("macro") or not self.description:
            return None
        target = f"{schema}.{self.name}" if schema else self.name
        text = self.description.replace("'", "''")
        return f"comment on {self.materialized} {target} is '{text}'"


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
    )


def models(layer: str) -> list[Model]:
    """The layer's models in build order: file name order (dim_ before fct_ before kpi_)."""
    return [parse_model(layer, p) for p in sorted((SQL_DIR / layer).glob("*.sql"))]


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
        comment = model.comment_statement(schema)
        if comment:
            con.execute(comment)
        built.append(model.name)
    return built
