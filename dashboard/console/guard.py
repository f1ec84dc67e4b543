"""The console's parser allow-list. DuckDB's own parser splits the text
(`duckdb.extract_statements`), so comments, case and string tricks are seen exactly as the
engine sees them. Exactly one statement, of an allowed type (SELECT, which covers WITH /
FROM-first / VALUES / DESCRIBE / SHOW / SUMMARIZE, and EXPLAIN of a SELECT). The parsed tree
(`json_serialize_sql`) is then checked for table functions outside a small allow-list (file
readers, `query()`, Python scans, profiling switches) and for the few catalog functions and
views that describe the server rather than the data (`duckdb_settings()`, `current_setting()`,
`duckdb_databases()`, `PRAGMA database_list`: they show file paths and limits). Data-catalog
functions (`duckdb_tables()`, `duckdb_columns()`, `duckdb_functions()` ...) stay allowed: the
schema browser is built from them.

This is the second layer; the engine (dashboard/console/session.py) refuses the same on its own.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import duckdb

from dashboard.console.refusal import SqlRefused, first_line

MAX_SQL_CHARS = 100_000
ALLOWED_KINDS = "SELECT, WITH, DESCRIBE, SHOW, EXPLAIN and SUMMARIZE"
# Table functions that only compute or describe the data. Everything else is refused: file
# readers (also stopped by the engine), query()/query_table() (SQL in a string escapes this
# check), Python and Arrow scans, checkpoint, logging and profiling switches.
ALLOWED_TABLE_FUNCTIONS = frozenset(
    {
        "range",
        "generate_series",
        "unnest",
        "repeat",
        "repeat_row",
        "json_each",
        "json_tree",
        "duckdb_tables",
        "duckdb_views",
        "duckdb_columns",
        "duckdb_functions",
        "duckdb_types",
        "duckdb_schemas",
        "duckdb_constraints",
        "duckdb_indexes",
        "duckdb_keywords",
        "duckdb_sequences",
        "duckdb_dependencies",
        "pragma_table_info",
        "pragma_show",
        "pg_timezone_names",
        "icu_calendar_names",
    }
)
# Functions and views that describe the server (paths, limits, extensions, logs) or run SQL held
# in a string.
DENIED_FUNCTIONS = frozenset(
    {"current_setting", "write_log", "json_execute_serialized_sql", "json_serialize_plan"}
)
DENIED_RELATIONS = frozenset(
    {
        "duckdb_settings",
        "duckdb_databases",
        "pragma_database_list",
        "pg_settings",
        "duckdb_extensions",
        "duckdb_secrets",
        "duckdb_logs",
        "duckdb_temporary_files",
        "duckdb_memory",
    }
)
SERVER_CATALOG = DENIED_RELATIONS | {"current_setting"}
# Half of a UTF-16 pair on its own: Python strings can hold one (a command-line argument with
# bytes that are not UTF-8 arrives as U+DC80..U+DCFF), UTF-8 and so DuckDB's parser cannot.
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _explained(query: str) -> str:
    """The statement an EXPLAIN [ANALYZE] [(options)] wraps, found with DuckDB's tokenizer."""
    starts = [pos for pos, _ in duckdb.tokenize(query)]
    tokens = [
        (pos, query[pos:end].strip())
        for (pos, kind), end in zip(duckdb.tokenize(query), [*starts[1:], len(query)], strict=True)
        if kind.name != "comment"
    ]
    i = 1  # tokens[0] is EXPLAIN
    if i < len(tokens) and tokens[i][1].lower() in {"analyze", "analyse"}:
        i += 1
    if i < len(tokens) and tokens[i][1] == "(":
        depth = 0
        while i < len(tokens):
            depth += tokens[i][1].count("(") - tokens[i][1].count(")")
            i += 1
            if depth == 0:
                break
    return query[tokens[i][0] :] if i < len(tokens) else ""


