"""Evidence notarizations: one row per notarized piece of evidence, hash-chained in order.

The record hash is SHA-256 over the record's canonical serialization (`canonical`, documented in
docs/data-model.md, "The evidence chain"): every field but record_hash itself, so no field — not
notarized_at, the day the KPI counts by — can change unseen. This module is the Python side of
the rule (the sample generator writes it, tests hold the SQL to it);
etl/sql/staging/stg_notarizations.sql computes the same in DuckDB, where the loaded rows are.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import unicodedata
from collections.abc import Mapping

from etl.sources.schema import STRING, TIMESTAMP, Column, RecordKind

GENESIS = "0" * 64  # prev_record_hash of the chain's first record
NULL = "\\N"  # a missing value; no text serializes to it, since a backslash is doubled

KIND = RecordKind(
    name="notarizations",
    zh="存证公证",
    grain="One row per notarization (notarization_id).",
    key="notarization_id",
    columns=(
        Column(
            "notarization_id", STRING, "公证编号", "Notarization number.", required=True, is_id=True
        ),
        Column(
            "requested_at",
            TIMESTAMP,
            "申请时间",
            "When the evidence notarization was requested.",
            required=True,
        ),
        Column(
            "notarized_at",
            TIMESTAMP,
            "公证时间",
            "When the notary sealed the evidence; empty while pending.",
        ),
        Column(
            "evidence_type",
            STRING,
            "证据类型",
            "Web page, purchase, screen recording, livestream or document.",
            required=True,
            code_domain="evidence_type",
        ),
        Column(
            "platform",
            STRING,
            "电商平台",
            "Platform the evidence was captured on.",
            code_domain="platform",
        ),
        Column(
            "case_id", STRING, "关联案件编号", "Case the evidence supports, if any.", is_id=True
        ),
        Column(
            "requester_name",
            STRING,
            "申请人姓名",
            "Person who asked for the notarization. Personal data: dropped in staging.",
            pii=True,
        ),
        Column(
            "evidence_sha256",
            STRING,
            "证据哈希",
            "SHA-256 of the evidence file, 64 hex digits.",
            required=True,
        ),
        Column(
            "prev_record_hash",
            STRING,
            "前序记录哈希",
            "record_hash of the previous notarization in the chain (64 zeros for the first).",
            required=True,
        ),
        Column(
            "record_hash",
            STRING,
            "记录哈希",
            "SHA-256 of the record's canonical serialization: every other field, in this "
            "order, joined by vertical bars (docs/data-model.md).",
            required=True,
        ),
    ),
)

# The fields the record hash covers, in serialization order: all of them but the hash itself.
HASHED = tuple(c.name for c in KIND.columns if c.name != "record_hash")
_TIMESTAMPS = frozenset(c.name for c in KIND.columns if c.type == TIMESTAMP)
_HASHES = frozenset({"evidence_sha256", "prev_record_hash"})


def canonical_value(name: str, value: str | dt.datetime | None) -> str:
    """One field as the serialization writes it: NULL as \\N; a timestamp as
    YYYY-MM-DD HH:MM:SS.ffffff; a hash in lower case; any other text NFC-normalised, with
    backslash and '|' escaped by a backslash (so a value can never shift a field boundary)."""
    if value is None:
        return NULL
    if name in _TIMESTAMPS:
        if not isinstance(value, dt.datetime):
            raise TypeError(f"{name} must be a datetime, not {type(value).__name__}")
        return value.strftime("%Y-%m-%d %H:%M:%S.%f")
    text = unicodedata.normalize("NFC", str(value))
    if name in _HASHES:
        text = text.lower()
    return text.replace("\\", "\\\\").replace("|", "\\|")


def canonical(record: Mapping[str, str | dt.datetime | None]) -> str:
    """The text the record hash is taken of: HASHED fields' canonical values joined by '|'.
    Codes (evidence_type, platform) are the canonical codes of etl/reference/codes.csv."""
    return "|".join(canonical_value(name, record[name]) for name in HASHED)


def record_hash(record: Mapping[str, str | dt.datetime | None]) -> str:
    """SHA-256 (lower-case hex) of the record's canonical serialization, UTF-8 encoded."""
    return hashlib.sha256(canonical(record).encode("utf-8")).hexdigest()
