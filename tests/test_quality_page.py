"""The Data quality page through Streamlit's AppTest: verdicts, reasons, filters, CSV, both
languages, and no personal data even in a quarantined cell."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from dashboard.columns import column, local_codes
from dashboard.i18n import t
from etl.load import load
from tests.conftest import TODAY

HEADER = "notice_id,platform,listing_url,notice_sent_at,removed_at"
CASES = "case_id,received_on,service_type,ip_type,status,contact_name,contact_phone"


def page_script(lang: str) -> None:
    from dashboard.views import quality

    quality.render(lang)


def run_page(monkeypatch: pytest.MonkeyPatch, db: Path, lang: str = "zh") -> AppTest:
    monkeypatch.setenv("IPGOV_DB", str(db))
    return AppTest.from_function(page_script, args=(lang,), default_timeout=60).run()


@pytest.fixture(scope="module")
def quality_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One agency's file with a bad platform and a bad phone, one rejected file, one fix."""
    root = tmp_path_factory.mktemp("quality-page")
    inbox = root / "inbox"
    (inbox / "platform_a").mkdir(parents=True)
    (inbox / "district_office").mkdir()
    (inbox / "platform_a" / "takedowns.csv").write_text(
        f"{HEADER}\nTD1,Tmall,u1,2024-01-02 09:00:00,\nTD2,Temu,u2,2024-01-03 09:00:00,\n",
        encoding="utf-8",
    )
    (inbox / "district_office" / "cases.csv").write_text(
        f"{CASES}\nWQ1,2024-03-01,mediation,patent,received,赵敏,赵敏的手机\n"
        "WQ2,2024-03-02,mediation,patent,received,钱伟,13800138000\n",
        encoding="utf-8",
    )
    (inbox / "district_office" / "broken.csv").write_text("foo,bar\n1,2\n", encoding="utf-8")
    db = root / "wh" / "warehouse.duckdb"
    load([inbox], db, today=TODAY, reports=False)
    return db


def h(name: str, lang: str = "zh") -> str:
    """The header the page shows for a query column (dashboard/columns.py)."""
    return column(name).header(lang)


def field_name(code: str, lang: str = "zh") -> str:
    return local_codes(lang)["field"].get(code, code)


def test_page_shows_verdicts_reasons_and_senders(monkeypatch, quality_db):
    at = run_page(monkeypatch, quality_db)
    assert not at.exception, at.exception
    assert at.title[0].value == t("page_quality", "zh")
    tiles = {m.label: m.value for m in at.metric}
    assert tiles[t("q_files", "zh")] == "3"
    assert tiles[t("q_rejected_files", "zh")] == "1"
    assert tiles[t("q_open_rows", "zh")] == "2"
    frames = [d.value for d in at.dataframe]
    senders = frames[0]
    assert set(senders[h("sender")]) == {"platform_a", "district_office"}
    history = frames[1]
    assert history.columns[0] == h("message"), "the reason comes first"
    assert "表头与任何记录类型都不匹配" in " ".join(history[h("message")].dropna())
    rows = frames[2]
    assert rows.columns[0] == h("message")
    cells = zip(rows[h("source_file")], rows[h("source_row")], rows[h("column_name")], strict=True)
    assert set(cells) == {
        ("takedowns.csv", 3, field_name("platform")),
        ("cases.csv", 2, field_name("contact_phone")),
    }
    assert len(at.get("download_button")) == 2


def test_personal_data_stays_masked_on_the_page(monkeypatch, quality_db):
    at = run_page(monkeypatch, quality_db, "en")
    assert not at.exception, at.exception
    dump = " ".join(str(d.value.to_dict()) for d in at.dataframe)
    assert "赵敏" not in dump and "***" in dump
    assert "row 3, column platform" in dump


def test_filters_narrow_the_rows_and_status(monkeypatch, quality_db):
    at = run_page(monkeypatch, quality_db, "en")
    at.multiselect(key="q_senders").set_value(["platform_a"]).run()
    assert not at.exception
    rows = at.dataframe[-1].value
    assert list(rows[h("source_file", "en")]) == ["takedowns.csv"]
    at.multiselect(key="q_status").set_value(["resolved"]).run()
    assert t("q_none", "en") in [i.value for i in at.info]


def test_no_data_yet(monkeypatch, tmp_path):
    at = run_page(monkeypatch, tmp_path / "empty" / "warehouse.duckdb")
    assert not at.exception
    assert [i.value for i in at.info] == [t("no_data", "zh")]
