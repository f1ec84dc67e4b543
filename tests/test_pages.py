"""Every dashboard page through Streamlit's AppTest: renders, equals the KPI views, handles an
empty period and a filter matching nothing, in both languages."""

from __future__ import annotations

import codecs
import datetime as dt
import json
import re
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import formats
from dashboard.columns import COLUMNS
from dashboard.i18n import CATALOG, t
from etl import kpis, warehouse
from etl.kpis import KPI_KEYS
from tests.conftest import sign_in

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
SQL_DIR = Path(APP).parent / "sql"
PAGES = ["overview", "takedowns", "cases", "patents", "trademarks", "notarizations", "referrals"]


def page_script(name: str, lang: str) -> None:
    """Runs one page the way app.py does (AppTest cannot switch to function pages)."""
    import importlib

    importlib.import_module(f"dashboard.views.{name}").render(lang)


def run_page(
    monkeypatch: pytest.MonkeyPatch,
    db: Path,
    name: str,
    lang: str = "zh",
    query: dict | None = None,
    opened: tuple[str, ...] = (),
    role: str = "analyst",
) -> AppTest:
    """The page after its first run, for a signed-in user of `role`; `opened` names expanders
    (their keys) the user opened: their content is drawn only then (components.lazy_expander)."""
    monkeypatch.setenv("IPGOV_DB", str(db))
    at = sign_in(
        AppTest.from_function(page_script, args=(name, lang), default_timeout=60), db, role
    )
    for key, value in (query or {}).items():
        at.query_params[key] = value
    for key in opened:
        at.session_state[key] = True
    return at.run()


def h(name: str, lang: str = "en") -> str:
    """The header a page shows for a query column (dashboard/columns.py)."""
    return COLUMNS[name].header(lang)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders(monkeypatch, sample_wh, name, lang):
    at = run_page(monkeypatch, sample_wh.db, name, lang)
    assert not at.exception, at.exception
    assert at.metric, "KPI tiles"
    # the Overview draws its trends when they are opened (test_overview_trends_are_drawn_…)
    assert bool(at.get("plotly_chart")) == (name != "overview"), "charts"
    assert at.title[0].value == t("app_title" if name == "overview" else f"page_{name}", lang)


@pytest.mark.parametrize("name", PAGES)
def test_empty_period_shows_no_records(monkeypatch, sample_wh, name):
    query = {"period": "custom", "from": "2010-01-01", "to": "2010-03-31"}
    at = run_page(monkeypatch, sample_wh.db, name, query=query)
    assert not at.exception, at.exception
    assert t("no_records", "zh") in [i.value for i in at.info]


@pytest.mark.parametrize("name", ["takedowns", "cases", "referrals"])
def test_filter_matching_nothing(monkeypatch, sample_wh, name):
    # offline cases exist, but no takedown or referral is 'offline' on the 'xiaohongshu' + park
    # combination below; the page must say "no records", not fail.
    query = {
        "period": "year",
        "y": "2023",
        "platform": "offline",
        "park": "P07",
        "ip": "other",
        "region": "dongguan",
    }
    at = run_page(monkeypatch, sample_wh.db, name, query=query)
    assert not at.exception, at.exception
    assert t("no_records", "zh") in [i.value for i in at.info]


def test_overview_default_quarter_matches_kpis(monkeypatch, sample_wh):
    at = run_page(monkeypatch, sample_wh.db, "overview")
    with warehouse.read_snapshot(sample_wh) as con:
        period = kpis.default_period(con)
        want = kpis.headline(con, period)
    assert period.label == "2026Q3"
    shown = metrics(at)
    assert len(shown) == len(KPI_KEYS) + 1  # every KPI, and the advisory-opinion share
    assert shown[t("cases_accepted", "zh")] == f"{want['cases_accepted']:,}"
    assert shown[t("takedown_requests", "zh")] == f"{want['takedown_requests']:,}"
    assert shown[t("takedown_within_2wd_share", "zh")] == formats.share(
        want["takedown_within_2wd_share"]
    )
    assert shown[t("tile_trademark_fines_yuan", "zh")] == formats.yuan(
        want["trademark_fines_yuan"], "zh"
    )


