"""Deterministic synthetic source files that look like the center's real exports.

Why: the pipeline, its tests and the dashboard need realistic inputs, and real case files carry
personal data that must never leave the center. `write_sample` writes one file per record kind per
calendar year (one hash-chained file for notarizations) in the formats the real systems export:
a GB18030 CSV with Chinese headers, UTF-8 CSVs, Parquet, XLSX and a BOM-prefixed CSV.

Choices that matter to callers:

* Deterministic. Every draw comes from ``numpy.random.default_rng([seed, kind, year, chunk])``, so
  the same seed and scale give byte-identical files, and a chunk depends only on its own key (no
  wall clock, no global state, no set or dict iteration order).
* Published figures are constructed, not sampled. A small per-year *plan* (counts per day, and per
  day x type x result x authorization-year cell for patents) fixes them exactly; rows are generated
  inside the plan, so another seed changes the rows but never the figures.
* Streaming. Years are generated and appended in chunks of whole days (at most ``CHUNK_ROWS`` rows
  unless a single day is larger), so memory stays bounded at scale 1000 (~10M takedowns, ~23M
  patents). Only a few bytes per case are kept across kinds, so notices can cite real cases.
* China's calendar. Working days come from ``chinese_calendar`` (Spring Festival, National Day,
  make-up Saturdays), so latencies counted in working days behave like real ones.
* Nothing happens after the data date 2026-09-30: later removal/closing/authorization dates are
  left empty, meaning still live / open / pending.
"""

from __future__ import annotations

import csv
import hashlib
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from functools import lru_cache
from pathlib import Path
from typing import Any, BinaryIO

import chinese_calendar
import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq
import xlsxwriter

from etl.sources import cases, notarizations, takedowns, trademarks

# ------------------------------------------------------------------------------------------------
# The data window, yearly volumes and the figures that must hold exactly at scale 1.
# ------------------------------------------------------------------------------------------------

DATA_START = date(2022, 1, 1)
DATA_END = date(2026, 9, 30)  # the "data date": nothing is dated after it
YEARS = (2022, 2023, 2024, 2025, 2026)
NOTARY_LAUNCH = date(2023, 3, 1)  # the evidence-notarization system went live that day
NOTARY_WINDOW_END = date(2024, 4, 25)  # end of the first published notarization window
CHUNK_ROWS = 100_000  # rows generated and written at a time: what bounds memory
XLSX_MAX_ROWS = 1_048_576  # one Excel sheet, header included

# Rows per year at scale 1. 2026 only runs to September, so its bases are nine months' volume.
BASE_CASES = {2022: 352, 2023: 408, 2024: 437, 2025: 466, 2026: 358}
BASE_TAKEDOWNS = {2022: 1800, 2023: 2000, 2024: 2150, 2025: 2300, 2026: 1750}
BASE_PATENTS = {2022: 5140, 2023: 4165, 2024: 4560, 2025: 4600, 2026: 4350}
BASE_TRADEMARKS = {2022: 171, 2023: 189, 2024: 203, 2025: 216, 2026: 158}
BASE_NOTARY_WINDOW = 482  # notarized 2023-03-01 .. 2024-04-25 (published)
BASE_NOTARY_AFTER = 1010  # notarized 2024-04-26 .. 2026-09-30 (~410 a year)
BASE_NOTARY_PENDING = 4  # requested in the last days before the data date, not yet notarized

# Published patent grants per calendar year of authorized_on (exact at scale 1).
PUBLISHED_AUTHORIZED = {2022: 4636, 2023: 3737}

# Seed keys: one independent random stream per kind (and one for the pool of firm names).
_K_CASES, _K_TAKEDOWNS, _K_PATENTS, _K_TRADEMARKS, _K_NOTARY, _K_POOL = 1, 2, 3, 4, 5, 9

_Progress = Callable[[str, int], None]
_EPOCH = date(1970, 1, 1)
_DAY_S = 86_400

# ------------------------------------------------------------------------------------------------
# Code lists (etl/reference/codes.csv): files carry Chinese names, English names or bare codes.
# ------------------------------------------------------------------------------------------------

# fmt: off
PLATFORMS = ("tmall", "taobao", "jd", "pinduoduo", "douyin", "alibaba_1688", "amazon",
             "kuaishou", "xiaohongshu", "offline")
LOCATIONS = ("P01", "P02", "P03", "P04", "P05", "P06", "P07",
             "M01", "M02", "M03", "M04", "M05", "other")
# fmt: on
ONLINE = PLATFORMS[:-1]
OFFLINE = PLATFORMS.index("offline")
PARTNERS = ("zhongshan", "dongguan", "zhejiang_ecc", "guangdong_other", "other_province")
REGIONS = ("local", *PARTNERS)


@lru_cache(maxsize=1)
def _codes() -> dict[str, dict[str, tuple[str, str]]]:
    """domain -> code -> (name_zh, name_en), from the same reference list the ETL normalises to."""
    path = Path(__file__).parent / "reference" / "codes.csv"
    out: dict[str, dict[str, tuple[str, str]]] = {}
    with path.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["domain"], {})[row["code"]] = (row["name_zh"], row["name_en"])
    return out


def _zh(domain: str, codes: Sequence[str]) -> list[str]:
    """Chinese names of `codes` in order (a KeyError means codes.csv and this module disagree)."""
    return [_codes()[domain][c][0] for c in codes]


def _en(domain: str, codes: Sequence[str]) -> list[str]:
    return [_codes()[domain][c][1] for c in codes]


# ------------------------------------------------------------------------------------------------
# Calendar: days are integers (days since 1970-01-01); timestamps are seconds, China time.
# ------------------------------------------------------------------------------------------------


def _dn(d: date) -> int:
    return (d - _EPOCH).days


_CAL_FIRST = _dn(date(2021, 12, 1))
_CAL_LAST = _dn(date(2028, 12, 31))
_END_DN = _dn(DATA_END)
_END_TS = (_END_DN + 1) * _DAY_S - 1  # 2026-09-30 23:59:59


@lru_cache(maxsize=1)
def _calendar() -> tuple[np.ndarray, np.ndarray]:
    """Working-day flag per calendar day, and the sorted day numbers of all working days.

    chinese_calendar knows published holiday schedules only (to 2026); later days fall back to
    Monday-Friday. Those days are after the data date, so they only decide what is left empty.
    """
    n = _CAL_LAST - _CAL_FIRST + 1
    flags = np.zeros(n, dtype=bool)
    for i in range(n):
        d = _EPOCH + timedelta(days=_CAL_FIRST + i)
        try:
            flags[i] = chinese_calendar.is_workday(d)
        except NotImplementedError:
            flags[i] = d.weekday() < 5
    return flags, (np.flatnonzero(flags) + _CAL_FIRST).astype(np.int64)


def _is_workday(days: np.ndarray) -> np.ndarray:
    flags, _ = _calendar()
    return flags[np.clip(days, _CAL_FIRST, _CAL_LAST) - _CAL_FIRST]


def _add_workdays(days: np.ndarray, n: np.ndarray | int) -> np.ndarray:
    """The n-th working day after each day; n = 0 keeps the day itself (even a holiday)."""
    _, wd = _calendar()
    days = np.asarray(days, dtype=np.int64)
    n = np.broadcast_to(np.asarray(n, dtype=np.int64), days.shape)
    pos = np.searchsorted(wd, days, side="right") + n - 1
    return np.where(n > 0, wd[np.clip(pos, 0, len(wd) - 1)], days)


def _next_workday(days: np.ndarray) -> np.ndarray:
    """Each day if it is a working day, else the next working day."""
    _, wd = _calendar()
    pos = np.searchsorted(wd, np.asarray(days, dtype=np.int64), side="left")
    return wd[np.clip(pos, 0, len(wd) - 1)]


def _last_workday(year: int) -> int:
    _, wd = _calendar()
    return int(wd[np.searchsorted(wd, _dn(date(year, 12, 31)), side="right") - 1])


def _year_days(year: int, start: date = DATA_START, end: date = DATA_END) -> np.ndarray:
    """Day numbers of `year` that fall inside [start, end]."""
    lo = max(_dn(date(year, 1, 1)), _dn(start))
    hi = min(_dn(date(year, 12, 31)), _dn(end))
    return np.arange(lo, hi + 1, dtype=np.int64)


