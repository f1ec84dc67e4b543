"""Tests of etl.sample: the synthetic source files must be deterministic, hit the published
figures exactly, look like the real exports (encodings, headers, value spellings) and hang together
(dates, links, the notarization hash chain).

Everything is read back independently from the written files, the way the ETL will see them.
"""

from __future__ import annotations

import ast
import csv
import hashlib
import io
import math
import re
import unicodedata
import zipfile
from datetime import date, datetime, timedelta
from pathlib import Path

import numpy as np
import polars as pl
import pytest

from etl import workdays as warehouse_calendar
from etl.sample import write_sample
from etl.sample.calendar import CALENDAR_FIRST, CALENDAR_LAST, WorkCalendar, project_calendar
from etl.sources import cases, notarizations, patents, takedowns, trademarks

DATA_START = date(2022, 1, 1)
DATA_END = date(2026, 9, 30)
END_TS = datetime(2026, 9, 30, 23, 59, 59)
YEARS = range(2022, 2027)
CODES = Path(__file__).parents[1] / "etl" / "reference" / "codes.csv"

KIND_EXT = (("cases", "csv"), ("takedowns", "csv"), ("patents", "parquet"), ("trademarks", "xlsx"))
EXPECTED_FILES = sorted(
    [f"{kind}_{y}.{ext}" for y in YEARS for kind, ext in KIND_EXT] + ["notarizations.csv"]
)


# ------------------------------------------------------------------------------------------------
# Readers: independent of etl.sample, one per source format.
# ------------------------------------------------------------------------------------------------


def _codes(domain: str) -> dict[str, tuple[str, str]]:
    with CODES.open(encoding="utf-8", newline="") as fh:
        return {
            r["code"]: (r["name_zh"], r["name_en"])
            for r in csv.DictReader(fh)
            if r["domain"] == domain
        }


def read_cases(d: Path) -> pl.DataFrame:
    frames = []
    for f in sorted(d.glob("cases_*.csv")):
        text = f.read_bytes().decode("gb18030")
        frames.append(pl.read_csv(io.StringIO(text), infer_schema=False))
    df = pl.concat(frames).rename({c.zh: c.name for c in cases.KIND.columns})
    dates = [c.name for c in cases.KIND.columns if c.type == "date"]
    return df.with_columns(pl.col(dates).str.to_date("%Y/%m/%d"))


def read_takedowns(d: Path) -> pl.DataFrame:
    files = sorted(d.glob("takedowns_*.csv"))
    df = pl.concat([pl.read_csv(f, infer_schema=False) for f in files])
    return df.with_columns(
        pl.col("notice_sent_at", "removed_at").str.to_datetime("%Y-%m-%d %H:%M:%S")
    )


def read_patents(d: Path) -> pl.DataFrame:
    return pl.read_parquet(sorted(d.glob("patents_*.parquet")))


def read_trademarks(d: Path) -> pl.DataFrame:
    frames = [pl.read_excel(f) for f in sorted(d.glob("trademarks_*.xlsx"))]
    df = pl.concat(frames, how="vertical_relaxed").rename(
        {c.zh: c.name for c in trademarks.KIND.columns}
    )
    return df.with_columns(pl.col("opened_on", "closed_on").cast(pl.Date))


def read_notarizations(d: Path) -> pl.DataFrame:
    text = (d / "notarizations.csv").read_bytes().decode("utf-8-sig")
    df = pl.read_csv(io.StringIO(text), infer_schema=False)
    return df.with_columns(
        pl.col("requested_at", "notarized_at").str.to_datetime("%Y-%m-%d %H:%M:%S")
    )


def published_figures(d: Path) -> dict[str, int]:
    p = read_patents(d)
    c = read_cases(d)
    t = read_trademarks(d)
    n = read_notarizations(d)
    return {
        "patents_accepted_2022": p.filter(pl.col("accepted_on").dt.year() == 2022).height,
        "patents_authorized_2022": p.filter(pl.col("authorized_on").dt.year() == 2022).height,
        "patents_accepted_2023": p.filter(pl.col("accepted_on").dt.year() == 2023).height,
        "patents_authorized_2023": p.filter(pl.col("authorized_on").dt.year() == 2023).height,
        "cases_received_2023": c.filter(pl.col("received_on").dt.year() == 2023).height,
        "trademarks_opened_2023": t.filter(pl.col("opened_on").dt.year() == 2023).height,
        "notarized_2023_03_01_to_2024_04_25": n.filter(
            pl.col("notarized_at").dt.date().is_between(date(2023, 3, 1), date(2024, 4, 25))
        ).height,
    }


