"""The preparer's text for a quarter's briefing — 成效, 存在问题, 下步工作 — kept in the app
database (etl/appdb.py, table brief_narratives) per quarter and pack language, and audited: a
leader reads it as the center's word, so who wrote what, and when, is on record. The page
writes it through `save`; `build_brief` reads it through `stored`, so every format has it."""

from __future__ import annotations

from pathlib import Path

from dashboard.access import audit
from etl import appdb, warehouse
from etl.appdb import (
    CASE_KINDS,
    MAX_NARRATIVE_CHARS,
    MAX_TYPICAL_CASES,
    NARRATIVE_FIELDS,
    Narrative,
)
from etl.periods import Period

__all__ = [
    "CASE_KINDS",
    "MAX_NARRATIVE_CHARS",
    "MAX_TYPICAL_CASES",
    "NARRATIVE_FIELDS",
    "Narrative",
    "save",
    "save_cases",
    "stored",
    "stored_cases",
]


def stored(db: Path, quarter: Period, lang: str) -> Narrative:
    """What is saved for `quarter` in `lang` (empty texts when nothing is)."""
    return appdb.narrative(warehouse.WarehousePaths(db), quarter.label, lang)


def save(
    db: Path, quarter: Period, lang: str, texts: dict[str, str], actor: str | None
) -> Narrative:
    """Save the fields that differ from what is stored, and record who changed which (the
    audit row names the fields and their lengths, not the text: the app database has it)."""
    paths = warehouse.WarehousePaths(db)
    before = appdb.narrative(paths, quarter.label, lang).texts
    changed = {f: v for f, v in texts.items() if v.strip() != before.get(f, "")}
    if not changed:
        return appdb.narrative(paths, quarter.label, lang)
    now = appdb.save_narrative(paths, quarter.label, lang, changed, actor)
    audit.record(
        paths,
        actor,
        "briefing_narrative",
        target=quarter.label,
        lang=lang,
        fields=sorted(changed),
        chars={f: len(v.strip()) for f, v in changed.items()},
    )
    return now


def stored_cases(db: Path, quarter: Period) -> list[tuple[str, str]]:
    """The typical cases picked for `quarter`: (kind, record id) in order."""
    return appdb.typical_cases(warehouse.WarehousePaths(db), quarter.label)


def save_cases(
    db: Path, quarter: Period, picks: list[tuple[str, str]], actor: str | None
) -> list[tuple[str, str]]:
    """Replace the quarter's typical cases, audited (the ids picked) when they change."""
    paths = warehouse.WarehousePaths(db)
    if picks == appdb.typical_cases(paths, quarter.label):
        return picks
    now = appdb.save_cases(paths, quarter.label, picks, actor)
    audit.record(
        paths,
        actor,
        "briefing_narrative",
        target=quarter.label,
        typical_cases=[f"{kind}:{rid}" for kind, rid in now],
    )
    return now
