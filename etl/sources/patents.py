"""Patent pre-examinations: one row per application pre-examined by the center."""

from etl.sources.schema import DATE, STRING, Column, RecordKind

KIND = RecordKind(
    name="patents",
    zh="专利预审",
    grain="One row per pre-examined patent application (preexam_id).",
    key="preexam_id",
    columns=(
        Column(
            "preexam_id", STRING, "预审编号", "Pre-examination number.", required=True, is_id=True
        ),
        Column(
            "applicant",
            STRING,
            "申请人",
            "Applicant name; a natural person's name is personal data and is masked in staging.",
            required=True,
        ),
        Column(
            "applicant_type",
            STRING,
            "申请人类型",
            "Enterprise, individual or institution.",
            required=True,
            code_domain="applicant_type",
        ),
        Column(
            "patent_type",
            STRING,
            "专利类型",
            "Invention, utility model or design.",
            required=True,
            code_domain="patent_type",
        ),
        Column(
            "patent_class",
            STRING,
            "分类号",
            "IPC class (invention, utility model) or Locarno class (design).",
        ),
        Column(
            "accepted_on",
            DATE,
            "预审受理日期",
            "Date the center accepted the application for pre-examination.",
            required=True,
        ),
        Column(
            "preexam_result",
            STRING,
            "预审结论",
            "Passed, returned for revision or rejected.",
            code_domain="preexam_result",
        ),
        Column(
            "authorized_on",
            DATE,
            "授权日期",
            "Date the patent was granted; empty if not (yet) granted.",
        ),
    ),
)