PUBLISHED = {
    "patents_accepted_2022": 5140,
    "patents_authorized_2022": 4636,
    "patents_accepted_2023": 4165,
    "patents_authorized_2023": 3737,
    "cases_received_2023": 408,
    "trademarks_opened_2023": 189,
    "notarized_2023_03_01_to_2024_04_25": 482,
}


def _digests(paths: list[Path]) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in paths}


def _row_counts(d: Path) -> dict[str, int]:
    """Data rows per file, read back with the format's own reader."""
    counts: dict[str, int] = {}
    for f in sorted(d.iterdir()):
        if f.suffix == ".parquet":
            counts[f.name] = pl.read_parquet(f).height
        elif f.suffix == ".xlsx":
            counts[f.name] = pl.read_excel(f).height
        else:
            enc = "gb18030" if f.name.startswith("cases_") else "utf-8-sig"
            counts[f.name] = pl.read_csv(io.StringIO(f.read_bytes().decode(enc))).height
    return counts


@pytest.fixture(scope="module")
def sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, list[Path]]:
    """The scale-1 sample, written once for the module."""
    out = tmp_path_factory.mktemp("sample_s1")
    return out, write_sample(out, seed=42, scale=1.0)


@pytest.fixture(scope="module")
def frames(sample: tuple[Path, list[Path]]) -> dict[str, pl.DataFrame]:
    d, _ = sample
    return {
        "cases": read_cases(d),
        "takedowns": read_takedowns(d),
        "patents": read_patents(d),
        "trademarks": read_trademarks(d),
        "notarizations": read_notarizations(d),
    }


@pytest.fixture(scope="module")
def workdays() -> np.ndarray:
    """Cumulative count of China working days per day from 2021-12-01 (for latency checks).

    From the warehouse's calendar (what dim_date and the latency KPIs use), not from etl.sample.
    """
    first = date(2021, 12, 1)
    days = warehouse_calendar.calendar_days(first, first + timedelta(365 * 5 + 30))
    return np.cumsum(days["is_workday"].to_numpy())


def _workdays_between(cum: np.ndarray, a: pl.Series, b: pl.Series) -> np.ndarray:
    """Working days in (a, b] for two date Series."""
    base = (date(2021, 12, 1) - date(1970, 1, 1)).days
    ia = a.cast(pl.Int32).to_numpy() - base
    ib = b.cast(pl.Int32).to_numpy() - base
    return cum[ib] - cum[ia]


# ------------------------------------------------------------------------------------------------
# Determinism and the published figures
# ------------------------------------------------------------------------------------------------


def test_writes_the_expected_files(sample: tuple[Path, list[Path]]) -> None:
    d, paths = sample
    assert [p.name for p in paths] == EXPECTED_FILES
    assert paths == sorted(paths)
    assert sorted(p.name for p in d.iterdir()) == EXPECTED_FILES


def test_same_seed_gives_identical_bytes(sample: tuple[Path, list[Path]], tmp_path: Path) -> None:
    _, paths = sample
    again = write_sample(tmp_path / "again", seed=42, scale=1.0)
    assert _digests(again) == _digests(paths)


def test_other_seed_changes_every_file_but_not_the_figures(
    sample: tuple[Path, list[Path]], tmp_path: Path
) -> None:
    _, paths = sample
    other = write_sample(tmp_path / "other", seed=7, scale=1.0)
    ours, theirs = _digests(paths), _digests(other)
    assert ours.keys() == theirs.keys()
    assert all(ours[k] != theirs[k] for k in ours)
    assert published_figures(tmp_path / "other") == PUBLISHED


def test_published_figures_hold_exactly(sample: tuple[Path, list[Path]]) -> None:
    d, _ = sample
    assert published_figures(d) == PUBLISHED


