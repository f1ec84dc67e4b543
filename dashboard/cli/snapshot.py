"""The commands that read the published snapshot without the dashboard's half: `ipgov kpis`
(headline KPIs for a period) and `ipgov export` (the marts as partitioned Parquet)."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from dashboard.cli.common import DbOption, db_or_default, out, user_errors


@user_errors
def kpis(
    year: Annotated[int | None, typer.Option(help="Calendar year, e.g. 2023.")] = None,
    quarter: Annotated[str | None, typer.Option(help="Quarter, e.g. 2024Q3.")] = None,
    start: Annotated[
        dt.datetime | None, typer.Option("--from", formats=["%Y-%m-%d"], help="First day.")
    ] = None,
    end: Annotated[
        dt.datetime | None, typer.Option("--to", formats=["%Y-%m-%d"], help="Last day.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object.")] = False,
    platform: Annotated[
        list[str] | None, typer.Option(help="Only this platform's records (code; repeatable).")
    ] = None,
    park: Annotated[
        list[str] | None, typer.Option(help="Only this park or market (code; repeatable).")
    ] = None,
    ip_type: Annotated[
        list[str] | None, typer.Option(help="Only this IP type (code; repeatable).")
    ] = None,
    region: Annotated[
        list[str] | None, typer.Option(help="Only this partner region (code; repeatable).")
    ] = None,
    db: DbOption = None,
) -> None:
    """Headline KPIs for a period (default: the latest quarter with data), optionally for some
    platforms, parks/markets, IP types or partner regions only (as on the Compare page)."""
    from etl import kpis as kpi_module
    from etl import periods, warehouse

    asked = (year, quarter, start.date() if start else None, end.date() if end else None)
    explicit = periods.resolve(*asked) if any(a is not None for a in asked) else None
    picked = {"platforms": platform, "locations": park, "ip_types": ip_type, "regions": region}
    narrowed = {name: tuple(codes) for name, codes in picked.items() if codes}
    with warehouse.read_snapshot(warehouse.WarehousePaths(db_or_default(db))) as con:
        _known_codes(con, narrowed)
        period = explicit or kpi_module.default_period(con)
        values = kpi_module.headline(con, period, **narrowed)
        provisional = kpi_module.provisional(con, period)
        pending = kpi_module.takedown_pending(con, period, **narrowed)
    if as_json:
        payload = {"period_start": period.start.isoformat(), "period_end": period.end.isoformat()}
        if narrowed:
            payload["filters"] = {name: list(codes) for name, codes in narrowed.items()}
        payload |= {k: kpi_module.as_json_value(v) for k, v in values.items()}
        payload["calendar"] = provisional.as_json()
        payload["takedown_2wd_pending"] = pending
        out.print_json(json.dumps(payload, ensure_ascii=False))
        return
    scope = "".join(f" {FILTER_OPTIONS[n]} {','.join(c)}" for n, c in narrowed.items())
    table = Table(
        title=f"KPIs {period.label} ({period.start} – {period.end}){scope}", title_justify="left"
    )
    table.add_column("kpi")
    table.add_column("value", justify="right")
    for key, value in values.items():
        mark = " *" if key in provisional.kpis else ""
        table.add_row(key + mark, _format(value))
    out.print(table)
    if provisional.kpis:
        out.print(
            f"* provisional: {provisional.takedown_provisional_notices:,} notice(s) touch days "
            f"from {provisional.first_provisional_day} on that no official "
            "holiday schedule covers yet (weekday rule); `ipgov calendar show` and "
            "docs/kpis.md say how to enter the year's notice"
        )
    if pending:
        out.print(
            f"{pending:,} takedown notices pending: still live with their 2-working-day window "
            "open at the data's end, left out of takedown_within_2wd_share "
            f"({pending:,} 条下架通知的2个工作日时限尚未届满，暂不计入占比)",
            highlight=False,
            soft_wrap=True,
        )


# kpi_headline's filters (the sidebar's, dashboard.core.params.DIMENSIONS) → their option here
FILTER_OPTIONS = {"platforms": "--platform", "locations": "--park", "ip_types": "--ip-type",
                  "regions": "--region"}  # fmt: skip


def _known_codes(con: Any, narrowed: dict[str, tuple[str, ...]]) -> None:
    """A code the snapshot does not know is a typo, not a filter matching nothing: say so."""
    from dashboard.core.params import DIMENSIONS
    from etl.errors import IpgovError

    for name, codes in narrowed.items():
        domain = DIMENSIONS[name][0]
        rows = con.execute("select code from dim_code where domain = ?", [domain]).fetchall()
        known = {r[0] for r in rows}
        unknown = [c for c in codes if c not in known]
        if unknown:
            raise IpgovError(
                f"{FILTER_OPTIONS[name]}: unknown code(s) {', '.join(unknown)}; "
                f"known: {', '.join(sorted(known))}"
            )


def _format(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, float):
        return f"{value:.3f}".rstrip("0").rstrip(".")
    return f"{value:,}"


@user_errors
def export_command(
    parquet: Annotated[
        Path, typer.Option("--parquet", help="Folder for Hive-partitioned Parquet.")
    ],
    overwrite: Annotated[bool, typer.Option(help="Replace a non-empty folder.")] = False,
    db: DbOption = None,
) -> None:
    """Export the published marts as Parquet partitioned by year/month (Spark, Trino, DuckDB)."""
    from etl import warehouse
    from etl.export import export_parquet

    paths = warehouse.WarehousePaths(db_or_default(db))
    tables = export_parquet(paths, parquet, overwrite=overwrite)
    table = Table(title=f"exported to {parquet}", title_justify="left")
    for column in ("table", "rows", "files", "partitioned by"):
        table.add_column(column, justify="right" if column in {"rows", "files"} else "left")
    for t in tables:
        table.add_row(
            t.name,
            f"{t.rows:,}",
            f"{t.files:,}",
            f"{t.partitioned_by} (year/month)" if t.partitioned_by else "–",
        )
    out.print(table)


@user_errors
def snapshots_command(
    as_json: Annotated[bool, typer.Option("--json", help="As JSON.")] = False,
    db: DbOption = None,
) -> None:
    """The published snapshots, newest first: which is current, how each was built, rows."""
    from etl import rollback, warehouse

    listed = rollback.snapshots(warehouse.WarehousePaths(db_or_default(db)))
    if as_json:
        payload = [
            {
                "id": s.id,
                "current": s.current,
                "built": s.built,
                "published_at": s.published_at.isoformat(timespec="seconds"),
                "size_bytes": s.size_bytes,
                "files_loaded": s.files_loaded,
                "withdrawn": s.withdrawn,
                "rows": s.rows,
            }
            for s in listed
        ]
        out.print_json(json.dumps(payload))
        return
    table = Table(title="published snapshots", title_justify="left")
    for column in ("", "snapshot", "published (UTC)", "built", "files", *rollback.COUNTED):
        table.add_column(column, justify="right" if column.startswith(("fct", "files")) else "left")
    for s in listed:
        mark = "current" if s.current else ("withdrawn" if s.withdrawn else "")
        counts = ["—" if n is None else f"{n:,}" for n in s.rows.values()]
        files = "—" if s.files_loaded is None else str(s.files_loaded)
        published = s.published_at.strftime("%Y-%m-%d %H:%M")
        table.add_row(mark, s.id, published, s.built or "—", files, *counts)
    out.print(table)


@user_errors
def rollback_command(
    snapshot: Annotated[str, typer.Argument(help="The snapshot to make current (its id).")],
    db: DbOption = None,
) -> None:
    """Make an earlier snapshot current again; the loads after it are withdrawn."""
    from dashboard.access import audit
    from etl import rollback, warehouse

    paths = warehouse.WarehousePaths(db_or_default(db))
    done = rollback.rollback(paths, snapshot, audit.cli_actor())
    audit.record(
        paths, audit.cli_actor(), "rollback", target=done.snapshot, previous=done.previous,
        withdrawn=done.withdrawn, reinstated=done.reinstated,
    )  # fmt: skip
    out.print(f"current snapshot: {done.snapshot} (was {done.previous})")
    if done.withdrawn:
        out.print(f"withdrawn load(s): {', '.join(done.withdrawn)} — their rows stay in raw, "
                  "no later snapshot counts them, their files may be loaded again")  # fmt: skip
    if done.reinstated:
        out.print(f"reinstated load(s): {', '.join(done.reinstated)}")
