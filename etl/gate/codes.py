"""The code lists (etl/reference/codes.csv) and the one rule for what code a written value means.

A clerk may write a platform as `tmall`, `天猫` or `Tmall`: every code's own spelling, its Chinese
and English names and its listed aliases, trimmed and lower-cased, mean that code. The gate checks
codes with `code_sql` (and personal data by the applicant type's code), the loader writes the same
table to `ref.code_aliases` for staging's `code_of` macro.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import duckdb
import polars as pl

from etl.sources.staged import quote_literal

CODES_CSV = Path(__file__).resolve().parent.parent / "reference" / "codes.csv"
CODES_TABLE = "gate_codes"  # temporary table on the gate's connection: domain, alias, code


@lru_cache(maxsize=1)
def code_list() -> pl.DataFrame:
    """etl/reference/codes.csv: domain, code, name_zh, name_en, aliases."""
    return pl.read_csv(CODES_CSV, infer_schema=False)


@lru_cache(maxsize=1)
def code_aliases() -> pl.DataFrame:
    """Every accepted spelling (lower-cased) of every code: the code, both names, the aliases."""
    codes = code_list()
    aliases = (
        pl.concat(
            [
                codes.select("domain", pl.col(source).alias("alias"), "code")
                for source in ("code", "name_zh", "name_en")
            ]
            + [
                codes.select(
                    "domain", pl.col("aliases").str.split("|").alias("alias"), "code"
                ).explode("alias")
            ]
        )
        .drop_nulls()
        .with_columns(pl.col("alias").str.strip_chars().str.to_lowercase())
    )
    return aliases.filter(pl.col("alias") != "").unique(["domain", "alias"], keep="first")


def codes_of(domain: str) -> pl.DataFrame:
    return code_list().filter(pl.col("domain") == domain)


def allowed(domain: str) -> tuple[str, str]:
    """The names a clerk may write for `domain`, in English and Chinese."""
    codes = codes_of(domain)
    return ", ".join(codes["name_en"].to_list()), "、".join(codes["name_zh"].to_list())


def ensure_codes(con: duckdb.DuckDBPyConnection) -> None:
    """The alias table on `con`, once per connection."""
    tables = con.execute(
        f"select 1 from duckdb_tables() where temporary and table_name = '{CODES_TABLE}'"
    ).fetchall()
    if not tables:
        con.register("gate_codes_in", code_aliases().to_arrow())
        con.execute(f"create temp table {CODES_TABLE} as from gate_codes_in")
        con.unregister("gate_codes_in")


def code_sql(domain: str, text: str, alias: str) -> tuple[str, str]:
    """(JOIN clause, expression): the code the cell text `text` means in `domain`, or the text
    itself (lower-cased) when it is no code's spelling. `alias` names the joined table."""
    spelled = f"lower({text})"
    join = (
        f" left join {CODES_TABLE} {alias} on {alias}.domain = {quote_literal(domain)} "
        f"and {alias}.alias = {spelled}"
    )
    return join, f"coalesce({alias}.code, {spelled})"
