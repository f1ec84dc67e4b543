"""Rights-protection assistance cases: one row per case handled by the center."""

from etl.sources.schema import DATE, STRING, Column, RecordKind

KIND = RecordKind(
    name="cases",
    zh="维权援助案件",
    grain="One row per rights-protection assistance case (case_id).",
    key="case_id",
    columns=(
        Column(
            "case_id",
            STRING,
            "案件编号",
            "Case number issued by the center.",
            required=True,
            is_id=True,
        ),
        Column(
            "received_on", DATE, "受理日期", "Date the center accepted the case.", required=True
        ),
        Column(
            "service_type",
            STRING,
            "服务类型",
            "Consultation, mediation, assistance or advisory opinion.",
            required=True,
            code_domain="service_type",
        ),
        Column(
            "ip_type",
            STRING,
            "知识产权类型",
            "Patent, trademark, copyright or other.",
            required=True,
            code_domain="ip_type",
        ),
        Column(
            "complainant_enterprise",
            STRING,
            "请求人企业",
            "Enterprise asking for help (a company, not a person).",
        ),
        Column(
            "complainant_park",
            STRING,
            "所属园区市场",
            "Industrial park or wholesale market of the complainant.",
            code_domain="location",
        ),
        Column(
            "contact_name",
            STRING,
            "联系人",
            "Contact person's name. Personal data: dropped in staging.",
            pii=True,
        ),
        Column(
            "contact_phone",
            STRING,
            "联系电话",
            "Contact person's phone. Personal data: dropped in staging.",
            pii=True,
        ),
        Column(
            "respondent_region",
            STRING,
            "被请求人所在地",
            "Region of the alleged infringer.",
            code_domain="region",
        ),
        Column(
            "platform",
            STRING,
            "电商平台",
            "E-commerce platform of the infringement, or offline.",
            code_domain="platform",
        ),
        Column(
            "status",
            STRING,
            "案件状态",
            "Received, in progress, closed or withdrawn.",
            required=True,
            code_domain="case_status",
        ),
        Column(
            "advisory_opinion_on",
            DATE,
            "咨询意见出具日期",
            "Date an advisory opinion was issued (advisory-opinion cases).",
        ),
        Column("closed_on", DATE, "结案日期", "Date the case was closed; empty while open."),
        Column(
            "outcome",
            STRING,
            "处理结果",
            "How the case ended; empty while open.",
            code_domain="outcome",
        ),
        Column(
            "referral_direction",
            STRING,
            "协作方向",
            "Out: sent to a partner region; in: received from one; empty: none.",
            code_domain="referral_direction",
        ),
        Column(
            "referral_partner",
            STRING,
            "协作地区机构",
            "Partner region or agency of a referral.",
            code_domain="region",
        ),
        Column(
            "referred_on", DATE, "移交日期", "Date the referral was sent (out) or received (in)."
        ),
        Column(
            "referral_closed_on",
            DATE,
            "协作办结日期",
            "Date the partner (out) or the center (in) finished the referral.",
        ),
    ),
)