def _year_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[Y]").astype(np.int64) + 1970


def _month_of(days: np.ndarray) -> np.ndarray:
    return days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64) % 12 + 1


# Seasonality: the Spring Festival dip in February; Guangzhou's epidemic controls (Nov 2022) and
# the infection wave after they ended (Dec 2022) cut in-person work sharply at the end of 2022.
_MONTHS = np.array([0.85, 0.6, 1.05, 1.05, 1.0, 1.05, 1.0, 1.0, 1.05, 0.9, 1.05, 1.1])
_COVID_2022 = {10: 0.85, 11: 0.45, 12: 0.25}


def _day_weights(days: np.ndarray, nonwork: float, covid: bool = True) -> np.ndarray:
    """Probability of each day: working days 1, other days `nonwork`, times the season.

    `covid` applies the late-2022 slump to in-person work (walk-in cases, filings, raids); online
    takedown notices went on through it.
    """
    month = _month_of(days)
    w = _MONTHS[month - 1] * np.where(_is_workday(days), 1.0, nonwork)
    if covid:
        for m, f in _COVID_2022.items():
            w = np.where((month == m) & (_year_of(days) == 2022), w * f, w)
    return w / w.sum()


# ------------------------------------------------------------------------------------------------
# Small utilities: counts, random streams, chunks, column builders.
# ------------------------------------------------------------------------------------------------


def _count(base: float, scale: float) -> int:
    """round(base * scale), at least 1 where base > 0, so every year keeps a file at tiny scales."""
    return max(1, round(base * scale)) if base > 0 else 0


def _rng(seed: int, *keys: int) -> np.random.Generator:
    """An independent stream per (seed, kind, year, chunk): no chunk depends on another."""
    return np.random.default_rng([seed, *keys])


def _width(default: int, counts: Sequence[int]) -> int:
    """Zero-pad width of sequence numbers: the documented one, grown when a year needs more."""
    return max(default, len(str(max(counts, default=0))))


def _day_chunks(day_counts: np.ndarray) -> list[tuple[int, int]]:
    """[lo, hi) runs of consecutive days holding at most CHUNK_ROWS rows each.

    Whole days, so rows can be sorted by time and numbered in order inside a chunk; one day larger
    than CHUNK_ROWS becomes a chunk of its own (only at scales far beyond 1000).
    """
    runs: list[tuple[int, int]] = []
    lo, acc = 0, 0
    for i, c in enumerate(day_counts.tolist()):
        if acc and acc + c > CHUNK_ROWS:
            runs.append((lo, i))
            lo, acc = i, 0
        acc += c
    runs.append((lo, len(day_counts)))
    return [(a, b) for a, b in runs if day_counts[a:b].sum() > 0]


def _choice(rng: np.random.Generator, n: int, p: Sequence[float] | np.ndarray) -> np.ndarray:
    """n indices drawn with probabilities p (normalised here, so rounded weights are fine)."""
    w = np.asarray(p, dtype=float)
    return rng.choice(len(w), size=n, p=w / w.sum())


def _mask(s: pl.Series, valid: np.ndarray) -> pl.Series:
    """s with nulls where not valid."""
    return pl.select(pl.when(pl.Series(valid)).then(s)).to_series()


def _labels(values: Sequence[str], idx: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    """values[idx] as a string Series (null where not valid), without a Python loop per row."""
    s = pl.Series(list(values), dtype=pl.String).gather(np.clip(idx, 0, len(values) - 1))
    return s if valid is None else _mask(s, valid)


def _dates(days: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    s = pl.Series(days.astype(np.int32)).cast(pl.Date)
    return s if valid is None else _mask(s, valid)


def _timestamps(secs: np.ndarray, valid: np.ndarray | None = None) -> pl.Series:
    s = pl.from_epoch(pl.Series(secs.astype(np.int64)), time_unit="s")
    return s if valid is None else _mask(s, valid)


def _ids(prefix: str, year: int | np.ndarray, seq: np.ndarray, width: int) -> pl.Series:
    """IDs like WQ2023-0001 from (year, sequence number)."""
    y = pl.Series(np.broadcast_to(np.asarray(year), seq.shape).astype(np.int32)).cast(pl.String)
    return prefix + y + "-" + pl.Series(seq.astype(np.int64)).cast(pl.String).str.zfill(width)


def _sample_hours(rng: np.random.Generator, n: int, profile: np.ndarray) -> np.ndarray:
    """Seconds after midnight: an hour from the hour-of-day profile, a uniform second within."""
    return _choice(rng, n, profile) * 3600 + rng.integers(0, 3600, size=n)


# Hour-of-day profiles: office hours with a lunch dip, a lighter evening, empty nights.
# fmt: off
_OFFICE_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0.1, 0.7, 1.5, 1.6, 1.4,
                          0.4, 0.8, 1.5, 1.6, 1.5, 1.2, 0.4, 0.25, 0.2, 0.15, 0.08, 0.02])
_WEEKEND_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0.2, 0.6, 0.9, 1,
                           0.6, 0.7, 1, 1, 0.9, 0.6, 0.4, 0.4, 0.4, 0.3, 0.1, 0])
_PLATFORM_OPS_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0.2, 0.8, 1.3, 1.5, 1.4,
                                0.8, 1.0, 1.4, 1.5, 1.4, 1.2, 0.8, 0.7, 0.6, 0.4, 0.2, 0.05])
_NOTARY_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0.6, 1.4, 1.6, 1.4,
                          0.6, 1.0, 1.5, 1.6, 1.5, 1.3, 0.7, 0.5, 0.4, 0.3, 0.1, 0])
# fmt: on

# ------------------------------------------------------------------------------------------------
# Synthetic names: people (the PII columns), enterprises, institutions, brands. All invented.
# ------------------------------------------------------------------------------------------------

# fmt: off
_SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖"
                 "田董潘袁蔡蒋余于杜叶程魏苏吕丁任卢姚钟")
_SURNAME_W = np.array([7.2, 7.1, 6.8, 5.4, 4.6, 3.1, 2.4, 2.2, 2.0, 1.9, 1.8, 1.5, 1.4, 1.3,
                       1.3, 1.2, 1.2, 1.5, 1.3, 1.0, 1.0, 1.2, 0.9, 0.9, 0.9, 0.9, 0.8, 0.8,
                       0.7, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.6, 0.6, 0.5, 0.5, 0.5, 0.5, 0.5,
                       0.5, 0.5, 0.5, 0.5, 0.5, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4, 0.4])
_GIVEN = list("伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍建国红梅鹏飞辉斌宇浩"
              "凯健俊帆帅旭宁婷雪琳晨欣怡子涵思雨嘉诚志峰海燕丹颖佳琪文博晓东振宏永新春梓轩")
_ENT_PREFIX = ("广州市", "广州", "广州市花都区", "广州市狮岭", "佛山市", "东莞市", "深圳市",
               "汕头市")
_ENT_PREFIX_W = (0.42, 0.16, 0.14, 0.12, 0.05, 0.05, 0.03, 0.03)
_ENT_CHARS = list("金华鑫盛利达源丰泰兴隆恒信诚宝美雅丽嘉顺祥瑞龙凤腾飞宏远创新骏豪皇冠尚品佳"
                  "艺致锦绣欧朗威帝琪蓝卓越星辰荣昌德汇通益邦富联合亿万晟晖焱森淼鼎翔宸睿")
_ENT_TRADE = ("皮具", "皮革", "箱包", "手袋", "皮件", "皮具制品", "五金制品", "服饰", "鞋业",
              "皮业")
_ENT_TRADE_W = (0.36, 0.14, 0.16, 0.1, 0.05, 0.06, 0.05, 0.03, 0.02, 0.03)
_ENT_FORM = ("有限公司", "实业有限公司", "贸易有限公司", "科技有限公司", "股份有限公司")
_ENT_FORM_W = (0.55, 0.18, 0.12, 0.1, 0.05)
_INSTITUTIONS = ("花城轻工职业技术学院", "岭南皮革工程研究院", "华南箱包设计研究所",
                 "广州市皮具产品质量检测中心", "狮岭皮具产业技术创新中心", "南方纺织服装职业学院",
                 "华粤材料科学研究院", "羊城工业设计学院")