def test_overview_cockpit_states_targets_and_neutral_zero_changes(monkeypatch, sample_wh):
    at = run_page(monkeypatch, sample_wh.db, "overview", "zh", {"period": "quarter", "q": "2024Q3"})
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "目标 90%" in captions and "目标 95%" in captions
    assert any(s in captions for s in ("达标", "接近目标", "未达标"))
    assert "pp" not in captions and "个百分点" in captions
    for m in at.metric:  # a zero change is shown as 0 with no arrow colour, never "+0"
        assert not re.match(r"^[+−-]0(\.0)?( |$)", m.proto.delta or ""), m.proto.delta


def test_overview_needs_attention_counts_equal_independent_sql(monkeypatch, sample_wh):
    at = run_page(monkeypatch, sample_wh.db, "overview", "zh")
    with warehouse.read_snapshot(sample_wh) as con:
        last = con.sql("select max(last_day) from meta_data_span").fetchall()[0][0]
        live = con.execute(
            """select count(*) from fct_takedowns t
               join dim_date s on s.date_day = t.notice_sent_on
               join dim_date a on a.date_day = ?
               where (t.removed_on is null or t.removed_on > ?) and t.notice_sent_on <= ?
                 and a.workday_index - s.workday_index > 2""",
            [last, last, last],
        ).fetchall()[0][0]
        old = con.execute(
            """select count(*) from fct_cases where received_on <= ?
               and (closed_on is null or closed_on > ?) and ? - received_on > 90""",
            [last, last, last],
        ).fetchall()[0][0]
    labels = " ".join(e.label for e in at.expander) + " ".join(m.value for m in at.markdown)
    assert live > 0
    assert f":red[**{live:,}**] {t('attention_notices', 'zh')}" in labels
    assert f"{old:,}" in labels and t("attention_cases", "zh", days=90) in labels


def test_overview_year_2023_from_the_url_shows_published_figures(monkeypatch, sample_wh):
    at = run_page(monkeypatch, sample_wh.db, "overview", "en", {"period": "year", "y": "2023"})
    shown = metrics(at)
    assert shown["Assistance cases received"] == "408"
    assert shown["Trademark cases opened"] == "189"
    assert shown["Patent pre-exams accepted"] == "4,165"
    assert shown["Pre-examined patents granted"] == "3,737"


def test_takedowns_page_equals_the_kpi_view(monkeypatch, sample_wh):
    at = run_page(
        monkeypatch, sample_wh.db, "takedowns", "en", {"period": "quarter", "q": "2024Q3"}
    )
    with warehouse.read_snapshot(sample_wh) as con:
        from etl.periods import parse_quarter

        want = kpis.headline(con, parse_quarter("2024Q3"))
    shown = metrics(at)
    assert shown["Notices"] == f"{want['takedown_requests']:,}"
    assert shown["Within 2 working days"] == formats.share(want["takedown_within_2wd_share"])
    assert shown["Median (working days)"] == f"{want['takedown_median_workdays']:.1f}"


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_pending_takedown_notices_are_stated_beside_the_share(monkeypatch, sample_wh, lang):
    # 2026Q3, the sample's latest quarter, ends on its last day: 8 notices still have their
    # 2-working-day window open (tests/test_kpis.py counts them independently); 2024Q3 has none
    for q, pending in (("2026Q3", 8), ("2024Q3", 0)):
        query = {"period": "quarter", "q": q}
        page = run_page(monkeypatch, sample_wh.db, "takedowns", lang, query)
        note = t("pending_2wd_note", lang, n=pending, date="2026-09-30")
        assert (note in [c.value for c in page.caption]) == bool(pending)
        overview = run_page(monkeypatch, sample_wh.db, "overview", lang, query)
        short = t("pending_2wd_short", lang, n=pending)
        assert any(short in c.value for c in overview.caption) == bool(pending)


def test_platform_filter_narrows_takedowns(monkeypatch, sample_wh):
    everything = metrics(run_page(monkeypatch, sample_wh.db, "takedowns", "en"))
    tmall = metrics(run_page(monkeypatch, sample_wh.db, "takedowns", "en", {"platform": "tmall"}))
    assert 0 < int(tmall["Notices"].replace(",", "")) < int(everything["Notices"].replace(",", ""))


