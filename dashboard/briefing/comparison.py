"""The briefing's one comparison (`ipgov brief --compare platforms`, issue 16): the quarter's
four busiest platforms (or parks/markets, IP types, partner regions) side by side, as the
Compare page's table — each side's quarter and the one before, platforms ranked by the
2-working-day share — in a CSV beside the pack. The same numbers as the page and as
`ipgov kpis --platform …`: `kpi_headline` narrowed by each side (dashboard/compare.py).
Kept apart from the pack's own writers, so the pack is unchanged without the option."""

from __future__ import annotations

import csv
import datetime as dt
import io
from pathlib import Path

from dashboard import compare, core, formats
from dashboard.columns import COLUMNS
from etl import settings
from etl.errors import IpgovError, NoDataError
from etl.periods import Period

KINDS = tuple(kind for kind, domain in compare.KINDS.items() if domain is not None)


def check_kind(kind: str) -> str:
    if kind not in KINDS:
        raise IpgovError(f"--compare {kind!r}: choose one of {', '.join(KINDS)}")
    return kind


def _cell(name: str, value: object, lang: str) -> object:
    kind = COLUMNS[name].kind
    if formats.is_missing(value):
        return formats.MISSING
    if kind == "share":
        return formats.share(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return value


def write_comparison(
    db: Path, quarter: Period, kind: str, lang: str, out: Path
) -> tuple[Path, list[str]]:
    """Write compare-<kind>-<quarter>.csv into `out`; returns the file and the sides' names in
    the order written."""
    check_kind(kind)
    domain = compare.KINDS[kind]
    with settings.overridden(db=str(db)):
        snapshot = core.snapshot_id()
        if snapshot is None:
            raise NoDataError(f"no data loaded yet in {db} — run `ipgov load PATH` first")
        names = core.codes(snapshot, lang).get(domain, {})
        every = {code: core.headline(snapshot, quarter, **{kind: (code,)}) for code in names}
        choice = compare.Choice(kind, {kind: tuple(compare.busiest(kind, every))}, quarter.label)
        sides = {s.key: s for s in compare.sides(choice)}
        now = {key: every[key] for key in sides}
        before = {k: core.headline(snapshot, s.previous, **s.narrowed) for k, s in sides.items()}
    order = [sides[key] for key in compare.ranked(kind, now)]
    frame = compare.table(choice, order, names, now, before)
    unit = {"zh": "（元）", "en": " (yuan)"}[lang]
    headers = [
        COLUMNS[c].header(lang) + (unit if COLUMNS[c].kind == "yuan" else "") for c in frame.columns
    ]
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(headers)
    for row in frame.iter_rows(named=True):
        writer.writerow([_cell(name, value, lang) for name, value in row.items()])
    path = out / f"compare-{kind}-{quarter.label}.csv"
    path.write_text(text.getvalue(), encoding="utf-8-sig")
    return path, [names.get(s.key, s.key) for s in order]
