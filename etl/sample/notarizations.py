"""notarizations.csv: evidence notarizations, one hash-chained file for the whole window.

Why a module: rows must follow the chain (sorted by notarized_at, pending ones last), IDs are
numbered along it, and each record hashes the previous one, so this kind is written in order by a
plain loop; its published window count is fixed by the day plan.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from pathlib import Path

import numpy as np
import polars as pl

from etl.sample import columns as cols
from etl.sample.calendar import DAY_S, day_number, year_of
from etl.sample.cases import CaseIndex
from etl.sample.core import (
    DATA_END,
    END_DN,
    K_NOTARY,
    OFFLINE,
    PLATFORMS,
    YEARS,
    Progress,
    choice,
    day_chunks,
    day_weights,
    id_width,
    sample_hours,
    scaled_count,
    stream,
    year_days,
)
from etl.sample.fakers import person_names
from etl.sample.takedowns import platform_mix
from etl.sample.writers import CsvSink
from etl.sources.notarizations import GENESIS, KIND, record_hash

NOTARY_LAUNCH = date(2023, 3, 1)  # the evidence-notarization system went live that day
NOTARY_WINDOW_END = date(2024, 4, 25)  # end of the first published notarization window
BASE_NOTARY_WINDOW = 482  # notarized 2023-03-01 .. 2024-04-25 (published)
BASE_NOTARY_AFTER = 1010  # notarized 2024-04-26 .. 2026-09-30 (~410 a year)
BASE_NOTARY_PENDING = 4  # requested in the last days before the data date, not yet notarized

_EVIDENCE = ("webpage", "purchase", "screen_recording", "livestream", "document")
_EVIDENCE_P = (0.45, 0.20, 0.18, 0.12, 0.05)
_LIVESTREAM_P = np.array([0, 0.15, 0, 0, 0.5, 0, 0, 0.25, 0.1, 0])  # PLATFORMS order
_NOTARY_LAG_P = (0.45, 0.30, 0.13, 0.07, 0.05)  # whole days between request and sealing
_NOTARY_LINKED = 0.55
# fmt: off
_NOTARY_HOURS = np.array([0, 0, 0, 0, 0, 0, 0, 0, 0.6, 1.4, 1.6, 1.4,
                          0.6, 1.0, 1.5, 1.6, 1.5, 1.3, 0.7, 0.5, 0.4, 0.3, 0.1, 0])
# fmt: on


def _notary_rows(
    rng: np.random.Generator,
    requested: np.ndarray,
    notarized: np.ndarray,
    sealed: np.ndarray,
    case_index: CaseIndex,
) -> pl.DataFrame:
    """Evidence type, platform, cited case and requester for rows whose times are fixed."""
    n = len(requested)
    ev = choice(rng, n, _EVIDENCE_P)
    online = choice(rng, n, np.append(platform_mix(2024), 0.0))
    platform = np.select(
        [ev == 3, ev == 4, (ev == 1) & (rng.random(n) < 0.25)],
        [choice(rng, n, _LIVESTREAM_P), -1, OFFLINE],
        default=online,
    )
    any_case = (platform < 0) | (platform == OFFLINE)
    wants_case = rng.random(n) < _NOTARY_LINKED
    case = case_index.pick(
        rng, requested // DAY_S, np.where(wants_case, np.where(any_case, -1, platform), -2)
    )
    return pl.DataFrame(
        {
            "requested_at": cols.timestamps(requested),
            "notarized_at": cols.timestamps(notarized, sealed),
            "evidence_type": cols.labels(_EVIDENCE, ev),
            "platform": cols.labels(PLATFORMS, platform, platform >= 0),
            "case_id": case_index.ids(case),
            "requester_name": person_names(rng, n),
        }
    )


def write_notarizations(
    out: Path, seed: int, scale: float, case_index: CaseIndex, progress: Progress
) -> list[Path]:
    """notarizations.csv: UTF-8 with BOM, English headers, bare codes, rows in hash-chain order.

    Rows follow notarized_at (pending ones last, by request time) and IDs are numbered along the
    chain within the year. The first published window's count is fixed by the day plan.
    """
    plan_rng = stream(seed, K_NOTARY, 0, 0)
    days_a = np.concatenate([year_days(y, NOTARY_LAUNCH, NOTARY_WINDOW_END) for y in YEARS])
    after = NOTARY_WINDOW_END + timedelta(days=1)
    days_b = np.concatenate([year_days(y, after, DATA_END) for y in YEARS])
    counts_a = plan_rng.multinomial(
        scaled_count(BASE_NOTARY_WINDOW, scale), day_weights(days_a, 0.25)
    )
    w_b = day_weights(days_b, 0.25) * (1 + 0.06 * (days_b - days_b[0]) / 365)  # slow growth
    counts_b = plan_rng.multinomial(scaled_count(BASE_NOTARY_AFTER, scale), w_b / w_b.sum())
    days = np.concatenate([days_a, days_b])
    day_counts = np.concatenate([counts_a, counts_b])
    n_pending = scaled_count(BASE_NOTARY_PENDING, scale)
    per_year = [int(day_counts[year_of(days) == y].sum()) for y in YEARS]
    width = id_width(4, [*per_year, per_year[-1] + n_pending])
    launch = day_number(NOTARY_LAUNCH)

    path = out / "notarizations.csv"
    sink = CsvSink(path, "utf-8", bom=True)
    columns = [c.name for c in KIND.columns]
    seq = dict.fromkeys(YEARS, 0)
    prev = GENESIS

    def emit(df: pl.DataFrame, id_years: np.ndarray) -> None:
        """Number the rows and extend the hash chain (a plain loop: this kind is small). Each
        record hash covers every field, in the canonical serialization of the source schema."""
        nonlocal prev
        ids, evidence, prevs, records = [], [], [], []
        for y, row in zip(id_years.tolist(), df.iter_rows(named=True), strict=True):
            seq[y] += 1
            nid = f"GZ{y}-{seq[y]:0{width}d}"
            ev = hashlib.sha256(f"ipgov-sample-evidence|{seed}|{nid}".encode()).hexdigest()
            fields = row | {"notarization_id": nid, "evidence_sha256": ev, "prev_record_hash": prev}
            rec = record_hash(fields)
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

    for ci, (lo, hi) in enumerate(day_chunks(day_counts)):
        rng = stream(seed, K_NOTARY, 1, ci + 1)
        sealed_day = np.repeat(days[lo:hi], day_counts[lo:hi])
        n = len(sealed_day)
        # Both moments fall in service hours; the request comes 0-4 days earlier (never before
        # launch) and, on the same day, before the sealing: 0-5 days in all.
        lag = np.minimum(choice(rng, n, _NOTARY_LAG_P), sealed_day - launch)
        t_a = sample_hours(rng, n, _NOTARY_HOURS)
        t_b = sample_hours(rng, n, _NOTARY_HOURS)
        same = lag == 0
        requested = (sealed_day - lag) * DAY_S + np.where(same, np.minimum(t_a, t_b), t_a)
        notarized = sealed_day * DAY_S + np.where(same, np.maximum(t_a, t_b), t_b)
        order = np.lexsort((requested, notarized))
        requested, notarized = requested[order], notarized[order]
        df = _notary_rows(rng, requested, notarized, np.ones(n, dtype=bool), case_index)
        emit(df, year_of(notarized // DAY_S))

    rng = stream(seed, K_NOTARY, 2)
    pending_day = END_DN - rng.integers(0, 5, n_pending)
    requested = np.sort(pending_day * DAY_S + sample_hours(rng, n_pending, _NOTARY_HOURS))
    df = _notary_rows(rng, requested, requested, np.zeros(n_pending, dtype=bool), case_index)
    emit(df, year_of(requested // DAY_S))
    sink.close()
    return [path]