def test_notarization_chain_status_is_shown(monkeypatch, sample_wh):
    at = run_page(monkeypatch, sample_wh.db, "notarizations", "en")
    assert any("Chain intact" in s.value for s in at.success)


def test_language_switch_in_the_app(monkeypatch, sample_wh):
    monkeypatch.setenv("IPGOV_DB", str(sample_wh.db))
    at = sign_in(AppTest.from_file(APP, default_timeout=60), sample_wh.db).run()
    assert not at.exception
    at.radio(key="lang").set_value("en").run()
    assert "Assistance cases received" in metrics(at)
    assert at.query_params["lang"] in ("en", ["en"])


def test_no_data_yet(monkeypatch, tmp_path):
    at = run_page(monkeypatch, tmp_path / "empty" / "warehouse.duckdb", "takedowns")
    assert not at.exception
    assert [i.value for i in at.info] == [t("no_data", "zh")]


def test_catalog_is_complete():
    assert all(set(entry) == {"zh", "en"} and all(entry.values()) for entry in CATALOG.values())
    assert set(KPI_KEYS) <= set(CATALOG)


def test_data_span_caption_uses_the_last_day(monkeypatch, sample_wh):
    at = run_page(monkeypatch, sample_wh.db, "cases")
    assert any(dt.date(2026, 9, 30).isoformat() in c.value for c in at.caption)


@pytest.mark.parametrize("key", KPI_KEYS)
def test_overview_drill_down_lists_the_records_behind_each_kpi(monkeypatch, sample_wh, key):
    at = run_page(
        monkeypatch,
        sample_wh.db,
        "overview",
        "en",
        {"period": "year", "y": "2023"},
        opened=("exp_overview_drill",),
    )
    at.selectbox(key="drill_kpi").set_value(key).run()
    assert not at.exception
    with warehouse.read_snapshot(sample_wh) as con:
        from etl.periods import year

        want = kpis.headline(con, year(2023))[key]
    ids = {c.header("en") for c in COLUMNS.values() if c.kind == "id"}
    # the last record list with ids: the drill-down (the attention lists come before it)
    rows = [d.value for d in at.dataframe if d.value.columns[0] in ids][-1]
    count_kpis = {
        "patent_preexam_accepted",
        "patent_preexam_authorized",
        "cases_accepted",
        "cases_closed",
        "cases_open_end",
        "trademark_cases",
        "notarizations",
        "takedown_requests",
        "referrals_out",
        "referrals_in",
    }
    if key in count_kpis:
        assert len(rows) == want  # one record per counted item, with its id


def test_a_long_record_list_shows_its_first_rows_states_the_total_and_downloads_all(
    monkeypatch, sample_wh
):
    # a year of takedowns at scale 1 is ~2,000 notices: with a bound of 100 the page shows the
    # first 100 in the list's order, says how many there are, and the CSV holds every one
    from dashboard import components, queries
    from dashboard.filters import Filters
    from etl.periods import year

    monkeypatch.setattr(components, "DRILL_DOWN_ROWS", 100)
    at = run_page(
        monkeypatch,
        sample_wh.db,
        "takedowns",
        "en",
        {"period": "year", "y": "2023"},
        opened=("exp_takedown_records",),
    )
    assert not at.exception, at.exception
    with warehouse.read_snapshot(sample_wh) as con:
        total = kpis.headline(con, year(2023))["takedown_requests"]
    assert total > 100
    shown = next(d.value for d in at.dataframe if h("latency_workdays") in d.value.columns)
    assert len(shown) == 100
    assert t("rows_first", "en", n=100, total=total) in [c.value for c in at.caption]
    assert t("download_csv", "en") in [d.label for d in at.get("download_button")]

    params = Filters(year(2023)).params()
    csv = queries.records_csv("takedown_records", queries.snapshot_id(), params)
    assert csv.startswith(codecs.BOM_UTF8)
    everything = pl.read_csv(csv[len(codecs.BOM_UTF8) :])
    assert everything.height == total
    assert everything["notice_id"].head(100).to_list() == shown[h("notice_id")].to_list()
    assert everything["notice_sent_at"].is_sorted()


