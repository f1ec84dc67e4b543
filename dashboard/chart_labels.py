"""Labels the chart builders (dashboard/charts.py) show, zh and en: merged into the one
catalogue of dashboard/i18n.py, kept apart so the charts' vocabulary lives beside the charts."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    # titles of the charts a second measure moved to (one value axis per chart)
    "chart_platform_share": {
        "zh": "各平台2个工作日内下架占比",
        "en": "Share removed within 2 working days, by platform",
    },
    "chart_still_live": {"zh": "仍未下架的比例", "en": "Share of listings still live"},
    "chart_workdays_after_notice": {
        "zh": "发出通知后的工作日",
        "en": "Working days after the notice",
    },
    "chart_patent_rate": {
        "zh": "专利预审授权量与受理量之比",
        "en": "Pre-examinations granted ÷ accepted",
    },
    "chart_patent_rate_note": {
        "zh": "授权量含以前各期受理的申请，故比值可超过100%",
        "en": "A period's grants include applications accepted in earlier periods, "
        "so the ratio can exceed 100%",
    },
    "chart_rate_parity": {"zh": "授权量 = 受理量", "en": "granted = accepted"},
    "chart_trademark_cases": {
        "zh": "商标执法立案与移送公安",
        "en": "Trademark cases opened and sent to police",
    },
    "chart_trademark_fines": {
        "zh": "罚没金额（按结案期间）",
        "en": "Fines of the cases closed in each period",
    },
    # the unit differs by language: charts.trademark_fines_trend plots 万元 in zh, yuan in en
    "chart_fines_axis": {"zh": "罚没金额（万元）", "en": "Fines (yuan)"},
    "chart_notary_count": {"zh": "存证公证完成数量", "en": "Notarizations completed"},
    "chart_notary_hours": {"zh": "存证公证用时", "en": "Notarization turnaround"},
    "chart_p90_hours": {"zh": "P90（小时）", "en": "P90 (hours)"},
    "chart_hours": {"zh": "小时", "en": "Hours"},
    "chart_target": {"zh": "目标 {share}", "en": "Target {share}"},
    "chart_sankey_node": {"zh": "{name}（{direction}）{n}", "en": "{name} ({direction}) {n}"},
}