_BRANDS = {
    "international": ("Maison Lavelle", "Veroni", "Castellan", "Harlow & Finch", "Oriane Paris",
                      "Belmonte", "Kessler Wien", "Aurelio Conti"),
    "domestic": ("雅途", "骏驰", "锦程", "华韵", "悦行", "君铂", "臻品", "远帆"),
    "local": ("岭秀", "狮艺", "皮匠坊", "华都皮艺", "岭南行囊", "狮城之星", "花都匠心"),
}
_PHONE_HEADS = np.array([*range(130, 140), *range(150, 154), *range(155, 160), *range(180, 190)])
# fmt: on


def _person_names(rng: np.random.Generator, n: int) -> pl.Series:
    """Chinese person names: a weighted surname and one or two given-name characters."""
    sur = _labels(_SURNAMES, _choice(rng, n, _SURNAME_W))
    g1 = _labels(_GIVEN, rng.integers(0, len(_GIVEN), n))
    two = rng.random(n) < 0.7
    g2 = _labels(["", *_GIVEN], np.where(two, rng.integers(1, len(_GIVEN) + 1, n), 0))
    return sur + g1 + g2


def _phones(rng: np.random.Generator, n: int) -> pl.Series:
    """11-digit mobile numbers in the 13x / 15x / 18x ranges."""
    head = _PHONE_HEADS[rng.integers(0, len(_PHONE_HEADS), n)].astype(np.int64)
    return pl.Series(head * 100_000_000 + rng.integers(0, 100_000_000, n)).cast(pl.String)


@lru_cache(maxsize=4)
def _enterprise_pool(seed: int, scale: float) -> tuple[pl.Series, np.ndarray]:
    """Distinct firm names, each with a skewed activity weight.

    The pool grows with the square root of scale (more data, more firms, but the prolific filers
    stay prolific). Patent applicants and case complainants draw from the same pool, so the two
    kinds share firms the way real data does.
    """
    size = int(min(200_000, max(300, 3000 * np.sqrt(scale))))
    rng = _rng(seed, _K_POOL)
    m = int(size * 1.6) + 50
    c1 = rng.integers(0, len(_ENT_CHARS), m)
    c2 = (c1 + rng.integers(1, len(_ENT_CHARS), m)) % len(_ENT_CHARS)  # two different characters
    names = (
        _labels(_ENT_PREFIX, _choice(rng, m, _ENT_PREFIX_W))
        + _labels(_ENT_CHARS, c1)
        + _labels(_ENT_CHARS, c2)
        + _labels(_ENT_TRADE, _choice(rng, m, _ENT_TRADE_W))
        + _labels(_ENT_FORM, _choice(rng, m, _ENT_FORM_W))
    )
    names = names.unique(maintain_order=True).head(size)
    w = 1.0 / (np.arange(len(names)) + 8.0) ** 0.9
    return names, w / w.sum()


def _enterprises(rng: np.random.Generator, n: int, seed: int, scale: float) -> pl.Series:
    names, w = _enterprise_pool(seed, scale)
    return names.gather(rng.choice(len(names), size=n, p=w))


# ------------------------------------------------------------------------------------------------
# CSV sink: appends chunks to one file in any encoding; only the first chunk writes the header.
# ------------------------------------------------------------------------------------------------


class _CsvSink:
    def __init__(self, path: Path, encoding: str, bom: bool = False, crlf: bool = False) -> None:
        self.encoding = encoding
        self.terminator = "\r\n" if crlf else "\n"
        self.rows = 0
        self._fh: BinaryIO = path.open("wb")
        if bom:
            self._fh.write(b"\xef\xbb\xbf")

    def write(self, df: pl.DataFrame) -> None:
        text = df.write_csv(
            include_header=self.rows == 0,
            null_value="",
            line_terminator=self.terminator,
            datetime_format="%Y-%m-%d %H:%M:%S",
        )
        self._fh.write(text.encode(self.encoding))
        self.rows += df.height

    def close(self) -> None:
        self._fh.close()


# ------------------------------------------------------------------------------------------------
# Cases: the hub other kinds cite.
# ------------------------------------------------------------------------------------------------

_SERVICES = ("consultation", "mediation", "assistance", "advisory_opinion")
_SERVICE_P = (0.35, 0.20, 0.30, 0.15)
_IP_TYPES = ("patent", "trademark", "copyright", "other")
_IP_P = (0.50, 0.38, 0.08, 0.04)
_CASE_PLATFORM_P = (0.12, 0.16, 0.08, 0.13, 0.12, 0.06, 0.03, 0.03, 0.02, 0.25)  # PLATFORMS
_PARK_P = (0.22, 0.06, 0.05, 0.04, 0.03, 0.05, 0.02, 0.16, 0.05, 0.04, 0.08, 0.08, 0.12)
_PARTNER_P = (0.20, 0.25, 0.25, 0.18, 0.12)
# Referral probability by service (consultation, mediation, assistance, advisory):
# about 15% of all cases go out to a partner region, 8% come in from one.
_REF_OUT_P = np.array([0.08, 0.22, 0.25, 0.0])
_REF_IN_P = np.array([0.04, 0.12, 0.13, 0.05])
_RESPONDENT_P = (0.70, 0.04, 0.05, 0.0, 0.12, 0.09)  # non-referred cases, REGIONS order
# fmt: off
_OUTCOMES = ("settled", "listing_removed", "opinion_issued", "referred", "no_infringement",
             "withdrawn", "advice_given")
# fmt: on
_STATUSES = ("received", "in_progress", "closed", "withdrawn")


@dataclass
class _CaseIndex:
    """When and on which platform every case was received, so other kinds can cite real cases.

    A few bytes per case in global received order (which is also ID order); IDs are rebuilt from
    (year, seq) when needed.
    """

    day: np.ndarray
    platform: np.ndarray
    year: np.ndarray
    seq: np.ndarray
    width: int
    _pools: dict[int, np.ndarray] = field(default_factory=dict, repr=False)

    def __post_init__(self) -> None:
        self._pools[-1] = np.arange(len(self.day), dtype=np.int32)
        for p in range(len(PLATFORMS)):
            self._pools[p] = np.flatnonzero(self.platform == p).astype(np.int32)

    def pick(
        self, rng: np.random.Generator, days: np.ndarray, platform: np.ndarray, window: int = 120
    ) -> np.ndarray:
        """Per row, a case received on or before its day, or -1.

        platform >= 0: a case about that platform; -1: any case; anything else: no case. Cases
        received within `window` days are preferred, as notices and evidence follow fresh cases.
        """
        out = np.full(len(days), -1, dtype=np.int64)
        u = rng.random(len(days))
        for p in range(-1, len(PLATFORMS)):
            rows = np.flatnonzero(platform == p)
            pool = self._pools[p]
            if rows.size == 0 or pool.size == 0:
                continue
            pdays = self.day[pool]
            hi = np.searchsorted(pdays, days[rows], side="right")
            lo = np.searchsorted(pdays, days[rows] - window, side="left")
            lo = np.where(lo >= hi, 0, lo)
            k = np.minimum(lo + np.floor(u[rows] * (hi - lo)).astype(np.int64), len(pool) - 1)
            out[rows] = np.where(hi > 0, pool[k], -1)
        return out

    def ids(self, idx: np.ndarray) -> pl.Series:
        ok = idx >= 0
        safe = np.where(ok, idx, 0)
        return _mask(_ids("WQ", self.year[safe], self.seq[safe], self.width), ok)


