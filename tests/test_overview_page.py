"""The Overview page through Streamlit's AppTest: numbers equal the KPI views, both languages."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.i18n import CATALOG, t
from etl import kpis, warehouse
from etl.kpis import KPI_KEYS

APP = str(Path(__file__).resolve().parent.parent / "dashboard" / "app.py")


def run_app(monkeypatch: pytest.MonkeyPatch, db: Path) -> AppTest:
    monkeypatch.setenv("IPGOV_DB", str(db))
    at = AppTest.from_file(APP, default_timeout=60)
    return at.run()


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def test_default_quarter_matches_kpis(monkeypatch, sample_wh):
    at = run_app(monkeypatch, sample_wh.db)
    assert not at.exception
    with warehouse.read_snapshot(sample_wh) as con:
        period = kpis.default_period(con)
        want = kpis.headline(con, period)
    assert period.label == "2026Q3"
    shown = metrics(at)
    assert shown[t("cases_accepted", "zh")] == f"{want['cases_accepted']:,}"
    assert shown[t("takedown_requests", "zh")] == f"{want['takedown_requests']:,}"
    assert shown[t("takedown_within_2wd_share", "zh")] == f"{want['takedown_within_2wd_share']:.0%}"
    assert len(at.metric) == len(KPI_KEYS)
    assert len(at.get("plotly_chart")) == 2


def test_year_2023_shows_published_figures_in_english(monkeypatch, sample_wh):
    at = run_app(monkeypatch, sample_wh.db)
    at.radio(key="lang").set_value("en").run()
    at.radio(key="kind").set_value("period_year").run()
    at.selectbox(key="year").set_value(2023).run()
    assert not at.exception
    shown = metrics(at)
    assert shown["Assistance cases received"] == "408"
    assert shown["Trademark cases opened"] == "189"
    assert shown["Patent pre-exams accepted"] == "4,165"


def test_empty_period_says_no_records(monkeypatch, sample_wh):
    import datetime as dt

    at = run_app(monkeypatch, sample_wh.db)
    at.radio(key="kind").set_value("period_custom").run()
    at.date_input(key="range").set_value((dt.date(2010, 1, 1), dt.date(2010, 3, 31))).run()
    assert not at.exception
    assert t("no_records", "zh") in [i.value for i in at.info]


def test_no_data_yet(monkeypatch, tmp_path):
    at = run_app(monkeypatch, tmp_path / "empty" / "warehouse.duckdb")
    assert not at.exception
    assert [i.value for i in at.info] == [t("no_data", "zh")]


def test_catalog_is_complete():
    assert all(set(entry) == {"zh", "en"} and all(entry.values()) for entry in CATALOG.values())
    assert set(KPI_KEYS) <= set(CATALOG)
