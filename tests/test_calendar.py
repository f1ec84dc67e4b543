"""The working-day calendar past chinesecalendar: `ipgov calendar import` / `show`, provisional
days, and the KPIs that rest on them (issue 14).

Every 2027 schedule here is MADE UP for the tests — the State Council's real 2027 notice is not
in this repository and must not be invented: New Year's Day is given Friday 1 to Monday 4
January off and Sunday 10 January as the adjusted working day, so the made-up calendar differs
from the provisional one exactly on Monday 4 January.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.access import audit
from dashboard.cli import app as cli_app
from dashboard.i18n import t
from etl import calendar_import, kpis, warehouse
from etl.load import load
from etl.periods import Period
from etl.schedule_file import ScheduleError, read_schedule
from tests.conftest import query

# MADE UP for the tests: not the State Council's 2027 notice.
MADE_UP_2027 = """date,kind,name
2027-01-01,holiday,元旦
2027-01-02,holiday,元旦
2027-01-03,holiday,元旦
2027-01-04,holiday,元旦
2027-01-10,workday,元旦
"""
# the gate holds back records dated after the load day: these loads happen "in January 2027"
JAN_2027 = dt.date(2027, 1, 10)
NOTICES = [
    ["notice_id", "platform", "listing_url", "notice_sent_at", "removed_at"],
    # Wed 2026-12-30 → Mon 2027-01-04: Thu 31st works (2026 is chinesecalendar's); on the
    # provisional 2027 (statutory New Year's Day, weekday rule) Monday 4th works too = 2;
    # on the made-up schedule Monday 4th is off = 1.
    ["TD-NY", "Tmall", "u1", "2026-12-30 10:00:00", "2027-01-04 10:00:00"],
    # wholly inside 2026 (chinesecalendar): never provisional, Mon → Tue = 1
    ["TD-2026", "Tmall", "u2", "2026-03-02 10:00:00", "2026-03-03 10:00:00"],
]
Q4_2026 = Period(dt.date(2026, 10, 1), dt.date(2026, 12, 31), "2026Q4")
Q1_2026 = Period(dt.date(2026, 1, 1), dt.date(2026, 3, 31), "2026Q1")


def schedule_file(tmp_path: Path, text: str, encoding: str = "utf-8", name: str = "s.csv") -> Path:
    path = tmp_path / "schedules" / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode(encoding))
    return path


def cli(*args: str):
    result = CliRunner().invoke(cli_app, list(args))
    assert "Traceback" not in result.output, result.output
    return result


# --- the file -----------------------------------------------------------------------------------


def test_a_made_up_schedule_reads_as_written(tmp_path):
    schedule = read_schedule(schedule_file(tmp_path, MADE_UP_2027))
    assert schedule.year == 2027 and (schedule.holidays, schedule.workdays) == (4, 1)
    assert [(d.day.isoformat(), d.kind, d.name, d.row) for d in schedule.days][-1] == (
        "2027-01-10",
        "workday",
        "元旦",
        6,
    )


@pytest.mark.parametrize(
    ("encoding", "prefix"), [("utf-8", ""), ("utf-8", "\ufeff"), ("gb18030", ""), ("utf-16", "")]
)
def test_the_file_as_offices_save_it(tmp_path, encoding, prefix):
    # Chinese headers and values, dates as Excel writes them, a blank line, a BOM or not
    text = (
        prefix + "日期,类型,名称\n2027/1/1,放假,元旦\n\n2027年1月4日,休,元旦\n2027-1-10,上班,元旦\n"
    )
    schedule = read_schedule(schedule_file(tmp_path, text, encoding))
    assert [(d.day, d.is_workday, d.name) for d in schedule.days] == [
        (dt.date(2027, 1, 1), False, "元旦"),
        (dt.date(2027, 1, 4), False, "元旦"),
        (dt.date(2027, 1, 10), True, "元旦"),
    ]


@pytest.mark.parametrize(
    ("rows", "row", "english", "chinese"),
    [
        # Monday 2027-01-04 as an adjusted working day: only a Saturday or Sunday can be one
        ("2027-01-01,holiday,元旦\n2027-01-04,workday,元旦", 3, "is a weekday", "只能是周六或周日"),
        (
            "2027-01-01,holiday,元旦\n2027-01-01,holiday,元旦",
            3,
            "listed twice (also row 2)",
            "重复",
        ),
        ("2027-01-01,holiday,元旦\n2028-01-03,holiday,元旦", 3, "one file holds one year", "一年"),
        ("2027-02-30,holiday,春节", 2, "“2027-02-30” is not a date", "不是有效日期"),
        ("2027-01-01,off,元旦", 2, "neither holiday nor workday", "既不是"),
        ("2027-01-01,holiday,", 2, "has no name", "缺少节日名称"),
        # the 2027 mistake: Labour Day's Saturday and Sunday entered without the weekday off
        ("2027-05-01,holiday,劳动节\n2027-05-02,holiday,劳动节", 2, "weekend only", "只落在周末"),
    ],
)
def test_each_fault_is_one_line_naming_its_row(tmp_path, rows, row, english, chinese):
    path = schedule_file(tmp_path, "date,kind,name\n" + rows + "\n")
    with pytest.raises(ScheduleError) as raised:
        read_schedule(path)
    assert raised.value.row == row
    assert str(raised.value).startswith(f"s.csv row {row}: ") and english in str(raised.value)
    assert raised.value.message_zh.startswith(f"s.csv 第 {row} 行：")
    assert chinese in raised.value.message_zh
    assert "\n" not in str(raised.value) + raised.value.message_zh


def test_a_file_without_the_columns_or_text_is_refused(tmp_path):
    with pytest.raises(ScheduleError, match=r"row 1: missing column\(s\) kind"):
        read_schedule(schedule_file(tmp_path, "date,name\n2027-01-01,元旦\n"))
    with pytest.raises(ScheduleError, match=r"x\.csv: is empty"):
        read_schedule(schedule_file(tmp_path, "", name="x.csv"))
    binary = tmp_path / "schedules" / "bin.csv"
    binary.write_bytes(b"\x81\x20\xff\xfe\x00" * 4)
    with pytest.raises(ScheduleError, match="neither UTF-8 nor GB18030"):
        read_schedule(binary)


# --- provisional days, and an import that makes them official ----------------------------------


def test_a_notice_into_2027_is_provisional_until_the_year_is_imported(write_csv, tmp_path):
    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)
    load([write_csv("takedowns.csv", NOTICES)], db, today=JAN_2027)
    notices = "select notice_id, latency_workdays, is_provisional from fct_takedowns order by 1"
    assert query(paths, notices) == [("TD-2026", 1, False), ("TD-NY", 2, True)]
    assert query(
        paths, "select calendar_source, is_provisional from dim_date where date_day = '2027-01-04'"
    ) == [("statutory", True)]
    with warehouse.read_snapshot(paths) as con:
        q4 = kpis.provisional(con, Q4_2026)
        assert kpis.provisional(con, Q1_2026).kpis == ()  # its notices stay inside 2026
    assert q4.takedown_provisional_notices == 1 and q4.first_provisional_day == dt.date(2027, 1, 1)
    assert q4.kpis == kpis.WORKDAY_KPIS and q4.provisional_days == 0

    done = calendar_import.import_schedule(
        schedule_file(tmp_path, MADE_UP_2027), db, "cli:test", today=JAN_2027
    )
    assert done.snapshot is not None and done.snapshot_build == "full"  # ref.* changed
    assert warehouse.snapshot_id(paths) == done.snapshot.stem
    # the working-day count follows the imported schedule: Monday 4th is off now
    assert query(paths, notices) == [("TD-2026", 1, False), ("TD-NY", 1, False)]
    assert query(
        paths,
        "select date_day::varchar, is_workday, calendar_source, is_provisional from dim_date "
        "where date_day in ('2027-01-04', '2027-01-10', '2028-01-03') order by 1",
    ) == [
        ("2027-01-04", False, "imported", False),
        ("2027-01-10", True, "imported", False),  # the made-up adjusted Sunday
        ("2028-01-03", True, "weekday_rule", True),
    ]
    with warehouse.read_snapshot(paths) as con:
        q4 = kpis.provisional(con, Q4_2026)
        headline = kpis.headline(con, Q4_2026)
    assert q4.kpis == () and q4.takedown_provisional_notices == 0
    assert q4.first_provisional_day == dt.date(2028, 1, 1)
    assert headline["takedown_median_workdays"] == 1.0

    # the next load with new files counts on the imported calendar too (the calendar is in ref.*)
    more = [NOTICES[0], ["TD-JAN", "JD.com", "u3", "2027-01-08 10:00:00", "2027-01-11 09:00:00"]]
    load([write_csv("more.csv", more)], db, today=dt.date(2027, 1, 31))
    # Fri 8th → Mon 11th over the made-up working Sunday 10th = 2 (the weekday rule says 1)
    assert query(
        paths, "select latency_workdays from fct_takedowns where notice_id = 'TD-JAN'"
    ) == [(2,)]


def test_the_latest_import_of_a_year_wins_and_before_any_load_it_waits(write_csv, tmp_path):
    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)
    first = calendar_import.import_schedule(
        schedule_file(tmp_path, MADE_UP_2027), db, "cli:test", today=JAN_2027
    )
    assert first.snapshot is None and first.replaced is None  # nothing loaded: nothing published
    # a corrected (still made-up) file: Monday 4th works after all, no adjusted Sunday
    corrected = "date,kind,name\n2027-01-01,holiday,元旦\n2027-01-02,holiday,元旦\n"
    second = calendar_import.import_schedule(
        schedule_file(tmp_path, corrected, name="fixed.csv"), db, "cli:test", today=JAN_2027
    )
    assert second.replaced is not None and second.replaced.import_id == first.import_id
    shown = calendar_import.show(db, 2027)
    assert (shown.source, shown.is_provisional, shown.imported.source_file) == (
        "imported",
        False,
        "fixed.csv",
    )
    assert [(d.day.day, d.kind) for d in shown.days] == [(1, "holiday"), (2, "holiday")]
    load([write_csv("takedowns.csv", NOTICES)], db, today=JAN_2027)
    assert query(paths, "select latency_workdays, is_provisional from fct_takedowns "
                 "where notice_id = 'TD-NY'") == [(2, False)]  # fmt: skip


def test_a_year_chinesecalendar_ships_is_not_imported(tmp_path):
    path = schedule_file(tmp_path, "date,kind,name\n2026-01-01,holiday,元旦\n")
    with pytest.raises(ScheduleError, match="2026 is already known from chinesecalendar"):
        calendar_import.import_schedule(path, tmp_path / "wh" / "warehouse.duckdb", "cli:test")


def test_show_reads_each_source(tmp_path):
    db = tmp_path / "none" / "warehouse.duckdb"  # no warehouse yet: package and statutory file
    y2026, y2027, y2030 = (calendar_import.show(db, y) for y in (2026, 2027, 2030))
    assert (y2026.source, y2026.is_provisional) == ("chinesecalendar", False)
    # 2026's adjusted working Sunday 4 January (New Year) is listed with the holidays
    assert (dt.date(2026, 1, 4), "workday") in [(d.day, d.kind) for d in y2026.days]
    assert (y2027.source, y2027.is_provisional) == ("statutory", True)
    assert (y2030.source, y2030.is_provisional, y2030.days) == ("weekday_rule", True, [])
    assert not db.exists()  # show writes nothing


# --- the CLI ------------------------------------------------------------------------------------


def test_the_commands_say_provisional_and_the_import_is_audited(write_csv, tmp_path):
    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)
    load([write_csv("takedowns.csv", NOTICES)], db, today=JAN_2027)
    period = ["--from", "2026-10-01", "--to", "2026-12-31", "--db", str(db)]
    before = json.loads(cli("kpis", *period, "--json").output)
    assert before["calendar"]["is_provisional"] is True
    assert before["calendar"]["provisional_kpis"] == list(kpis.WORKDAY_KPIS)
    assert before["calendar"]["takedown_provisional_notices"] == 1
    printed = cli("kpis", *period).output
    assert "takedown_median_workdays *" in printed and "* provisional: 1 notice(s)" in printed
    assert (
        "2027 is PROVISIONAL" in cli("calendar", "show", "--year", "2027", "--db", str(db)).output
    )

    bad = schedule_file(tmp_path, "date,kind,name\n2027-01-04,workday,元旦\n", name="bad.csv")
    refused = cli("calendar", "import", str(bad), "--db", str(db))
    assert refused.exit_code == 2
    assert "bad.csv row 2: 2027-01-04 is a weekday" in refused.output
    assert "bad.csv 第 2 行：" in refused.output

    good = schedule_file(tmp_path, MADE_UP_2027, name="made-up-2027.csv")
    done = cli("calendar", "import", str(good), "--db", str(db))
    assert done.exit_code == 0, done.output
    assert "imported 2027: 4 holiday(s), 1 adjusted working day(s)" in done.output
    after = json.loads(cli("kpis", *period, "--json").output)
    assert after["calendar"]["is_provisional"] is False
    assert after["takedown_median_workdays"] == 1.0
    assert "*" not in cli("kpis", *period).output
    shown = json.loads(cli("calendar", "show", "--year", "2027", "--json", "--db", str(db)).output)
    assert (shown["source"], shown["is_provisional"]) == ("imported", False)
    assert shown["imported"]["file"] == "made-up-2027.csv"
    assert [d["date"] for d in shown["days"]] == [
        "2027-01-01",
        "2027-01-02",
        "2027-01-03",
        "2027-01-04",
        "2027-01-10",
    ]
    rows = [(e.outcome, e.target, e.rows) for e in audit.entries(paths, action="calendar_import")]
    assert rows == [("ok", str(good), 5), ("failed", str(bad), None)]  # newest first


# --- the dashboard and the briefing say it too --------------------------------------------------


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pages_and_briefing_note_provisional_latencies(monkeypatch, write_csv, tmp_path, lang):
    from dashboard import briefing, queries
    from dashboard.briefing import content
    from etl import settings
    from etl.periods import parse_quarter
    from tests.test_pages import run_page

    db = tmp_path / "wh" / "warehouse.duckdb"
    load([write_csv("takedowns.csv", NOTICES)], db, today=JAN_2027)
    note = t("calendar_provisional_note", lang, notices="1", date="2027-01-01")
    q4 = {"period": "custom", "from": "2026-10-01", "to": "2026-12-31"}
    q1 = {"period": "custom", "from": "2026-01-01", "to": "2026-03-31"}
    for page in ("takedowns", "overview"):
        at = run_page(monkeypatch, db, page, lang, query=q4)
        assert not at.exception, at.exception
        assert note in [w.value for w in at.warning], page
        at = run_page(monkeypatch, db, page, lang, query=q1)  # inside 2026: nothing to say
        assert not [w for w in at.warning if w.value.startswith(note[:6])], page
    with settings.overridden(db=str(db)):
        data = briefing.collect(queries.snapshot_id(), parse_quarter("2026Q4"), lang)
    stated = t(
        "brief_provisional",
        lang,
        quarter=content.quarter_name(parse_quarter("2026Q4"), lang),
        notices="1",
        date=content.date_name(dt.date(2027, 1, 1), lang),
    )
    assert stated in data.statements

    calendar_import.import_schedule(
        schedule_file(tmp_path, MADE_UP_2027), db, "cli:test", today=JAN_2027
    )
    at = run_page(monkeypatch, db, "takedowns", lang, query=q4)
    assert note not in [w.value for w in at.warning]
    with settings.overridden(db=str(db)):
        data = briefing.collect(queries.snapshot_id(), parse_quarter("2026Q4"), lang)
    assert stated not in data.statements


def test_an_import_whose_publish_never_happened_is_published_by_the_next_load(write_csv, tmp_path):
    """The schedule committed, then the process died before its snapshot (etl/calendar_import.py
    stores first): loading the very same files again publishes the new calendar."""
    from etl import schedules
    from etl.raw import ensure_raw, new_load_id

    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)
    notices = write_csv("takedowns.csv", NOTICES)
    load([notices], db, today=JAN_2027)
    before = warehouse.snapshot_id(paths)
    con = warehouse.connect_ingest(paths)
    try:
        ensure_raw(con)
        made_up = read_schedule(schedule_file(tmp_path, MADE_UP_2027))
        schedules.store(con, made_up, new_load_id(), "made-up.csv", "0" * 64, "cli:test")
    finally:
        con.close()
    again = load([notices], db, today=JAN_2027)
    assert [f.status for f in again.files] == ["skipped"]
    assert warehouse.snapshot_id(paths) != before and again.snapshot_build == "full"
    assert query(paths, "select latency_workdays, is_provisional from fct_takedowns "
                 "where notice_id = 'TD-NY'") == [(1, False)]  # fmt: skip
