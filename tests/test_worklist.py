"""The 督办 supervision worklist: its items equal an independent count of late and due items
(plain Python over the marts' rows, working days from chinesecalendar rather than dim_date),
and the page shows them in zh and en, as counts to a viewer."""

from __future__ import annotations

import datetime as dt
import itertools

import chinese_calendar
import pytest

from dashboard import core, worklist
from dashboard.columns import COLUMNS, local_codes
from dashboard.i18n import t
from etl import settings, warehouse
from tests.test_pages import h, run_page

DAY = dt.timedelta(days=1)
FIRST, LAST = dt.date(2021, 1, 1), dt.date(2026, 12, 31)  # chinesecalendar's years the sample uses


def _calendar() -> dict[dt.date, int]:
    """Working days from FIRST up to and including each day, from chinesecalendar alone."""
    index, count, day = {}, 0, FIRST
    while day <= LAST:
        count += chinese_calendar.is_workday(day)
        index[day] = count
        day += DAY
    return index


INDEX = _calendar()


def workdays(a: dt.date, b: dt.date) -> int:
    """Working days in (a, b]; negative when b is before a."""
    return INDEX[b] - INDEX[a]


def nth_workday_after(start: dt.date, n: int) -> dt.date:
    day, seen = start, 0
    while seen < n:
        day += DAY
        seen += chinese_calendar.is_workday(day)
    return day


def expected(con, as_of: dt.date, d: dict[str, int]) -> dict[tuple[str, str], tuple]:
    """(kind, id) → (state, age in working days, due day) of every open item late or due on
    `as_of`, computed here from the facts' plain columns."""
    rows = {}

    def add(kind, item, start, due, late, age):
        to_go = workdays(as_of, due)  # working days from as_of to the due day
        if late:
            rows[(kind, item)] = ("late", age, due)
        elif to_go < d["near_workdays"]:
            rows[(kind, item)] = ("due", age, due)

    live = con.sql(
        "select notice_id, notice_sent_on, removed_on from fct_takedowns where notice_sent_on <= ?",
        params=[as_of],
    ).fetchall()
    for notice, sent, removed in live:
        if removed is None or removed > as_of:
            age = workdays(sent, as_of)
            due = nth_workday_after(sent, d["takedown_workdays"])
            add("takedown_live", notice, sent, due, age > d["takedown_workdays"], age)
    cases = con.sql(
        "select case_id, service_type, received_on, advisory_opinion_on, closed_on,"
        " referral_direction, referred_on, referral_closed_on from fct_cases"
    ).fetchall()
    for case, service, received, opinion, closed, direction, referred, finished in cases:
        still_open = received <= as_of and (closed is None or closed > as_of)
        age = workdays(received, as_of) if received <= as_of else None
        if still_open and service == "advisory_opinion" and (opinion is None or opinion > as_of):
            due = nth_workday_after(received, d["opinion_workdays"])
            add("opinion_missing", case, received, due, age > d["opinion_workdays"], age)
        if still_open:
            due = received + dt.timedelta(days=d["case_open_days"])
            late = (as_of - received).days > d["case_open_days"]
            add("case_open", case, received, due, late, age)
        sent = referred is not None and referred <= as_of  # an undated referral cannot age
        if direction == "out" and sent and (finished is None or finished > as_of):
            ref_age = workdays(referred, as_of)
            due = nth_workday_after(referred, d["referral_workdays"])
            add(
                "referral_unanswered",
                case,
                referred,
                due,
                ref_age > d["referral_workdays"],
                ref_age,
            )
    return rows


def listed(paths: warehouse.WarehousePaths, as_of: dt.date) -> dict[tuple[str, str], tuple]:
    """What the worklist query (as the page and the alerts read it) lists on `as_of`."""
    with settings.overridden(db=paths.db):
        frame = core.records_all("worklist", core.snapshot_id(), worklist.params(as_of))
    return {
        (r["item_kind"], r["item_id"]): (r["item_status"], r["age_workdays"], r["due_on"])
        for r in frame.iter_rows(named=True)
    }


# The data's last day; the day after National Day 2023 (an advisory opinion overdue across
# the holiday); a day an opinion was 3 working days late (accepted 2026-08-28, issued 09-07).
@pytest.mark.parametrize(
    ("as_of", "near"),
    [("2026-09-30", 1), ("2023-10-09", 1), ("2026-09-02", 1), ("2026-09-30", 3)],
)
def test_worklist_equals_an_independent_count(sample_wh, monkeypatch, as_of, near):
    monkeypatch.setenv("IPGOV_WORKLIST_NEAR_WORKDAYS", str(near))
    day = dt.date.fromisoformat(as_of)
    d = {
        "takedown_workdays": 2,
        "opinion_workdays": 2,
        "case_open_days": 90,
        "referral_workdays": 30,
        "near_workdays": near,
    }
    with warehouse.read_snapshot(sample_wh) as con:
        want = expected(con, day, d)
    got = listed(sample_wh, day)
    assert got == want
    kinds = {kind for kind, _ in got}
    assert "takedown_live" in kinds and "case_open" in kinds  # the test sees every branch
    if as_of != "2026-09-30":
        assert "opinion_missing" in kinds