def _case_rows(
    rng: np.random.Generator, days: np.ndarray, seed: int, scale: float
) -> dict[str, Any]:
    """Attributes of one chunk of cases, received on `days` (sorted)."""
    n = len(days)
    service = _choice(rng, n, _SERVICE_P)
    u = rng.random(n)
    ref_out = u < _REF_OUT_P[service]
    ref_in = ~ref_out & (u < _REF_OUT_P[service] + _REF_IN_P[service])
    partner = _choice(rng, n, _PARTNER_P)
    respondent = np.where(ref_out, partner + 1, np.where(ref_in, 0, _choice(rng, n, _RESPONDENT_P)))

    # Advisory opinions: 87% within 2 working days of receipt, the rest up to two weeks.
    quick = rng.random(n) < 0.87
    adv_wd = np.where(quick, _choice(rng, n, (0.25, 0.5, 0.25)), rng.integers(3, 11, n))
    adv_day = _add_workdays(days, adv_wd)

    # Handling time: working days for quick answers, calendar days (lognormal) for the long ones.
    dur = np.select(
        [service == 0, service == 1, service == 2],
        [
            _add_workdays(days, _choice(rng, n, (0.55, 0.25, 0.1, 0.05, 0.03, 0.02))) - days,
            np.clip(rng.lognormal(np.log(25), 0.7, n), 3, 180).astype(np.int64),
            np.clip(rng.lognormal(np.log(40), 0.8, n), 5, 300).astype(np.int64),
        ],
        default=adv_day - days,
    )
    withdrawn = ((service == 1) | (service == 2)) & (rng.random(n) < 0.06)
    dur = np.where(withdrawn, dur * 2 // 5, dur)
    closed = np.where(service == 3, adv_day, _next_workday(days + dur))

    # Out: sent within a week or so, the partner reports back weeks later and the case closes then.
    # In: logged on receipt (or the next working day); the center's own closing ends the referral.
    referred = np.where(
        ref_out,
        _add_workdays(days, rng.integers(0, 8, n)),
        _add_workdays(days, (rng.random(n) < 0.25).astype(np.int64)),
    )
    partner_days = np.clip(rng.lognormal(np.log(35), 0.7, n), 5, 240).astype(np.int64)
    closed = np.where(ref_in, np.maximum(closed, referred), closed)
    closed = np.where(ref_out, _next_workday(referred + partner_days), closed)
    ref_closed = closed

    is_closed = closed <= _END_DN
    outcome = np.select(
        [withdrawn, ref_out, service == 0, service == 3, service == 1],
        [5, 3, 6, 2, _choice(rng, n, (0.65, 0.2, 0, 0, 0.15))],
        default=_choice(rng, n, (0.30, 0.50, 0, 0, 0.20)),
    )
    fresh = (days >= _END_DN - 5) & (rng.random(n) < 0.7)
    status = np.where(is_closed, np.where(withdrawn, 3, 2), np.where(fresh, 0, 1))
    referral = ref_out | ref_in
    return {
        "service": service,
        "ip": _choice(rng, n, _IP_P),
        "platform": _choice(rng, n, _CASE_PLATFORM_P),
        "park": _choice(rng, n, _PARK_P),
        "respondent": respondent,
        "adv_day": adv_day,
        "adv_ok": (service == 3) & (adv_day <= _END_DN),
        "closed": closed,
        "is_closed": is_closed,
        "outcome": outcome,
        "status": status,
        "direction": np.where(ref_out, 0, 1),
        "referral": referral,
        "partner": partner,
        "referred": referred,
        "referred_ok": referral & (referred <= _END_DN),
        "ref_closed": ref_closed,
        "ref_closed_ok": referral & (ref_closed <= _END_DN),
        "enterprise": _enterprises(rng, n, seed, scale),
        "contact": _person_names(rng, n),
        "phone": _phones(rng, n),
    }


def _write_cases(
    out: Path, seed: int, scale: float, progress: _Progress
) -> tuple[list[Path], _CaseIndex]:
    """cases_<YYYY>.csv: GB18030, Chinese headers and names, dates like 2023/1/5, CRLF lines.

    Mimics the case-management export as re-saved on a Chinese-locale Windows PC: the hardest
    format the readers must cope with.
    """
    counts = {y: _count(BASE_CASES[y], scale) for y in YEARS}
    width = _width(4, list(counts.values()))
    names = {
        "service": _zh("service_type", _SERVICES),
        "ip": _zh("ip_type", _IP_TYPES),
        "location": _zh("location", LOCATIONS),
        "region": _zh("region", REGIONS),
        "partner": _zh("region", PARTNERS),
        "platform": _zh("platform", PLATFORMS),
        "status": _zh("case_status", _STATUSES),
        "outcome": _zh("outcome", _OUTCOMES),
        "direction": _zh("referral_direction", ("out", "in")),
    }
    index_parts: list[tuple[np.ndarray, ...]] = []
    paths = []
    for year in YEARS:
        ydays = _year_days(year)
        day_counts = _rng(seed, _K_CASES, year, 0).multinomial(
            counts[year], _day_weights(ydays, 0.02)
        )
        path = out / f"cases_{year}.csv"
        sink = _CsvSink(path, "gb18030", crlf=True)
        for ci, (lo, hi) in enumerate(_day_chunks(day_counts)):
            rng = _rng(seed, _K_CASES, year, ci + 1)
            days = np.repeat(ydays[lo:hi], day_counts[lo:hi])
            a = _case_rows(rng, days, seed, scale)
            seq = np.arange(sink.rows + 1, sink.rows + len(days) + 1)
            df = pl.DataFrame(
                {
                    "case_id": _ids("WQ", year, seq, width),
                    "received_on": _dates(days),
                    "service_type": _labels(names["service"], a["service"]),
                    "ip_type": _labels(names["ip"], a["ip"]),
                    "complainant_enterprise": a["enterprise"],
                    "complainant_park": _labels(names["location"], a["park"]),
                    "contact_name": a["contact"],
                    "contact_phone": a["phone"],
                    "respondent_region": _labels(names["region"], a["respondent"]),
                    "platform": _labels(names["platform"], a["platform"]),
                    "status": _labels(names["status"], a["status"]),
                    "advisory_opinion_on": _dates(a["adv_day"], a["adv_ok"]),
                    "closed_on": _dates(a["closed"], a["is_closed"]),
                    "outcome": _labels(names["outcome"], a["outcome"], a["is_closed"]),
                    "referral_direction": _labels(
                        names["direction"], a["direction"], a["referral"]
                    ),
                    "referral_partner": _labels(names["partner"], a["partner"], a["referral"]),
                    "referred_on": _dates(a["referred"], a["referred_ok"]),
                    "referral_closed_on": _dates(a["ref_closed"], a["ref_closed_ok"]),
                }
            )
            df = df.select([c.name for c in cases.KIND.columns])
            df = df.with_columns(pl.col(pl.Date).dt.strftime("%Y/%-m/%-d"))
            sink.write(df.rename({c.name: c.zh for c in cases.KIND.columns}))
            index_parts.append(
                (
                    days.astype(np.int32),
                    a["platform"].astype(np.int8),
                    np.full(len(days), year, dtype=np.int16),
                    seq.astype(np.int32),
                )
            )
            progress(path.name, sink.rows)
        sink.close()
        paths.append(path)
    day, platform, case_year, case_seq = (np.concatenate(c) for c in zip(*index_parts, strict=True))
    index = _CaseIndex(day=day, platform=platform, year=case_year, seq=case_seq, width=width)
    return paths, index


# ------------------------------------------------------------------------------------------------
# Takedown notices: the big kind (~2,000 a year at scale 1, ~10M in all at scale 1000).
# ------------------------------------------------------------------------------------------------

# Platform mix (ONLINE order) drifts from the marketplaces towards social commerce.
_TD_MIX_2022 = np.array([0.18, 0.24, 0.10, 0.16, 0.12, 0.10, 0.04, 0.03, 0.03])
_TD_MIX_2026 = np.array([0.14, 0.18, 0.09, 0.18, 0.20, 0.08, 0.04, 0.05, 0.04])
# Share of removed notices handled within 2 working days, improving year by year.
_TD_FAST = {2022: 0.75, 2023: 0.79, 2024: 0.83, 2025: 0.87, 2026: 0.90}
# Platform speed as a log-odds shift: Tmall and JD fastest; Pinduoduo, Douyin, Amazon slowest.
_TD_SPEED = np.array([1.0, 0.4, 0.8, -0.7, -0.6, 0.1, -1.0, -0.3, -0.2])
_TD_NEVER = {2022: 0.035, 2023: 0.03, 2024: 0.03, 2025: 0.025, 2026: 0.025}
_TD_FAST_OFFSET_P = (0.42, 0.38, 0.20)  # same working day, next, the one after
_TD_LINKED = 0.42  # share of notices sent for a case (some find no case yet and stay unlinked)
# listing_url per platform: (prefix, digits of the numeric id or 0 if alphanumeric, suffix).
_TD_URL = (
    ("https://detail.tmall.com/item.htm?id=", 12, ""),
    ("https://item.taobao.com/item.htm?id=", 12, ""),
    ("https://item.jd.com/", 11, ".html"),
    ("https://mobile.yangkeduo.com/goods.html?goods_id=", 12, ""),
    ("https://haohuo.jinritemai.com/views/product/detail?id=", 19, ""),
    ("https://detail.1688.com/offer/", 12, ".html"),
    ("https://www.amazon.com/dp/B0", 0, ""),
    ("https://app.kwaixiaodian.com/merchant/shop/detail?id=", 13, ""),
    ("https://www.xiaohongshu.com/goods-detail/", 0, ""),
)


def _td_mix(year: int) -> np.ndarray:
    t = (year - 2022) / 4
    m = (1 - t) * _TD_MIX_2022 + t * _TD_MIX_2026
    return m / m.sum()


def _td_fast_p(year: int) -> np.ndarray:
    """Per-platform P(removed within 2 working days), calibrated so the year's mix meets target."""
    mix, target = _td_mix(year), _TD_FAST[year]
    lo, hi = -10.0, 10.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if (mix / (1 + np.exp(-(mid + _TD_SPEED)))).sum() < target:
            lo = mid
        else:
            hi = mid
    return 1 / (1 + np.exp(-(lo + _TD_SPEED)))


def _random_text(rng: np.random.Generator, n: int, k: int, alphabet: str) -> pl.Series:
    """n random strings of k characters from an ASCII alphabet, built without a Python loop."""
    chars = np.frombuffer(alphabet.encode("ascii"), dtype=np.uint8)
    codes = np.ascontiguousarray(chars[rng.integers(0, len(alphabet), (n, k))])
    return pl.Series(codes.view(f"S{k}").ravel()).cast(pl.String)


def _listing_urls(rng: np.random.Generator, platform: np.ndarray) -> pl.Series:
    """URLs shaped like each platform's item pages (the ids are random)."""
    parts = []
    for p, (prefix, digits, suffix) in enumerate(_TD_URL):
        rows = np.flatnonzero(platform == p)
        m = rows.size
        if m == 0:
            continue
        if ONLINE[p] == "amazon":
            ident = _random_text(rng, m, 8, "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        elif ONLINE[p] == "xiaohongshu":
            ident = _random_text(rng, m, 24, "0123456789abcdef")
        else:
            # Douyin's 19-digit ids start with 3 (and so fit int64); others with any digit 1-9.
            unit = 10 ** (digits - 1)
            lead = np.full(m, 3) if digits == 19 else rng.integers(1, 10, m)
            num = lead.astype(np.int64) * unit + rng.integers(0, unit, m)
            ident = pl.Series(num).cast(pl.String)
        parts.append(pl.DataFrame({"row": rows, "url": prefix + ident + suffix}))
    return pl.concat(parts).sort("row")["url"]


def _write_takedowns(
    out: Path, seed: int, scale: float, case_index: _CaseIndex, progress: _Progress
) -> list[Path]:
    """takedowns_<YYYY>.csv: UTF-8, English headers, platform as name_en, 'YYYY-MM-DD HH:MM:SS'.

    Latency is drawn in China working days, so removals stretch over Spring Festival and National
    Day as they really do; notices still live on the data date have an empty removed_at.
    """
    counts = {y: _count(BASE_TAKEDOWNS[y], scale) for y in YEARS}
    width = _width(6, list(counts.values()))
    platform_en = _en("platform", ONLINE)
    columns = [c.name for c in takedowns.KIND.columns]
    paths = []
    for year in YEARS:
        ydays = _year_days(year)
        day_counts = _rng(seed, _K_TAKEDOWNS, year, 0).multinomial(
            counts[year], _day_weights(ydays, 0.08, covid=False)
        )
        fast_p = _td_fast_p(year)
        path = out / f"takedowns_{year}.csv"
        sink = _CsvSink(path, "utf-8")
        for ci, (lo, hi) in enumerate(_day_chunks(day_counts)):
            rng = _rng(seed, _K_TAKEDOWNS, year, ci + 1)
            days = np.repeat(ydays[lo:hi], day_counts[lo:hi])
            n = len(days)
            office = _sample_hours(rng, n, _OFFICE_HOURS)
            weekend = _sample_hours(rng, n, _WEEKEND_HOURS)
            sent = days * _DAY_S + np.where(_is_workday(days), office, weekend)
            order = np.argsort(sent, kind="stable")
            days, sent = days[order], sent[order]
            platform = _choice(rng, n, _td_mix(year))

            # Working days until removal: 0-2 for the fast share, else 3 + a lognormal tail.
            fast = rng.random(n) < fast_p[platform]
            tail = 3 + np.minimum(rng.lognormal(np.log(5), 0.9, n), 80).astype(np.int64)
            offset = np.where(fast, _choice(rng, n, _TD_FAST_OFFSET_P), tail)
            left_today = (days + 1) * _DAY_S - 1 - sent
            within_hours = np.clip(rng.exponential(2.5 * 3600, n), 60, np.maximum(left_today, 60))
            removed = np.where(
                offset == 0,
                sent + within_hours.astype(np.int64),
                _add_workdays(days, offset) * _DAY_S + _sample_hours(rng, n, _PLATFORM_OPS_HOURS),
            )
            live = (rng.random(n) < _TD_NEVER[year]) | (removed > _END_TS)

            wants_case = rng.random(n) < _TD_LINKED
            case = case_index.pick(rng, days, np.where(wants_case, platform, -2))
            seq = np.arange(sink.rows + 1, sink.rows + n + 1)
            df = pl.DataFrame(
                {
                    "notice_id": _ids("TD", year, seq, width),
                    "case_id": case_index.ids(case),
                    "platform": _labels(platform_en, platform),
                    "listing_url": _listing_urls(rng, platform),
                    "notice_sent_at": _timestamps(sent),
                    "removed_at": _timestamps(removed, ~live),
                }
            )
            sink.write(df.select(columns))
            progress(path.name, sink.rows)
        sink.close()
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------------------------
# Patent pre-examinations: exact accepted and authorized counts by construction.
# ------------------------------------------------------------------------------------------------

_PAT_TYPES = ("invention", "utility_model", "design")
_PAT_RESULTS = ("passed", "returned", "rejected")
_APPLICANT_TYPES = ("enterprise", "individual", "institution")
# The 2022 mix leans further to designs, and Q4 2022 was quiet (see _COVID_2022): together they
# make the published 2022 grants (90% of that year's acceptances) reachable with realistic cycles.
# fmt: off
_PAT_MIX = {2022: (0.04, 0.20, 0.76), 2023: (0.07, 0.22, 0.71), 2024: (0.07, 0.23, 0.70),
            2025: (0.08, 0.23, 0.69), 2026: (0.08, 0.24, 0.68)}
_PAT_RESULT_P = {2022: (0.965, 0.027, 0.008), 2023: (0.95, 0.038, 0.012),
                 2024: (0.945, 0.042, 0.013), 2025: (0.94, 0.045, 0.015),
                 2026: (0.94, 0.045, 0.015)}
# Days from acceptance to grant: (shortest, longest, beta a, beta b) per type.
_PAT_CYCLE = {"invention": (170, 550, 2.2, 2.8), "utility_model": (50, 190, 2.0, 3.0),
              "design": (22, 95, 1.8, 3.2)}
_PAT_APPLICANT_P = {"invention": (0.75, 0.07, 0.18), "utility_model": (0.82, 0.13, 0.05),
                    "design": (0.80, 0.18, 0.02)}
# IPC classes for inventions and utility models, Locarno classes for designs.
_PAT_CLASSES = {
    "invention": (("A45C 3/00", "A45C 13/10", "C14C 9/00", "D06N 3/14", "A44B 19/24",
                   "B68F 1/00"), (0.3, 0.2, 0.15, 0.15, 0.1, 0.1)),
    "utility_model": (("A45C 3/00", "A45C 13/10", "A45C 5/03", "A45C 13/26", "A44B 19/24",
                       "A45F 3/04"), (0.28, 0.22, 0.18, 0.14, 0.1, 0.08)),
    "design": (("03-01", "03-99", "02-04", "08-08", "09-05", "11-01"),
               (0.74, 0.07, 0.06, 0.05, 0.05, 0.03)),
}
# fmt: on
_PAT_SCHEMA = pa.schema(
    [
        ("preexam_id", pa.string()),
        ("applicant", pa.string()),
        ("applicant_type", pa.string()),
        ("patent_type", pa.string()),
        ("patent_class", pa.string()),
        ("accepted_on", pa.date32()),
        ("preexam_result", pa.string()),
        ("authorized_on", pa.date32()),
    ]
)
# Authorization class of a row: unconstrained, granted within the acceptance year, or later.
_FREE, _IN_YEAR, _LATER = 0, 1, 2


@lru_cache(maxsize=1)
def _cycle_cdfs() -> np.ndarray:
    """CDF over 0..600 days of the acceptance-to-grant cycle, one row per patent type."""
    grid = np.arange(601, dtype=float)
    rows = []
    for t in _PAT_TYPES:
        lo, hi, a, b = _PAT_CYCLE[t]
        x = np.clip((grid - lo) / (hi - lo), 0, 1)
        pdf = np.where((grid >= lo) & (grid <= hi), x ** (a - 1) * (1 - x) ** (b - 1), 0.0)
        pdf[lo] += 1e-9  # the shortest cycle stays possible where the beta density is 0
        rows.append(np.cumsum(pdf) / pdf.sum())
    cdf = np.vstack(rows)
    cdf[:, -1] = 1.0
    return cdf


def _cdf_at(ptype: np.ndarray, days: np.ndarray) -> np.ndarray:
    """P(cycle <= days) per row."""
    cdf = _cycle_cdfs()
    return np.where(days < 0, 0.0, cdf[ptype, np.clip(days, 0, cdf.shape[1] - 1)])


def _allocate(cap: np.ndarray, p: np.ndarray, target: int, rng: np.random.Generator) -> np.ndarray:
    """Integers 0 <= m <= cap summing exactly to target, proportional to cap * p**k.

    p is each cell's natural chance of a grant within the year. One power k tilts all cells
    together (k < 1 towards 1, k > 1 towards 0) until the expected total is the target, and
    largest-remainder rounding makes it exact. Cells with p = 0 stay 0 and cells with p = 1 stay
    full, so every allocated row has a feasible grant date.
    """
    pos = (p > 0) & (cap > 0)
    lo, hi = -30.0, 30.0  # log k
    for _ in range(200):
        mid = (lo + hi) / 2
        if (cap[pos] * p[pos] ** np.exp(mid)).sum() > target:
            lo = mid
        else:
            hi = mid
    expect = cap * np.where(pos, p ** np.exp(hi), 0.0)
    m = np.minimum(np.floor(expect).astype(np.int64), cap)
    rem = target - int(m.sum())
    frac = np.where(m < cap, expect - m, -1.0)
    tie = rng.random(len(cap))
    if rem > 0:
        order = np.lexsort((tie, -frac))
        m[order[frac[order] > 0][:rem]] += 1
    elif rem < 0:
        order = np.lexsort((tie, np.where(m > 0, frac, 2.0)))
        m[order[:-rem]] -= 1
    return m


@dataclass
class _PatentPlan:
    """Row counts per cell (day, type, result, authorization class) of one acceptance year."""

    days: np.ndarray  # the year's acceptance days (working days)
    day_counts: np.ndarray
    cell_day: np.ndarray  # index into days; cells are sorted by it
    cell_type: np.ndarray
    cell_result: np.ndarray
    cell_class: np.ndarray
    cell_count: np.ndarray
    capped: bool  # later grants must fall in the next year (whose total is published)
    carry: int  # passed rows granted after the acceptance year


def _plan_patents(
    year: int, n: int, rng: np.random.Generator, in_target: int | None, capped: bool
) -> _PatentPlan:
    """How many applications of each type and result are accepted each day and, when the year's
    grants are published, how many passed ones are granted within the year.

    All randomness that touches a published total happens here, on ~750 day x type cells, so rows
    can then be generated chunk by chunk while the totals stay exact.
    """
    days = _year_days(year)
    days = days[_is_workday(days)]  # applications are accepted on working days only
    day_counts = rng.multinomial(n, _day_weights(days, 0.0))
    by_type = rng.multinomial(day_counts, _PAT_MIX[year])  # (day, type)
    res = rng.multinomial(by_type.reshape(-1), _PAT_RESULT_P[year])  # (day*type, result)
    cell_day = np.repeat(np.arange(len(days)), 3)
    cell_type = np.tile(np.arange(3), len(days))
    in_year = np.zeros(len(cell_day), dtype=np.int64)
    if in_target is not None:
        p = _cdf_at(cell_type, _last_workday(year) - days[cell_day])
        # At tiny scales the draw may leave too few grantable passes: promote returned ones.
        short = in_target - int(res[p > 0, 0].sum())
        for i in np.flatnonzero(p > 0)[np.argsort(-p[p > 0], kind="stable")]:
            if short <= 0:
                break
            move = min(short, int(res[i, 1]))
            res[i] += (move, -move, 0)
            short -= move
        passed = res[:, 0]
        target = int(np.clip(in_target, passed[p >= 1].sum(), passed[p > 0].sum()))
        in_year = _allocate(passed, p, target, rng)
    later = res[:, 0] - in_year
    counts = np.stack([in_year, later, res[:, 1], res[:, 2]], axis=1).reshape(-1)
    later_class = _LATER if in_target is not None else _FREE
    return _PatentPlan(
        days=days,
        day_counts=day_counts,
        cell_day=np.repeat(cell_day, 4),
        cell_type=np.repeat(cell_type, 4),
        cell_result=np.tile([0, 0, 1, 2], len(cell_day)),
        cell_class=np.tile([_IN_YEAR, later_class, _FREE, _FREE], len(cell_day)),
        cell_count=counts,
        capped=capped,
        carry=int(later.sum()),
    )


def _patent_cycles(
    rng: np.random.Generator,
    year: int,
    accepted: np.ndarray,
    ptype: np.ndarray,
    klass: np.ndarray,
    capped: bool,
) -> np.ndarray:
    """Days to grant from each type's cycle distribution, conditioned on the row's class.

    A grant falls on the first working day on or after accepted + cycle, so it is within the year
    iff accepted + cycle <= the year's last working day: inverse-CDF sampling on the matching
    part of the distribution keeps the planned counts exact.
    """
    cdf = _cycle_cdfs()
    lim = _last_workday(year) - accepted
    cap = _last_workday(year + 1) - accepted if capped else np.full_like(accepted, 600)
    lo = np.where(klass == _LATER, _cdf_at(ptype, lim), 0.0)
    hi = np.select(
        [klass == _IN_YEAR, klass == _LATER], [_cdf_at(ptype, lim), _cdf_at(ptype, cap)], 1.0
    )
    u = lo + (1.0 - rng.random(len(accepted))) * (hi - lo)
    cycle = np.empty(len(accepted), dtype=np.int64)
    for t in range(len(_PAT_TYPES)):
        rows = ptype == t
        cycle[rows] = np.searchsorted(cdf[t], u[rows], side="left")
    cycle = np.where(klass == _IN_YEAR, np.minimum(cycle, lim), cycle)  # guard float rounding
    cycle = np.where(klass == _LATER, np.clip(cycle, lim + 1, cap), cycle)
    return np.maximum(cycle, 1)


def _write_patents(out: Path, seed: int, scale: float, progress: _Progress) -> list[Path]:
    """patents_<YYYY>.parquet: canonical names, DATE columns, bare codes; a row group per chunk."""
    counts = {y: _count(BASE_PATENTS[y], scale) for y in YEARS}
    width = _width(5, list(counts.values()))
    targets = {y: _count(v, scale) for y, v in PUBLISHED_AUTHORIZED.items()}
    carry_in = 0  # grants in `year` coming from the previous year's acceptances
    paths = []
    for year in YEARS:
        in_target = targets[year] - carry_in if year in targets else None
        capped = (year + 1) in targets
        plan = _plan_patents(year, counts[year], _rng(seed, _K_PATENTS, year, 0), in_target, capped)
        carry_in = plan.carry if capped else 0
        path = out / f"patents_{year}.parquet"
        writer = pq.ParquetWriter(
            path,
            _PAT_SCHEMA,
            compression="zstd",
            compression_level=3,
            version="2.6",
            use_dictionary=True,
            write_statistics=True,
        )
        written = 0
        for ci, (lo, hi) in enumerate(_day_chunks(plan.day_counts)):
            rng = _rng(seed, _K_PATENTS, year, ci + 1)
            sel = np.flatnonzero((plan.cell_day >= lo) & (plan.cell_day < hi))
            cell = np.repeat(sel, plan.cell_count[sel])
            cell = cell[rng.permutation(len(cell))]  # random order within a day ...
            cell = cell[np.argsort(plan.cell_day[cell], kind="stable")]  # ... days in order
            n = len(cell)
            accepted = plan.days[plan.cell_day[cell]]
            ptype = plan.cell_type[cell]
            result = plan.cell_result[cell]
            cycle = _patent_cycles(rng, year, accepted, ptype, plan.cell_class[cell], capped)
            granted = _next_workday(accepted + cycle)

            atype = np.zeros(n, dtype=np.int64)
            pclass = pl.repeat(None, n, dtype=pl.String, eager=True)
            for t, name in enumerate(_PAT_TYPES):
                rows = np.flatnonzero(ptype == t)
                atype[rows] = _choice(rng, rows.size, _PAT_APPLICANT_P[name])
                labels, weights = _PAT_CLASSES[name]
                pclass = pclass.scatter(rows, _labels(labels, _choice(rng, rows.size, weights)))
            applicant = _enterprises(rng, n, seed, scale)
            people = np.flatnonzero(atype == 1)
            applicant = applicant.scatter(people, _person_names(rng, people.size))
            inst = np.flatnonzero(atype == 2)
            inst_idx = rng.integers(0, len(_INSTITUTIONS), inst.size)
            applicant = applicant.scatter(inst, _labels(_INSTITUTIONS, inst_idx))
            seq = np.arange(written + 1, written + n + 1)
            df = pl.DataFrame(
                {
                    "preexam_id": _ids("YS", year, seq, width),
                    "applicant": applicant,
                    "applicant_type": _labels(_APPLICANT_TYPES, atype),
                    "patent_type": _labels(_PAT_TYPES, ptype),
                    "patent_class": pclass,
                    "accepted_on": _dates(accepted),
                    "preexam_result": _labels(_PAT_RESULTS, result),
                    "authorized_on": _dates(granted, (result == 0) & (granted <= _END_DN)),
                }
            )
            writer.write_table(df.to_arrow().cast(_PAT_SCHEMA))
            written += n
            progress(path.name, written)
        writer.close()
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------------------------
# Trademark enforcement: small, kept in XLSX like the market-regulation bureau's sheets.
# ------------------------------------------------------------------------------------------------

_AGENCIES = ("district_amr", "town_amr", "district_ipc", "police")
_AGENCY_P = (0.52, 0.33, 0.08, 0.07)
_BRAND_CATS = ("international", "domestic", "local")
_BRAND_CAT_P = (0.45, 0.35, 0.20)
_INFRINGEMENTS = ("counterfeit", "similar_mark", "unauthorized_sale", "packaging")
_INFRINGEMENT_P = (0.45, 0.20, 0.28, 0.07)
# Raids hit the wholesale markets (M*) more than the industrial parks (P*).
_TM_LOCATION_P = (0.07, 0.02, 0.03, 0.02, 0.01, 0.08, 0.01, 0.26, 0.08, 0.06, 0.15, 0.14, 0.07)
_TM_UNIT_PRICE = np.array([600.0, 150.0, 90.0])  # median yuan per item by brand category
_TM_CREATED = datetime(2026, 10, 1, 9, 0, 0)  # fixed workbook timestamp: deterministic bytes


def _trademark_rows(rng: np.random.Generator, opened: np.ndarray) -> dict[str, np.ndarray]:
    """Attributes of one year's enforcement cases, opened on `opened` (sorted)."""
    n = len(opened)
    handling = np.clip(rng.lognormal(np.log(55), 0.6, n), 10, 300).astype(np.int64)
    cat = _choice(rng, n, _BRAND_CAT_P)
    units = np.clip(np.round(rng.lognormal(np.log(60), 1.3, n)), 1, 50_000).astype(np.int64)
    value = np.round(units * _TM_UNIT_PRICE[cat] * rng.lognormal(0, 0.5, n), 2)
    # Suspected crimes (large values) go to the police, which ends the administrative fine.
    p_police = np.select([value >= 150_000, value >= 50_000], [0.45, 0.15], 0.03)
    police = rng.random(n) < p_police
    # 罚没金额 = a fine in round hundreds plus confiscated illegal gains to the cent, skewed.
    penalty = np.round(value * rng.lognormal(np.log(0.6), 0.6, n), -2)
    gains = np.where(rng.random(n) < 0.7, np.round(value * rng.uniform(0.02, 0.3, n), 2), 0.0)
    fine = np.where(police | (rng.random(n) < 0.04), 0.0, np.minimum(500_000.0, penalty + gains))
    return {
        "closed": _next_workday(opened + handling),
        "agency": _choice(rng, n, _AGENCY_P),
        "cat": cat,
        "brand": rng.integers(0, 1000, n),
        "infringement": _choice(rng, n, _INFRINGEMENT_P),
        "location": _choice(rng, n, _TM_LOCATION_P),
        "units": units,
        "value": value,
        "fine": np.round(fine, 2),
        "police": police,
        "partner": np.where(rng.random(n) < 0.10, _choice(rng, n, _PARTNER_P), -1),
    }


def _write_trademarks(out: Path, seed: int, scale: float, progress: _Progress) -> list[Path]:
    """trademarks_<YYYY>.xlsx: one sheet, Chinese headers and names, real Excel dates, 是/否.

    xlsxwriter's constant-memory mode streams rows to disk; the workbook's created date is fixed,
    so the same data gives the same bytes. The per-cell loop is fine: this kind is small.
    """
    counts = {y: _count(BASE_TRADEMARKS[y], scale) for y in YEARS}
    width = _width(4, list(counts.values()))
    headers = [c.zh for c in trademarks.KIND.columns]
    agency_zh = _zh("agency", _AGENCIES)
    cat_zh = _zh("brand_category", _BRAND_CATS)
    infringement_zh = _zh("infringement_type", _INFRINGEMENTS)
    location_zh = _zh("location", LOCATIONS)
    partner_zh = _zh("region", PARTNERS)
    paths = []
    for year in YEARS:
        rng = _rng(seed, _K_TRADEMARKS, year, 0)
        ydays = _year_days(year)
        opened = np.repeat(ydays, rng.multinomial(counts[year], _day_weights(ydays, 0.1)))
        a = _trademark_rows(rng, opened)
        path = out / f"trademarks_{year}.xlsx"
        wb = xlsxwriter.Workbook(path, {"constant_memory": True})
        wb.set_properties({"title": trademarks.KIND.zh, "author": "ipgov", "created": _TM_CREATED})
        ws = wb.add_worksheet(trademarks.KIND.zh)
        date_fmt = wb.add_format({"num_format": "yyyy-mm-dd"})
        money_fmt = wb.add_format({"num_format": "#,##0.00"})
        int_fmt = wb.add_format({"num_format": "0"})
        ws.freeze_panes(1, 0)
        ws.set_column(0, len(headers) - 1, 16)
        ws.write_row(0, 0, headers)
        for i in range(len(opened)):
            r = i + 1
            brands = _BRANDS[_BRAND_CATS[a["cat"][i]]]
            ws.write_string(r, 0, f"SB{year}-{i + 1:0{width}d}")
            ws.write_datetime(r, 1, datetime(1970, 1, 1) + timedelta(int(opened[i])), date_fmt)
            if a["closed"][i] <= _END_DN:
                closed = datetime(1970, 1, 1) + timedelta(int(a["closed"][i]))
                ws.write_datetime(r, 2, closed, date_fmt)
            ws.write_string(r, 3, agency_zh[a["agency"][i]])
            ws.write_string(r, 4, brands[a["brand"][i] % len(brands)])
            ws.write_string(r, 5, cat_zh[a["cat"][i]])
            ws.write_string(r, 6, infringement_zh[a["infringement"][i]])
            ws.write_string(r, 7, location_zh[a["location"][i]])
            ws.write_number(r, 8, int(a["units"][i]), int_fmt)
            ws.write_number(r, 9, float(a["value"][i]), money_fmt)
            ws.write_number(r, 10, float(a["fine"][i]), money_fmt)
            ws.write_string(r, 11, "是" if a["police"][i] else "否")
            if a["partner"][i] >= 0:
                ws.write_string(r, 12, partner_zh[a["partner"][i]])
        wb.close()
        progress(path.name, len(opened))
        paths.append(path)
    return paths


# ------------------------------------------------------------------------------------------------
# Evidence notarizations: one hash-chained file.
# ------------------------------------------------------------------------------------------------

_EVIDENCE = ("webpage", "purchase", "screen_recording", "livestream", "document")
_EVIDENCE_P = (0.45, 0.20, 0.18, 0.12, 0.05)
_LIVESTREAM_P = np.array([0, 0.15, 0, 0, 0.5, 0, 0, 0.25, 0.1, 0])  # PLATFORMS order
_NOTARY_LAG_P = (0.45, 0.30, 0.13, 0.07, 0.05)  # whole days between request and sealing
_NOTARY_LINKED = 0.55


def _notary_rows(
    rng: np.random.Generator,
    requested: np.ndarray,
    notarized: np.ndarray,
    sealed: np.ndarray,
    case_index: _CaseIndex,
) -> pl.DataFrame:
    """Evidence type, platform, cited case and requester for rows whose times are fixed."""
    n = len(requested)
    ev = _choice(rng, n, _EVIDENCE_P)
    online = _choice(rng, n, np.append(_td_mix(2024), 0.0))
    platform = np.select(
        [ev == 3, ev == 4, (ev == 1) & (rng.random(n) < 0.25)],
        [_choice(rng, n, _LIVESTREAM_P), -1, OFFLINE],
        default=online,
    )
    any_case = (platform < 0) | (platform == OFFLINE)
    wants_case = rng.random(n) < _NOTARY_LINKED
    case = case_index.pick(
        rng, requested // _DAY_S, np.where(wants_case, np.where(any_case, -1, platform), -2)
    )
    return pl.DataFrame(
        {
            "requested_at": _timestamps(requested),
            "notarized_at": _timestamps(notarized, sealed),
            "evidence_type": _labels(_EVIDENCE, ev),
            "platform": _labels(PLATFORMS, platform, platform >= 0),
            "case_id": case_index.ids(case),
            "requester_name": _person_names(rng, n),
        }
    )


def _write_notarizations(
    out: Path, seed: int, scale: float, case_index: _CaseIndex, progress: _Progress
) -> list[Path]:
    """notarizations.csv: UTF-8 with BOM, English headers, bare codes, rows in hash-chain order.

    Rows follow notarized_at (pending ones last, by request time) and IDs are numbered along the
    chain within the year. The first published window's count is fixed by the day plan.
    """
    plan_rng = _rng(seed, _K_NOTARY, 0, 0)
    days_a = np.concatenate([_year_days(y, NOTARY_LAUNCH, NOTARY_WINDOW_END) for y in YEARS])
    after = NOTARY_WINDOW_END + timedelta(days=1)
    days_b = np.concatenate([_year_days(y, after, DATA_END) for y in YEARS])
    counts_a = plan_rng.multinomial(_count(BASE_NOTARY_WINDOW, scale), _day_weights(days_a, 0.25))
    w_b = _day_weights(days_b, 0.25) * (1 + 0.06 * (days_b - days_b[0]) / 365)  # slow growth
    counts_b = plan_rng.multinomial(_count(BASE_NOTARY_AFTER, scale), w_b / w_b.sum())
    days = np.concatenate([days_a, days_b])
    day_counts = np.concatenate([counts_a, counts_b])
    n_pending = _count(BASE_NOTARY_PENDING, scale)
    per_year = [int(day_counts[_year_of(days) == y].sum()) for y in YEARS]
    width = _width(4, [*per_year, per_year[-1] + n_pending])
    launch = _dn(NOTARY_LAUNCH)

    path = out / "notarizations.csv"
    sink = _CsvSink(path, "utf-8", bom=True)
    columns = [c.name for c in notarizations.KIND.columns]
    seq = dict.fromkeys(YEARS, 0)
    prev = "0" * 64

    def emit(df: pl.DataFrame, id_years: np.ndarray) -> None:
        """Number the rows and extend the hash chain (a plain loop: this kind is small)."""
        nonlocal prev
        ids, evidence, prevs, records = [], [], [], []
        for y in id_years.tolist():
            seq[y] += 1
            nid = f"GZ{y}-{seq[y]:0{width}d}"
            ev = hashlib.sha256(f"ipgov-sample-evidence|{seed}|{nid}".encode()).hexdigest()
            rec = hashlib.sha256(f"{nid}|{ev}|{prev}".encode()).hexdigest()
            ids.append(nid)
            evidence.append(ev)
            prevs.append(prev)
            records.append(rec)
            prev = rec
        df = df.with_columns(
            notarization_id=pl.Series(ids, dtype=pl.String),
            evidence_sha256=pl.Series(evidence, dtype=pl.String),
            prev_record_hash=pl.Series(prevs, dtype=pl.String),
            record_hash=pl.Series(records, dtype=pl.String),
        )
        sink.write(df.select(columns))
        progress(path.name, sink.rows)

    for ci, (lo, hi) in enumerate(_day_chunks(day_counts)):
        rng = _rng(seed, _K_NOTARY, 1, ci + 1)
        sealed_day = np.repeat(days[lo:hi], day_counts[lo:hi])
        n = len(sealed_day)
        # Both moments fall in service hours; the request comes 0-4 days earlier (never before
        # launch) and, on the same day, before the sealing: 0-5 days in all.
        lag = np.minimum(_choice(rng, n, _NOTARY_LAG_P), sealed_day - launch)
        t_a = _sample_hours(rng, n, _NOTARY_HOURS)
        t_b = _sample_hours(rng, n, _NOTARY_HOURS)
        same = lag == 0
        requested = (sealed_day - lag) * _DAY_S + np.where(same, np.minimum(t_a, t_b), t_a)
        notarized = sealed_day * _DAY_S + np.where(same, np.maximum(t_a, t_b), t_b)
        order = np.lexsort((requested, notarized))
        requested, notarized = requested[order], notarized[order]
        df = _notary_rows(rng, requested, notarized, np.ones(n, dtype=bool), case_index)
        emit(df, _year_of(notarized // _DAY_S))

    rng = _rng(seed, _K_NOTARY, 2)
    pending_day = _END_DN - rng.integers(0, 5, n_pending)
    requested = np.sort(pending_day * _DAY_S + _sample_hours(rng, n_pending, _NOTARY_HOURS))
    df = _notary_rows(rng, requested, requested, np.zeros(n_pending, dtype=bool), case_index)
    emit(df, _year_of(requested // _DAY_S))
    sink.close()
    return [path]


# ------------------------------------------------------------------------------------------------
# Public API
# ------------------------------------------------------------------------------------------------


def write_sample(
    out: Path,
    seed: int = 42,
    scale: float = 1.0,
    progress: Callable[[str, int], None] | None = None,
) -> list[Path]:
    """Writes the files, returns their paths sorted. progress(label, rows_written) is called after
    each chunk; label is the file name and rows_written the rows in that file so far.

    Yearly volumes are round(base * scale) (at least 1); at scale 1 the published figures hold
    exactly for any seed. The same seed and scale give byte-identical files.
    """
    if not scale > 0:  # also rejects NaN
        raise ValueError(f"scale must be > 0, got {scale!r}")
    if isinstance(seed, bool) or not isinstance(seed, int | np.integer) or seed < 0:
        raise ValueError(f"seed must be a non-negative integer, got {seed!r}")
    if max(_count(b, scale) for b in BASE_TRADEMARKS.values()) >= XLSX_MAX_ROWS:
        raise ValueError(f"scale {scale} puts more trademark cases in a year than one sheet holds")
    out = Path(out)
    out.mkdir(parents=True, exist_ok=True)
    report: _Progress = progress if progress is not None else (lambda _label, _rows: None)
    seed = int(seed)
    paths, case_index = _write_cases(out, seed, scale, report)
    paths += _write_takedowns(out, seed, scale, case_index, report)
    paths += _write_patents(out, seed, scale, report)
    paths += _write_trademarks(out, seed, scale, report)
    paths += _write_notarizations(out, seed, scale, case_index, report)
    return sorted(paths)
