"""E-commerce takedown notices: one row per notice sent to a platform about one listing."""

from etl.sources.schema import STRING, TIMESTAMP, Column, RecordKind

KIND = RecordKind(
    name="takedowns",
    zh="电商下架通知",
    grain="One row per takedown notice (notice_id).",
    key="notice_id",
    columns=(
        Column("notice_id", STRING, "通知编号", "Notice number.", required=True, is_id=True),
        Column(
            "case_id", STRING, "关联案件编号", "Case the notice belongs to, if any.", is_id=True
        ),
        Column(
            "platform",
            STRING,
            "电商平台",
            "Platform the notice was sent to.",
            required=True,
            code_domain="platform",
        ),
        Column(
            "listing_url", STRING, "侵权链接", "URL or id of the infringing listing.", required=True
        ),
        Column(
            "notice_sent_at",
            TIMESTAMP,
            "通知发送时间",
            "When the notice was sent (China time).",
            required=True,
        ),
        Column(
            "removed_at",
            TIMESTAMP,
            "下架时间",
            "When the platform removed the listing; empty while still live.",
        ),
    ),
)
