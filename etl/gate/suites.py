"""The gate's suites: one Great Expectations suite per record kind, generated from the schemas.

`python -m etl.gate --write-suites` writes `expectations/<kind>.json` from the schemas in
`etl/sources/`, the rule facts in etl/gate/rules.py and `etl/reference/codes.csv`; a test fails
when the committed JSON differs, so the suites, the schemas and the code lists cannot drift apart.
The committed JSON is the contract: the engine (etl/gate/engine.py) executes it in DuckDB, GX
renders it in the data docs and runs it as the oracle in the parity test.

Rules GX cannot express directly check helper columns, which the engine computes in SQL
(`_unparsed__<col>`: a cell that does not parse to its type; `_code__<col>`: the code a value
means), so every rule is named in the suite and reported with its GX expectation type. Each
expectation's `meta` names the `rule` and the `column` a clerk must fix; `notes` says the rule in
English and Chinese. The evidence hash chain is no gate rule: it is judged over the whole chain,
after loading, in etl/sql/marts/fct_notarizations.sql (an altered record loads and is shown).
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from etl.gate.codes import codes_of
from etl.gate.rules import (
    DATE_ORDER,
    PHONE_COLUMNS,
    PHONE_REGEX,
    RULE_DOCS,
    SHA256_COLUMNS,
    SHA256_REGEX,
    TOTAL_REGEX,
)
from etl.sources import KINDS
from etl.sources.schema import DATE, DECIMAL, INTEGER, STRING, TIMESTAMP, RecordKind

SUITES_DIR = Path(__file__).resolve().parent.parent.parent / "expectations"


def _expectation(
    type_: str, column: str, rule: str, kwargs: dict[str, Any], **meta: Any
) -> dict[str, Any]:
    family = rule.split(":")[0]
    en, zh = RULE_DOCS[family]
    return {
        "type": type_,
        "kwargs": kwargs,
        "meta": {"rule": rule, "column": column, **meta},
        "notes": f"{en} {zh}",
    }


def build_suite(kind: RecordKind) -> dict[str, Any]:
    """The kind's suite as GX 1.x ExpectationSuite JSON, in the order rules are reported."""
    expectations: list[dict[str, Any]] = []
    add = expectations.append
    for name in kind.required:
        add(
            _expectation(
                "expect_column_to_exist", name, "required_column", {"column": name}, level="file"
            )
        )
    for c in kind.columns:
        if c.name == kind.key:
            add(
                _expectation(
                    "expect_column_values_to_not_match_regex",
                    c.name,
                    "total_row",
                    {"column": c.name, "regex": TOTAL_REGEX},
                )
            )
        if c.type != STRING:
            add(
                _expectation(
                    "expect_column_values_to_be_null",
                    c.name,
                    f"type:{c.type}",
                    {"column": f"_unparsed__{c.name}"},
                )
            )
        if c.required:
            add(
                _expectation(
                    "expect_column_values_to_not_be_null", c.name, "required", {"column": c.name}
                )
            )
        if c.code_domain:
            add(
                _expectation(
                    "expect_column_values_to_be_in_set",
                    c.name,
                    f"code:{c.code_domain}",
                    {
                        "column": f"_code__{c.name}",
                        "value_set": sorted(codes_of(c.code_domain)["code"].to_list()),
                    },
                )
            )
        if c.type in (DATE, TIMESTAMP):
            parameter = "today" if c.type == DATE else "end_of_today"
            add(
                _expectation(
                    "expect_column_values_to_be_between",
                    c.name,
                    "not_future",
                    {"column": c.name, "max_value": {"$PARAMETER": parameter}},
                )
            )
        if c.type in (INTEGER, DECIMAL):
            add(
                _expectation(
                    "expect_column_values_to_be_between",
                    c.name,
                    "non_negative",
                    {"column": c.name, "min_value": 0},
                )
            )
        if c.name in SHA256_COLUMNS.get(kind.name, ()):
            add(
                _expectation(
                    "expect_column_values_to_match_regex",
                    c.name,
                    "sha256_format",
                    {"column": c.name, "regex": SHA256_REGEX},
                )
            )
        if c.name in PHONE_COLUMNS.get(kind.name, ()):
            add(
                _expectation(
                    "expect_column_values_to_match_regex",
                    c.name,
                    "phone_format",
                    {"column": c.name, "regex": PHONE_REGEX},
                )
            )
    add(
        _expectation(
            "expect_column_values_to_be_unique", kind.key, "unique_key", {"column": kind.key}
        )
    )
    for earlier, later in DATE_ORDER.get(kind.name, ()):
        add(
            _expectation(
                "expect_column_pair_values_a_to_be_greater_than_b",
                later,
                "date_order",
                {
                    "column_A": later,
                    "column_B": earlier,
                    "or_equal": True,
                    "ignore_row_if": "either_value_is_missing",
                },
                other=earlier,
            )
        )
    return {
        "name": kind.name,
        "expectations": expectations,
        "meta": {
            "kind": kind.name,
            "kind_zh": kind.zh,
            "natural_key": kind.key,
            "generated_by": "python -m etl.gate --write-suites",
            "parameters": {
                "today": "the load day (a date)",
                "end_of_today": "the last microsecond of the load day (a timestamp)",
            },
        },
        "notes": f"Data-quality gate for {kind.name} ({kind.zh}): {kind.grain} "
        "See docs/quality.md.",
    }


def suite_json(kind: RecordKind) -> str:
    return json.dumps(build_suite(kind), ensure_ascii=False, indent=2) + "\n"


def write_suites(folder: Path = SUITES_DIR) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for kind in KINDS.values():
        path = folder / f"{kind.name}.json"
        path.write_text(suite_json(kind), encoding="utf-8")
        written.append(path)
    return written


def load_suite(kind: RecordKind) -> dict[str, Any]:
    """The committed suite; the generator's output when the package runs without its repo."""
    path = SUITES_DIR / f"{kind.name}.json"
    if path.exists():
        return json.loads(path.read_text(encoding="utf-8"))
    return build_suite(kind)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m etl.gate", description=__doc__)
    parser.add_argument("--write-suites", action="store_true", help="regenerate expectations/")
    args = parser.parse_args(argv)
    if args.write_suites:
        for path in write_suites():
            print(f"wrote {path}")
        return 0
    parser.print_help()
    return 0
