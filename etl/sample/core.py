"""What every generator shares: the data window, the random streams, the day plan's utilities,
the code lists and the seasonality.

Why one module: a chunk's bytes depend only on its seed key, its day plan and these tables, so the
determinism promise of `etl.sample` can be checked by reading this file and the generator alone.
"""

from __future__ import annotations

import csv
from collections.abc import Callable, Sequence
from datetime import date
from functools import lru_cache
from pathlib import Path

import numpy as np

from etl.sample.calendar import DAY_S, day_number, is_workday, month_of, year_of

# ------------------------------------------------------------------------------------------------
# The data window and how rows are streamed.
# ------------------------------------------------------------------------------------------------

DATA_START = date(2022, 1, 1)
DATA_END = date(2026, 9, 30)  # the "data date": nothing is dated after it
YEARS = (2022, 2023, 2024, 2025, 2026)
END_DN = day_number(DATA_END)
END_TS = (END_DN + 1) * DAY_S - 1  # 2026-09-30 23:59:59
CHUNK_ROWS = 100_000  # rows generated and written at a time: what bounds memory

# Seed keys: one independent random stream per kind (and one for the pool of firm names).
K_CASES, K_TAKEDOWNS, K_PATENTS, K_TRADEMARKS, K_NOTARY, K_POOL = 1, 2, 3, 4, 5, 9

Progress = Callable[[str, int], None]

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
PARTNER_P = (0.20, 0.25, 0.25, 0.18, 0.12)
REGIONS = ("local", *PARTNERS)

_CODES = Path(__file__).parents[1] / "reference" / "codes.csv"


@lru_cache(maxsize=1)
def _codes() -> dict[str, dict[str, tuple[str, str]]]:
    """domain -> code -> (name_zh, name_en), from the same reference list the ETL normalises to."""
    out: dict[str, dict[str, tuple[str, str]]] = {}
    with _CODES.open(encoding="utf-8", newline="") as fh:
        for row in csv.DictReader(fh):
            out.setdefault(row["domain"], {})[row["code"]] = (row["name_zh"], row["name_en"])
    return out


def names_zh(domain: str, codes: Sequence[str]) -> list[str]:
    """Chinese names of `codes` in order (a KeyError means codes.csv and this module disagree)."""
    return [_codes()[domain][c][0] for c in codes]


def names_en(domain: str, codes: Sequence[str]) -> list[str]:
    """English names of `codes` in order."""
    return [_codes()[domain][c][1] for c in codes]


# ------------------------------------------------------------------------------------------------
# Counts, random streams, chunks.
# ------------------------------------------------------------------------------------------------


def scaled_count(base: float, scale: float) -> int:
    """round(base * scale), at least 1 where base > 0, so every year keeps a file at tiny scales."""
    return max(1, round(base * scale)) if base > 0 else 0


def stream(seed: int, *keys: int) -> np.random.Generator:
    """An independent stream per (seed, kind, year, chunk): no chunk depends on another."""
    return np.random.default_rng([seed, *keys])


def id_width(default: int, counts: Sequence[int]) -> int:
    """Zero-pad width of sequence numbers: the documented one, grown when a year needs more."""
    return max(default, len(str(max(counts, default=0))))


def day_chunks(day_counts: np.ndarray) -> list[tuple[int, int]]:
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


def choice(rng: np.random.Generator, n: int, p: Sequence[float] | np.ndarray) -> np.ndarray:
    """n indices drawn with probabilities p (normalised here, so rounded weights are fine)."""
    w = np.asarray(p, dtype=float)
    return rng.choice(len(w), size=n, p=w / w.sum())


def sample_hours(rng: np.random.Generator, n: int, profile: np.ndarray) -> np.ndarray:
    """Seconds after midnight: an hour from the hour-of-day profile, a uniform second within."""
    return choice(rng, n, profile) * 3600 + rng.integers(0, 3600, size=n)


# ------------------------------------------------------------------------------------------------
# When things happen: the window's days and their weights.
# ------------------------------------------------------------------------------------------------


def year_days(year: int, start: date = DATA_START, end: date = DATA_END) -> np.ndarray:
    """Day numbers of `year` that fall inside [start, end]."""
    lo = max(day_number(date(year, 1, 1)), day_number(start))
    hi = min(day_number(date(year, 12, 31)), day_number(end))
    return np.arange(lo, hi + 1, dtype=np.int64)


# Seasonality: the Spring Festival dip in February; Guangzhou's epidemic controls (Nov 2022) and
# the infection wave after they ended (Dec 2022) cut in-person work sharply at the end of 2022.
_MONTHS = np.array([0.85, 0.6, 1.05, 1.05, 1.0, 1.05, 1.0, 1.0, 1.05, 0.9, 1.05, 1.1])
_COVID_2022 = {10: 0.85, 11: 0.45, 12: 0.25}


def day_weights(days: np.ndarray, nonwork: float, covid: bool = True) -> np.ndarray:
    """Probability of each day: working days 1, other days `nonwork`, times the season.

    `covid` applies the late-2022 slump to in-person work (walk-in cases, filings, raids); online
    takedown notices went on through it.
    """
    month = month_of(days)
    w = _MONTHS[month - 1] * np.where(is_workday(days), 1.0, nonwork)
    if covid:
        for m, f in _COVID_2022.items():
            w = np.where((month == m) & (year_of(days) == 2022), w * f, w)
    return w / w.sum()