def parse(sql: str, *, inside_explain: bool = False) -> str:
    """The one allowed statement in `sql`, or `SqlRefused` saying what and why.

    Pure (no connection): the save dialog checks a query with it before storing it.
    """
    if len(sql) > MAX_SQL_CHARS:
        raise SqlRefused(
            "too_long",
            f"refused: the query is longer than {MAX_SQL_CHARS:,} characters",
            limit=MAX_SQL_CHARS,
        )
    surrogate = _LONE_SURROGATE.search(sql)
    if surrogate:
        char = f"U+{ord(surrogate.group()):04X}"
        raise SqlRefused(
            "encoding",
            f"refused: character {surrogate.start() + 1} ({char}) is not text — the query was "
            "not valid UTF-8; retype it or check the file's encoding",
            position=surrogate.start() + 1,
            char=char,
        )
    try:
        statements = duckdb.extract_statements(sql)
    except duckdb.ParserException as e:
        raise SqlRefused("syntax", first_line(e), detail=first_line(e)) from None
    except (duckdb.Error, ValueError):
        # the parser gave up in another way: refuse rather than guess
        raise SqlRefused(
            "statement",
            f"refused: a statement the console does not run — only {ALLOWED_KINDS}",
            statement="?",
        ) from None
    if not statements:
        raise SqlRefused("empty", "refused: the query is empty — write one SELECT")
    if len(statements) > 1:
        raise SqlRefused(
            "multiple",
            f"refused: {len(statements)} statements — the console runs exactly one per run",
            count=len(statements),
        )
    statement = statements[0]
    try:
        kind = statement.type.name
    except ValueError:  # e.g. UPDATE EXTENSIONS: a type the Python client cannot even name
        kind = "UNKNOWN"
    if kind == "EXPLAIN" and not inside_explain:
        inner = _explained(statement.query)
        try:
            parse(inner, inside_explain=True)
        except SqlRefused as e:
            if e.code != "statement":
                raise
            raise SqlRefused(
                "statement",
                f"refused: EXPLAIN of a {e.values['statement']} statement — EXPLAIN only shows "
                "the plan of a SELECT",
                statement=f"EXPLAIN {e.values['statement']}",
            ) from None
        return statement.query
    if kind != "SELECT":
        # MULTI: a PIVOT without an IN list, which first creates an ENUM type
        label = "PIVOT without IN (…)" if kind == "MULTI" else kind.replace("_", " ")
        raise SqlRefused(
            "statement",
            f"refused: {label} statement — the console only runs {ALLOWED_KINDS} (read-only)",
            statement=label,
        )
    return statement.query


def _walk(tree: Any) -> Iterator[dict]:
    """Every object in a parse tree (iteratively: deep trees must not exhaust the stack)."""
    stack = [tree]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            yield node
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)


def _bare(name: object) -> str:
    return name.strip().strip('"').lower() if isinstance(name, str) else ""


def _text(node: dict, key: str) -> str:
    """A string field of a parse-tree node, or "": the same key holds other shapes elsewhere
    (a TABLESAMPLE's `type` is a dict), and those nodes are not what the checks look for."""
    value = node.get(key)
    return value if isinstance(value, str) else ""


def check_references(con: duckdb.DuckDBPyConnection, statement: str) -> None:
    """Refuse table functions outside the allow-list and catalog objects about the server.

    Fails closed: a tree the walk does not understand is refused, never run unchecked.
    """
    kind = duckdb.extract_statements(statement)[0].type.name
    text = _explained(statement) if kind == "EXPLAIN" else statement
    serialized = con.execute("select json_serialize_sql(?)", [text]).fetchone()
    try:
        tree = json.loads(serialized[0]) if serialized else {"error": True}
    except RecursionError:
        raise SqlRefused(
            "too_complex", "refused: the query is nested too deeply to be checked"
        ) from None
    if not isinstance(tree, dict) or tree.get("error") or "statements" not in tree:
        message = str(tree.get("error_message", "") if isinstance(tree, dict) else "")
        message = message or "the statement could not be analysed"
        raise SqlRefused("syntax", f"refused: {message}", detail=message)
    macros = {
        name
        for (name,) in con.execute(
            "select function_name from duckdb_functions() "
            "where not internal and function_type = 'table_macro'"
        ).fetchall()
    }
    try:
        for node in _walk(tree["statements"]):
            _check_node(node, macros)
    except (TypeError, KeyError, AttributeError, ValueError):
        raise SqlRefused(
            "uncheckable",
            "refused: the console cannot check a statement of this shape — write it another way",
        ) from None


def _check_node(node: dict, macros: set[str]) -> None:
    kind = _text(node, "type")
    function = node.get("function")
    if kind == "TABLE_FUNCTION" and isinstance(function, dict):
        name = _bare(function.get("function_name"))
        if name in SERVER_CATALOG:
            raise _server_catalog(f"{name}()")
        if name not in ALLOWED_TABLE_FUNCTIONS and name not in macros:
            raise SqlRefused(
                "function",
                f"refused: table function {name}() — the console reads only the published "
                "tables (no files, no SQL in strings, no server switches)",
                name=name,
            )
    if _text(node, "class") == "FUNCTION" and _bare(node.get("function_name")) in (
        DENIED_FUNCTIONS
    ):
        name = _bare(node.get("function_name"))
        if name in SERVER_CATALOG:
            raise _server_catalog(f"{name}()")
        raise SqlRefused(
            "function",
            f"refused: function {name}() — it runs SQL held in a string or writes to the "
            "server's log",
            name=name,
        )
    if kind in {"BASE_TABLE", "SHOW_REF"}:
        name = _bare(node.get("table_name"))
        if name in DENIED_RELATIONS:
            raise _server_catalog(name)


def _server_catalog(name: str) -> SqlRefused:
    return SqlRefused(
        "server_catalog",
        f"refused: {name} describes the server (paths, settings), not the data — use "
        "duckdb_tables(), duckdb_columns() or the schema browser",
        name=name,
    )
