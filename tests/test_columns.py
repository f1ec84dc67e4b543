"""Table display: every column a dashboard query returns has a header in zh and en and a kind
(dashboard/columns.py), and tables show codes, dates, money and missing values in the reader's
language on screen, as text and as CSV (dashboard/display.py)."""

from __future__ import annotations

import codecs
import datetime as dt
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import polars as pl
import pytest
from streamlit.testing.v1 import AppTest

from dashboard import display, queries
from dashboard.columns import COLUMNS, LOCAL_CODES, NUMBER_KINDS, PLAIN_KINDS, local_codes
from etl import warehouse

SQL_DIR = Path(__file__).resolve().parent.parent / "dashboard" / "sql"
QUERIES = sorted(p.stem for p in SQL_DIR.glob("*.sql"))
DIMENSIONS = ["brand_category", "location", "infringement_type", "agency"]  # trademark_breakdown
# The only Latin letters a Chinese header may hold: tokens officials use as they are.
ZH_ALLOWED = re.compile(r"ID|URL|P90|SQL|CSV")
RAW = re.compile(r"\b(None|nan|NaN|NaT|null|True|False)\b")

# Parameters every dashboard SQL file understands (dashboard/sql/README.md), for the year 2023.
PARAMS = {
    "start": dt.date(2023, 1, 1),
    "end": dt.date(2023, 12, 31),
    "platforms": [],
    "locations": [],
    "ip_types": [],
    "regions": [],
    "grain": "month",
    "as_of": dt.date(2023, 12, 31),
    "limit": 50,
    "directions": [],
    "min_age_days": 90,
    # the 督办 worklist (dashboard/targets.py deadlines, its own filters, the links' base)
    "takedown_workdays": 2,
    "opinion_workdays": 2,
    "case_open_days": 90,
    "referral_workdays": 30,
    "near_workdays": 1,
    "item_kinds": [],
    "item_statuses": [],
    "base_url": "http://localhost:8501",
}


def _run(con, name: str, **extra: object) -> pl.DataFrame:
    sql = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
    params = {k: v for k, v in (PARAMS | extra).items() if f"${k}" in sql}
    return con.sql(sql, params=params).pl()


def _codes(con, lang: str) -> dict[str, dict[str, str]]:
    """What dashboard.queries.codes(snapshot, lang) returns, read from the same dim_code."""
    names: dict[str, dict[str, str]] = {}
    rows = con.sql("select domain, code, name_zh, name_en from dim_code").fetchall()
    for domain, code, zh, en in rows:
        names.setdefault(domain, {})[code] = zh if lang == "zh" else en
    return names


@pytest.fixture(scope="module")
def results(sample_wh) -> dict[str, pl.DataFrame]:
    """Every dashboard query (trademark_breakdown once per dimension) and the Data quality
    page's frames, run on the scale-1 sample."""
    frames: dict[str, pl.DataFrame] = {}
    with warehouse.read_snapshot(sample_wh) as con:
        for name in QUERIES:
            sql = (SQL_DIR / f"{name}.sql").read_text(encoding="utf-8")
            if "$dimension" in sql:
                for dimension in DIMENSIONS:
                    frames[f"{name}[{dimension}]"] = _run(con, name, dimension=dimension)
            else:
                frames[name] = _run(con, name)
    files, cells = frames["quality_files"], frames["quality_quarantine"]
    frames["quality_by_sender"] = queries.quality_by_sender(files, cells)
    frames["quality_by_day"] = queries.quality_by_day(files)
    return frames


@pytest.fixture(scope="module")
def sample_codes(sample_wh) -> dict[str, dict[str, dict[str, str]]]:
    with warehouse.read_snapshot(sample_wh) as con:
        return {lang: _codes(con, lang) for lang in ("zh", "en")}


# --- (a) every column a query returns is labelled ---------------------------------------------


def test_every_query_column_has_a_header_and_a_kind(results):
    # a new column in dashboard/sql/*.sql (or in the quality frames) fails until columns.py
    # says what it is called in zh and en and how it reads
    missing = sorted(
        f"{name}.{col}"
        for name, frame in results.items()
        for col in frame.columns
        if col not in COLUMNS
    )
    assert not missing, f"add to dashboard/columns.py: {sorted(missing)}"
    assert len(results) >= len(QUERIES) + 2


