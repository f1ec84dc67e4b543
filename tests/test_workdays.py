"""Latency in China working days: statutory holidays, adjusted weekends, provisional years."""

from __future__ import annotations

import datetime as dt

from etl.workdays import SOURCE_PACKAGE, SOURCE_STATUTORY, SOURCE_WEEKDAY, calendar_days
from tests.conftest import query

HEADER = ["notice_id", "platform", "listing_url", "notice_sent_at", "removed_at"]


def test_calendar_sources_by_year():
    days = calendar_days(dt.date(2026, 12, 30), dt.date(2028, 1, 2))
    by_day = {r["date_day"]: r for r in days.to_dicts()}
    assert by_day[dt.date(2026, 12, 31)]["calendar_source"] == SOURCE_PACKAGE
    # 2027 is past chinesecalendar 1.11 and nothing is imported: the statutory days of the
    # override file on the weekday rule (provisional), New Year's Day is off
    assert by_day[dt.date(2027, 1, 1)]["calendar_source"] == SOURCE_STATUTORY
    assert by_day[dt.date(2027, 1, 1)]["is_workday"] is False
    assert by_day[dt.date(2027, 1, 4)]["is_workday"] is True  # an ordinary Monday
    # 2028 is in neither: weekday rule, flagged
    assert by_day[dt.date(2028, 1, 1)]["calendar_source"] == SOURCE_WEEKDAY


def test_spring_festival_and_adjusted_weekend_workdays(write_csv, load_into, wh_paths):
    rows = [
        HEADER,
        # Thu 2024-02-08 → Mon 2024-02-19: Fri 9th works, 10th–17th holiday,
        # Sun 18th is an adjusted working day, Mon 19th works = 3 working days.
        ["TD-SF", "Tmall", "u1", "2024-02-08 10:00:00", "2024-02-19 09:00:00"],
        # Sun 2024-02-04 was an adjusted working day: notice then, removal Monday = 1.
        ["TD-ADJ", "JD.com", "u2", "2024-02-04 10:00:00", "2024-02-05 10:00:00"],
        # Sat 2024-09-14 was a working Saturday (Mid-Autumn swap); Sun 15th–Tue 17th off;
        # removal Wed 18th = 1 working day after the Saturday.
        ["TD-SAT", "Taobao", "u3", "2024-09-14 10:00:00", "2024-09-18 10:00:00"],
        # Plain weekend: Fri → Mon = 1.
        ["TD-WKD", "Taobao", "u4", "2024-03-01 17:00:00", "2024-03-04 09:00:00"],
        # Same day = 0; still live = null and not within 2 working days.
        ["TD-SAME", "Douyin", "u5", "2024-03-05 09:00:00", "2024-03-05 18:00:00"],
        ["TD-LIVE", "Douyin", "u6", "2024-03-05 09:00:00", ""],
    ]
    summary = load_into(write_csv("takedowns.csv", rows))
    assert [f.status for f in summary.files] == ["loaded"]
    got = dict(query(wh_paths, "select notice_id, latency_workdays from fct_takedowns"))
    assert got == {"TD-SF": 3, "TD-ADJ": 1, "TD-SAT": 1, "TD-WKD": 1, "TD-SAME": 0, "TD-LIVE": None}
    within = dict(query(wh_paths, "select notice_id, is_within_2wd from fct_takedowns"))
    assert within["TD-SF"] is False and within["TD-SAT"] is True and within["TD-LIVE"] is False


def test_provisional_flag_beyond_known_calendars(write_csv, wh_paths):
    from etl.load import load

    rows = [HEADER, ["TD-2028", "Tmall", "u", "2028-03-01 10:00:00", "2028-03-02 10:00:00"]]
    # loaded "in 2028": the quality gate holds back records dated after the load day
    load([write_csv("future.csv", rows)], wh_paths.db, today=dt.date(2028, 12, 31))
    assert query(wh_paths, "select latency_workdays, is_provisional from fct_takedowns") == [
        (1, True)
    ]


def test_every_covered_day_is_what_chinesecalendar_says():
    # calendar_days reads chinesecalendar's tables directly (its functions check each date
    # against every holiday, a sixth of a district load): the same answer for every day it covers
    import chinese_calendar

    days = calendar_days(dt.date(2004, 1, 1), dt.date(2026, 12, 31))
    covered = days.filter(days["calendar_source"] == SOURCE_PACKAGE)
    assert covered.height == 8401  # 2004-01-01 .. 2026-12-31
    for day, is_workday, name in covered.select("date_day", "is_workday", "holiday_name").rows():
        on_holiday, holiday = chinese_calendar.get_holiday_detail(day)
        assert is_workday == chinese_calendar.is_workday(day), day
        assert name == (holiday if on_holiday and holiday else None), day
