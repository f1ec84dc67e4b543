"""Every label the UI shows, in zh-CN (the default: officials read Chinese first) and en.

One catalogue, so a page never hard-codes a string and a missing translation fails a test.
"""

from __future__ import annotations

LANGUAGES = {"zh": "中文", "en": "English"}
DEFAULT_LANGUAGE = "zh"

CATALOG: dict[str, dict[str, str]] = {
    "app_title": {"zh": "知识产权保护中心数据看板", "en": "IP Protection Center Dashboard"},
    "language": {"zh": "语言", "en": "Language"},
    "page_overview": {"zh": "总览", "en": "Overview"},
    "period": {"zh": "统计期间", "en": "Period"},
    "period_kind": {"zh": "期间类型", "en": "Period type"},
    "period_quarter": {"zh": "季度", "en": "Quarter"},
    "period_year": {"zh": "年度", "en": "Year"},
    "period_custom": {"zh": "自定义", "en": "Custom"},
    "date_range": {"zh": "起止日期", "en": "Date range"},
    "compared_with": {
        "zh": "环比对照期：{label}",
        "en": "Compared with the previous period: {label}",
    },
    "data_as_of": {
        "zh": "数据截至 {date}（快照 {snapshot}）",
        "en": "Data up to {date} (snapshot {snapshot})",
    },
    "no_data": {
        "zh": "尚未加载数据——请先运行 `ipgov load 文件或目录`。",
        "en": "No data loaded yet — run `ipgov load PATH` first.",
    },
    "no_records": {"zh": "该期间没有记录。", "en": "No records in this period."},
    "section_headline": {"zh": "核心指标", "en": "Headline KPIs"},
    "section_trends": {"zh": "月度趋势", "en": "Monthly trends"},
    "month": {"zh": "月份", "en": "Month"},
    "count": {"zh": "数量", "en": "Count"},
    "workdays": {"zh": "工作日", "en": "Working days"},
    "share": {"zh": "占比", "en": "Share"},
    "chart_cases": {
        "zh": "维权援助案件：受理、结案与积压",
        "en": "Assistance cases: received, closed, backlog",
    },
    "chart_takedown_latency": {
        "zh": "电商下架时效（中国工作日）",
        "en": "Takedown latency (China working days)",
    },
    "chart_takedown_share": {
        "zh": "2个工作日内下架占比",
        "en": "Share removed within 2 working days",
    },
    # KPI names (keys as in etl.kpis.KPI_KEYS)
    "patent_preexam_accepted": {"zh": "专利预审受理", "en": "Patent pre-exams accepted"},
    "patent_preexam_authorized": {"zh": "专利预审授权", "en": "Pre-examined patents granted"},
    "cases_accepted": {"zh": "维权援助受理", "en": "Assistance cases received"},
    "cases_closed": {"zh": "维权援助结案", "en": "Assistance cases closed"},
    "cases_open_end": {"zh": "期末在办案件", "en": "Open cases at period end"},
    "trademark_cases": {"zh": "商标执法立案", "en": "Trademark cases opened"},
    "trademark_fines_yuan": {"zh": "罚没金额（元）", "en": "Fines (yuan)"},
    "notarizations": {"zh": "存证公证", "en": "Notarizations"},
    "takedown_requests": {"zh": "下架通知", "en": "Takedown notices"},
    "takedown_median_workdays": {
        "zh": "下架时效中位数（工作日）",
        "en": "Median takedown (working days)",
    },
    "takedown_p90_workdays": {"zh": "下架时效P90（工作日）", "en": "P90 takedown (working days)"},
    "takedown_within_2wd_share": {"zh": "2个工作日内下架", "en": "Removed within 2 working days"},
    "referrals_out": {"zh": "移出协作", "en": "Referrals out"},
    "referrals_in": {"zh": "移入协作", "en": "Referrals in"},
}


def t(key: str, lang: str, **values: object) -> str:
    """The label for `key` in `lang`, with {placeholders} filled in."""
    text = CATALOG[key][lang]
    return text.format(**values) if values else text


def both(key: str) -> str:
    """'中文 · English', for labels that must not change with the language: Streamlit keys a
    page by its title, so a title that changed on a language switch would look like a new page
    and lose the sidebar's state."""
    return f"{CATALOG[key]['zh']} · {CATALOG[key]['en']}"
