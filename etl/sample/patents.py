"""patents_<YYYY>.parquet: patent pre-examinations, with the published accepted and authorized
counts exact by construction.

Why a module: this is the one kind whose published figures span two columns and two years
(grants of one year's acceptances fall in the next), so it plans per day x type x result x
authorization-class cell before any row is drawn, and samples each grant date inside its cell.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa

from etl.sample import columns as cols
from etl.sample.calendar import is_workday, last_workday, next_workday
from etl.sample.core import (
    END_DN,
    K_PATENTS,
    YEARS,
    Progress,
    choice,
    day_chunks,
    day_weights,
    id_width,
    scaled_count,
    stream,
    year_days,
)
from etl.sample.fakers import INSTITUTIONS, enterprises, person_names
from etl.sample.writers import parquet_writer

# Rows per year at scale 1. 2026 only runs to September, so its base is nine months' volume.
BASE_PATENTS = {2022: 5140, 2023: 4165, 2024: 4560, 2025: 4600, 2026: 4350}
# Published patent grants per calendar year of authorized_on (exact at scale 1).
PUBLISHED_AUTHORIZED = {2022: 4636, 2023: 3737}

_PAT_TYPES = ("invention", "utility_model", "design")
_PAT_RESULTS = ("passed", "returned", "rejected")
_APPLICANT_TYPES = ("enterprise", "individual", "institution")
# The 2022 mix leans further to designs, and Q4 2022 was quiet (see core's seasonality): together
# they make the published 2022 grants (90% of that year's acceptances) reachable with realistic
# cycles.
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
    days = year_days(year)
    days = days[is_workday(days)]  # applications are accepted on working days only
    day_counts = rng.multinomial(n, day_weights(days, 0.0))
    by_type = rng.multinomial(day_counts, _PAT_MIX[year])  # (day, type)
    res = rng.multinomial(by_type.reshape(-1), _PAT_RESULT_P[year])  # (day*type, result)
    cell_day = np.repeat(np.arange(len(days)), 3)
    cell_type = np.tile(np.arange(3), len(days))
    in_year = np.zeros(len(cell_day), dtype=np.int64)
    if in_target is not None:
        p = _cdf_at(cell_type, last_workday(year) - days[cell_day])
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
    lim = last_workday(year) - accepted
    cap = last_workday(year + 1) - accepted if capped else np.full_like(accepted, 600)
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


def write_patents(out: Path, seed: int, scale: float, progress: Progress) -> list[Path]:
    """patents_<YYYY>.parquet: canonical names, DATE columns, bare codes; a row group per chunk."""
    counts = {y: scaled_count(BASE_PATENTS[y], scale) for y in YEARS}
    width = id_width(5, list(counts.values()))
    targets = {y: scaled_count(v, scale) for y, v in PUBLISHED_AUTHORIZED.items()}
    carry_in = 0  # grants in `year` coming from the previous year's acceptances
    paths = []
    for year in YEARS:
        in_target = targets[year] - carry_in if year in targets else None
        capped = (year + 1) in targets
        plan_rng = stream(seed, K_PATENTS, year, 0)
        plan = _plan_patents(year, counts[year], plan_rng, in_target, capped)
        carry_in = plan.carry if capped else 0
        path = out / f"patents_{year}.parquet"
        writer = parquet_writer(path, _PAT_SCHEMA)
        written = 0
        for ci, (lo, hi) in enumerate(day_chunks(plan.day_counts)):
            rng = stream(seed, K_PATENTS, year, ci + 1)
            sel = np.flatnonzero((plan.cell_day >= lo) & (plan.cell_day < hi))
            cell = np.repeat(sel, plan.cell_count[sel])
            cell = cell[rng.permutation(len(cell))]  # random order within a day ...
            cell = cell[np.argsort(plan.cell_day[cell], kind="stable")]  # ... days in order
            n = len(cell)
            accepted = plan.days[plan.cell_day[cell]]
            ptype = plan.cell_type[cell]
            result = plan.cell_result[cell]
            cycle = _patent_cycles(rng, year, accepted, ptype, plan.cell_class[cell], capped)
            granted = next_workday(accepted + cycle)

            atype = np.zeros(n, dtype=np.int64)
            pclass = pl.repeat(None, n, dtype=pl.String, eager=True)
            for t, name in enumerate(_PAT_TYPES):
                rows = np.flatnonzero(ptype == t)
                atype[rows] = choice(rng, rows.size, _PAT_APPLICANT_P[name])
                classes, weights = _PAT_CLASSES[name]
                pclass = pclass.scatter(rows, cols.labels(classes, choice(rng, rows.size, weights)))
            applicant = enterprises(rng, n, seed, scale)
            people = np.flatnonzero(atype == 1)
            applicant = applicant.scatter(people, person_names(rng, people.size))
            inst = np.flatnonzero(atype == 2)
            inst_idx = rng.integers(0, len(INSTITUTIONS), inst.size)
            applicant = applicant.scatter(inst, cols.labels(INSTITUTIONS, inst_idx))
            seq = np.arange(written + 1, written + n + 1)
            df = pl.DataFrame(
                {
                    "preexam_id": cols.ids("YS", year, seq, width),
                    "applicant": applicant,
                    "applicant_type": cols.labels(_APPLICANT_TYPES, atype),
                    "patent_type": cols.labels(_PAT_TYPES, ptype),
                    "patent_class": pclass,
                    "accepted_on": cols.dates(accepted),
                    "preexam_result": cols.labels(_PAT_RESULTS, result),
                    "authorized_on": cols.dates(granted, (result == 0) & (granted <= END_DN)),
                }
            )
            writer.write_table(df.to_arrow().cast(_PAT_SCHEMA))
            written += n
            progress(path.name, written)
        writer.close()
        paths.append(path)
    return paths