def test_yearly_volumes_are_in_range(frames: dict[str, pl.DataFrame]) -> None:
    def per_year(df: pl.DataFrame, col: str) -> dict[int, int]:
        years = df.select(pl.col(col).dt.year().alias("y")).to_series().value_counts()
        return dict(zip(years["y"].to_list(), years["count"].to_list(), strict=True))

    c = per_year(frames["cases"], "received_on")
    assert all(330 <= c[y] <= 480 for y in YEARS)
    assert c[2022] < c[2023] < c[2024] < c[2025]
    t = per_year(frames["trademarks"], "opened_on")
    assert all(150 <= t[y] <= 230 for y in YEARS)
    p = per_year(frames["patents"], "accepted_on")
    assert all(4000 <= p[y] <= 4600 for y in (2024, 2025, 2026))
    td = per_year(frames["takedowns"], "notice_sent_at")
    assert all(1600 <= td[y] <= 2400 for y in YEARS)
    n = frames["notarizations"]
    after = n.filter(pl.col("notarized_at") > datetime(2024, 4, 26)).height
    assert 350 <= after / (887 / 365) <= 450  # ~400 a year after the published window


# ------------------------------------------------------------------------------------------------
# Formats: encodings, headers, value spellings
# ------------------------------------------------------------------------------------------------


def test_cases_are_gb18030_with_chinese_headers_and_values(
    sample: tuple[Path, list[Path]],
) -> None:
    d, _ = sample
    raw = (d / "cases_2023.csv").read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("gb18030")
    header = text.splitlines()[0]
    assert header.split(",") == [c.zh for c in cases.KIND.columns]
    rows = list(csv.DictReader(io.StringIO(text)))
    assert len(rows) == 408
    zh = {dom: {v[0] for v in _codes(dom).values()} for dom in ("service_type", "platform")}
    assert {r["服务类型"] for r in rows} == zh["service_type"]
    assert {r["电商平台"] for r in rows} <= zh["platform"]
    assert all(re.fullmatch(r"2023/[1-9]\d?/[1-9]\d?", r["受理日期"]) for r in rows)
    assert all(re.fullmatch(r"1[358]\d{9}", r["联系电话"]) for r in rows)
    assert all(re.fullmatch(r"[\u4e00-\u9fff]{2,3}", r["联系人"]) for r in rows)
    assert all(re.fullmatch(r"WQ2023-\d{4}", r["案件编号"]) for r in rows)


def test_takedowns_are_utf8_with_english_headers(sample: tuple[Path, list[Path]]) -> None:
    d, _ = sample
    raw = (d / "takedowns_2024.csv").read_bytes()
    assert not raw.startswith(b"\xef\xbb\xbf")
    lines = raw.decode("utf-8").splitlines()
    assert lines[0].split(",") == [c.name for c in takedowns.KIND.columns]
    df = pl.read_csv(io.BytesIO(raw), infer_schema=False)
    online_en = {en for code, (_, en) in _codes("platform").items() if code != "offline"}
    assert set(df["platform"].unique()) == online_en
    assert df["notice_sent_at"].str.contains(r"^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$").all()
    assert df["notice_id"].str.contains(r"^TD2024-\d{6}$").all()
    tmall = df.filter(pl.col("platform") == "Tmall")["listing_url"]
    assert tmall.str.contains(r"^https://detail\.tmall\.com/item\.htm\?id=\d+$").all()
    assert df["listing_url"].str.starts_with("https://").all()


def test_patents_parquet_types_and_codes(frames: dict[str, pl.DataFrame]) -> None:
    p = frames["patents"]
    assert p.columns == [c.name for c in patents.KIND.columns]
    assert p.schema["accepted_on"] == pl.Date
    assert p.schema["authorized_on"] == pl.Date
    for col in ("applicant_type", "patent_type", "preexam_result"):
        domain = patents.KIND.column(col).code_domain
        assert set(p[col].unique()) == set(_codes(domain))
    shares = p["patent_type"].value_counts(normalize=True)
    design = shares.filter(pl.col("patent_type") == "design")["proportion"][0]
    assert 0.65 <= design <= 0.76
    ent = p.filter(pl.col("applicant_type") == "enterprise")["applicant"]
    assert ent.str.ends_with("公司").all()
    assert ent.n_unique() > 500
    people = p.filter(pl.col("applicant_type") == "individual")["applicant"]
    assert people.str.contains(r"^[\u4e00-\u9fff]{2,3}$").all()
    assert p.filter(pl.col("applicant_type") == "institution").height > 0


