"""`ipgov evidence verify`: whether the evidence hash chain of the published snapshot holds, and
if not, where and what — the first break and every affected record, each with its kind
(fct_notarizations.chain_status: altered, linked_to_altered, gap, fork, reordered, after_break).

It reads the current snapshot read-only through etl.warehouse and the same two queries the
Notarization page shows (dashboard/sql/notary_chain.sql, notary_chain_broken.sql), so the
command and the page cannot disagree. Exit 0 when the chain is intact, 3 when it is broken (2
stays "bad input", as everywhere in the CLI), so a scheduled check can tell them apart.
"""

from __future__ import annotations

import json
from typing import Annotated, Any

import typer
from rich.table import Table

from dashboard.cli.common import DbOption, db_or_default, out, user_errors

BROKEN_EXIT = 3

evidence_app = typer.Typer(
    help="The evidence hash chain of the notarizations.", no_args_is_help=True
)


def chain_report(db: DbOption = None) -> dict[str, Any]:
    """The chain's verdict as plain values: counts, counts per kind, the first break and every
    affected record in the chain order."""
    from dashboard.core.reads import sql_text
    from etl import warehouse

    with warehouse.read_snapshot(warehouse.WarehousePaths(db_or_default(db))) as con:
        summary = con.sql(sql_text("notary_chain")).pl().row(0, named=True)
        affected = con.sql(sql_text("notary_chain_broken"), params={"limit": None}).pl()
    records = [
        {
            "chain_seq": r["chain_seq"],
            "notarization_id": r["notarization_id"],
            "kind": r["chain_status"],
            "record_before": r["preceding_notarization_id"],
        }
        for r in affected.iter_rows(named=True)
    ]
    kinds = ("altered", "linked_to_altered", "gap", "fork", "reordered", "after_break")
    return {
        "intact": not records,
        "records": summary["links"],
        "records_not_intact": summary["broken_links"],
        "by_kind": {k: summary[f"{k}_records"] for k in kinds},
        "first_break": records[0] if records else None,
        "affected": records,
    }


@evidence_app.command("verify")
@user_errors
def verify(
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    db: DbOption = None,
) -> None:
    """Verify the evidence hash chain: first break, every affected record; exit 3 if broken."""
    report = chain_report(db)
    if as_json:
        out.print_json(json.dumps(report, ensure_ascii=False))
    elif report["intact"]:
        out.print(f"Evidence chain intact: all {report['records']:,} records verify.")
    else:
        first = report["first_break"]
        out.print(
            f"Evidence chain broken: {report['records_not_intact']:,} of "
            f"{report['records']:,} records are not intact.\n"
            f"First break: {first['notarization_id']} (no. {first['chain_seq']:,} in the chain "
            f"order), {first['kind']}; the record before it is "
            f"{first['record_before'] or 'none (it is the first)'}.",
            highlight=False,
        )
        table = Table(title="affected records, in the chain order", title_justify="left")
        for column in ("chain_seq", "notarization_id", "kind", "record_before"):
            table.add_column(column, justify="right" if column == "chain_seq" else "left")
        for r in report["affected"]:
            table.add_row(
                str(r["chain_seq"]), r["notarization_id"], r["kind"], r["record_before"] or "–"
            )
        out.print(table)
    if not report["intact"]:
        raise typer.Exit(BROKEN_EXIT)