def test_a_short_record_list_is_shown_whole(monkeypatch, sample_wh):
    from dashboard import queries
    from dashboard.filters import Filters
    from etl.periods import parse_quarter

    monkeypatch.setenv("IPGOV_DB", str(sample_wh.db))
    params = Filters(parse_quarter("2024Q3")).params()
    records = queries.records("trademark_records", queries.snapshot_id(), params, limit=10_000)
    with warehouse.read_snapshot(sample_wh) as con:
        want = kpis.headline(con, parse_quarter("2024Q3"))["trademark_cases"]
    assert records.total == records.rows.height == want > 0


RECORD_LISTS = sorted(p.stem for p in SQL_DIR.glob("*.sql") if "$limit" in p.read_text())


@pytest.mark.parametrize("name", RECORD_LISTS)
def test_a_record_list_is_bounded_and_counted_without_its_order(sample_wh, name):
    # what the page runs: the first rows (`$limit`) and the count (count_sql); NULL: every row
    from dashboard import queries
    from dashboard.filters import Filters
    from etl.periods import year

    sql = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    from dashboard import worklist

    # the worklist's parameters hold every filter's and the deadlines (dashboard/targets.py)
    params = worklist.params(dt.date(2023, 12, 31), Filters(year(2023))) | {
        "directions": [],
        "min_age_days": 90,
    }
    used = {k: list(v) if isinstance(v, tuple) else v for k, v in params.items() if f"${k}" in sql}
    with warehouse.read_snapshot(sample_wh) as con:
        every_row = con.sql(sql, params=used | {"limit": None}).pl()
        first = con.sql(sql, params=used | {"limit": 3}).pl()
        count = queries.count_sql(sql)
        total = con.sql(count, params={k: v for k, v in used.items() if f"${k}" in count})
        assert total.fetchall()[0][0] == every_row.height
    assert first.rows() == every_row.head(3).rows()


def test_the_server_process_imports_every_page_before_its_first_visitor():
    """`ipgov serve` runs `python -m dashboard.serve`, which imports the pages first, so the
    first visitor does not pay the imports (docs/performance.md, Dashboard pages)."""
    import sys
    from pathlib import Path

    from dashboard import serve

    views = Path(serve.__file__).parent / "views"
    pages = {f"dashboard.views.{p.stem}" for p in views.glob("*.py") if p.stem != "__init__"}
    assert set(serve.preload()) == pages
    assert pages <= set(sys.modules)


def _page_that_fails(lang: str) -> None:
    from dashboard.components import render_page

    def broken(lang: str) -> None:
        raise RuntimeError("a bug")

    render_page(broken, lang)


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_an_unexpected_error_is_one_message_and_a_log_line(lang, caplog):
    at = AppTest.from_function(_page_that_fails, args=(lang,), default_timeout=30).run()
    assert not at.exception  # no traceback on the page
    assert [e.value for e in at.error] == [t("unexpected_error", lang)]
    assert any("a bug" in (r.exc_text or str(r.exc_info)) for r in caplog.records)


def test_filter_state_follows_the_url_and_falls_back_to_the_nearest_view():
    from dashboard.filters import FilterState, apply_query

    first, last = dt.date(2022, 1, 1), dt.date(2026, 9, 30)
    codes = {"platform": {"tmall": "天猫", "jd": "京东"}}
    state = FilterState.default(last)
    assert (state.kind, state.quarter) == ("quarter", "2026Q3")
    moved, notes = apply_query(state, {"period": "year", "y": "2023"}, first, last, codes)
    assert (moved.kind, moved.year, moved.quarter) == ("year", 2023, "2026Q3")  # quarter kept
    assert notes == []
    early, notes = apply_query(state, {"q": "2019Q1"}, first, last, codes)
    assert early.quarter == "2022Q1" and notes[0][0] == "note_no_data_quarter"
    late, _ = apply_query(state, {"q": "2031Q2"}, first, last, codes)
    assert late.quarter == "2026Q3"
    odd, notes = apply_query(
        state, {"period": "banana", "platform": "tmall,nosuch"}, first, last, codes
    )
    assert odd.kind == "quarter" and odd.dims["platforms"] == ("tmall",)
    assert [n[0] for n in notes] == ["note_bad_period_kind", "note_bad_code"]
    backwards, notes = apply_query(
        state.__class__("custom", "2026Q3", 2026, state.range, state.dims),
        {"from": "2024-05-01", "to": "2024-03-01"},
        first,
        last,
        codes,
    )
    assert backwards.range == (dt.date(2024, 3, 1), dt.date(2024, 5, 1))
    assert [n[0] for n in notes] == ["note_range_fixed"]
    assert backwards.query("zh") == {
        "lang": "zh",
        "period": "custom",
        "from": "2024-03-01",
        "to": "2024-05-01",
    }


