"""Trademark enforcement cases: one row per administrative enforcement case."""

from etl.sources.schema import BOOLEAN, DATE, DECIMAL, INTEGER, STRING, Column, RecordKind

KIND = RecordKind(
    name="trademarks",
    zh="商标执法案件",
    grain="One row per trademark enforcement case (enforcement_id).",
    key="enforcement_id",
    columns=(
        Column(
            "enforcement_id",
            STRING,
            "执法案件编号",
            "Enforcement case number.",
            required=True,
            is_id=True,
        ),
        Column("opened_on", DATE, "立案日期", "Date the case was opened.", required=True),
        Column("closed_on", DATE, "结案日期", "Date the case was closed; empty while open."),
        Column(
            "agency",
            STRING,
            "执法机构",
            "Agency that handled the case.",
            required=True,
            code_domain="agency",
        ),
        Column("brand", STRING, "涉案品牌", "Brand whose mark was infringed."),
        Column(
            "brand_category",
            STRING,
            "品牌类别",
            "International, domestic or local own brand.",
            code_domain="brand_category",
        ),
        Column(
            "infringement_type",
            STRING,
            "侵权类型",
            "Counterfeit, similar mark, sale of infringing goods, packaging.",
            code_domain="infringement_type",
        ),
        Column(
            "location",
            STRING,
            "查处地点",
            "Park or market where the goods were found.",
            code_domain="location",
        ),
        Column("units_seized", INTEGER, "查扣数量", "Items seized (pieces)."),
        Column("goods_value_yuan", DECIMAL, "涉案货值", "Value of the infringing goods, yuan."),
        Column("fine_yuan", DECIMAL, "罚没金额", "Fine and confiscation imposed, yuan."),
        Column(
            "transferred_to_police",
            BOOLEAN,
            "是否移送公安",
            "Whether the case was transferred to the police as a suspected crime.",
        ),
        Column(
            "partner_region",
            STRING,
            "协作地区",
            "Region that cooperated on the case, if any.",
            code_domain="region",
        ),
    ),
)
