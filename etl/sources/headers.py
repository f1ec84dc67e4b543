"""Header cells → record kind and canonical columns, or the header fault that rejects the file.

Clerks write Chinese or English headers, in any case, with a byte-order mark or spaces around
them; each kind lists the spellings it accepts (`RecordKind.header_aliases`). A blank header over
data, two headers meaning one field, or a missing required column rejects the file: loading it
would put values in the wrong field or drop them without a word.

A header may carry its unit, the way office sheets label amounts: `罚没金额（元）`, `涉案货值(元)`,
`罚没金额（万元）`, `查扣数量（件）`. A unit ipgov knows names its field and its factor (万元 →
× 10,000, applied by the cell parser); a unit it does not know, or one that does not fit the
field (`罚没金额（美元）`, `查扣数量（元）`), rejects the file (`header_unit`): dropping the
column would load every amount as empty.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path

from etl.sources import KINDS
from etl.sources.faults import reject
from etl.sources.schema import DECIMAL, INTEGER, RecordKind

# unit written in a header → (the logical type it fits, the factor to yuan or pieces)
UNITS: dict[str, tuple[str, int]] = {
    "元": (DECIMAL, 1),
    "人民币元": (DECIMAL, 1),
    "千元": (DECIMAL, 1_000),
    "万元": (DECIMAL, 10_000),
    "件": (INTEGER, 1),
    "个": (INTEGER, 1),
}
# a trailing parenthesised part, full-width or ASCII: `罚没金额（万元）`, `fine (yuan)`
_UNIT_SUFFIX = re.compile(r"^(?P<base>.*?)\s*[（(]\s*(?P<unit>[^（）()]*?)\s*[）)]$")


def header_unit(name: str) -> tuple[str, str | None]:
    """A header without its parenthesised suffix, and the suffix (None if there is none)."""
    text = name.replace("\ufeff", "").strip()
    found = _UNIT_SUFFIX.match(text)
    if found is None or not found["base"]:
        return text, None
    return found["base"], found["unit"]


def unit_factor(name: str | None) -> int:
    """What a cell under this header is multiplied by: 10,000 under `（万元）`, else 1."""
    if name is None:
        return 1
    _, unit = header_unit(name)
    return UNITS[unit][1] if unit in UNITS else 1


def blank_to_none(value: object) -> str | None:
    """A header cell as text; None when blank (a cell of spaces or a lone byte-order mark)."""
    if value is None:
        return None
    text = str(value).replace("\ufeff", "").strip()
    return text or None


def normalise_header(name: str) -> str:
    """A header as aliases are looked up: no byte-order mark, no known unit, lower case."""
    base, unit = header_unit(name)
    if unit in UNITS:
        return base.lower()
    return name.replace("\ufeff", "").strip().lower()


def detect_kind(headers: list[str]) -> RecordKind | None:
    """The kind whose required columns all appear among the headers (most matches wins)."""
    normalised = {normalise_header(h) for h in headers}
    best, best_hits = None, 0
    for kind in KINDS.values():
        aliases = kind.header_aliases()
        present = {aliases[h] for h in normalised if h in aliases}
        if set(kind.required) <= present and len(present) > best_hits:
            best, best_hits = kind, len(present)
    return best


def closest_kind(headers: list[str]) -> RecordKind | None:
    """The kind a file was meant to be when a required column is missing: most of its
    required columns are there and no other kind matches as well. Lets the gate say "column X is
    missing" instead of "headers match no record kind"."""
    normalised = {normalise_header(h) for h in headers}
    scored = []
    for kind in KINDS.values():
        aliases = kind.header_aliases()
        present = {aliases[h] for h in normalised if h in aliases}
        required = len(set(kind.required) & present)
        if len(present) >= 2 and 2 * required > len(kind.required):
            scored.append((required, len(present), kind))
    scored.sort(key=lambda s: (s[0], s[1]), reverse=True)
    if not scored or (len(scored) > 1 and scored[0][:2] == scored[1][:2]):
        return None
    return scored[0][2]


def matches_kind(headers: list[str | None], kind_name: str | None) -> bool:
    """Whether a header row is one of a kind's (`kind_name`) or of any kind: how a workbook's
    data sheet is told from a cover sheet."""
    named = [h for h in headers if h]
    if kind_name is None:
        return (detect_kind(named) or closest_kind(named)) is not None
    aliases = KINDS[kind_name].header_aliases()
    present = {aliases.get(normalise_header(h)) for h in named}
    return set(KINDS[kind_name].required) <= present


def check_kind_name(path: Path | str, kind_name: str | None) -> None:
    """`--kind` must name a kind: rejected before the file is even opened."""
    if kind_name is not None and kind_name not in KINDS:
        raise reject(path, "bad_kind", kind=kind_name, kinds=", ".join(KINDS))


def resolve_kind(path: Path | str, headers: list[str | None], kind_name: str | None) -> RecordKind:
    """The kind named with --kind, else the one the headers show."""
    check_kind_name(path, kind_name)
    if kind_name is not None:
        return KINDS[kind_name]
    named = [h for h in headers if h]
    kind = detect_kind(named) or closest_kind(named)
    if kind is None:
        raise reject(path, "unknown_kind", kinds=", ".join(KINDS))
    return kind


def excel_column(index: int) -> str:
    """The spreadsheet letter of the 0-based column `index` (0 → A, 26 → AA)."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def map_headers(
    path: Path | str,
    headers: list[str | None],
    sheet: str | None,
    has_values: Callable[[str], bool],
    kind: RecordKind,
) -> tuple[dict[str, str], list[str]]:
    """Positional column (`_c<i>`) → canonical name, and the headers unused by this kind.

    `has_values(position)` says whether a column without a header holds any value: a blank
    header over data is a fault, a blank trailing column is not (the reader asks DuckDB)."""
    aliases = kind.header_aliases()
    renames: dict[str, str] = {}
    ignored: list[str] = []
    seen: dict[str, str] = {}
    excel = sheet is not None
    where = (f"sheet {sheet!r}: ", f"工作表“{sheet}”：") if excel else ("", "")
    for i, header in enumerate(headers):
        position = f"_c{i}"
        if header is None:
            if has_values(position):
                raise reject(
                    path,
                    "merged_header" if excel else "blank_header",
                    where=where[0],
                    where_zh=where[1],
                    column=excel_column(i) if excel else str(i + 1),
                )
            continue
        canonical = aliases.get(normalise_header(header))
        base, unit = header_unit(header)
        if canonical is None and aliases.get(base.lower()) is not None:
            canonical = aliases[base.lower()]  # a field with a unit ipgov does not know
        if unit is not None and canonical is not None:
            column = kind.column(canonical)
            if UNITS.get(unit, ("", 0))[0] != column.type:
                fits = [u for u, (logical, _) in UNITS.items() if logical == column.type]
                raise reject(
                    path,
                    "header_unit",
                    header=header,
                    unit=unit,
                    canonical=canonical,
                    canonical_zh=column.zh,
                    units="、".join(fits) or "-",
                )
        if canonical is None:
            ignored.append(header)
        elif canonical in seen:
            raise reject(
                path,
                "duplicate_header",
                first=seen[canonical],
                second=header,
                canonical=canonical,
                canonical_zh=kind.column(canonical).zh,
            )
        else:
            renames[position] = canonical
            seen[canonical] = header
    missing = [c for c in kind.required if c not in seen]
    if missing:
        names = ", ".join(f"{c} ({kind.column(c).zh})" for c in missing)
        raise reject(path, "missing_columns", kind=kind.name, kind_zh=kind.zh, names=names)
    return renames, ignored
