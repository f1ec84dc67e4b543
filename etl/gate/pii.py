"""Personal data in the gate: which cells are personal, how reports show them, what GX sees.

`raw.quarantine` (ingest database only) keeps the raw value of every bad cell. Everywhere else —
the snapshot's `fct_quarantine`, the JSON report, the terminal, the data docs — a personal-data
cell (`contact_name`, `contact_phone`, `requester_name`, and `applicant` unless the applicant type
is an enterprise or institution) shows as `***`, and GX checks a phone number on its shape only
(digits → 9), so no rendering of a validation result can show one.
"""

from __future__ import annotations

from etl.gate.codes import code_sql
from etl.sources.schema import RecordKind

PII_MASK = "***"
# An applicant is a person unless the applicant type says enterprise or institution.
_ORGANISATION_TYPES = ("enterprise", "institution")


def shown_value(value: str | None, is_pii: bool) -> str | None:
    """A raw value as reports and the snapshot show it: personal data masked."""
    return PII_MASK if is_pii and value is not None else value


def pii_sql(kind: RecordKind, column: str, texts: dict[str, str]) -> tuple[str, str] | None:
    """(JOIN clause, predicate) true for the rows whose `column` cell is personal data, over
    gate_rows `g` (`texts`: each column's text as SQL); None when the column never is."""
    if kind.column(column).pii:
        return "", "true"
    if kind.name == "patents" and column == "applicant":
        join, code = code_sql("applicant_type", texts["applicant_type"], "pii_type")
        kinds = ", ".join(f"'{t}'" for t in _ORGANISATION_TYPES)
        return join, f"not coalesce({code} in ({kinds}), false)"
    return None


def shape_sql(value: str) -> str:
    """A value's shape (digits → 9, anything but + ( ) - and space → X): enough to check a
    phone number's format without seeing it."""
    digits = f"regexp_replace({value}, '[0-9]', '9', 'g')"
    return f"regexp_replace({digits}, '[^9+()\\- ]', 'X', 'g')"
