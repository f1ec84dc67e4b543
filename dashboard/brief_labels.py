"""Labels of the quarterly briefing (dashboard/briefing/), zh and en: merged into the one
catalogue of dashboard/i18n.py, kept apart so the briefing's wording lives in one place. The
sentences are written to read like an office's 简报: a value, then how it compares, one sign and
one unit each (issue 17)."""

from __future__ import annotations

LABELS: dict[str, dict[str, str]] = {
    "brief_default_issuer": {
        "zh": "{district}知识产权保护中心",
        "en": "{district} IP protection center",
    },
    "brief_issued": {"zh": "{date}", "en": "Issued {date}"},
    "brief_period": {
        "zh": "统计期间：{start}至{end}",
        "en": "Period: {start} to {end}",
    },
    "brief_cut_off": {"zh": "，数据截至{date}", "en": ", data up to {date}"},
    "brief_no_records": {
        "zh": "{quarter}尚无数据记录，本简报不列指标和图表。",
        "en": "No records for {quarter} yet: this briefing shows no figures or charts.",
    },
    "brief_partial": {
        "zh": "数据截至{date}，{quarter}尚未结束，以下为不完整季度的数据。",
        "en": "Data up to {date}: {quarter} is not over, the figures cover part of it.",
    },
    "brief_no_previous": {
        "zh": "{previous}没有数据记录（{quarter}为有记录的第一个季度），不作环比。",
        "en": "No data on record for {previous} ({quarter} is the first quarter on record): "
        "no quarter-over-quarter comparison.",
    },
    "brief_no_year_before": {
        "zh": "{year_before}没有数据记录，不作同比。",
        "en": "No data on record for {year_before}: no year-over-year comparison.",
    },
    "brief_sections_missing": {
        "zh": "{quarter}没有以下业务的记录，简报不列：{sections}。",
        "en": "No records in {quarter} of: {sections}; left out of this briefing.",
    },
    "brief_pending_2wd": {
        "zh": "{quarter}有{n}条下架通知待定：截至{date}仍未下架，2个工作日时限尚未届满，"
        "暂不计入2个工作日内下架占比。",
        "en": "{n} takedown notices of {quarter} are pending: still live on {date} with their "
        "2-working-day window still open, they are left out of the within-2-working-days share.",
    },
    "brief_provisional": {
        "zh": "{quarter}有{notices}条下架通知的用时涉及{date}起尚无官方节假日安排的日期，"
        "下架时效（中位数、P90、2个工作日内下架占比）为暂定值。",
        "en": "{notices} takedown notice(s) of {quarter} have latencies touching days from "
        "{date} on without an official holiday schedule: the takedown latencies (median, P90, "
        "share within 2 working days) are provisional.",
    },
    # section headings of the pack
    "brief_h_overview": {"zh": "总体情况", "en": "The quarter at a glance"},
    "brief_h_targets": {"zh": "目标完成情况", "en": "Progress against targets"},
    "brief_h_narrative": {"zh": "工作情况", "en": "The quarter's work"},
    "brief_h_areas": {"zh": "分项情况", "en": "By area"},
    "brief_h_appendix": {"zh": "附：说明", "en": "Appendix: notes"},
    "brief_narrative_achievements": {"zh": "成效", "en": "Achievements"},
    "brief_narrative_problems": {"zh": "存在问题", "en": "Issues"},
    "brief_narrative_next_steps": {"zh": "下步工作", "en": "Next steps"},
    # tables
    "brief_col_now": {"zh": "本季度", "en": "This quarter"},
    "brief_col_previous": {"zh": "上季度", "en": "Previous"},
    "brief_col_year_before": {"zh": "上年同期", "en": "A year before"},
    "brief_target": {"zh": "目标", "en": "Target"},
    "brief_gap": {"zh": "与目标差距", "en": "Against target"},
    "brief_status": {"zh": "状态", "en": "Status"},
    "brief_label_trademark_fines_yuan": {"zh": "罚没金额", "en": "Fines"},
    "brief_table_note": {
        "zh": "上季度为{previous}，上年同期为{year_before}；占比的变化以百分点计，金额以万元计。"
        "核心指标为全区口径。",
        "en": "Previous: {previous}; a year before: {year_before}. Changes of shares are in "
        "percentage points. District-wide figures.",
    },
    # sentences
    "brief_sentence": {"zh": "{what}{now}，{prev}，{yoy}。", "en": "{what}: {now}, {prev}, {yoy}."},
    "brief_sentence_both_flat": {
        "zh": "{what}{now}，与上季度和上年同期持平。",
        "en": "{what}: {now}, the same as in the previous quarter and a year before.",
    },
    "brief_against_previous": {"zh": "上季度", "en": "the previous quarter"},
    "brief_against_year_before": {"zh": "上年同期", "en": "a year before"},
    "brief_cmp": {"zh": "比{against}{verb}{amount}", "en": "{verb} {amount} on {against}"},
    "brief_cmp_flat": {"zh": "与{against}持平", "en": "unchanged on {against}"},
    "brief_cmp_none": {"zh": "{against}无数据", "en": "no data for {against}"},
    "brief_verb_amount_up": {"zh": "增加", "en": "up"},
    "brief_verb_amount_down": {"zh": "减少", "en": "down"},
    "brief_verb_share_up": {"zh": "提高", "en": "up"},
    "brief_verb_share_down": {"zh": "下降", "en": "down"},
    "brief_pct_up": {"zh": "（增长{pct}）", "en": " (+{pct})"},
    "brief_pct_down": {"zh": "（下降{pct}）", "en": " (−{pct})"},
    "brief_what_takedown_requests": {"zh": "发出电商下架通知", "en": "Takedown notices sent"},
    "brief_what_takedown_within_2wd_share": {
        "zh": "2个工作日内下架占比",
        "en": "Share removed within 2 working days",
    },
    "brief_what_takedown_median_workdays": {
        "zh": "下架用时中位数",
        "en": "Median takedown time",
    },
    "brief_what_cases_accepted": {"zh": "受理维权援助案件", "en": "Assistance cases received"},
    "brief_what_cases_open_end": {"zh": "季末在办案件", "en": "Cases open at quarter end"},
    "brief_what_patent_preexam_accepted": {
        "zh": "受理专利预审",
        "en": "Patent pre-examinations accepted",
    },
    "brief_what_patent_preexam_authorized": {
        "zh": "预审专利获授权",
        "en": "Pre-examined patents granted",
    },
    "brief_what_trademark_cases": {"zh": "商标执法立案", "en": "Trademark cases opened"},
    "brief_what_trademark_fines_yuan": {"zh": "罚没金额", "en": "Fines"},
    "brief_what_notarizations": {"zh": "办结存证公证", "en": "Notarizations completed"},
    "brief_what_median_hours": {"zh": "存证公证用时中位数", "en": "Median notarization time"},
    "brief_what_referrals_out": {"zh": "移出协作案件", "en": "Referrals sent out"},
    "brief_what_referrals_in": {"zh": "移入协作案件", "en": "Referrals received"},
    "brief_unit_takedown_median_workdays": {"zh": "个工作日", "en": " working days"},
    "brief_unit_median_hours": {"zh": "小时", "en": " hours"},
    "brief_platform_lead": {"zh": "分平台看，", "en": "By platform, "},
    "brief_platform_join": {"zh": "；", "en": "; "},
    "brief_platform_best": {
        "zh": "{platform}改善最多，2个工作日内下架占比提高{pp}个百分点",
        "en": "{platform} improved most, its share within 2 working days up {pp} pp",
    },
    "brief_platform_worst": {
        "zh": "{platform}下滑最多，下降{pp}个百分点",
        "en": "{platform} fell most, down {pp} pp",
    },
    "brief_target_met": {
        "zh": "{what}{value}，达到{target}的目标。",
        "en": "{what}: {value}, meeting the {target} target.",
    },
    "brief_target_short": {
        "zh": "{what}{value}，低于{target}的目标{gap}，{status}。",
        "en": "{what}: {value}, {gap} short of the {target} target ({status}).",
    },
    "brief_overview": {
        "zh": "{quarter}，与上季度相比，",
        "en": "In {quarter}, against the previous quarter, ",
    },
    "brief_overview_up": {"zh": "{what}增长{pct}", "en": "{what} up {pct}"},
    "brief_overview_down": {"zh": "{what}下降{pct}", "en": "{what} down {pct}"},
    "brief_h_typical": {"zh": "典型案例", "en": "Typical cases"},
    "brief_case_line": {
        "zh": "{id}：{platform}{ip_type}{service}案件，{received}收案，{closed}结案，"
        "用时{days}个工作日，{outcome}。",
        "en": "{id}: {service}, {ip_type}, {platform}; received {received}, closed {closed} "
        "after {days} working days; {outcome}.",
    },
    "brief_trademark_line": {
        "zh": "{id}：{agency}查处{location}“{brand}”{kind}案，{closed}结案，"
        "罚没金额{fine}{police}。",
        "en": "{id}: {agency}, {kind} of “{brand}” at {location}; closed {closed}, fines "
        "{fine}{police}.",
    },
    "brief_trademark_police": {"zh": "，已移送公安机关", "en": ", sent to the police"},
    "brief_typical_pick": {
        "zh": "典型案例（从本季度结案的记录中选取，最多 {n} 件）",
        "en": "Typical cases (picked from the records closed in the quarter, at most {n})",
    },
    "brief_typical_cases": {"zh": "维权援助案件", "en": "Assistance cases"},
    "brief_typical_trademarks": {"zh": "商标执法案件", "en": "Trademark cases"},
    # the one comparison (issue 16): dashboard/briefing/comparison.py and the Briefing page
    "brief_h_compare": {"zh": "{what}对比", "en": "{what} side by side"},
    "brief_compare_ranked": {
        "zh": "按{kpi}排名，{first}居首（{first_value}），{last}居末（{last_value}）。",
        "en": "Ranked by “{kpi}”: {first} first ({first_value}), {last} last ({last_value}).",
    },
    "brief_compare_spread": {
        "zh": "{kpi}：{first}最高（{first_value}），{last}最低（{last_value}）。",
        "en": "{kpi}: highest {first} ({first_value}), lowest {last} ({last_value}).",
    },
    "brief_compare_nothing": {
        "zh": "本季度没有可对比的{what}记录。",
        "en": "No records to compare by {what} in the quarter.",
    },
    "brief_compare_note_dimension": {
        "zh": "统计期间为{quarter}，环比与{previous}比较；只列记录带有该维度的指标。",
        "en": "Figures for {quarter}, changes against {previous}; only the KPIs whose records "
        "carry this dimension.",
    },
    "brief_compare_note_periods": {
        "zh": "各期间为全区口径，环比与各自的上一期间比较（季度比上季度，年度比上年）。",
        "en": "District-wide figures; each change is against the period before (the previous "
        "quarter, or the previous year).",
    },
    "brief_compare_note_ranked": {
        "zh": "按{kpi}从高到低排名，相同时{tie}短者在前。",
        "en": " Ranked by “{kpi}”, highest first (ties: the shorter “{tie}” first).",
    },
    "brief_compare_default_dimension": {
        "zh": "对比项未指定，取本季度{kpi}最多的{n}个。",
        "en": " Items not named: the {n} with the most “{kpi}” in the quarter.",
    },
    "brief_compare_default_quarters": {
        "zh": "对比项未指定，取本季度及此前共{n}个季度。",
        "en": " Items not named: this quarter and the ones before it, {n} in all.",
    },
    "brief_compare_default_years": {
        "zh": "对比项未指定，取本季度所在年度及此前共{n}个年度。",
        "en": " Items not named: the quarter's year and the ones before it, {n} in all.",
    },
    "brief_compare_partial": {
        "zh": "数据截至{date}，{periods}不完整。",
        "en": " Data up to {date}: {periods} incomplete.",
    },
    "brief_compare_bad_items": {"zh": "未知的{what}对比项", "en": "{what}: unknown item(s)"},
    "brief_compare_valid": {"zh": "可选", "en": "choose from"},
    "brief_compare_sources": {
        "zh": "{section}：查询 {queries}（每项按其筛选条件，本期与上期各一次）；"
        "图表 {chart}；数据 {csv}",
        "en": "{section}: queries {queries} (each item narrowed by its filter, this period and "
        "the one before); chart {chart}; data {csv}",
    },
    "brief_compare_value": {"zh": "本期", "en": "Value"},
    "brief_cli_compare": {
        "zh": "命令行生成：`ipgov brief --quarter {quarter} --lang {language} --compare {kind}"
        "{items}`",
        "en": "From the command line: `ipgov brief --quarter {quarter} --lang {language} "
        "--compare {kind}{items}`",
    },
    "brief_compare_kind": {"zh": "简报中的对比", "en": "Comparison in the pack"},
    "brief_compare_none": {"zh": "不加对比", "en": "None"},
    "brief_compare_items_help": {
        "zh": "不选则取默认：本季度业务量最大的 {n} 个（季度、年度：截至本季度的最近 {n} 个）。",
        "en": "Leave empty for the default: the {n} busiest in the quarter (quarters, years: the "
        "latest {n} up to the quarter).",
    },
    # appendix
    "brief_method": {
        "zh": "数字与数据看板相同：均由同一查询层读取已发布快照。工作日按中国法定节假日及调休计算。"
        "环比与上一季度比较，同比与上年同季度比较；变化由未经四舍五入的数值计算后只舍入一次。",
        "en": "The figures are the dashboard's: both read the published snapshot through one "
        "query layer. Working days follow China's statutory holidays and adjusted working "
        "days. QoQ compares with the previous quarter, YoY with the same quarter a year "
        "earlier; changes are computed from unrounded values and rounded once.",
    },
    "brief_cut_off_heading": {"zh": "数据截止与快照", "en": "Data cut-off and snapshot"},
    "brief_span": {
        "zh": "本简报统计{quarter}，数据截至{cut_off}。"
        "快照数据覆盖{first}至{last}；快照{snapshot}。",
        "en": "This briefing covers {quarter}, data up to {cut_off}. The snapshot covers {first} "
        "to {last}; snapshot {snapshot}.",
    },
    "brief_queries": {"zh": "数据查询", "en": "Queries behind each section"},
    "brief_sources": {
        "zh": "{section}：查询 {queries}；图表 {chart}",
        "en": "{section}: queries {queries}; chart {chart}",
    },
    "brief_page_footer": {"zh": "— {n} —", "en": "— {n} —"},
    "brief_page_header": {"zh": "{title}　{quarter}", "en": "{title} · {quarter}"},
    # the page's narrative editor
    "brief_narrative_help": {
        "zh": "成效、存在问题、下步工作由编写人填写，随季度保存，"
        "写入 PDF、DOCX（可用文字处理软件编辑）和 PPTX。",
        "en": "Achievements, issues and next steps are written by the preparer, saved with the "
        "quarter, and go into the PDF, the Word document and the deck.",
    },
    "brief_narrative_save": {"zh": "保存文字", "en": "Save the text"},
    "brief_narrative_saved": {
        "zh": "已保存（{user}，{at}）。",
        "en": "Saved ({user}, {at}).",
    },
    "brief_narrative_last": {
        "zh": "最近保存：{user}，{at}",
        "en": "Last saved by {user} at {at}",
    },
    "brief_narrative_readonly": {
        "zh": "只有分析员及以上角色可以编辑这些文字。",
        "en": "Only analysts and above may edit this text.",
    },
    "brief_narrative_empty": {"zh": "（尚未填写）", "en": "(not written yet)"},
    "brief_download_docx": {"zh": "下载 DOCX", "en": "Download Word (DOCX)"},
}
