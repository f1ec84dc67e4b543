"""takedowns_<YYYY>.csv: notices to platforms, the big kind (~2,000 a year at scale 1, ~10M in
all at scale 1000).

Why a module: removal latency is drawn in China working days and calibrated per platform to a
yearly target share, and the platform mix here is also what notarized evidence is about.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import polars as pl

from etl.sample import columns as cols
from etl.sample.calendar import DAY_S, add_workdays, is_workday
from etl.sample.cases import CaseIndex
from etl.sample.core import (
    END_TS,
    K_TAKEDOWNS,
    ONLINE,
    YEARS,
    Progress,
    choice,
    day_chunks,
    day_weights,
    id_width,
    names_en,
    sample_hours,
    scaled_count,
    stream,
    year_days,
)
from etl.sample.fakers import listing_urls
from etl.sample.writers import CsvSink
from etl.sources.takedowns import KIND

# Rows per year at scale 1. 2026 only runs to September, so its base is nine months' volume.
BASE_TAKEDOWNS = {2022: 1800, 2023: 2000, 2024: 2150, 2025: 2300, 2026: 1750}

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

# Hour-of-day profiles: office hours with a lunch dip, a lighter evening, empty nights.
# fmt: off
_OFFICE_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0.1, 0.7, 1.5, 1.6, 1.4,
                          0.4, 0.8, 1.5, 1.6, 1.5, 1.2, 0.4, 0.25, 0.2, 0.15, 0.08, 0.02])
_WEEKEND_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0.2, 0.6, 0.9, 1,
                           0.6, 0.7, 1, 1, 0.9, 0.6, 0.4, 0.4, 0.4, 0.3, 0.1, 0])
_PLATFORM_OPS_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0.2, 0.8, 1.3, 1.5, 1.4,
                                0.8, 1.0, 1.4, 1.5, 1.4, 1.2, 0.8, 0.7, 0.6, 0.4, 0.2, 0.05])
# fmt: on


def platform_mix(year: int) -> np.ndarray:
    """Share of notices per ONLINE platform in `year`."""
    t = (year - 2022) / 4
    m = (1 - t) * _TD_MIX_2022 + t * _TD_MIX_2026
    return m / m.sum()


def _fast_p(year: int) -> np.ndarray:
    """Per-platform P(removed within 2 working days), calibrated so the year's mix meets target."""
    mix, target = platform_mix(year), _TD_FAST[year]
    lo, hi = -10.0, 10.0
    for _ in range(60):
        mid = (lo + hi) / 2
        if (mix / (1 + np.exp(-(mid + _TD_SPEED)))).sum() < target:
            lo = mid
        else:
            hi = mid
    return 1 / (1 + np.exp(-(lo + _TD_SPEED)))


def write_takedowns(
    out: Path, seed: int, scale: float, case_index: CaseIndex, progress: Progress
) -> list[Path]:
    """takedowns_<YYYY>.csv: UTF-8, English headers, platform as name_en, 'YYYY-MM-DD HH:MM:SS'.

    Latency is drawn in China working days, so removals stretch over Spring Festival and National
    Day as they really do; notices still live on the data date have an empty removed_at.
    """
    counts = {y: scaled_count(BASE_TAKEDOWNS[y], scale) for y in YEARS}
    width = id_width(6, list(counts.values()))
    platform_en = names_en("platform", ONLINE)
    columns = [c.name for c in KIND.columns]
    paths = []
    for year in YEARS:
        ydays = year_days(year)
        day_counts = stream(seed, K_TAKEDOWNS, year, 0).multinomial(
            counts[year], day_weights(ydays, 0.08, covid=False)
        )
        fast_p = _fast_p(year)
        path = out / f"takedowns_{year}.csv"
        sink = CsvSink(path, "utf-8")
        for ci, (lo, hi) in enumerate(day_chunks(day_counts)):
            rng = stream(seed, K_TAKEDOWNS, year, ci + 1)
            days = np.repeat(ydays[lo:hi], day_counts[lo:hi])
            n = len(days)
            office = sample_hours(rng, n, _OFFICE_HOURS)
            weekend = sample_hours(rng, n, _WEEKEND_HOURS)
            sent = days * DAY_S + np.where(is_workday(days), office, weekend)
            order = np.argsort(sent, kind="stable")
            days, sent = days[order], sent[order]
            platform = choice(rng, n, platform_mix(year))

            # Working days until removal: 0-2 for the fast share, else 3 + a lognormal tail.
            fast = rng.random(n) < fast_p[platform]
            tail = 3 + np.minimum(rng.lognormal(np.log(5), 0.9, n), 80).astype(np.int64)
            offset = np.where(fast, choice(rng, n, _TD_FAST_OFFSET_P), tail)
            left_today = (days + 1) * DAY_S - 1 - sent
            within_hours = np.clip(rng.exponential(2.5 * 3600, n), 60, np.maximum(left_today, 60))
            removed = np.where(
                offset == 0,
                sent + within_hours.astype(np.int64),
                add_workdays(days, offset) * DAY_S + sample_hours(rng, n, _PLATFORM_OPS_HOURS),
            )
            live = (rng.random(n) < _TD_NEVER[year]) | (removed > END_TS)

            wants_case = rng.random(n) < _TD_LINKED
            case = case_index.pick(rng, days, np.where(wants_case, platform, -2))
            seq = np.arange(sink.rows + 1, sink.rows + n + 1)
            df = pl.DataFrame(
                {
                    "notice_id": cols.ids("TD", year, seq, width),
                    "case_id": case_index.ids(case),
                    "platform": cols.labels(platform_en, platform),
                    "listing_url": listing_urls(rng, platform),
                    "notice_sent_at": cols.timestamps(sent),
                    "removed_at": cols.timestamps(removed, ~live),
                }
            )
            sink.write(df.select(columns))
            progress(path.name, sink.rows)
        sink.close()
        paths.append(path)
    return paths
