"""Headline KPIs for a period, read from the published snapshot's `kpi_headline` macro.

The CLI (`ipgov kpis`), the dashboard and the briefing all call this, so they show one number.
Definitions live in etl/sql/kpis/kpi_headline.sql and docs/kpis.md.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import duckdb

from etl.periods import Period, quarter_of

KPI_KEYS: tuple[str, ...] = (
    "patent_preexam_accepted",
    "patent_preexam_authorized",
    "cases_accepted",
    "cases_closed",
    "cases_open_end",
    "trademark_cases",
    "trademark_fines_yuan",
    "notarizations",
    "takedown_requests",
    "takedown_median_workdays",
    "takedown_p90_workdays",
    "takedown_within_2wd_share",
    "referrals_out",
    "referrals_in",
)

KpiValue = int | float | Decimal | None

# kpi_headline's optional filters (code lists; etl/sql/kpis/kpi_headline.sql): the Compare page
# and `ipgov kpis --platform …` narrow the KPIs with them. Names from this fixed list only.
FILTERS: tuple[str, ...] = ("platforms", "locations", "ip_types", "regions")


def _kpi_headline(
    con: duckdb.DuckDBPyConnection, columns: str, period: Period, narrowed: dict
) -> duckdb.DuckDBPyConnection:
    """kpi_headline for the period, narrowed by the filters given (empty ones left out)."""
    unknown = set(narrowed) - set(FILTERS)
    if unknown:
        raise ValueError(f"kpi_headline has no filter {sorted(unknown)}; it has {FILTERS}")
    named = [name for name in FILTERS if narrowed.get(name)]
    args = "".join(f", {name} := ?" for name in named)
    values = [list(narrowed[name]) for name in named]
    return con.execute(
        f"select {columns} from kpi_headline(?, ?{args})", [period.start, period.end, *values]
    )


def headline(
    con: duckdb.DuckDBPyConnection, period: Period, **narrowed: Sequence[str]
) -> dict[str, KpiValue]:
    """Every headline KPI for the period, keyed as in KPI_KEYS; `narrowed` (FILTERS: code
    lists) keeps the records of those platforms, parks/markets, IP types or partner regions,
    and a KPI whose records lack a filtered dimension is None (not applicable)."""
    result = _kpi_headline(con, "*", period, narrowed)
    names = [d[0] for d in result.description]
    row = result.fetchall()[0]
    values = dict(zip(names, row, strict=True))
    return {key: values[key] for key in KPI_KEYS}


def takedown_pending(
    con: duckdb.DuckDBPyConnection, period: Period, **narrowed: Sequence[str]
) -> int | None:
    """How many of the period's takedown notices are pending: still live with their
    2-working-day window open at the data's end, so left out of takedown_within_2wd_share
    (etl/sql/kpis/takedown_2wd_pending.sql). Said beside the share wherever it is shown.
    None when `narrowed` names a dimension takedowns do not carry."""
    rows = _kpi_headline(con, "takedown_2wd_pending", period, narrowed).fetchall()
    return rows[0][0]


def data_span(con: duckdb.DuckDBPyConnection) -> tuple[dt.date, dt.date] | None:
    """First and last day with data, or None for an empty warehouse. Read from the snapshot's
    meta_data_span view, the same "data up to" the dashboard shows and ages open items at."""
    rows = con.execute("select first_day, last_day from meta_data_span").fetchall()
    first, last = rows[0]
    if first is None:
        return None
    return first, last


def default_period(con: duckdb.DuckDBPyConnection) -> Period:
    """The latest quarter with data: what an official asks about first."""
    span = data_span(con)
    return quarter_of(span[1] if span else dt.date.today())


def as_json_value(value: KpiValue) -> int | float | None:
    """Decimals as floats rounded to fen, so JSON readers get numbers."""
    if isinstance(value, Decimal):
        return float(round(value, 2))
    return value


# The headline KPIs counted in China working days: provisional when the period's notices touch a
# day without an official schedule (kpi_provisional, docs/kpis.md).
WORKDAY_KPIS: tuple[str, ...] = (
    "takedown_median_workdays",
    "takedown_p90_workdays",
    "takedown_within_2wd_share",
)


@dataclass(frozen=True)
class Provisional:
    """How far a period's working-day KPIs rest on a provisional calendar."""

    provisional_days: int  # days of the period without an official schedule
    first_provisional_day: dt.date | None
    takedown_provisional_notices: int  # notices whose latency touches such a day

    @property
    def kpis(self) -> tuple[str, ...]:
        """The headline KPIs that are provisional for the period (empty when none is)."""
        return WORKDAY_KPIS if self.takedown_provisional_notices else ()

    def as_json(self) -> dict[str, object]:
        return {
            "is_provisional": bool(self.kpis),
            "provisional_kpis": list(self.kpis),
            "takedown_provisional_notices": self.takedown_provisional_notices,
            "provisional_days": self.provisional_days,
            "first_provisional_day": (
                self.first_provisional_day.isoformat() if self.first_provisional_day else None
            ),
        }


def provisional(con: duckdb.DuckDBPyConnection, period: Period) -> Provisional:
    """The period's row of the snapshot's kpi_provisional macro."""
    row = con.execute(
        "select provisional_days, first_provisional_day, takedown_provisional_notices "
        "from kpi_provisional(?, ?)",
        [period.start, period.end],
    ).fetchone()
    return Provisional(int(row[0]), row[1], int(row[2]))
