"""The Kaplan-Meier curves of the Takedowns page held to lifelines' KaplanMeierFitter, on the
same notices with durations counted independently (chinesecalendar), for a past quarter and to
date. One convention (docs/kpis.md, "Survival curves"): as known on the cut-off day — a listing
removed after it was still live then, censored at its age on that day."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import chinese_calendar
import polars as pl
import pytest
from lifelines import KaplanMeierFitter

from etl import kpis, warehouse
from etl.periods import Period, quarter, year

KM_SQL = Path(__file__).resolve().parent.parent / "dashboard" / "sql" / "takedown_km.sql"


def _workdays_between(start: dt.date, end: dt.date) -> int:
    """Working days in (start, end], straight from chinesecalendar."""
    if end <= start:
        return 0
    return len(chinese_calendar.get_workdays(start + dt.timedelta(days=1), end))


def _durations(notices: pl.DataFrame, cutoff: dt.date) -> pl.DataFrame:
    """Each notice's duration and whether its removal was observed, as known on `cutoff`."""
    rows = []
    for platform, sent, removed in notices.iter_rows():
        seen = removed is not None and removed <= cutoff
        rows.append((platform, _workdays_between(sent, removed if seen else cutoff), seen))
    return pl.DataFrame(rows, schema=["platform", "duration", "event"], orient="row")


def _curves(paths: warehouse.WarehousePaths, period: Period) -> tuple[pl.DataFrame, ...]:
    with warehouse.read_snapshot(paths) as con:
        last_day = kpis.data_span(con)[1]
        cutoff = min(period.end, last_day)  # as the pages and the briefing set $as_of
        params = {"start": period.start, "end": period.end, "platforms": [], "as_of": cutoff}
        sql = con.sql(KM_SQL.read_text(encoding="utf-8"), params=params).pl()
        notices = con.sql(
            "select platform, notice_sent_on, removed_on from fct_takedowns"
            " where notice_sent_on between $start and $end order by notice_id",
            params={"start": period.start, "end": period.end},
        ).pl()
    return sql, _durations(notices, cutoff), notices, cutoff


@pytest.mark.parametrize(
    ("period", "past"),
    [(quarter(2025, 2), True), (quarter(2023, 4), True), (year(2026), False)],
    ids=["2025Q2", "2023Q4", "2026-to-date"],
)
def test_kaplan_meier_equals_lifelines(sample_wh, period, past):
    sql, durations, notices, cutoff = _curves(sample_wh, period)
    removed_later = notices.filter(pl.col("removed_on") > cutoff).height
    # a past quarter has removals after its end (which the curve must treat as still live
    # then); to date, nothing is removed after the data's last day
    assert (removed_later > 0) == past
    assert sql["platform"].n_unique() == durations["platform"].n_unique() >= 5
    compared = 0
    for platform, mine in sql.group_by("platform"):
        theirs = durations.filter(pl.col("platform") == platform[0])
        kmf = KaplanMeierFitter().fit(theirs["duration"], theirs["event"])
        table = kmf.event_table  # one row per time observed (plus 0), removed and at risk
        seen = table[table["observed"] + table["censored"] > 0]
        assert mine["workdays"].to_list() == [int(t) for t in seen.index]
        assert mine["n_at_risk"].to_list() == seen["at_risk"].tolist()
        assert mine["removed"].to_list() == seen["observed"].tolist()
        expected = kmf.survival_function_at_times(mine["workdays"].to_list()).tolist()
        assert mine["share_still_live"].to_list() == pytest.approx(expected, abs=1e-9)
        compared += mine.height
    assert compared > 50


def test_open_notices_are_the_ones_still_live_on_the_cut_off_day(sample_wh):
    # the list of open notices follows the curve's convention: for a past quarter, a listing
    # removed after the quarter's end was still open at its end, aged on that day
    period = quarter(2025, 2)
    _, durations, notices, cutoff = _curves(sample_wh, period)
    sql = (KM_SQL.parent / "takedown_open.sql").read_text(encoding="utf-8")
    params = {"start": period.start, "end": period.end, "platforms": [], "as_of": cutoff}
    with warehouse.read_snapshot(sample_wh) as con:
        shown = con.sql(sql, params=params).pl()
    open_then = durations.filter(~pl.col("event"))
    assert shown.height == min(open_then.height, 200) > 0
    assert (
        sorted(shown["open_workdays"].to_list(), reverse=True)
        == sorted(open_then["duration"].to_list(), reverse=True)[: shown.height]
    )
    assert notices.filter(pl.col("removed_on") > cutoff).height > 0


@pytest.mark.parametrize(
    ("period", "past"), [(quarter(2025, 2), True), (year(2026), False)], ids=["2025Q2", "to-date"]
)
def test_still_live_counts_follow_the_cut_off_day(sample_wh, period, past):
    # the Takedowns tiles, the distribution beside the curve, the per-platform chart and the
    # briefing's "still live" count the listings live on the cut-off day, as the curve does
    # (for 2025Q2: 32 at its end, though only 14 are still live to date)
    _, durations, notices, cutoff = _curves(sample_wh, period)
    params = {"start": period.start, "end": period.end, "platforms": [], "as_of": cutoff}
    with warehouse.read_snapshot(sample_wh) as con:

        def run(name: str) -> pl.DataFrame:
            sql = (KM_SQL.parent / f"{name}.sql").read_text(encoding="utf-8")
            return con.sql(sql, params=params).pl()

        summary = run("takedown_summary").row(0, named=True)
        distribution = run("takedown_distribution")
        by_platform = run("takedown_by_platform")
    live_then = durations.filter(~pl.col("event")).height
    assert summary["still_live"] == live_then == by_platform["still_live"].sum()
    assert summary["removed"] + summary["still_live"] == summary["notices"] == notices.height
    assert distribution.filter(pl.col("bucket") == 99)["notices"].to_list() == [live_then]
    assert distribution["notices"].sum() == notices.height
    live_now = notices.filter(pl.col("removed_on").is_null()).height
    if past:
        assert (live_then, live_now) == (32, 14)
    else:  # to date, the cut-off day is the data's last day: live then is live now
        assert live_then == live_now > 0