def test_every_kind_is_known_and_every_code_list_exists(sample_codes):
    domains = set(sample_codes["zh"]) | set(LOCAL_CODES) | {"row"}
    for name, entry in COLUMNS.items():
        assert entry.kind in NUMBER_KINDS | PLAIN_KINDS or entry.kind.startswith("code:"), name
        assert set(entry.domains) <= domains, (name, entry.domains)
        assert entry.only in (None, "zh", "en"), name


@pytest.mark.parametrize("name", sorted(COLUMNS))
def test_headers_read_in_their_language(name):
    entry = COLUMNS[name]
    # zh: Chinese, with no Latin letters but the allowed tokens (digits are fine: 2个工作日)
    assert not re.search(r"[A-Za-z]", ZH_ALLOWED.sub("", entry.zh)), entry.zh
    assert re.search(r"[\u4e00-\u9fff]", entry.zh), entry.zh
    # en: English words, capitalised, no Chinese, not the raw column name
    assert not re.search(r"[^\x00-\x7f]", entry.en), entry.en
    assert entry.en[0].isupper() and entry.en != name, entry.en


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_query_result_reads_without_raw_values(results, sample_codes, lang):
    codes = sample_codes[lang]
    for name, frame in results.items():
        shown = display.table_frame(frame, lang, codes)
        assert len(set(shown.columns)) == shown.width, name
        assert not any(c.endswith(("_zh", "_en")) for c in shown.columns), name
        for header, values in shown.to_dict().items():
            bad = [v for v in values.to_list() if v is None or RAW.search(v)]
            assert not bad, (name, header, bad[:3])
        # code columns show names, never the code (the sample has no unknown codes)
        for col in frame.columns:
            entry = COLUMNS[col]
            if not entry.kind.startswith("code:") or not entry.shown_in(lang):
                continue
            lists = [codes.get(d) or local_codes(lang).get(d, {}) for d in entry.domains]
            raw = {c for names in lists for c in names}
            raw -= {n for names in lists for n in names.values()}
            labels = [c for c in frame.columns if c == col or c.startswith("name_")]
            named = display.table_frame(frame.select(labels), lang, codes).to_series(0)
            assert not raw & set(named.to_list()), (name, col)


# --- (b) table_frame on tiny frames ----------------------------------------------------------

CODES_ZH = {
    "platform": {"douyin": "抖音", "taobao": "淘宝"},
    "case_status": {"closed": "已结案"},
}
CODES_EN = {
    "platform": {"douyin": "Douyin", "taobao": "Taobao"},
    "case_status": {"closed": "Closed"},
}

NOTICES = pl.DataFrame(
    {
        "notice_id": ["TD2026-000001", "TD2026-000002"],
        "platform": ["douyin", "weibo"],  # weibo: not in the code list
        "name_zh": ["抖音", None],
        "name_en": ["Douyin", None],
        "notice_sent_at": [dt.datetime(2026, 7, 1, 9, 30, 12), dt.datetime(2026, 7, 2, 0, 0)],
        "removed_at": [None, dt.datetime(2026, 7, 3, 14, 5, 59)],
        "case_id": [None, "WQ2026-0001"],
        "latency_workdays": [None, 1],
        "is_within_2wd": [False, True],
        "within_2wd_share": [0.858, float("nan")],
        "median_workdays": [1.5, None],
    }
)


def test_codes_are_named_and_an_unknown_code_stays():
    shown = display.table_frame(NOTICES, "zh", CODES_ZH)
    assert shown["平台"].to_list() == ["抖音", "weibo"]
    assert display.table_frame(NOTICES, "en", CODES_EN)["Platform"].to_list() == [
        "Douyin",
        "weibo",
    ]