def test_trademarks_xlsx_layout(sample: tuple[Path, list[Path]]) -> None:
    d, _ = sample
    path = d / "trademarks_2023.xlsx"
    raw = pl.read_excel(path)
    assert raw.columns == [c.zh for c in trademarks.KIND.columns]
    assert raw.schema["立案日期"] in (pl.Date, pl.Datetime("ms"), pl.Datetime("us"))
    assert raw.schema["查扣数量"] == pl.Int64
    assert set(raw["是否移送公安"].unique()) <= {"是", "否"}
    agencies = {v[0] for v in _codes("agency").values()}
    assert set(raw["执法机构"].unique()) <= agencies
    money = raw["罚没金额"].cast(pl.Float64)
    assert ((money * 100).round(6) % 1 == 0).all()
    with zipfile.ZipFile(path) as zf:
        core = zf.read("docProps/core.xml").decode()
    assert "2026-10-01T09:00:00Z" in core


def test_trademark_values_are_plausible(frames: dict[str, pl.DataFrame]) -> None:
    t = frames["trademarks"]
    assert t["fine_yuan"].min() >= 0
    assert t["fine_yuan"].max() <= 500_000
    assert t["fine_yuan"].median() < t["fine_yuan"].mean()  # skewed
    police = (t["transferred_to_police"] == "是").mean()
    assert 0.04 <= police <= 0.13
    markets = t["location"].str.contains("城|市场|广场").sum()
    assert markets > t.height / 2
    agencies = t["agency"].value_counts(normalize=True)
    amr = agencies.filter(pl.col("agency").str.contains("市场监"))["proportion"].sum()
    assert amr > 0.7
    assert 0.03 < t["partner_region"].is_not_null().mean() < 0.2
    assert (t["closed_on"].drop_nulls() >= t.drop_nulls("closed_on")["opened_on"]).all()


# ------------------------------------------------------------------------------------------------
# Integrity: dates, links, hash chain
# ------------------------------------------------------------------------------------------------


def test_no_date_outside_the_data_window(frames: dict[str, pl.DataFrame]) -> None:
    kinds = {
        "cases": cases,
        "takedowns": takedowns,
        "patents": patents,
        "trademarks": trademarks,
        "notarizations": notarizations,
    }
    for kind, mod in kinds.items():
        df = frames[kind]
        for col in (c.name for c in mod.KIND.columns if c.type in ("date", "timestamp")):
            s = df[col].drop_nulls()
            if s.dtype == pl.Date:
                assert s.min() >= DATA_START and s.max() <= DATA_END, (kind, col)
            else:
                assert s.min() >= datetime(2022, 1, 1) and s.max() <= END_TS, (kind, col)


def test_ids_are_unique_and_well_formed(frames: dict[str, pl.DataFrame]) -> None:
    for kind, mod, pattern in (
        ("cases", cases, r"^WQ20\d\d-\d{4}$"),
        ("takedowns", takedowns, r"^TD20\d\d-\d{6}$"),
        ("patents", patents, r"^YS20\d\d-\d{5}$"),
        ("trademarks", trademarks, r"^SB20\d\d-\d{4}$"),
        ("notarizations", notarizations, r"^GZ20\d\d-\d{4}$"),
    ):
        keys = frames[kind][mod.KIND.key]
        assert keys.n_unique() == len(keys), kind
        assert keys.str.contains(pattern).all(), kind