def test_the_data_end_lists_each_kind(sample_wh):
    """The figures of the scale-1 sample (seed 42) on its last day, 2026-09-30."""
    got = listed(sample_wh, dt.date(2026, 9, 30))
    counts = {
        k: sum(1 for _ in g)
        for k, g in itertools.groupby(sorted((kind, s) for (kind, _), (s, *_) in got.items()))
    }
    assert counts == {
        ("case_open", "due"): 1,
        ("case_open", "late"): 3,
        ("referral_unanswered", "late"): 2,
        ("takedown_live", "due"): 2,
        ("takedown_live", "late"): 295,
    }


def test_deadlines_come_from_the_settings(sample_wh, monkeypatch):
    """A longer referral deadline drops the two unanswered referrals; a takedown deadline of 3
    turns notices 3 working days old from late to due."""
    day = dt.date(2026, 9, 30)
    before = listed(sample_wh, day)
    monkeypatch.setenv("IPGOV_DEADLINE_REFERRAL_WORKDAYS", "60")
    monkeypatch.setenv("IPGOV_DEADLINE_TAKEDOWN_WORKDAYS", "3")
    after = listed(sample_wh, day)
    assert not [k for k in after if k[0] == "referral_unanswered"]
    three = {k for k, (s, age, _) in before.items() if k[0] == "takedown_live" and age == 3}
    assert three and all(after[k][0] == "due" for k in three)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_page_lists_the_items(monkeypatch, sample_wh, lang):
    at = run_page(monkeypatch, sample_wh.db, "worklist", lang)
    assert not at.exception, at.exception
    assert at.title[0].value == t("page_worklist", lang)
    names = local_codes(lang)["worklist_kind"]
    tiles = {m.label: m.value for m in at.metric}
    assert tiles == {
        names["takedown_live"]: "295",
        names["opinion_missing"]: "0",
        names["case_open"]: "3",
        names["referral_unanswered"]: "2",
    }
    (table,) = at.dataframe
    assert len(table.value) == 303
    header = COLUMNS["item_id"].header(lang)
    assert table.value[header].is_unique
    link = table.value[COLUMNS["record_link"].header(lang)].iloc[0]
    assert link.startswith("http://localhost:8501/takedowns?period=custom&from=2022-01-04")


def test_page_filters_narrow_the_list(monkeypatch, sample_wh):
    """The sidebar's platform filter (from the URL) and the page's own kind filter."""
    at = run_page(monkeypatch, sample_wh.db, "worklist", "en", query={"platform": "tmall"})
    with settings.overridden(db=sample_wh.db):
        frame = core.records_all(
            "worklist", core.snapshot_id(), worklist.params(dt.date(2026, 9, 30))
        )
    tmall = frame.filter(frame["platform"] == "tmall")
    (table,) = at.dataframe
    assert len(table.value) == tmall.height > 0
    at.multiselect(key="wl_kinds").set_value(["takedown_live"])
    at.multiselect(key="wl_statuses").set_value(["due"]).run()
    want = tmall.filter((tmall["item_kind"] == "takedown_live") & (tmall["item_status"] == "due"))
    assert want.height == 1  # TD2026-001719, sent 2026-09-28: due on the data's last day
    (table,) = at.dataframe
    assert list(table.value[h("item_id")]) == want["item_id"].to_list()
    at.multiselect(key="wl_kinds").set_value(["case_open"]).run()
    assert not at.dataframe, "no open tmall case is late or due"
    assert at.success[0].value == t("worklist_none", "en", date="2026-09-30")


def test_viewer_sees_counts_not_items(monkeypatch, sample_wh):
    at = run_page(monkeypatch, sample_wh.db, "worklist", "zh", role="viewer")
    assert not at.exception, at.exception
    assert len(at.metric) == 4
    assert not at.dataframe
    assert [i.value for i in at.info] == [t("records_need_role", "zh")]


def test_an_age_across_a_provisional_day_is_marked(sample_wh):
    """2027 has no official schedule yet (chinesecalendar stops at 2026): aged on a 2027 day,
    every open item's age crosses provisional days; on the data's last day none does."""
    assert not any(listed_flags(sample_wh, dt.date(2026, 9, 30)))
    flags = listed_flags(sample_wh, dt.date(2027, 1, 15))
    assert flags and all(flags)


def listed_flags(paths: warehouse.WarehousePaths, as_of: dt.date) -> list[bool]:
    with settings.overridden(db=paths.db):
        frame = core.records_all("worklist", core.snapshot_id(), worklist.params(as_of))
    return frame["age_is_provisional"].to_list()