def test_missing_values_dates_booleans_and_shares_read_as_officials_write_them():
    shown = display.table_frame(NOTICES, "zh", CODES_ZH)
    assert shown.columns == [
        "通知编号",
        "平台",
        "通知时间",
        "下架时间",
        "案件编号",
        "下架用时（工作日）",
        "2个工作日内下架",
        "2个工作日内下架率",
        "用时中位数（工作日）",
    ]  # name_zh / name_en only label the code: dropped
    assert shown.row(0) == (
        "TD2026-000001",
        "抖音",
        "2026-07-01 09:30",  # to the minute
        "—",  # null datetime
        "—",  # null id
        "—",  # null integer
        "否",
        "85.8%",
        "1.5",
    )
    second = ("2026-07-02 00:00", "2026-07-03 14:05", "WQ2026-0001", "1", "是", "—")
    assert shown.row(1)[2:8] == second
    assert display.table_frame(NOTICES, "en", CODES_EN)["Within 2 working days"].to_list() == [
        "No",
        "Yes",
    ]


def test_dates_lose_their_time_and_money_keeps_its_unit():
    cases = pl.DataFrame(
        {
            "enforcement_id": ["SB2026-0001", "SB2026-0002"],
            "opened_on": [dt.date(2026, 7, 1), None],
            "closed_on": [dt.datetime(2026, 7, 1), dt.datetime(2026, 8, 3, 16, 0)],  # a timestamp
            "fine_yuan": [Decimal("1234567.50"), None],
            "is_transferred_to_police": [None, True],
        },
        schema_overrides={"fine_yuan": pl.Decimal(18, 2)},
    )
    zh = display.table_frame(cases, "zh", {})
    assert zh["立案日期"].to_list() == ["2026-07-01", "—"]
    assert zh["结案日期"].to_list() == ["2026-07-01", "2026-08-03"]  # no 00:00:00
    assert zh["罚没金额"].to_list() == ["1,234,568 元", "—"]
    assert zh["移送公安"].to_list() == ["—", "是"]
    assert display.table_frame(cases, "en", {})["Fine"].to_list() == ["1,234,568 yuan", "—"]


def test_quality_codes_and_messages_in_the_readers_language():
    cells = pl.DataFrame(
        {
            "status": ["open", "closed"],  # a quarantine status, a case status: both named
            "kind": ["takedowns", "-"],
            "column_name": ["notice_sent_at", "platform"],
            "rule": ["type:timestamp", "code:platform"],
            "message_zh": ["第3行不是有效的日期时间", None],
            "message_en": ["row 3 is not a date and time", None],
            "kinds": ["cases, takedowns", None],
        }
    )
    zh = display.table_frame(cells, "zh", CODES_ZH)
    assert zh.columns == ["状态", "数据类别", "列", "问题", "说明", "包含的数据类别"]
    assert zh.row(0) == (
        "待更正",
        "电商下架通知",
        "通知发送时间",  # the header the clerk's file uses
        "日期时间格式不对",
        "第3行不是有效的日期时间",
        "维权援助案件、电商下架通知",
    )
    assert zh.row(1)[:4] == ("已结案", "未识别", "电商平台", "平台不在代码表中")
    en = display.table_frame(cells, "en", CODES_EN)
    assert en.columns == ["Status", "Record kind", "Column", "Problem", "Message", "Record kinds"]
    assert en.row(0)[0] == "Open" and en.row(0)[4] == "row 3 is not a date and time"


def test_a_breakdown_code_is_named_by_its_own_row():
    breakdown = pl.DataFrame(
        {"code": ["international", "x"], "name_zh": ["国际品牌", None], "name_en": ["Intl", None]}
    )
    assert display.table_frame(breakdown, "zh", {}).to_dict(as_series=False) == {
        "类别": ["国际品牌", "x"]
    }


# --- (c) CSV ---------------------------------------------------------------------------------


def test_csv_has_a_bom_localized_headers_and_excel_ready_values():
    data = display.csv_bytes(NOTICES, "zh", CODES_ZH)
    assert data.startswith(codecs.BOM_UTF8)
    text = data[len(codecs.BOM_UTF8) :].decode("utf-8")
    header, first, second = text.splitlines()
    assert header.split(",")[:3] == ["通知编号", "平台", "通知时间"]
    assert first.split(",") == [
        "TD2026-000001",
        "抖音",
        "2026-07-01 09:30",
        "—",
        "—",
        "—",
        "否",
        "85.8%",
        "1.5",
    ]
    assert second.split(",")[5] == "1"  # bare number: Excel sums it
    assert not RAW.search(text)


