"""cases_<YYYY>.csv: the center's own cases, the hub that takedowns and notarizations cite.

Why a module: cases are written first and leave behind a `CaseIndex` (a few bytes per case), so
the later kinds can cite real cases received on or before their own dates without holding the
case rows in memory.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from etl.sample import columns as cols
from etl.sample.calendar import add_workdays, next_workday
from etl.sample.core import (
    END_DN,
    K_CASES,
    LOCATIONS,
    PARTNER_P,
    PARTNERS,
    PLATFORMS,
    REGIONS,
    YEARS,
    Progress,
    choice,
    day_chunks,
    day_weights,
    id_width,
    names_zh,
    scaled_count,
    stream,
    year_days,
)
from etl.sample.fakers import enterprises, person_names, phones
from etl.sample.writers import CsvSink
from etl.sources.cases import KIND

# Rows per year at scale 1. 2026 only runs to September, so its base is nine months' volume.
BASE_CASES = {2022: 352, 2023: 408, 2024: 437, 2025: 466, 2026: 358}

_SERVICES = ("consultation", "mediation", "assistance", "advisory_opinion")
_SERVICE_P = (0.35, 0.20, 0.30, 0.15)
_IP_TYPES = ("patent", "trademark", "copyright", "other")
_IP_P = (0.50, 0.38, 0.08, 0.04)
_CASE_PLATFORM_P = (0.12, 0.16, 0.08, 0.13, 0.12, 0.06, 0.03, 0.03, 0.02, 0.25)  # PLATFORMS
_PARK_P = (0.22, 0.06, 0.05, 0.04, 0.03, 0.05, 0.02, 0.16, 0.05, 0.04, 0.08, 0.08, 0.12)
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
class CaseIndex:
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
        """case_id of each picked index, null where -1."""
        ok = idx >= 0
        safe = np.where(ok, idx, 0)
        return cols.mask(cols.ids("WQ", self.year[safe], self.seq[safe], self.width), ok)


def _case_rows(
    rng: np.random.Generator, days: np.ndarray, seed: int, scale: float
) -> dict[str, Any]:
    """Attributes of one chunk of cases, received on `days` (sorted)."""
    n = len(days)
    service = choice(rng, n, _SERVICE_P)
    u = rng.random(n)
    ref_out = u < _REF_OUT_P[service]
    ref_in = ~ref_out & (u < _REF_OUT_P[service] + _REF_IN_P[service])
    partner = choice(rng, n, PARTNER_P)
    respondent = np.where(ref_out, partner + 1, np.where(ref_in, 0, choice(rng, n, _RESPONDENT_P)))

    # Advisory opinions: 87% within 2 working days of receipt, the rest up to two weeks.
    quick = rng.random(n) < 0.87
    adv_wd = np.where(quick, choice(rng, n, (0.25, 0.5, 0.25)), rng.integers(3, 11, n))
    adv_day = add_workdays(days, adv_wd)

    # Handling time: working days for quick answers, calendar days (lognormal) for the long ones.
    dur = np.select(
        [service == 0, service == 1, service == 2],
        [
            add_workdays(days, choice(rng, n, (0.55, 0.25, 0.1, 0.05, 0.03, 0.02))) - days,
            np.clip(rng.lognormal(np.log(25), 0.7, n), 3, 180).astype(np.int64),
            np.clip(rng.lognormal(np.log(40), 0.8, n), 5, 300).astype(np.int64),
        ],
        default=adv_day - days,
    )
    withdrawn = ((service == 1) | (service == 2)) & (rng.random(n) < 0.06)
    dur = np.where(withdrawn, dur * 2 // 5, dur)
    closed = np.where(service == 3, adv_day, next_workday(days + dur))

    # Out: sent within a week or so, the partner reports back weeks later and the case closes then.
    # In: logged on receipt (or the next working day); the center's own closing ends the referral.
    referred = np.where(
        ref_out,
        add_workdays(days, rng.integers(0, 8, n)),
        add_workdays(days, (rng.random(n) < 0.25).astype(np.int64)),
    )
    partner_days = np.clip(rng.lognormal(np.log(35), 0.7, n), 5, 240).astype(np.int64)
    closed = np.where(ref_in, np.maximum(closed, referred), closed)
    closed = np.where(ref_out, next_workday(referred + partner_days), closed)
    ref_closed = closed

    is_closed = closed <= END_DN
    outcome = np.select(
        [withdrawn, ref_out, service == 0, service == 3, service == 1],
        [5, 3, 6, 2, choice(rng, n, (0.65, 0.2, 0, 0, 0.15))],
        default=choice(rng, n, (0.30, 0.50, 0, 0, 0.20)),
    )
    fresh = (days >= END_DN - 5) & (rng.random(n) < 0.7)
    status = np.where(is_closed, np.where(withdrawn, 3, 2), np.where(fresh, 0, 1))
    referral = ref_out | ref_in
    return {
        "service": service,
        "ip": choice(rng, n, _IP_P),
        "platform": choice(rng, n, _CASE_PLATFORM_P),
        "park": choice(rng, n, _PARK_P),
        "respondent": respondent,
        "adv_day": adv_day,
        "adv_ok": (service == 3) & (adv_day <= END_DN),
        "closed": closed,
        "is_closed": is_closed,
        "outcome": outcome,
        "status": status,
        "direction": np.where(ref_out, 0, 1),
        "referral": referral,
        "partner": partner,
        "referred": referred,
        "referred_ok": referral & (referred <= END_DN),
        "ref_closed": ref_closed,
        "ref_closed_ok": referral & (ref_closed <= END_DN),
        "enterprise": enterprises(rng, n, seed, scale),
        "contact": person_names(rng, n),
        "phone": phones(rng, n),
    }


def write_cases(
    out: Path, seed: int, scale: float, progress: Progress
) -> tuple[list[Path], CaseIndex]:
    """cases_<YYYY>.csv: GB18030, Chinese headers and names, dates like 2023/1/5, CRLF lines.

    Mimics the case-management export as re-saved on a Chinese-locale Windows PC: the hardest
    format the readers must cope with.
    """
    counts = {y: scaled_count(BASE_CASES[y], scale) for y in YEARS}
    width = id_width(4, list(counts.values()))
    names = {
        "service": names_zh("service_type", _SERVICES),
        "ip": names_zh("ip_type", _IP_TYPES),
        "location": names_zh("location", LOCATIONS),
        "region": names_zh("region", REGIONS),
        "partner": names_zh("region", PARTNERS),
        "platform": names_zh("platform", PLATFORMS),
        "status": names_zh("case_status", _STATUSES),
        "outcome": names_zh("outcome", _OUTCOMES),
        "direction": names_zh("referral_direction", ("out", "in")),
    }
    index_parts: list[tuple[np.ndarray, ...]] = []
    paths = []
    for year in YEARS:
        ydays = year_days(year)
        day_counts = stream(seed, K_CASES, year, 0).multinomial(
            counts[year], day_weights(ydays, 0.02)
        )
        path = out / f"cases_{year}.csv"
        sink = CsvSink(path, "gb18030", crlf=True)
        for ci, (lo, hi) in enumerate(day_chunks(day_counts)):
            rng = stream(seed, K_CASES, year, ci + 1)
            days = np.repeat(ydays[lo:hi], day_counts[lo:hi])
            a = _case_rows(rng, days, seed, scale)
            seq = np.arange(sink.rows + 1, sink.rows + len(days) + 1)
            df = pl.DataFrame(
                {
                    "case_id": cols.ids("WQ", year, seq, width),
                    "received_on": cols.dates(days),
                    "service_type": cols.labels(names["service"], a["service"]),
                    "ip_type": cols.labels(names["ip"], a["ip"]),
                    "complainant_enterprise": a["enterprise"],
                    "complainant_park": cols.labels(names["location"], a["park"]),
                    "contact_name": a["contact"],
                    "contact_phone": a["phone"],
                    "respondent_region": cols.labels(names["region"], a["respondent"]),
                    "platform": cols.labels(names["platform"], a["platform"]),
                    "status": cols.labels(names["status"], a["status"]),
                    "advisory_opinion_on": cols.dates(a["adv_day"], a["adv_ok"]),
                    "closed_on": cols.dates(a["closed"], a["is_closed"]),
                    "outcome": cols.labels(names["outcome"], a["outcome"], a["is_closed"]),
                    "referral_direction": cols.labels(
                        names["direction"], a["direction"], a["referral"]
                    ),
                    "referral_partner": cols.labels(names["partner"], a["partner"], a["referral"]),
                    "referred_on": cols.dates(a["referred"], a["referred_ok"]),
                    "referral_closed_on": cols.dates(a["ref_closed"], a["ref_closed_ok"]),
                }
            )
            df = df.select([c.name for c in KIND.columns])
            df = df.with_columns(pl.col(pl.Date).dt.strftime("%Y/%-m/%-d"))
            sink.write(df.rename({c.name: c.zh for c in KIND.columns}))
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
    index = CaseIndex(day=day, platform=platform, year=case_year, seq=case_seq, width=width)
    return paths, index