def test_notarization_hash_chain_verifies(sample: tuple[Path, list[Path]]) -> None:
    d, _ = sample
    raw = (d / "notarizations.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    rows = list(csv.DictReader(io.StringIO(raw.decode("utf-8-sig"))))
    assert list(rows[0]) == [c.name for c in notarizations.KIND.columns]

    def field(name: str, text: str) -> str:
        """docs/data-model.md's serialization of one cell, written from the docs, not the code:
        the sample writes bare codes, lower-case hashes and whole seconds."""
        if not text:
            return "\\N"
        if name.endswith("_at"):
            return text + ".000000"
        return unicodedata.normalize("NFC", text).replace("\\", "\\\\").replace("|", "\\|")

    hashed = [c.name for c in notarizations.KIND.columns][:-1]
    prev = "0" * 64
    for r in rows:
        assert re.fullmatch(r"[0-9a-f]{64}", r["evidence_sha256"])
        assert r["prev_record_hash"] == prev
        payload = "|".join(field(name, r[name]) for name in hashed)
        assert r["record_hash"] == hashlib.sha256(payload.encode()).hexdigest()
        prev = r["record_hash"]
    assert sum(not r["notarized_at"] for r in rows) == 4  # pending, sealed with notarized_at empty


def test_notarizations_follow_the_chain_order(frames: dict[str, pl.DataFrame]) -> None:
    n = frames["notarizations"]
    assert n["requested_at"].min() >= datetime(2023, 3, 1)
    sealed = n.filter(pl.col("notarized_at").is_not_null())
    pending = n.filter(pl.col("notarized_at").is_null())
    assert n.head(sealed.height)["notarized_at"].null_count() == 0  # pending rows come last
    assert sealed["notarized_at"].is_sorted()
    assert 0 < pending.height <= 0.01 * n.height
    delay = (sealed["notarized_at"] - sealed["requested_at"]).dt.total_seconds()
    assert delay.min() >= 0 and delay.max() <= 5 * 86_400
    assert n["requester_name"].str.contains(r"^[\u4e00-\u9fff]{2,3}$").all()


def test_cited_cases_exist_and_came_first(frames: dict[str, pl.DataFrame]) -> None:
    c = frames["cases"].select("case_id", "received_on")
    for kind, at in (("takedowns", "notice_sent_at"), ("notarizations", "requested_at")):
        linked = frames[kind].filter(pl.col("case_id").is_not_null())
        joined = linked.join(c, on="case_id", how="left")
        assert joined["received_on"].null_count() == 0, kind
        assert (joined["received_on"] <= joined[at].dt.date()).all(), kind
    share = frames["takedowns"]["case_id"].is_not_null().mean()
    assert 0.35 <= share <= 0.45


def test_takedown_latency(frames: dict[str, pl.DataFrame], workdays: np.ndarray) -> None:
    t = frames["takedowns"]
    removed = t.filter(pl.col("removed_at").is_not_null())
    assert (removed["removed_at"] >= removed["notice_sent_at"]).all()
    wd = _workdays_between(
        workdays, removed["notice_sent_at"].dt.date(), removed["removed_at"].dt.date()
    )
    removed = removed.with_columns(fast=pl.Series(wd <= 2), year=pl.col("notice_sent_at").dt.year())
    by_year = removed.group_by("year").agg(pl.col("fast").mean()).sort("year")["fast"]
    assert 0.70 <= by_year[0] <= 0.80 and 0.86 <= by_year[-1] <= 0.94
    assert by_year[-1] > by_year[0] + 0.1
    by_platform = dict(removed.group_by("platform").agg(pl.col("fast").mean()).iter_rows())
    assert min(by_platform["Tmall"], by_platform["JD.com"]) > max(
        by_platform["Pinduoduo"], by_platform["Douyin"], by_platform["Amazon"]
    )
    assert wd.max() >= 15  # a tail of weeks
    live = t["removed_at"].is_null()
    assert 0.02 <= live.mean() <= 0.045
    late = t.filter(pl.col("notice_sent_at") >= datetime(2026, 9, 16))
    assert late["removed_at"].is_null().mean() > live.mean()
    sent = t["notice_sent_at"]
    office = sent.dt.hour().is_between(8, 18)
    assert office.mean() > 0.8


def test_patent_grants_follow_the_cycles(frames: dict[str, pl.DataFrame]) -> None:
    p = frames["patents"]
    granted = p.filter(pl.col("authorized_on").is_not_null())
    assert (granted["preexam_result"] == "passed").all()
    cycle = granted.with_columns(
        days=(pl.col("authorized_on") - pl.col("accepted_on")).dt.total_days()
    )
    stats = {
        r["patent_type"]: (r["lo"], r["hi"], r["med"])
        for r in cycle.group_by("patent_type")
        .agg(lo=pl.col("days").min(), hi=pl.col("days").max(), med=pl.col("days").median())
        .iter_rows(named=True)
    }
    # (shortest, longest, median) days: design ~1-3 months, utility ~2-6, invention ~6-18.
    design, utility, invention = stats["design"], stats["utility_model"], stats["invention"]
    assert design[0] >= 20 and design[1] <= 100 and 25 <= design[2] <= 75
    assert utility[0] >= 45 and utility[1] <= 200 and 60 <= utility[2] <= 150
    assert invention[0] >= 160 and invention[1] <= 560 and 180 <= invention[2] <= 420
    # A pass from before the last weeks of the window is granted; nothing else is.
    stale = p.filter(
        (pl.col("preexam_result") == "passed")
        & pl.col("authorized_on").is_null()
        & (pl.col("accepted_on") < date(2025, 3, 1))
    )
    assert stale.height == 0
    assert p.filter(pl.col("accepted_on").dt.year() == 2022)["accepted_on"].min() >= DATA_START


def test_cases_are_consistent(frames: dict[str, pl.DataFrame], workdays: np.ndarray) -> None:
    c = frames["cases"]
    closed = c.filter(pl.col("closed_on").is_not_null())
    open_ = c.filter(pl.col("closed_on").is_null())
    assert set(closed["status"].unique()) <= {"已结案", "已撤回"}
    assert set(open_["status"].unique()) <= {"已受理", "办理中"}
    assert closed["outcome"].null_count() == 0 and open_["outcome"].null_count() == open_.height
    assert (closed["closed_on"] >= closed["received_on"]).all()

    shares = dict(c["service_type"].value_counts(normalize=True).iter_rows())
    assert abs(shares["咨询"] - 0.35) < 0.05 and abs(shares["侵权判定咨询意见"] - 0.15) < 0.04

    adv = c.filter(pl.col("advisory_opinion_on").is_not_null())
    assert set(adv["service_type"].unique()) == {"侵权判定咨询意见"}
    wd = _workdays_between(workdays, adv["received_on"], adv["advisory_opinion_on"])
    assert 0.75 <= (wd <= 2).mean() < 1.0

    out = c.filter(pl.col("referral_direction") == "移出")
    inn = c.filter(pl.col("referral_direction") == "移入")
    assert 0.11 <= out.height / c.height <= 0.19 and 0.05 <= inn.height / c.height <= 0.11
    assert (out["respondent_region"] == out["referral_partner"]).all()
    partners = {"中山", "东莞", "浙江省电子商务执法中心", "广东省内其他地区", "外省"}
    assert set(out["referral_partner"].unique()) <= partners
    assert set(inn["referral_partner"].unique()) <= partners
    referred = pl.concat([out, inn]).filter(pl.col("referred_on").is_not_null())
    assert (referred["referred_on"] >= referred["received_on"]).all()
    done = referred.filter(pl.col("referral_closed_on").is_not_null())
    assert (done["referral_closed_on"] >= done["referred_on"]).all()
    plain = c.filter(pl.col("referral_direction").is_null())
    assert plain["referral_partner"].null_count() == plain.height
    assert (plain["respondent_region"] == "本区").mean() > 0.6
    parks = {v[0] for k, v in _codes("location").items()}
    assert set(c["complainant_park"].unique()) == parks
    assert "线下" in set(c["platform"].unique())


# ------------------------------------------------------------------------------------------------
# The calendar is the warehouse's own (etl.workdays), and the package stays in layers
# ------------------------------------------------------------------------------------------------


def test_calendar_agrees_with_the_warehouse_on_every_day() -> None:
    """Every day the generators may touch, the data window and 2027 (override file) included."""
    assert CALENDAR_FIRST <= DATA_START and DATA_END < date(2027, 12, 31) <= CALENDAR_LAST
    expected = warehouse_calendar.calendar_days(CALENDAR_FIRST, CALENDAR_LAST)
    cal = project_calendar()
    days = expected["date_day"].cast(pl.Int32).to_numpy().astype(np.int64)
    assert (cal.is_workday(days) == expected["is_workday"].to_numpy()).all()
    assert (cal.working == days[expected["is_workday"].to_numpy()]).all()
    # 2027 is past chinesecalendar: calendar_overrides.csv's statutory days decide, as they do
    # for dim_date until the year's notice is imported (then 2027 is provisional in both).
    # New Year's Day 2027 is a Friday the weekday rule would count as a working day.
    override = expected.filter(pl.col("date_day") == date(2027, 1, 1)).row(0, named=True)
    assert override["calendar_source"] == warehouse_calendar.SOURCE_STATUTORY
    new_year = np.array([(date(2027, 1, 1) - date(1970, 1, 1)).days])
    assert not cal.is_workday(new_year)[0]
    assert cal.next_workday(new_year)[0] == new_year[0] + 3  # Monday 2027-01-04


def test_calendar_follows_an_override_file(tmp_path: Path) -> None:
    """The override mechanism end to end, with a made-up schedule for 2028.

    Inside the data window chinesecalendar decides (it covers 2004-2026 and comes first in
    etl.workdays), so no override there could change the sample; a year past the package shows the
    sample honours whatever the file says.
    """
    overrides = tmp_path / "calendar_overrides.csv"
    overrides.write_text(
        "date,is_workday,holiday_name,note\n"
        "2028-03-01,false,Test Holiday,a Wednesday off\n"
        "2028-03-04,true,,a make-up Saturday\n",
        encoding="utf-8",
    )
    first, last = date(2028, 2, 1), date(2028, 3, 31)
    cal = WorkCalendar.build(first, last, overrides)
    expected = warehouse_calendar.calendar_days(first, last, overrides)["is_workday"].to_numpy()
    assert (cal.flags == expected).all()

    def dn(iso: str) -> int:
        return (date.fromisoformat(iso) - date(1970, 1, 1)).days

    tue, wed, thu, sat = (dn(d) for d in ("2028-02-29", "2028-03-01", "2028-03-02", "2028-03-04"))
    assert cal.is_workday(np.array([tue, wed, thu, sat])).tolist() == [True, False, True, True]
    # From Tuesday: Wednesday is off, so 1 -> Thursday, 2 -> Friday, 3 -> the make-up Saturday.
    after = cal.add_workdays(np.full(3, tue), np.array([1, 2, 3]))
    assert after.tolist() == [thu, thu + 1, sat]
    assert cal.next_workday(np.array([wed])).tolist() == [thu]
    assert not WorkCalendar.build(first, last).is_workday(np.array([sat]))[0]  # committed file


def test_sample_modules_import_in_layers() -> None:
    """Each module of etl/sample imports only modules before it in this order: no cycles, and
    no module reaches back into the package's __init__."""
    order = [
        "calendar",
        "core",
        "columns",
        "fakers",
        "writers",
        "cases",
        "takedowns",
        "patents",
        "trademarks",
        "notarizations",
        "__init__",
    ]
    package = Path(__file__).parents[1] / "etl" / "sample"
    assert sorted(p.stem for p in package.glob("*.py")) == sorted(order)
    for i, name in enumerate(order):
        tree = ast.parse((package / f"{name}.py").read_text(encoding="utf-8"))
        used: set[str] = set()
        for node in ast.walk(tree):
            if isinstance(node, ast.ImportFrom) and node.module == "etl.sample":
                used |= {a.name for a in node.names}
            elif isinstance(node, ast.ImportFrom) and (node.module or "").startswith("etl.sample."):
                used.add(node.module.removeprefix("etl.sample."))
            elif isinstance(node, ast.ImportFrom) and node.level:
                used.add(node.module or "__init__")
            elif isinstance(node, ast.Import):
                used |= {
                    a.name.removeprefix("etl.sample.")
                    for a in node.names
                    if a.name.startswith("etl.sample")
                }
        assert used <= set(order[:i]), (name, used - set(order[:i]))


# ------------------------------------------------------------------------------------------------
# Scale, progress and argument checks
# ------------------------------------------------------------------------------------------------


def test_scale_tenth_gives_a_tenth(sample: tuple[Path, list[Path]], tmp_path: Path) -> None:
    d, _ = sample
    out = tmp_path / "tenth"
    write_sample(out, seed=42, scale=0.1)
    full, tenth = _row_counts(d), _row_counts(out)
    assert full.keys() == tenth.keys()
    for name, n in full.items():
        assert abs(tenth[name] - n * 0.1) <= max(1.5, 0.01 * n * 0.1), name
    figures = published_figures(out)
    assert figures == {k: round(v * 0.1) for k, v in PUBLISHED.items()}


def test_progress_is_reported_per_chunk(tmp_path: Path) -> None:
    calls: list[tuple[str, int]] = []
    paths = write_sample(tmp_path, seed=1, scale=0.05, progress=lambda f, n: calls.append((f, n)))
    assert {f for f, _ in calls} == {p.name for p in paths}
    last: dict[str, int] = {}
    for f, n in calls:
        assert n > last.get(f, 0)
        last[f] = n
    assert last == _row_counts(tmp_path)


@pytest.mark.parametrize("scale", [0, -1, math.nan])
def test_rejects_a_non_positive_scale(tmp_path: Path, scale: float) -> None:
    with pytest.raises(ValueError, match="scale"):
        write_sample(tmp_path / "x", scale=scale)
    assert not (tmp_path / "x").exists()
