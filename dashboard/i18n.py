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
    # navigation
    "page_takedowns": {"zh": "电商下架", "en": "Takedowns"},
    "page_cases": {"zh": "维权援助", "en": "Cases"},
    "page_patents": {"zh": "专利预审", "en": "Patents"},
    "page_trademarks": {"zh": "商标执法", "en": "Trademark enforcement"},
    "page_notarizations": {"zh": "存证公证", "en": "Notarization & evidence"},
    "page_referrals": {"zh": "跨区域协作", "en": "Cross-region referrals"},
    # filters
    "filters": {"zh": "筛选", "en": "Filters"},
    "filter_platforms": {"zh": "电商平台", "en": "Platform"},
    "filter_locations": {"zh": "园区/市场", "en": "Park / market"},
    "filter_ip_types": {"zh": "知识产权类型", "en": "IP type"},
    "filter_regions": {"zh": "协作地区", "en": "Partner region"},
    "all": {"zh": "全部", "en": "All"},
    "filters_ignored": {
        "zh": "本页不按以下筛选条件过滤：{names}",
        "en": "This page is not filtered by: {names}",
    },
    "yoy": {"zh": "同比（{label}）", "en": "Year over year ({label})"},
    "headline_scope": {
        "zh": "核心指标为全区口径，仅按统计期间筛选。",
        "en": "Headline KPIs are district-wide: only the period applies.",
    },
    # shared widgets
    "show_data": {"zh": "查看数据", "en": "Show the numbers"},
    "download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "records": {"zh": "明细记录", "en": "Records"},
    "drill_down": {"zh": "查看指标背后的记录", "en": "Records behind the numbers"},
    "rows_shown": {"zh": "共 {n:,} 条", "en": "{n:,} rows"},
    "grain": {"zh": "趋势粒度", "en": "Trend by"},
    "grain_month": {"zh": "按月", "en": "Month"},
    "grain_quarter": {"zh": "按季度", "en": "Quarter"},
    # takedowns page
    "notices": {"zh": "下架通知", "en": "Notices"},
    "removed": {"zh": "已下架", "en": "Removed"},
    "still_live": {"zh": "仍在线", "en": "Still live"},
    "median_workdays": {"zh": "中位数（工作日）", "en": "Median (working days)"},
    "p90_workdays": {"zh": "P90（工作日）", "en": "P90 (working days)"},
    "within_2wd_share": {"zh": "2个工作日内下架", "en": "Within 2 working days"},
    "chart_platform_latency": {
        "zh": "各平台下架时效（中国工作日）",
        "en": "Takedown latency by platform (China working days)",
    },
    "chart_latency_distribution": {
        "zh": "下架用时分布（工作日）",
        "en": "Working days until removal",
    },
    "chart_km": {
        "zh": "仍在线链接占比（Kaplan–Meier，未下架链接按删失处理）",
        "en": "Share of listings still live (Kaplan–Meier, open notices censored)",
    },
    "km_help": {
        "zh": "曲线越快下降越好；尚未下架的通知计入至今观察到的时长，"
              "慢平台无法因未结通知而“隐身”。",
        "en": "Lower sooner is better. Notices still open count for as long as they have been "
              "observed, so slow platforms cannot hide behind open notices.",
    },
    "slowest_open": {"zh": "最久未下架的通知", "en": "Slowest open notices"},
    "open_workdays": {"zh": "已等待工作日", "en": "Open for (working days)"},
    "target_2wd": {"zh": "2个工作日目标", "en": "2-working-day target"},
    # cases page
    "received": {"zh": "受理", "en": "Received"},
    "closed": {"zh": "结案", "en": "Closed"},
    "open_end": {"zh": "期末在办", "en": "Open at end"},
    "chart_case_mix": {"zh": "服务类型与知识产权类型", "en": "Service type and IP type"},
    "chart_outcomes": {"zh": "结案结果", "en": "Outcomes of closed cases"},
    "chart_opinions": {
        "zh": "侵权判定咨询意见用时（目标：2个工作日）",
        "en": "Advisory-opinion turnaround (target: 2 working days)",
    },
    "chart_open_age": {"zh": "在办案件已办理天数", "en": "Age of open cases (days)"},
    "opinion_within_target": {"zh": "2个工作日内出具意见", "en": "Opinions within 2 working days"},
    "pending": {"zh": "待出具", "en": "Pending"},
    "age_days": {"zh": "天数", "en": "Days"},
    # patents page
    "accepted": {"zh": "受理", "en": "Accepted"},
    "authorized": {"zh": "授权", "en": "Granted"},
    "authorization_rate": {"zh": "授权/受理", "en": "Granted ÷ accepted"},
    "chart_patent_trend": {
        "zh": "专利预审受理与授权",
        "en": "Pre-examinations accepted and granted",
    },
    "chart_patent_types": {"zh": "专利类型构成", "en": "Patent type mix"},
    "chart_top_applicants": {"zh": "主要申请人（受理量）", "en": "Top applicants (accepted)"},
    "median_cycle_days": {
        "zh": "外观设计授权周期中位数（天）",
        "en": "Median days to grant (design)",
    },
    # trademarks page
    "cases_opened": {"zh": "立案", "en": "Cases opened"},
    "fines_yuan": {"zh": "罚没金额（元）", "en": "Fines (yuan)"},
    "units_seized": {"zh": "查扣数量（件）", "en": "Items seized"},
    "goods_value_yuan": {"zh": "涉案货值（元）", "en": "Goods value (yuan)"},
    "transferred_to_police": {"zh": "移送公安", "en": "Sent to police"},
    "chart_trademark_trend": {"zh": "商标执法立案与罚没", "en": "Cases opened and fines"},
    "chart_brand_categories": {"zh": "品牌类别", "en": "Brand categories"},
    "chart_locations": {"zh": "案件最多的园区/市场", "en": "Parks and markets with most cases"},
    "chart_infringement_types": {"zh": "侵权类型", "en": "Infringement types"},
    "cases": {"zh": "案件数", "en": "Cases"},
    # notarization page
    "chart_notary_trend": {"zh": "存证公证数量与用时", "en": "Notarizations and turnaround"},
    "chart_evidence_types": {"zh": "证据类型", "en": "Evidence types"},
    "median_hours": {"zh": "用时中位数（小时）", "en": "Median hours"},
    "chain_status": {"zh": "证据哈希链校验", "en": "Evidence hash chain"},
    "chain_ok": {
        "zh": "哈希链完整：{n:,} 条记录全部校验通过。",
        "en": "Chain intact: all {n:,} records verify.",
    },
    "chain_broken": {
        "zh": "哈希链断裂：{bad:,} / {n:,} 条记录未通过校验（见下表）。",
        "en": "Chain broken: {bad:,} of {n:,} records fail verification (listed below).",
    },
    # referrals page
    "direction_out": {"zh": "移出", "en": "Out"},
    "direction_in": {"zh": "移入", "en": "In"},
    "this_district": {"zh": "本区保护中心", "en": "This district's center"},
    "chart_referral_flows": {"zh": "跨区域协作流向", "en": "Referral flows"},
    "chart_referral_partners": {"zh": "各协作方办理情况", "en": "Referrals by partner"},
    "chart_referral_trend": {"zh": "协作案件趋势", "en": "Referrals over time"},
    "finished": {"zh": "已办结", "en": "Finished"},
    "referrals": {"zh": "协作案件", "en": "Referrals"},
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