def test_csv_money_is_exact_with_its_unit_in_the_header():
    fines = pl.DataFrame(
        {"fine_yuan": [Decimal("1234567.50")]}, schema={"fine_yuan": pl.Decimal(18, 2)}
    )
    csv = display.csv_bytes(fines, "zh", {})[len(codecs.BOM_UTF8) :]
    assert pl.read_csv(io.BytesIO(csv)).to_dict(as_series=False) == {"罚没金额（元）": [1234567.5]}
    en = display.csv_bytes(fines, "en", {})[len(codecs.BOM_UTF8) :].decode()
    assert en.splitlines()[0] == "Fine (yuan)"


# --- on screen ---------------------------------------------------------------------------------


def _show_notices() -> None:
    import datetime as dt

    import polars as pl

    from dashboard import display

    frame = pl.DataFrame(
        {
            "notice_id": ["TD2026-000001", "TD2026-000002"],
            "platform": ["douyin", "taobao"],
            "removed_at": [None, dt.datetime(2026, 7, 3, 14, 5)],
            "case_id": [None, "WQ2026-0001"],  # empty first: auto-size would clip the id
            "latency_workdays": [None, 12],
            "within_2wd_share": [0.858, None],
            "listing_url": ["https://item.taobao.com/item.htm?id=718106581873", None],
        }
    )
    display.show_table(frame, "zh", {"platform": {"douyin": "抖音", "taobao": "淘宝"}}, key="t")


def test_show_table_keeps_numbers_typed_and_shows_a_dash_for_missing_values():
    at = AppTest.from_function(_show_notices).run()
    assert not at.exception
    table = at.dataframe[0]
    assert table.proto.placeholder == "—"  # instead of Streamlit's "None", in every column
    shown = table.value
    assert list(shown.columns) == [
        "通知编号",
        "平台",
        "下架时间",
        "案件编号",
        "下架用时（工作日）",
        "2个工作日内下架率",
        "链接",
    ]
    assert shown["平台"].tolist() == ["抖音", "淘宝"]
    assert shown["下架用时（工作日）"].dtype.kind in "fi"  # sortable by value, not as text
    assert shown["2个工作日内下架率"].tolist()[0] == pytest.approx(85.8)
    config = json.loads(table.proto.columns)
    assert config["2个工作日内下架率"]["type_config"] == {"type": "number", "format": "%.1f%%"}
    assert config["下架时间"]["type_config"]["format"] == "YYYY-MM-DD HH:mm"
    assert config["链接"]["type_config"]["type"] == "link"
    # every column sized to its longest value: the id that only appears in row 2 fits
    assert config["案件编号"]["width"] >= len("WQ2026-0001") * 7
    assert config["链接"]["width"] >= len("https://item.taobao.com/item.htm?id=718106581873") * 7


def test_every_rule_and_file_fault_has_a_name_in_both_languages():
    # the Data quality page names a rule or a rejection reason, never its code
    from dashboard.columns import _REASONS, _RULES
    from etl.gate.rules import RULE_TEXT
    from etl.sources.faults import FILE_FAULTS

    rules = {r for r in RULE_TEXT if r != "code"} | {
        "required",
        "required_column",
    }  # code:<domain>: DOMAIN_NAMES
    assert rules <= set(_RULES), rules - set(_RULES)
    reasons = set(FILE_FAULTS) | {"revert", "strict", "gate_error"}
    assert reasons <= set(_REASONS), reasons - set(_REASONS)
    for zh, en in [*_RULES.values(), *_REASONS.values()]:
        assert zh and en and not re.search(r"[A-Za-z]", zh), (zh, en)


def test_a_text_column_is_as_wide_as_its_longest_chinese_label():
    """The briefing page's KPI names: Streamlit sized the column by Latin letters and cut
    "下架时效中位数（工作日）" (12 wide characters: 12 × 14.5 px + 28 px of padding)."""
    from dashboard import display

    config = display.text_column(pl.Series(["存证公证", "下架时效中位数（工作日）", None]), "指标")
    assert config["width"] == round(12 * display.PX_WIDE + display.PX_PADDING) == 202
    assert display.text_column(pl.Series(["P90"]), "Indicator")["width"] == round(
        9 * display.PX_NARROW + display.PX_PADDING
    )
