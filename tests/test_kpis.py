"""KPI views: the published figures, an independent polars computation, monthly = headline."""

from __future__ import annotations

import datetime as dt
import io
import json
from pathlib import Path

import chinese_calendar
import polars as pl
import pytest

from etl import kpis, warehouse
from etl.periods import Period, quarter, year
from etl.sources import KINDS
from tests.conftest import query


def headline(paths: warehouse.WarehousePaths, period: Period) -> dict:
    with warehouse.read_snapshot(paths) as con:
        return kpis.headline(con, period)


@pytest.mark.parametrize(
    ("period", "expected"),
    [
        (year(2022), {"patent_preexam_accepted": 5140, "patent_preexam_authorized": 4636}),
        (
            year(2023),
            {
                "patent_preexam_accepted": 4165,
                "patent_preexam_authorized": 3737,
                "cases_accepted": 408,
                "trademark_cases": 189,
            },
        ),
        (
            Period(dt.date(2023, 1, 1), dt.date(2024, 4, 25), "launch to 2024-04-25"),
            {"notarizations": 482},
        ),
    ],
)
def test_published_figures(sample_wh, period, expected):
    values = headline(sample_wh, period)
    assert {k: values[k] for k in expected} == expected


# --- an independent computation straight from the source files, with polars -------------------


def _rename(frame: pl.DataFrame, kind: str) -> pl.DataFrame:
    names = {c.zh: c.name for c in KINDS[kind].columns}
    return frame.rename({h: names.get(h, h) for h in frame.columns})


def _sources(sample_dir: Path) -> dict[str, pl.DataFrame]:
    cases = pl.concat(
        [
            _rename(
                pl.read_csv(
                    io.BytesIO(p.read_bytes().decode("gb18030").encode()), infer_schema=False
                ),
                "cases",
            )
            for p in sorted(sample_dir.glob("cases_*.csv"))
        ]
    ).with_columns(
        pl.col(c).str.to_date("%Y/%m/%d", strict=False)
        for c in ("received_on", "closed_on", "referred_on")
    )
    takedowns = pl.concat(
        [pl.read_csv(p, infer_schema=False) for p in sorted(sample_dir.glob("takedowns_*.csv"))]
    ).with_columns(
        pl.col(c).str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)
        for c in ("notice_sent_at", "removed_at")
    )
    patents = pl.concat([pl.read_parquet(p) for p in sorted(sample_dir.glob("patents_*.parquet"))])
    trademarks = pl.concat(
        [
            _rename(pl.read_excel(p), "trademarks")
            for p in sorted(sample_dir.glob("trademarks_*.xlsx"))
        ]
    ).with_columns(pl.col("opened_on", "closed_on").cast(pl.Date))
    notarizations = pl.read_csv(sample_dir / "notarizations.csv", infer_schema=False).with_columns(
        pl.col("notarized_at").str.to_datetime("%Y-%m-%d %H:%M:%S", strict=False)
    )
    return {
        "cases": cases,
        "takedowns": takedowns,
        "patents": patents,
        "trademarks": trademarks,
        "notarizations": notarizations,
    }