def test_overview_trends_are_drawn_only_when_opened(monkeypatch, sample_wh):
    # The first chart of a visit costs the browser Plotly.js (~1 s): the landing page draws its
    # trends on request, and then the received bars are the period's cases month by month.
    query = {"period": "year", "y": "2023"}
    closed = run_page(monkeypatch, sample_wh.db, "overview", "zh", query)
    assert not closed.exception
    assert len(closed.get("plotly_chart")) == 0
    opened = run_page(monkeypatch, sample_wh.db, "overview", "zh", query, ("exp_overview_trends",))
    assert not opened.exception
    figures = [json.loads(c.proto.spec) for c in opened.get("plotly_chart")]
    assert [f["layout"]["title"]["text"] for f in figures] == [
        t("chart_cases", "zh"),
        t("chart_takedown_latency", "zh"),
    ]
    received = figures[0]["data"][0]
    assert received["name"] == t("received", "zh")
    # 24 months up to the period's end (components.TREND_MONTHS): 2022年1月 … 2023年12月
    assert received["x"][0] == "2022年1月" and received["x"][-1] == "2023年12月"
    in_2023 = [v for x, v in zip(received["x"], received["y"], strict=True) if x.startswith("2023")]
    with warehouse.read_snapshot(sample_wh) as con:
        from etl.periods import year

        want = kpis.headline(con, year(2023))["cases_accepted"]
    assert len(in_2023) == 12
    assert sum(v or 0 for v in in_2023) == want > 0


def test_a_record_list_csv_is_cut_at_the_download_cap_and_the_page_says_so(monkeypatch, sample_wh):
    # the server holds a download in memory while it is served: a list larger than
    # IPGOV_DOWNLOAD_MAX_MB is cut to its first whole rows, and the page says so beforehand
    from dashboard import components, display, queries
    from dashboard.filters import Filters
    from etl.periods import year

    monkeypatch.setattr(components, "DRILL_DOWN_ROWS", 100)
    monkeypatch.setattr(display, "rows_that_fit", lambda *args: 250)
    at = run_page(monkeypatch, sample_wh.db, "takedowns", "en", {"period": "year", "y": "2023"},
                  opened=("exp_takedown_records",))  # fmt: skip
    assert not at.exception, at.exception
    with warehouse.read_snapshot(sample_wh) as con:
        total = kpis.headline(con, year(2023))["takedown_requests"]
    capped = t("csv_capped", "en", n="250", total=f"{total:,}", mb="100")
    assert capped in [c.value for c in at.caption]
    # the cut itself: whole rows, the first ones, as many as fit
    frame = queries.records_all("takedown_records", queries.snapshot_id(),
                                Filters(year(2023)).params())  # fmt: skip
    codes = queries.codes(queries.snapshot_id(), "en")
    whole = display.csv_bytes(frame, "en", codes)
    cap = len(whole) // 3
    cut = display.csv_capped(frame, "en", codes, cap)
    assert len(cut) <= cap
    rows = pl.read_csv(cut[len(codecs.BOM_UTF8) :], infer_schema=False)
    full = pl.read_csv(whole[len(codecs.BOM_UTF8) :], infer_schema=False)
    assert rows.equals(full.head(rows.height))  # the first rows, each whole
    assert len(display.csv_bytes(frame.head(rows.height + 40), "en", codes)) > cap  # ~all fit
    assert display.csv_capped(frame, "en", codes, len(whole)) == whole  # nothing cut if it fits
