"""Every dashboard page through Streamlit's AppTest: renders, equals the KPI views, handles an
empty period and a filter matching nothing, in both languages."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import CATALOG, t
from etl import kpis, warehouse
from etl.kpis import KPI_KEYS

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")
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
) -> AppTest:
    monkeypatch.setenv("IPGOV_DB", str(db))
    at = AppTest.from_function(page_script, args=(name, lang), default_timeout=60)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


@pytest.mark.parametrize("name", PAGES)
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_page_renders(monkeypatch, sample_wh, name, lang):
    at = run_page(monkeypatch, sample_wh.db, name, lang)
    assert not at.exception, at.exception
    assert at.metric, "KPI tiles"
    assert at.get("plotly_chart"), "charts"
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
    assert len(shown) == len(KPI_KEYS)
    assert shown[t("cases_accepted", "zh")] == f"{want['cases_accepted']:,}"
    assert shown[t("takedown_requests", "zh")] == f"{want['takedown_requests']:,}"
    assert shown[t("takedown_within_2wd_share", "zh")] == f"{want['takedown_within_2wd_share']:.0%}"


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
    assert shown["Within 2 working days"] == f"{want['takedown_within_2wd_share']:.0%}"
    assert shown["Median (working days)"] == f"{want['takedown_median_workdays']:.1f}"


def test_platform_filter_narrows_takedowns(monkeypatch, sample_wh):
    everything = metrics(run_page(monkeypatch, sample_wh.db, "takedowns", "en"))
    tmall = metrics(run_page(monkeypatch, sample_wh.db, "takedowns", "en", {"platform": "tmall"}))
    assert 0 < int(tmall["Notices"].replace(",", "")) < int(everything["Notices"].replace(",", ""))


def test_notarization_chain_status_is_shown(monkeypatch, sample_wh):
    at = run_page(monkeypatch, sample_wh.db, "notarizations", "en")
    assert any("Chain intact" in s.value for s in at.success)


def test_language_switch_in_the_app(monkeypatch, sample_wh):
    monkeypatch.setenv("IPGOV_DB", str(sample_wh.db))
    at = AppTest.from_file(APP, default_timeout=60).run()
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
    at = run_page(monkeypatch, sample_wh.db, "overview", "en", {"period": "year", "y": "2023"})
    at.selectbox(key="drill_kpi").set_value(key).run()
    assert not at.exception
    with warehouse.read_snapshot(sample_wh) as con:
        from etl.periods import year

        want = kpis.headline(con, year(2023))[key]
    rows = next(d.value for d in at.dataframe if d.value.columns[0].endswith("_id"))
    count_kpis = {"patent_preexam_accepted", "patent_preexam_authorized", "cases_accepted",
                  "cases_closed", "cases_open_end", "trademark_cases", "notarizations",
                  "takedown_requests", "referrals_out", "referrals_in"}
    if key in count_kpis:
        assert len(rows) == want  # one record per counted item, with its id