def _workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end], straight from chinesecalendar."""
    if end <= start:
        return 0
    return len(chinese_calendar.get_workdays(start + dt.timedelta(days=1), end))


def _pending(sent: pl.DataFrame, last_day: dt.date) -> list[bool]:
    """Whether each notice is pending: still live, and removed the day after the data's last day
    it would still be within 2 working days (its window has not closed)."""
    after = last_day + dt.timedelta(days=1)
    return [
        removed is None and _workdays_between(notice.date(), after) <= 2
        for notice, removed in zip(sent["notice_sent_at"], sent["removed_at"], strict=True)
    ]


def _independent(src: dict[str, pl.DataFrame], p: Period, last_day: dt.date) -> dict:
    def within(col: str) -> pl.Expr:
        return pl.col(col).is_between(p.start, p.end)

    cases, patents, tm = src["cases"], src["patents"], src["trademarks"]
    sent = src["takedowns"].filter(pl.col("notice_sent_at").dt.date().is_between(p.start, p.end))
    latency = [
        None if removed is None else _workdays_between(notice.date(), removed.date())
        for notice, removed in zip(sent["notice_sent_at"], sent["removed_at"], strict=True)
    ]
    removed = pl.Series([x for x in latency if x is not None], dtype=pl.Float64)
    # a pending notice is neither within nor past the target: out of the share's denominator
    closed = [
        x for x, pending in zip(latency, _pending(sent, last_day), strict=True) if not pending
    ]
    referred = cases.filter(within("referred_on"))
    return {
        "patent_preexam_accepted": patents.filter(within("accepted_on")).height,
        "patent_preexam_authorized": patents.filter(within("authorized_on")).height,
        "cases_accepted": cases.filter(within("received_on")).height,
        "cases_closed": cases.filter(within("closed_on")).height,
        "cases_open_end": cases.filter(
            (pl.col("received_on") <= p.end)
            & (pl.col("closed_on").is_null() | (pl.col("closed_on") > p.end))
        ).height,
        "trademark_cases": tm.filter(within("opened_on")).height,
        "trademark_fines_yuan": round(float(tm.filter(within("closed_on"))["fine_yuan"].sum()), 2),
        "notarizations": src["notarizations"]
        .filter(pl.col("notarized_at").dt.date().is_between(p.start, p.end))
        .height,
        "takedown_requests": sent.height,
        "takedown_median_workdays": removed.median() if removed.len() else None,
        "takedown_p90_workdays": removed.quantile(0.9, "linear") if removed.len() else None,
        "takedown_within_2wd_share": sum(1 for x in closed if x is not None and x <= 2)
        / len(closed)
        if closed
        else None,
        "referrals_out": referred.filter(pl.col("referral_direction") == "移出").height,
        "referrals_in": referred.filter(pl.col("referral_direction") == "移入").height,
    }


@pytest.mark.parametrize(
    "period",
    [
        year(2023),
        quarter(2024, 3),
        quarter(2022, 1),
        Period(dt.date(2026, 9, 1), dt.date(2026, 9, 30), "sep"),
    ],
)
def test_kpi_views_match_an_independent_computation(sample_dir, sample_wh, period):
    expected = _independent(_sources(sample_dir), period, _last_day(sample_wh))
    got = {k: kpis.as_json_value(v) for k, v in headline(sample_wh, period).items()}
    assert got.keys() == expected.keys()
    for key, value in expected.items():
        assert got[key] == pytest.approx(value, abs=1e-9), key


def _last_day(paths: warehouse.WarehousePaths) -> dt.date:
    with warehouse.read_snapshot(paths) as con:
        return kpis.data_span(con)[1]


@pytest.mark.parametrize(
    ("period", "pending"),
    [
        # the sample ends on Wednesday 2026-09-30, the eve of the National Day week: a notice of
        # Monday the 28th removed on 1-7 October would still be within 2 working days
        (quarter(2026, 3), 8),
        (Period(dt.date(2026, 9, 28), dt.date(2026, 9, 28), "monday"), 2),
        (quarter(2026, 2), 0),  # every window closed long before the data's end
    ],
)
def test_pending_notices_are_counted_and_left_out_of_the_share(
    sample_dir, sample_wh, period, pending
):
    takedowns = _sources(sample_dir)["takedowns"]
    sent = takedowns.filter(pl.col("notice_sent_at").dt.date().is_between(period.start, period.end))
    last_day = _last_day(sample_wh)
    assert last_day == dt.date(2026, 9, 30)
    flags = _pending(sent, last_day)
    within = sum(
        removed is not None and _workdays_between(notice.date(), removed.date()) <= 2
        for notice, removed in zip(sent["notice_sent_at"], sent["removed_at"], strict=True)
    )
    with warehouse.read_snapshot(sample_wh) as con:
        got = kpis.takedown_pending(con, period)
        share = kpis.headline(con, period)["takedown_within_2wd_share"]
    assert got == sum(flags) == pending
    assert share == pytest.approx(within / (sent.height - pending), abs=1e-12)
    if pending:  # counted as failures, as before, they would pull the share down
        assert share > within / sent.height


def test_ipgov_kpis_says_how_many_notices_are_pending(sample_wh):
    from typer.testing import CliRunner

    from dashboard.cli import app

    db = ["--db", str(sample_wh.db)]
    as_json = CliRunner().invoke(app, ["kpis", "--quarter", "2026Q3", "--json", *db])
    assert as_json.exit_code == 0, as_json.output
    assert json.loads(as_json.output)["takedown_2wd_pending"] == 8
    table = CliRunner().invoke(app, ["kpis", *db])  # the latest quarter: 2026Q3
    assert "8 takedown notices pending" in " ".join(table.output.split())
    past = CliRunner().invoke(app, ["kpis", "--quarter", "2025Q3", *db])
    assert past.exit_code == 0 and "pending" not in past.output


def test_monthly_equals_headline_month_by_month(sample_wh):
    months = query(sample_wh, "select month_start from kpi_monthly order by 1")
    assert len(months) >= 50
    with warehouse.read_snapshot(sample_wh) as con:
        frame = con.sql("select * from kpi_monthly").pl()
        for (month,) in months[::7] + months[-2:]:
            end = (month.replace(day=28) + dt.timedelta(days=4)).replace(day=1)
            want = kpis.headline(con, Period(month, end - dt.timedelta(days=1), ""))
            row = frame.filter(pl.col("month_start") == month).to_dicts()[0]
            for key, value in want.items():
                assert row[key] == pytest.approx(value), (month, key)


def test_empty_period_is_zero_not_an_error(sample_wh):
    values = headline(sample_wh, year(2010))
    assert values["takedown_requests"] == 0 and values["cases_accepted"] == 0
    assert values["takedown_median_workdays"] is None


def test_evidence_chain_intact_in_the_sample(sample_wh):
    assert query(
        sample_wh,
        "select bool_and(is_record_hash_valid), bool_and(is_chain_linked) from fct_notarizations",
    ) == [(True, True)]


DASHBOARD_SQL = Path(__file__).resolve().parent.parent / "dashboard" / "sql"


@pytest.mark.parametrize("period", [year(2023), quarter(2024, 3), year(2010)])
def test_dashboard_takedown_figures_equal_the_headline(sample_wh, period):
    """The dashboard's takedown summary, with no filter, is the headline KPI exactly: both take
    their latency quantiles from latency_quantiles, the notices from the same date."""
    sql = (DASHBOARD_SQL / "takedown_summary.sql").read_text(encoding="utf-8")
    want = headline(sample_wh, period)
    with warehouse.read_snapshot(sample_wh) as con:
        params = {"start": period.start, "end": period.end, "platforms": [], "as_of": period.end}
        got = con.sql(sql, params=params).pl().to_dicts()[0]
    assert got["notices"] == want["takedown_requests"]
    assert got["median_workdays"] == want["takedown_median_workdays"]
    assert got["p90_workdays"] == want["takedown_p90_workdays"]
    assert got["within_2wd_share"] == want["takedown_within_2wd_share"]
