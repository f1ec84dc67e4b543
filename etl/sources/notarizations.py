"""Evidence notarizations: one row per notarized piece of evidence, hash-chained in order."""

from etl.sources.schema import STRING, TIMESTAMP, Column, RecordKind

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
            "SHA-256 of 'notarization_id|evidence_sha256|prev_record_hash'.",
            required=True,
        ),
    ),
)
