"""Every label the UI shows, in zh-CN (the default: officials read Chinese first) and en.

One catalogue, so a page never hard-codes a string and a missing translation fails a test.
"""

from __future__ import annotations

from dashboard.brief_labels import LABELS as BRIEF_LABELS
from dashboard.chart_labels import LABELS as CHART_LABELS

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
    "data_as_of": {
        "zh": "数据截至 {date}（快照 {snapshot}）",
        "en": "Data up to {date} (snapshot {snapshot})",
    },
    "no_data": {
        "zh": "尚未加载数据——请先运行 `ipgov load 文件或目录`。",
        "en": "No data loaded yet — run `ipgov load PATH` first.",
    },
    "signin_title": {"zh": "请登录", "en": "Sign in"},
    "signin_name": {"zh": "用户名", "en": "User name"},
    "signin_password": {"zh": "密码", "en": "Password"},
    "signin_button": {"zh": "登录", "en": "Sign in"},
    "signin_note": {
        "zh": "仅限本中心授权人员使用。没有账号请联系系统管理员。所有操作均记入审计日志。",
        "en": "For the center's authorised staff only. Ask the administrator for an account. "
        "Every action is recorded in the audit log.",
    },
    "signin_wrong": {"zh": "用户名或密码不正确。", "en": "Wrong user name or password."},
    "signin_locked": {
        "zh": "密码错误次数过多，账号已锁定 {minutes} 分钟，请稍后再试或联系系统管理员。",
        "en": "Too many wrong passwords: the account is locked for {minutes} minutes. "
        "Try again later or ask the administrator.",
    },
    "signin_expired": {
        "zh": "登录表单已过期，请重新输入。",
        "en": "The sign-in form expired; please enter your name and password again.",
    },
    "session_ended": {
        "zh": "您已退出登录。",
        "en": "You are signed out.",
    },
    "session_idle": {
        "zh": "您已超过 {minutes} 分钟未操作，为保护数据已自动退出登录。",
        "en": "You were signed out after {minutes} minutes without activity, to protect the data.",
    },
    "session_disabled": {
        "zh": "您的账号已被停用，请联系系统管理员。",
        "en": "Your account has been disabled; ask the administrator.",
    },
    "role_viewer": {"zh": "查看者", "en": "viewer"},
    "role_analyst": {"zh": "分析员", "en": "analyst"},
    "role_steward": {"zh": "数据管理员", "en": "data steward"},
    "role_admin": {"zh": "系统管理员", "en": "administrator"},
    "sign_in_again": {"zh": "重新登录", "en": "Sign in again"},
    "signin_sso_button": {"zh": "使用{provider}登录", "en": "Sign in with {provider}"},
    "signin_or": {"zh": "或使用本系统账号", "en": "or with an account of this system"},
    "signin_sso_failed": {
        "zh": "统一身份认证登录未完成，请重试。如仍失败，请联系系统管理员。",
        "en": "Single sign-on did not complete; try again. If it fails again, ask the "
        "administrator.",
    },
    "signin_sso_local": {
        "zh": "该名称已被本系统账号使用，不能通过统一身份认证登录。请联系系统管理员。",
        "en": "That name belongs to an account of this system, which single sign-on cannot "
        "use. Ask the administrator.",
    },
    "signin_sso_no_signout": {
        "zh": "已退出本系统。统一身份认证服务未提供退出功能，如需退出其登录，请关闭浏览器。",
        "en": "You are signed out of this system. The single sign-on service offers no "
        "sign-out; to end your session there, close the browser.",
    },
    "signout_at_provider": {"zh": "同时退出{provider}", "en": "Also sign out of {provider}"},
    "sso_no_role_title": {"zh": "账号尚未分配角色", "en": "Your account has no role yet"},
    "sso_no_role": {
        "zh": "您已通过统一身份认证（{user}），但尚未获得本系统的角色，暂时不能查看任何内容。"
        "请联系系统管理员为您分配角色，之后重新登录。",
        "en": "You signed in through single sign-on ({user}), but you have no role in this "
        "system yet, so there is nothing you may see. Ask the administrator to give you one, "
        "then sign in again.",
    },
    "signout_button": {"zh": "退出登录", "en": "Sign out"},
    "signed_in_as": {"zh": "已登录：{user}（{role}）", "en": "Signed in: {user} ({role})"},
    "no_permission": {
        "zh": "您的角色（{role}）无权查看此页面。如需访问，请联系系统管理员。"
        "此次访问已记入审计日志。",
        "en": "Your role ({role}) may not open this page. Ask the administrator if you need it. "
        "This visit has been recorded in the audit log.",
    },
    "csv_capped": {
        "zh": "列表共 {total} 行；CSV 下载最多 {mb} MB，约含前 {n} 行"
        "（设置 IPGOV_DOWNLOAD_MAX_MB）。如需全部记录，请用 SQL 查询页或 `ipgov sql --out 文件`。",
        "en": "The list has {total} rows; its CSV download holds at most {mb} MB, about the first "
        "{n} rows (setting IPGOV_DOWNLOAD_MAX_MB). For every record, use the SQL page or "
        "`ipgov sql --out FILE`.",
    },
    "records_need_role": {
        "zh": "明细记录（含企业和申请人名称）仅限分析员及以上角色查看；上方为汇总数字。",
        "en": "Record lists (with company and applicant names) are for analysts and above; "
        "the numbers above are the totals.",
    },
    "page_not_found": {
        "zh": "没有名为 /{path} 的页面，已为您打开总览。",
        "en": "There is no page /{path}; here is the Overview.",
    },
    "unexpected_error": {
        "zh": "本页出现意外错误，已记录在服务器日志中。"
        "请刷新页面重试；如仍出现，请联系系统管理员。",
        "en": "This page hit an unexpected error; it has been written to the server log. "
        "Reload the page to try again, and tell the administrator if it happens again.",
    },
    "period_complete": {
        "zh": "统计期间：{period}（数据截至 {date}）",
        "en": "Period: {period} (data up to {date})",
    },
    "period_incomplete": {
        "zh": "统计期间：{period}——本期尚未结束或数据尚不完整（数据截至 {date}），"
        "与完整期间比较时请注意。",
        "en": "Period: {period} — not complete yet (data up to {date}); mind this when "
        "comparing it with whole periods.",
    },
    "snapshot_id": {"zh": "数据快照 {snapshot}", "en": "Snapshot {snapshot}"},
    # notes on a link the dashboard could not show as asked (dashboard/filters.py)
    "note_bad_period_kind": {
        "zh": "链接中的期间类型“{value}”无效，已改为按季度显示。",
        "en": "The link's period type “{value}” is not valid; showing a quarter instead.",
    },
    "note_bad_quarter": {
        "zh": "链接中的季度“{value}”无效（应类似 2024Q3），已显示最近的季度。",
        "en": "The link's quarter “{value}” is not valid (like 2024Q3); showing the latest one.",
    },
    "note_bad_year": {
        "zh": "链接中的年份“{value}”无效，已显示最近的年份。",
        "en": "The link's year “{value}” is not valid; showing the latest year.",
    },
    "note_bad_range": {
        "zh": "链接中的日期范围“{value}”无效（应为 YYYY-MM-DD），已显示原有范围。",
        "en": "The link's date range “{value}” is not valid (YYYY-MM-DD); kept the range shown.",
    },
    "note_bad_code": {
        "zh": "链接中的筛选值“{value}”不存在，已忽略。",
        "en": "The link's filter value “{value}” does not exist and was ignored.",
    },
    "note_no_data_quarter": {
        "zh": "{value} 没有数据，已显示最接近的有数据季度 {shown}。",
        "en": "There are no data for {value}; showing the nearest quarter with data, {shown}.",
    },
    "note_no_data_year": {
        "zh": "{value} 年没有数据，已显示最接近的有数据年份 {shown} 年。",
        "en": "There are no data for {value}; showing the nearest year with data, {shown}.",
    },
    "note_range_fixed": {
        "zh": "日期范围“{value}”超出可选范围或起止颠倒，已调整。",
        "en": "The date range “{value}” was outside the calendar or backwards; adjusted.",
    },
    "no_records": {"zh": "该期间没有记录。", "en": "No records in this period."},
    # a published snapshot that cannot be read (etl.errors.DamagedSnapshotError.kind)
    "snapshot_damaged": {
        "zh": "已发布的数据快照 {path} 已损坏，无法读取——请重新运行 `ipgov load 文件或目录`，"
        "发布新的快照。",
        "en": "The published snapshot {path} is damaged and cannot be read — run "
        "`ipgov load PATH` again to publish a fresh one.",
    },
    "snapshot_no_permission": {
        "zh": "没有权限读取已发布的数据快照 {path}——请让运行看板的账户可以读取该文件，"
        "或重新运行 `ipgov load 文件或目录`，发布新的快照。",
        "en": "No permission to read the published snapshot {path} — let the dashboard's user "
        "read it, or run `ipgov load PATH` again to publish a fresh one.",
    },
    "snapshot_pointer": {
        "zh": "快照指针 {path} 已损坏或指向不存在的快照——请重新运行 `ipgov load 文件或目录`，"
        "发布新的快照。",
        "en": "The snapshot pointer {path} is damaged or names a snapshot that does not exist — "
        "run `ipgov load PATH` again to publish a fresh one.",
    },
    "section_headline": {"zh": "核心指标", "en": "Headline KPIs"},
    "section_other_kpis": {"zh": "其他指标", "en": "Other KPIs"},
    "section_attention": {"zh": "需要关注（截至 {date}）", "en": "Needs attention (as of {date})"},
    "attention_notices": {
        "zh": "条下架通知超过2个工作日仍未下架",
        "en": "takedown notices still live after 2 working days",
    },
    "attention_opinions": {
        "zh": "件侵权判定咨询超过2个工作日仍未出具意见",
        "en": "advisory-opinion cases without an opinion after 2 working days",
    },
    "attention_cases": {
        "zh": "件案件在办超过 {days} 天（最久的在前）",
        "en": "cases open for more than {days} days (oldest first)",
    },
    "status_ok": {"zh": "达标", "en": "On target"},
    "status_watch": {"zh": "接近目标", "en": "Near target"},
    "status_alert": {"zh": "未达标", "en": "Below target"},
    "target_is": {"zh": "目标 {value}", "en": "target {value}"},
    "qoq_short": {"zh": "环比（{label}）", "en": "vs {label}"},
    "yoy_short": {"zh": "同比（{label}）：{change}", "en": "vs {label}: {change}"},
    "tile_opinion_within_2wd_share": {
        "zh": "2个工作日内出具咨询意见",
        "en": "Advisory opinions within 2 working days",
    },
    "tile_trademark_fines_yuan": {"zh": "罚没金额", "en": "Fines"},
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
    "rows_first": {
        "zh": "共 {total:,} 条，此处显示前 {n:,} 条；全部记录请下载 CSV",
        "en": "{total:,} rows; the first {n:,} are shown here — download the CSV for all of them",
    },
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
    "km_help": {
        "zh": "曲线越快下降越好。按截止日（统计期末，或数据截至日若更早）当天已知的情况绘制："
        "截止日仍未下架的通知（包括之后才下架的）计入至截止日观察到的时长，"
        "慢平台无法因未结通知而“隐身”，过去季度的曲线也不会因后来的数据而改变。",
        "en": "Lower sooner is better. Drawn as known on the cut-off day (the period's end, or "
        "the data's last day when that comes first): a notice still open then, even one "
        "removed later, counts for as long as it had been observed, so slow platforms cannot "
        "hide behind open notices and a past quarter's curve does not change with later data.",
    },
    "km_platforms": {"zh": "对比的平台（最多 4 个）", "en": "Platforms to compare (up to 4)"},
    "km_pick": {"zh": "默认：通知最多的 4 个平台", "en": "Default: the 4 with most notices"},
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
    "tile_fines": {"zh": "罚没金额", "en": "Fines"},
    "tile_goods_value": {"zh": "涉案货值", "en": "Goods value"},
    "units_seized": {"zh": "查扣数量（件）", "en": "Items seized"},
    "goods_value_yuan": {"zh": "涉案货值（元）", "en": "Goods value (yuan)"},
    "transferred_to_police": {"zh": "移送公安", "en": "Sent to police"},
    "chart_brand_categories": {"zh": "品牌类别", "en": "Brand categories"},
    "chart_locations": {"zh": "案件最多的园区/市场", "en": "Parks and markets with most cases"},
    "chart_infringement_types": {"zh": "侵权类型", "en": "Infringement types"},
    "cases": {"zh": "案件数", "en": "Cases"},
    # notarization page
    "chart_evidence_types": {"zh": "证据类型", "en": "Evidence types"},
    "median_hours": {"zh": "用时中位数（小时）", "en": "Median hours"},
    "chain_status": {"zh": "证据哈希链校验", "en": "Evidence hash chain"},
    "chain_ok": {
        "zh": "哈希链完整：{n:,} 条记录全部校验通过。",
        "en": "Chain intact: all {n:,} records verify.",
    },
    "chain_broken": {
        "zh": "哈希链断裂：{bad:,} / {n:,} 条记录未通过校验（见下表）。",
        "en": "Chain broken: {bad:,} of {n:,} records are not intact (listed below).",
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
    # SQL console (dashboard/views/sql.py); refusals: sql_refused_<SqlRefused.code>
    "page_sql": {"zh": "SQL 查询", "en": "SQL console"},
    "sql_intro": {
        "zh": "对已发布快照提出您自己的只读 SQL 查询：只有数据集市与指标视图，"
        "没有原始数据和个人信息。每次运行一条语句，限时 {seconds} 秒，最多显示 {rows} 行。",
        "en": "Ask the published snapshot your own read-only SQL: marts and KPI views only, no raw "
        "data, no personal data. One statement per run, {seconds} s time limit, up to {rows} "
        "rows shown.",
    },
    "sql_tab_query": {"zh": "查询", "en": "Query"},
    "sql_tab_schema": {"zh": "数据字典", "en": "Schema"},
    "sql_editor": {"zh": "SQL 语句", "en": "SQL"},
    "sql_run": {"zh": "运行", "en": "Run"},
    "sql_starters": {"zh": "常用查询", "en": "Starter queries"},
    "sql_saved": {"zh": "已保存的查询", "en": "Saved queries"},
    "sql_saved_none": {"zh": "还没有保存的查询。", "en": "No saved queries yet."},
    "sql_history": {"zh": "本次会话的查询历史", "en": "History (this session)"},
    "sql_history_none": {"zh": "尚未运行查询。", "en": "Nothing run yet."},
    "sql_delete": {"zh": "删除", "en": "Delete"},
    "sql_deleted": {"zh": "已删除“{name}”。", "en": "Deleted “{name}”."},
    "sql_result": {
        "zh": "{rows} 行 · {seconds} 秒 · 快照 {snapshot}",
        "en": "{rows} rows · {seconds} s · snapshot {snapshot}",
    },
    "sql_truncated": {
        "zh": "结果已截断：只显示前 {rows} 行（显示上限）。"
        "下载文件包含完整结果（最多 {export} 行）。",
        "en": "Truncated: showing the first {rows} rows (display limit). Downloads hold the whole "
        "result (up to {export} rows).",
    },
    "sql_no_rows": {"zh": "查询没有返回任何行。", "en": "The query returned no rows."},
    "sql_download_csv": {"zh": "下载 CSV", "en": "Download CSV"},
    "sql_download_xlsx": {"zh": "下载 Excel", "en": "Download XLSX"},
    "sql_download_parquet": {"zh": "下载 Parquet", "en": "Download Parquet"},
    "sql_download_caps": {
        "zh": "下载文件包含完整结果，最多 {rows} 行、{mb} MB；更大的结果在此截断，只保留前面的行。",
        "en": "Downloads hold the whole result, up to {rows} rows and {mb} MB; a bigger result is "
        "cut there and keeps its first rows.",
    },
    "sql_download_cut_bytes": {
        "zh": "{fmt} 文件达到 {mb} MB 的下载上限，已截断：只包含前 {rows} 行。"
        "如需完整结果，请缩小查询（更少的行或列），或用 ipgov sql --out 导出到文件。",
        "en": "The {fmt} download was cut at the {mb} MB download limit: it holds the first "
        "{rows} rows. For the whole result, ask for fewer rows or columns, or export it with "
        "ipgov sql --out FILE.",
    },
    "sql_download_cut_rows": {
        "zh": "{fmt} 文件达到导出行数上限，已截断：只包含前 {rows} 行。",
        "en": "The {fmt} download stopped at the export row limit: it holds the first {rows} rows.",
    },
    "sql_download_failed": {
        "zh": "{fmt} 文件未能生成：{detail}",
        "en": "The {fmt} download could not be built: {detail}",
    },
    "sql_chart": {"zh": "用结果作图", "en": "Chart the result"},
    "sql_chart_x": {"zh": "横轴", "en": "X axis"},
    "sql_chart_y": {"zh": "纵轴", "en": "Y axis"},
    "sql_chart_color": {"zh": "按此列分色", "en": "Colour by"},
    "sql_chart_kind": {"zh": "图表类型", "en": "Chart type"},
    "sql_chart_bar": {"zh": "柱状图", "en": "Bars"},
    "sql_chart_line": {"zh": "折线图", "en": "Line"},
    "sql_chart_scatter": {"zh": "散点图", "en": "Points"},
    "sql_chart_unavailable": {
        "zh": "这些列无法作图，请换一列。",
        "en": "These columns cannot be charted; pick others.",
    },
    "sql_none": {"zh": "（无）", "en": "(none)"},
    "sql_row_count": {"zh": "行数", "en": "Row count"},
    "sql_save_title": {"zh": "保存此查询", "en": "Save this query"},
    "sql_save_name": {"zh": "名称", "en": "Name"},
    "sql_save_description": {"zh": "说明（回答什么问题）", "en": "Description (what it answers)"},
    "sql_save": {"zh": "保存", "en": "Save"},
    "sql_saved_ok": {"zh": "已保存“{name}”。", "en": "Saved “{name}”."},
    "sql_save_failed": {"zh": "未能保存：{detail}", "en": "Not saved: {detail}"},
    "sql_schema_intro": {
        "zh": "快照中的每个表、视图和宏：列在看板上的名称、类型、含义和示例值。"
        "含义摘自数据集市 SQL 中的英文注释，供分析人员对照。",
        "en": "Every table, view and macro of the snapshot: column types, meanings (written in "
        "the mart SQL) and example values.",
    },
    "sql_schema_filter": {
        "zh": "按表名、列名或含义筛选",
        "en": "Filter by table, column or meaning",
    },
    "sql_schema_column": {"zh": "列", "en": "Column"},
    "sql_schema_type": {"zh": "类型", "en": "Type"},
    "sql_schema_label": {"zh": "看板上的名称", "en": "Name on the dashboard"},
    "sql_schema_meaning": {"zh": "含义", "en": "Meaning"},
    "sql_schema_examples": {"zh": "示例值", "en": "Examples"},
    "sql_schema_rows": {"zh": "约 {rows} 行", "en": "about {rows} rows"},
    "sql_kind_table": {"zh": "表", "en": "table"},
    "sql_kind_view": {"zh": "视图", "en": "view"},
    "sql_kind_macro": {"zh": "宏（带参数的表）", "en": "macro (a table with parameters)"},
    "sql_refused_syntax": {"zh": "SQL 语法错误：{detail}", "en": "SQL syntax error: {detail}"},
    "sql_refused_encoding": {
        "zh": "已拒绝：第 {position} 个字符（{char}）不是有效文本——查询不是有效的 UTF-8，"
        "请重新输入或检查文件编码。",
        "en": "Refused: character {position} ({char}) is not text — the query is not valid "
        "UTF-8; retype it or check the file's encoding.",
    },
    "sql_refused_uncheckable": {
        "zh": "已拒绝：无法检查这种写法的语句——请换一种写法。",
        "en": "Refused: the console cannot check a statement of this shape — write it another way.",
    },
    "sql_refused_too_long": {
        "zh": "已拒绝：查询超过 {limit} 个字符。",
        "en": "Refused: the query is longer than {limit} characters.",
    },
    "sql_refused_too_complex": {
        "zh": "已拒绝：查询嵌套过深，无法检查。",
        "en": "Refused: the query is nested too deeply to be checked.",
    },
    "sql_refused_empty": {
        "zh": "已拒绝：查询为空——请写一条 SELECT 语句。",
        "en": "Refused: the query is empty — write one SELECT.",
    },
    "sql_refused_multiple": {
        "zh": "已拒绝：共 {count} 条语句——每次只能运行一条。",
        "en": "Refused: {count} statements — the console runs exactly one per run.",
    },
    "sql_refused_statement": {
        "zh": "已拒绝：{statement} 语句——这里只运行只读的 SELECT、WITH、DESCRIBE、SHOW、EXPLAIN 和 "
        "SUMMARIZE。",
        "en": "Refused: {statement} statement — the console only runs SELECT, WITH, DESCRIBE, "
        "SHOW, EXPLAIN and SUMMARIZE (read-only).",
    },
    "sql_refused_function": {
        "zh": "已拒绝：函数 {name}()——这里只能读取已发布的表（不能读文件、不能执行字符串中的 SQL、"
        "不能更改服务器设置）。",
        "en": "Refused: function {name}() — the console reads only the published tables (no "
        "files, no SQL in strings, no server switches).",
    },
    "sql_refused_server_catalog": {
        "zh": "已拒绝：{name} 描述的是服务器（路径、设置），不是数据——请使用 duckdb_tables()、"
        "duckdb_columns() 或“数据字典”。",
        "en": "Refused: {name} describes the server (paths, settings), not the data — use "
        "duckdb_tables(), duckdb_columns() or the Schema tab.",
    },
    "sql_refused_time_limit": {
        "zh": "已停止：运行超过 {seconds} 秒（时间限制）。",
        "en": "Stopped after {seconds} s (time limit).",
    },
    "sql_refused_memory_limit": {
        "zh": "已停止：查询需要的内存超过 {limit}（内存限制）。",
        "en": "Stopped: the query needs more than {limit} of memory (memory limit).",
    },
    "sql_refused_too_large": {
        "zh": "已停止：结果中的文字太多，无法显示（一批行超过 2 GB）——请选择更短的值或更少的行。",
        "en": "Stopped: the result holds more text than can be shown (over 2 GB in one batch of "
        "rows) — select shorter values or fewer rows.",
    },
    "sql_refused_busy": {
        "zh": "未运行：已有 {count} 个查询正在运行——请稍后再试。",
        "en": "Not run: {count} console queries are already running — try again in a moment.",
    },
    "sql_refused_crashed": {
        "zh": "已停止：运行此查询的进程意外结束——看板本身不受影响，请简化查询。",
        "en": "Stopped: the process running the query ended unexpectedly — the dashboard is "
        "unaffected; simplify the query.",
    },
    "sql_refused_file_access": {
        "zh": "已拒绝：这里不能读写文件、挂载数据库或加载扩展（外部访问已关闭）。",
        "en": "Refused: the console cannot read or write files, attach databases or load "
        "extensions (external access is off).",
    },
    "sql_refused_not_found": {
        "zh": "{detail}——这里只能看到已发布的数据集市和指标视图（没有原始表、没有个人信息），"
        "请查看“数据字典”。",
        "en": "{detail} — the console sees only the published marts and KPI views (no raw "
        "tables, no personal data); see the Schema tab.",
    },
    "sql_refused_error": {"zh": "查询出错：{detail}", "en": "Query error: {detail}"},
    "sql_original_error": {
        "zh": "数据库原始错误信息（英文，供分析人员参考）",
        "en": "The database's own message",
    },
    "sql_missing_table": {
        "zh": "找不到表或视图“{name}”——这里只能看到已发布的数据集市和指标视图"
        "（没有原始表、没有个人信息），可用的表见“数据字典”。",
        "en": "No table or view “{name}” — the console sees only the published marts and KPI "
        "views (no raw tables, no personal data); see the Schema tab.",
    },
    "sql_missing_column": {
        "zh": "找不到列“{name}”——请在“数据字典”中查看该表有哪些列。",
        "en": "No column “{name}” — the Schema tab lists each table's columns.",
    },
    "sql_missing_function": {
        "zh": "没有名为“{name}”的函数，或它不接受这些参数。",
        "en": "No function “{name}”, or not with these arguments.",
    },
    "sql_missing_schema": {
        "zh": "找不到模式“{name}”——已发布的表都在默认模式中，直接写表名即可。",
        "en": "No schema “{name}” — the published tables are in the default schema: "
        "write the table name alone.",
    },
    "sql_missing_object": {
        "zh": "查询引用了不存在的对象——请在“数据字典”中核对表名和列名。",
        "en": "The query names something that does not exist — check the Schema tab.",
    },
    "sql_error_binder": {
        "zh": "查询引用有误（例如列名不明确、聚合与分组不一致或类型不匹配），请检查 SQL。",
        "en": "The query does not fit the tables (an ambiguous column, a grouping that does "
        "not match, or mismatched types): check the SQL.",
    },
    "sql_error_conversion": {
        "zh": "数据类型转换失败：某个值无法转换为所需的类型（例如把文字当作数字或日期）。",
        "en": "A value could not be converted to the type asked for (text read as a number "
        "or a date, for example).",
    },
    "sql_error_invalid_input": {
        "zh": "输入的值无效（例如日期或数字的写法不对）。",
        "en": "A value in the query is not valid (a date or a number written wrongly).",
    },
    "sql_error_out_of_range": {
        "zh": "数值超出范围（例如日期过大或数字溢出）。",
        "en": "A value is out of range (a date too far away, a number too large).",
    },
    "sql_error_syntax": {
        "zh": "SQL 语法错误，请检查 SQL。",
        "en": "SQL syntax error: check the SQL.",
    },
    "sql_error_not_implemented": {
        "zh": "数据库不支持这种写法。",
        "en": "The database does not support this.",
    },
    "sql_error_catalog": {
        "zh": "查询引用的对象有误——请在“数据字典”中核对表名和列名。",
        "en": "The query names something wrongly — check the Schema tab.",
    },
    "sql_error_other": {
        "zh": "查询无法执行，请检查 SQL。",
        "en": "The query could not run: check the SQL.",
    },
    # quarterly briefing (dashboard/briefing/, ipgov brief)
    "page_briefing": {"zh": "季度简报", "en": "Quarterly briefing"},
    "brief_title": {
        "zh": "{district}知识产权保护工作季度简报",
        "en": "{district}: IP protection quarterly briefing",
    },
    "brief_this_district": {"zh": "本区", "en": "This district"},
    "brief_kpi": {"zh": "指标", "en": "KPI"},
    "brief_qoq": {"zh": "环比", "en": "QoQ"},
    "brief_yoy": {"zh": "同比", "en": "YoY"},
    "brief_definitions": {"zh": "指标口径", "en": "KPI definitions"},
    "brief_loads": {"zh": "数据来源（加载批次）", "en": "Data loads behind these figures"},
    "brief_load_row": {
        "zh": "{load_id}：{files} 个文件（{kinds}），{rows:,} 行，加载于 {loaded_at}",
        "en": "{load_id}: {files} files ({kinds}), {rows:,} rows, loaded {loaded_at}",
    },
    "brief_language": {"zh": "简报语言", "en": "Briefing language"},
    "brief_build": {"zh": "生成简报", "en": "Build the pack"},
    "brief_building": {
        "zh": "正在生成简报（图表导出约需 10–20 秒）…",
        "en": "Building the pack (chart export takes 10–20 s)…",
    },
    "brief_built": {
        "zh": "简报已生成，用时 {seconds:.0f} 秒。",
        "en": "Pack built in {seconds:.0f} s.",
    },
    "brief_download_pdf": {"zh": "下载 PDF", "en": "Download PDF"},
    "brief_download_pptx": {"zh": "下载 PPTX", "en": "Download PPTX"},
    "brief_download_zip": {
        "zh": "下载全部（ZIP：PDF、PPTX、CSV、图表）",
        "en": "Download all (ZIP: PDF, PPTX, CSV, charts)",
    },
    "brief_cli": {
        "zh": "命令行生成：`ipgov brief --quarter {quarter} --lang {language}`",
        "en": "From the command line: `ipgov brief --quarter {quarter} --lang {language}`",
    },
    "brief_def_patent_preexam_accepted": {
        "zh": "按受理日期统计的专利预审受理件数（退回、不合格的也计入）。",
        "en": "Applications accepted for pre-examination, by acceptance date "
        "(returned and rejected ones included).",
    },
    "brief_def_patent_preexam_authorized": {
        "zh": "按授权日期统计的预审专利授权件数，不论何时受理。",
        "en": "Pre-examined applications granted, by grant date, whatever the acceptance date.",
    },
    "brief_def_cases_accepted": {
        "zh": "按收案日期统计的维权援助案件，含各服务类型及撤回的案件。",
        "en": "Assistance cases received, by date received "
        "(all service types, withdrawn included).",
    },
    "brief_def_cases_closed": {
        "zh": "按结案日期统计的结案数（含撤回）。",
        "en": "Cases closed, by closing date (withdrawn included).",
    },
    "brief_def_cases_open_end": {
        "zh": "期末在办：期末及以前收案、截至期末尚未结案的案件。",
        "en": "Backlog: cases received by the period's last day and not closed by then.",
    },
    "brief_def_trademark_cases": {
        "zh": "按立案日期统计的商标执法立案数。",
        "en": "Trademark enforcement cases opened, by opening date.",
    },
    "brief_def_trademark_fines_yuan": {
        "zh": "期内结案案件的罚没金额（元）；未结案件不计，缺失按 0 计。",
        "en": "Fines and confiscations of the cases closed in the period (yuan); "
        "open cases add nothing, a missing fine counts as 0.",
    },
    "brief_def_notarizations": {
        "zh": "按完成日期统计的存证公证数；尚未完成的申请不计。",
        "en": "Evidence notarizations completed, by completion date; pending requests not counted.",
    },
    "brief_def_takedown_requests": {
        "zh": "按发送日期统计的电商下架通知数。",
        "en": "Takedown notices sent, by sending date.",
    },
    "brief_def_takedown_median_workdays": {
        "zh": "期内发送且已下架的通知，从通知到下架的中国工作日数的中位数；仍在线的不计入。",
        "en": "Median China working days from notice to removal, of the notices sent in the "
        "period that were removed; listings still live are left out.",
    },
    "brief_def_takedown_p90_workdays": {
        "zh": "同一用时的第 90 百分位数。",
        "en": "90th percentile of the same latencies.",
    },
    "brief_def_takedown_within_2wd_share": {
        "zh": "2个工作日内下架的通知 ÷ 期内发送的全部通知；仍在线的计为未达标。",
        "en": "Notices removed within 2 working days ÷ all notices sent in the period; "
        "a listing still live counts as not within.",
    },
    "brief_def_referrals_out": {
        "zh": "按移送日期统计的、本中心移送协作地区或机构的案件。",
        "en": "Cases the center referred to a partner region or agency, by referral date.",
    },
    "brief_def_referrals_in": {
        "zh": "按移送日期统计的、协作方移送本中心的案件。",
        "en": "Cases partners referred to the center, by referral date.",
    },
    # Data quality page (issue 3)
    "page_quality": {"zh": "数据质量", "en": "Data quality"},
    "page_audit": {"zh": "审计日志", "en": "Audit log"},
    # Upload page (issue 13)
    "up_button": {"zh": "选择文件", "en": "Upload"},
    "up_dropzone": {
        "zh": "可拖放文件到此处 · 每个文件不超过 {mb} MB · CSV、TSV、TXT、XLSX、Parquet",
        "en": "Drop files here · at most {mb} MB each · CSV, TSV, TXT, XLSX, Parquet",
    },
    "page_upload": {"zh": "数据上报", "en": "Upload"},
    "up_intro": {
        "zh": "上传报送文件（CSV/TSV/TXT、XLSX、Parquet，可多选）。系统先按 `ipgov check` "
        "的规则校验，不写入任何数据；确认无误后点击“发布”才会加载进数据仓库并生成新快照。",
        "en": "Upload source files (CSV/TSV/TXT, XLSX, Parquet; several at once). They are "
        "checked as `ipgov check` does, writing nothing; only Publish loads them into the "
        "warehouse and publishes a new snapshot.",
    },
    "up_files": {"zh": "选择文件", "en": "Choose files"},
    "up_limit": {"zh": "单个文件不超过 {mb} MB。", "en": "Up to {mb} MB per file."},
    "up_verdicts": {"zh": "校验结果", "en": "Check results"},
    "up_problems": {"zh": "问题行（每个文件前 {n} 条）", "en": "Problem rows (first {n} per file)"},
    "up_no_problems": {"zh": "没有问题行。", "en": "No problem rows."},
    "up_publish": {"zh": "发布", "en": "Publish"},
    "up_discard": {"zh": "放弃", "en": "Discard"},
    "up_all_rejected": {
        "zh": "所有文件均被拒收，无可发布的内容；请更正后重新上传。",
        "en": "Every file was rejected: nothing to publish. Correct them and upload again.",
    },
    "up_publishing": {"zh": "正在加载并发布…", "en": "Loading and publishing…"},
    "up_published": {
        "zh": "已发布快照 {snapshot}（加载 {rows} 行）。",
        "en": "Published snapshot {snapshot} ({rows} rows loaded).",
    },
    "up_nothing_new": {
        "zh": "没有新数据可加载，当前快照不变。",
        "en": "Nothing new to load; the current snapshot stays.",
    },
    "up_outcome": {"zh": "加载结果", "en": "Load outcome"},
    "up_revert": {
        "zh": "{files} 会把记录改回较旧的版本（重新报送了已被更正的原件），已拒收。"
        "如确需如此，请联系管理员在命令行用 `ipgov load --allow-revert` 加载。",
        "en": "{files}: would put records back to an older version (an original re-sent after "
        "its correction), so rejected. If that is intended, ask an administrator to load it "
        "with `ipgov load --allow-revert`.",
    },
    "up_failed": {"zh": "发布失败：{error}", "en": "Publish failed: {error}"},
    "up_discarded": {"zh": "已放弃本次上传的文件。", "en": "The uploaded files were discarded."},
    "audit_intro": {
        "zh": "谁在何时登录、查看、查询、下载、加载数据或变更用户，以及哪些访问被拒绝"
        "（时间为世界标准时间）。日志只可追加，不可修改。",
        "en": "Who signed in, viewed, queried, downloaded, loaded data or changed users, and what "
        "was refused (times in UTC). The log can only be appended to, never changed.",
    },
    "audit_since": {"zh": "起始日期", "en": "From"},
    "audit_until": {"zh": "截止日期", "en": "Until"},
    "audit_user": {"zh": "用户", "en": "User"},
    "audit_action": {"zh": "操作", "en": "Action"},
    "audit_all": {"zh": "全部", "en": "All"},
    "audit_none": {"zh": "所选范围内没有审计记录。", "en": "No audit entries in this range."},
    "audit_shown": {
        "zh": "最新的 {n} 条记录（页面最多显示 {most} 条；命令行 `ipgov audit` 可列出更多）。",
        "en": "The newest {n} entries (the page shows at most {most}; `ipgov audit` lists more).",
    },
    "audit_reason": {"zh": "原因：{reason}", "en": "reason: {reason}"},
    "audit_role": {"zh": "角色：{role}", "en": "role: {role}"},
    "audit_reason_none": {"zh": "未登录", "en": "not signed in"},
    "audit_reason_unknown": {"zh": "会话无效（伪造或来自别处）", "en": "unknown session (forged?)"},
    "audit_reason_ended": {"zh": "会话已结束", "en": "session ended"},
    "audit_reason_idle": {"zh": "长时间未操作", "en": "idle too long"},
    "audit_reason_disabled": {"zh": "账号已停用", "en": "account disabled"},
    "audit_reason_wrong": {"zh": "用户名或密码错误", "en": "wrong name or password"},
    "audit_reason_locked": {"zh": "账号已锁定", "en": "account locked"},
    "audit_reason_csrf": {"zh": "登录表单过期", "en": "sign-in form expired"},
    "audit_result_ok": {"zh": "成功", "en": "ok"},
    "audit_result_refused": {"zh": "拒绝", "en": "refused"},
    "audit_result_failed": {"zh": "失败", "en": "failed"},
    "audit_action_signin": {"zh": "登录", "en": "sign-in"},
    "audit_action_signout": {"zh": "退出登录", "en": "sign-out"},
    "audit_action_session_end": {"zh": "会话结束", "en": "session ended"},
    "audit_action_page_view": {"zh": "查看页面", "en": "page view"},
    "audit_action_page_denied": {"zh": "页面被拒", "en": "page refused"},
    "audit_action_records_denied": {"zh": "明细被拒", "en": "record list refused"},
    "audit_action_sql": {"zh": "SQL 查询", "en": "SQL query"},
    "audit_action_export": {"zh": "SQL 结果下载", "en": "SQL download"},
    "audit_action_download": {"zh": "下载", "en": "download"},
    "audit_action_briefing": {"zh": "生成简报", "en": "briefing built"},
    "audit_action_briefing_narrative": {"zh": "编辑简报文字", "en": "briefing text edited"},
    "audit_action_load": {"zh": "加载数据", "en": "data load"},
    "audit_action_rollback": {"zh": "回退快照", "en": "rollback"},
    "audit_action_upload": {"zh": "上传文件", "en": "file uploaded"},
    "audit_action_publish": {"zh": "发布上报数据", "en": "upload published"},
    "audit_action_discard": {"zh": "放弃上传", "en": "upload discarded"},
    "audit_action_user_add": {"zh": "新增用户", "en": "user added"},
    "audit_action_user_role": {"zh": "变更角色", "en": "role changed"},
    "audit_action_user_disable": {"zh": "停用用户", "en": "user disabled"},
    "audit_action_user_enable": {"zh": "启用用户", "en": "user enabled"},
    "audit_action_user_password": {"zh": "重置密码", "en": "password reset"},
    "audit_action_request_denied": {"zh": "请求被拒", "en": "request refused"},
    "q_intro": {
        "zh": "每个报送文件都要经过质量校验：整份拒收的文件、暂不加载（隔离）的行及原因如下，"
        "更正后重新报送即可。",
        "en": "Every file sent in passes the quality gate: files rejected as a whole, rows held "
        "back in quarantine and why. A corrected file sent again clears its rows.",
    },
    "q_unavailable": {
        "zh": "当前快照早于质量校验功能，请重新运行一次 `ipgov load`。",
        "en": "This snapshot predates the quality gate; run `ipgov load` once more.",
    },
    "q_kinds": {"zh": "记录类型", "en": "Record kinds"},
    "q_senders": {"zh": "报送单位（文件夹）", "en": "Senders (folders)"},
    "q_status": {"zh": "隔离状态", "en": "Quarantine status"},
    "q_status_open": {"zh": "待更正", "en": "Open"},
    "q_status_resolved": {"zh": "已更正", "en": "Resolved"},
    "q_status_superseded": {"zh": "已被新报送取代", "en": "Superseded"},
    "q_files": {"zh": "校验文件数", "en": "Files judged"},
    "q_rejected_files": {"zh": "拒收文件", "en": "Files rejected"},
    "q_open_rows": {"zh": "待更正行数", "en": "Rows to fix"},
    "q_resolved_rows": {"zh": "已更正行数", "en": "Rows fixed"},
    "q_loads_over_time": {"zh": "每日校验结果（文件数）", "en": "Verdicts per day (files)"},
    "q_by_sender": {"zh": "各报送单位的问题", "en": "Problems by sender"},
    "q_history": {"zh": "文件校验记录", "en": "Files and verdicts"},
    "q_quarantine": {"zh": "隔离的行及原因", "en": "Quarantined rows and why"},
    "q_download": {"zh": "下载 CSV", "en": "Download CSV"},
    "q_none": {"zh": "没有符合条件的记录。", "en": "Nothing matches."},
    "verdict_ok": {"zh": "通过", "en": "ok"},
    "verdict_quarantined": {"zh": "部分隔离", "en": "quarantined"},
    "verdict_rejected": {"zh": "拒收", "en": "rejected"},
    # --- the working-day calendar past chinesecalendar (issue 14) ---
    "audit_action_calendar_import": {"zh": "导入节假日安排", "en": "holiday schedule imported"},
    "calendar_provisional_note": {
        "zh": "暂定：本期有 {notices} 条下架通知的用时涉及 {date} 起尚无官方节假日安排的日期"
        "（暂按周一至周五为工作日计算），以工作日计的下架时效为暂定值，"
        "导入该年国务院节假日安排后将重新计算。",
        "en": "Provisional: {notices} notice(s) of this period have latencies touching days from "
        "{date} on that no official holiday schedule covers yet (counted Monday to Friday); "
        "the working-day latencies are provisional until the year's State Council notice is "
        "entered.",
    },
    # pending takedown notices (issue 14): neither within nor past the 2-working-day target yet
    "pending_2wd_note": {
        "zh": "{n} 条通知待定：截至数据截至日 {date} 仍未下架，2个工作日时限尚未届满，"
        "既不算达标也不算超时，不计入“2个工作日内下架”占比；时限届满后的加载会计入。",
        "en": "{n} notices are pending: still live on {date}, the data's last day, with their "
        "2-working-day window still open, so neither within nor past the target; the "
        "within-2-working-days share leaves them out until a load after their window closes.",
    },
    "pending_2wd_short": {"zh": "{n} 条待定未计入", "en": "{n} pending, left out"},
    # --- the 督办 supervision worklist (issue 16) -------------------------------------------
    "page_worklist": {"zh": "督办清单", "en": "Supervision worklist"},
    "worklist_scope": {
        "zh": "截至数据截至日 {date} 仍未办结、已超期或即将到期的事项（不受统计期间影响；"
        "平台、园区/市场、知识产权类型、协作地区筛选适用）。",
        "en": "Open items late or due soon on {date}, the data's last day (whatever the period; "
        "the platform, park, IP type and partner region filters apply).",
    },
    "worklist_deadlines": {
        "zh": "时限：下架通知 {takedown} 个工作日；侵权判定咨询意见 {opinion} 个工作日；"
        "案件在办 {case} 天；移出协作待协作方办结 {referral} 个工作日；"
        "{near} 个工作日内到期的列为即将到期。",
        "en": "Deadlines: takedown {takedown} working days; advisory opinion {opinion} working "
        "days; case open {case} days; referral out awaiting the partner {referral} working days; "
        "due within {near} working days counts as due soon.",
    },
    "worklist_kinds": {"zh": "事项类型", "en": "Items"},
    "worklist_statuses": {"zh": "督办状态", "en": "States"},
    "worklist_all": {"zh": "全部", "en": "All"},
    "worklist_due_short": {"zh": "另有 {n} 项即将到期", "en": "{n} more due soon"},
    "worklist_items": {"zh": "督办事项（超期最多的在前）", "en": "Items (most overdue first)"},
    "worklist_none": {
        "zh": "截至 {date} 没有超期或即将到期的事项。",
        "en": "No item is late or due soon on {date}.",
    },
    "worklist_provisional": {
        "zh": "{n} 项的用时涉及尚无官方节假日安排的日期，为暂定值，导入该年安排后可能变化。",
        "en": "The age of {n} items touches days no official holiday schedule covers yet: "
        "provisional, they may change when the year's schedule is imported.",
    },
    # --- alerts (issue 16) -------------------------------------------------------------------
    "page_alerts": {"zh": "告警", "en": "Alerts"},
    "alerts_about": {
        "zh": "告警由定时任务运行 `ipgov alerts run` 发出：督办事项超期、核心指标低于目标时，"
        "按接收组各发一份中文摘要（邮件、企业微信或钉钉群机器人）；同一事项仅在状态变化时提醒一次，"
        "发送失败的会在下次运行时重试。",
        "en": "Alerts are sent by `ipgov alerts run` on a timer: when a worklist item passes its "
        "deadline or a KPI falls below its target, one Chinese digest per recipient group (e-mail, "
        "WeCom or DingTalk group robot); each item once per state change, a failed send retried on "
        "the next run.",
    },
    "alerts_sends": {"zh": "发送记录（最新的在前）", "en": "Sends (newest first)"},
    "alerts_no_sends": {"zh": "尚未发送过告警。", "en": "No alert has been sent yet."},
    "alerts_failed": {
        "zh": "{n} 次发送失败，将在下次运行时重试。最近的错误：{error}",
        "en": "{n} sends failed; they are retried on the next run. Latest error: {error}",
    },
    "alerts_given_up_title": {"zh": "已放弃重试的发送", "en": "Sends given up"},
    "alerts_given_up": {
        "zh": "{n} 次发送已放弃重试（连续 {attempts} 次运行均失败，"
        "见 `IPGOV_ALERT_MAX_ATTEMPTS`），不再自动发送；"
        "排除问题后可由管理员重新排队。最近的错误：{error}",
        "en": "{n} sends were given up (they failed {attempts} runs in a row, "
        "`IPGOV_ALERT_MAX_ATTEMPTS`) and are no longer retried; once the problem is fixed an "
        "admin can re-queue them. Latest error: {error}",
    },
    "alerts_requeue_which": {"zh": "重新排队的发送", "en": "Send to re-queue"},
    "alerts_requeue": {"zh": "重新排队", "en": "Re-queue"},
    "alerts_requeued": {
        "zh": "已重新排队：下次运行 `ipgov alerts run` 时重新发送。",
        "en": "Re-queued: the next run of `ipgov alerts run` sends it again.",
    },
    # why a send failed (dashboard/alerts/channels.py KINDS); {detail}: the server's own words
    "alert_error_not_configured": {
        "zh": "未设置邮件服务器（`IPGOV_SMTP_HOST`），邮件未发送。",
        "en": "No SMTP server is set (`IPGOV_SMTP_HOST`); the e-mail was not sent.",
    },
    "alert_error_settings": {
        "zh": "邮件设置有误，未发送：{detail}",
        "en": "The e-mail settings cannot be used, nothing was sent: {detail}",
    },
    "alert_error_unreachable": {
        "zh": "无法连接服务器：{detail}",
        "en": "Could not reach the server: {detail}",
    },
    "alert_error_tls_untrusted": {
        "zh": "服务器证书不受信任（不是由受信任的证书机构签发，或与服务器名称不符），"
        "未发送任何内容。如服务器使用本单位内部证书机构，请将该机构的证书文件"
        "设为 `IPGOV_SMTP_CA_FILE`。详情：{detail}",
        "en": "The server's certificate is not trusted (not signed by a trusted authority, or not "
        "issued for this host name); nothing was sent. If the server uses the office's internal "
        "CA, set `IPGOV_SMTP_CA_FILE` to that CA's certificate (PEM). Detail: {detail}",
    },
    "alert_error_tls_failed": {
        "zh": "加密连接失败，未发送任何内容：{detail}",
        "en": "The encrypted connection failed; nothing was sent: {detail}",
    },
    "alert_error_starttls_unavailable": {
        "zh": "服务器不支持 `STARTTLS` 加密，邮件未以明文发送。请检查端口；如服务器从连接起即加密"
        "（通常为 465 端口），请设 `IPGOV_SMTP_TLS=ssl`。详情：{detail}",
        "en": "The server does not offer STARTTLS, so the e-mail was not sent in plain text. Check "
        "the port, or set `IPGOV_SMTP_TLS=ssl` if the server speaks TLS from the start (usually "
        "port 465). Detail: {detail}",
    },
    "alert_error_auth_unencrypted": {
        "zh": "拒绝在未加密的连接上发送邮件服务器密码（`IPGOV_SMTP_TLS=none`），邮件未发送："
        "请改为 `starttls` 或 `ssl`。",
        "en": "Refusing to send the SMTP password over an unencrypted connection "
        "(`IPGOV_SMTP_TLS=none`); the e-mail was not sent. Use `starttls` or `ssl`.",
    },
    "alert_error_auth_unavailable": {
        "zh": "已设置 `IPGOV_SMTP_USER`，但服务器不提供可用的登录方式，邮件未发送：{detail}",
        "en": "`IPGOV_SMTP_USER` is set but the server offers no usable sign-in (SMTP AUTH); the "
        "e-mail was not sent: {detail}",
    },
    "alert_error_auth_failed": {
        "zh": "邮件服务器登录失败：用户名或密码不正确（`IPGOV_SMTP_USER`、"
        "`IPGOV_SMTP_PASSWORD_FILE`），邮件未发送。服务器答复：{detail}",
        "en": "SMTP sign-in failed: the user name or password is wrong (`IPGOV_SMTP_USER`, "
        "`IPGOV_SMTP_PASSWORD_FILE`); the e-mail was not sent. The server said: {detail}",
    },
    "alert_error_auth_required": {
        "zh": "服务器要求登录后才收信（请设置 `IPGOV_SMTP_USER` 和密码）：{detail}",
        "en": "The server takes mail only after a sign-in (set `IPGOV_SMTP_USER` and a password): "
        "{detail}",
    },
    "alert_error_rejected": {"zh": "服务器拒收：{detail}", "en": "The server refused it: {detail}"},
    "alert_error_failed": {"zh": "发送出错：{detail}", "en": "The send failed: {detail}"},
    "alerts_rules": {"zh": "告警规则", "en": "Rules"},
    "alerts_rule": {"zh": "规则", "en": "Rule"},
    "alerts_states": {"zh": "提醒的状态", "en": "States announced"},
    "alerts_group": {"zh": "接收组", "en": "Recipient group"},
    "alerts_enabled": {"zh": "启用", "en": "Enabled"},
    "alerts_save": {"zh": "保存规则", "en": "Save rule"},
    "alerts_saved": {"zh": "规则已保存。", "en": "Rule saved."},
    "alerts_recipients": {"zh": "接收人", "en": "Recipients"},
    "alerts_no_recipients": {
        "zh": "尚无接收人：有变化也不会发送，直到添加接收人"
        "（或设置 `IPGOV_ALERT_TO` / `IPGOV_ALERT_WEBHOOK`）。",
        "en": "No recipients yet: changes wait until one is added (or `IPGOV_ALERT_TO` / "
        "`IPGOV_ALERT_WEBHOOK` is set).",
    },
    "alerts_from_settings": {"zh": "系统设置", "en": "settings"},
    "alerts_channel": {"zh": "方式", "en": "Channel"},
    "alerts_address": {
        "zh": "邮箱地址或群机器人网址",
        "en": "E-mail address or group-robot URL",
    },
    "alerts_add": {"zh": "添加接收人", "en": "Add recipient"},
    "alerts_remove_which": {"zh": "移除接收人", "en": "Remove a recipient"},
    "alerts_remove": {"zh": "移除", "en": "Remove"},
    "alert_state_late": {"zh": "已超期", "en": "late"},
    "alert_state_due": {"zh": "即将到期", "en": "due soon"},
    "alert_state_watch": {"zh": "接近目标", "en": "near target"},
    "alert_state_alert": {"zh": "未达标", "en": "below target"},
    "alert_kpi_takedown_within_2wd_share": {
        "zh": "2个工作日内下架率低于目标",
        "en": "Takedowns within 2 working days below target",
    },
    "alert_kpi_opinion_within_2wd_share": {
        "zh": "咨询意见2个工作日内出具率低于目标",
        "en": "Advisory opinions within 2 working days below target",
    },
    "audit_action_alert_send": {"zh": "发送告警", "en": "Alert sent"},
    "audit_action_alert_rule": {"zh": "修改告警规则", "en": "Alert rule changed"},
    "audit_action_alert_recipient": {"zh": "修改告警接收人", "en": "Alert recipient changed"},
    "audit_action_alert_requeue": {"zh": "重新排队告警发送", "en": "Alert send re-queued"},
    # notarization page: where and what the chain's breaks are (issue 14)
    "chain_first_break": {
        "zh": "第一处断点：链序第 {seq:,} 条，公证编号 {id}——{kind}；链序中它的前一条是 {after}。",
        "en": "First break: record {id}, no. {seq:,} in the chain order — {kind}; the record "
        "before it in the chain order is {after}.",
    },
    "chain_first_record": {"zh": "无（它是第一条）", "en": "none (it is the first)"},
    "altered_not_counted": {
        "zh": "另有 {n:,} 条被改动的记录未计入公证数和用时（其日期不可信，见上方哈希链校验）。",
        "en": "{n:,} altered records are not counted in notarizations or turnaround (their "
        "dates cannot be trusted; see the hash chain above).",
    },
    # --- the Loads page (issue 13) ------------------------------------------------------------
    "page_loads": {"zh": "数据加载记录", "en": "Loads"},
    "loads_intro": {
        "zh": "每一次加载：谁在何时加载了哪些文件、每个文件的结果和行数、生成的快照。"
        "可以把较早的快照重新设为当前快照（回滚）：之后的加载被撤回，看板立即显示该快照的数据。",
        "en": "Every load: who loaded which files when, each file's outcome and rows, the "
        "snapshot it published. An earlier snapshot can be made current again (a rollback): "
        "the loads after it are withdrawn and the dashboard shows that snapshot at once.",
    },
    "loads_history": {"zh": "加载记录", "en": "Loads"},
    "loads_none": {"zh": "还没有加载记录。", "en": "No loads yet."},
    "loads_busy": {
        "zh": "另一次加载正在进行，暂时无法确认哪些加载已被撤回；稍后刷新本页。",
        "en": "Another load is running, so which loads are withdrawn cannot be read right now; "
        "reload this page in a moment.",
    },
    "loads_files_of": {"zh": "查看某次加载的文件", "en": "Files of the load"},
    "loads_pick": {
        "zh": "{at}（世界标准时间）· {who} · {n} 个文件",
        "en": "{at} (UTC) · {who} · {n} files",
    },
    "loads_who_unknown": {"zh": "操作人未知", "en": "loaded by unknown"},
    "loads_report": {
        "zh": "下载该次加载的质量报告",
        "en": "Download this load's quality report (JSON)",
    },
    "loads_no_report": {
        "zh": "该次加载没有写出质量报告。",
        "en": "This load wrote no quality report.",
    },
    "loads_quality_link": {
        "zh": "隔离的行和拒收的文件详见“数据质量”页",
        "en": "Held-back rows and rejected files: the Data quality page",
    },
    "loads_data_docs": {
        "zh": "该次加载的质量校验网页文档：在服务器上运行 `ipgov data-docs {load_id}` 生成。",
        "en": "This load's GX data docs: run `ipgov data-docs {load_id}` on the server.",
    },
    "loads_snapshots": {"zh": "已发布的快照", "en": "Published snapshots"},
    "loads_rollback": {"zh": "回滚到较早的快照", "en": "Roll back to an earlier snapshot"},
    "loads_rollback_intro": {
        "zh": "回滚不删除任何数据：被撤回的加载的数据行仍保留在原始层，之后的快照不再计入；"
        "其文件可以重新加载。回滚到更新的快照会恢复相应的加载。",
        "en": "A rollback deletes nothing: the rows of the loads withdrawn stay in raw, and no "
        "later snapshot counts them; their files can be loaded again. Rolling forward to a "
        "later snapshot reinstates its loads.",
    },
    "loads_only_one": {
        "zh": "只有当前快照，没有可回滚的快照。",
        "en": "There is only the current snapshot: nothing to roll back to.",
    },
    "loads_target": {"zh": "设为当前快照", "en": "Snapshot to make current"},
    "loads_target_option": {
        "zh": "{snapshot}（{state}，{at} 发布）",
        "en": "{snapshot} ({state}, published {at})",
    },
    "loads_ask": {"zh": "回滚…", "en": "Roll back…"},
    "loads_confirm_what": {
        "zh": "将把快照 {target} 设为当前快照（现为 {current}）。",
        "en": "Snapshot {target} will become current (now {current}).",
    },
    "loads_confirm_withdraw": {
        "zh": "将撤回 {n} 次加载：{loads}；下列文件的数据不再计入。",
        "en": "{n} load(s) will be withdrawn: {loads}; the data of the files below will no "
        "longer count.",
    },
    "loads_confirm_nothing": {"zh": "不会撤回任何加载。", "en": "No load will be withdrawn."},
    "loads_confirm_reinstate": {
        "zh": "将恢复 {n} 次已撤回的加载：{loads}。",
        "en": "{n} withdrawn load(s) will be reinstated: {loads}.",
    },
    "loads_counts": {"zh": "记录数：现在与回滚后", "en": "Records: now and after the rollback"},
    "loads_confirm": {"zh": "确认回滚", "en": "Confirm the rollback"},
    "loads_cancel": {"zh": "取消", "en": "Cancel"},
    "loads_done": {
        "zh": "已回滚：当前快照为 {snapshot}（原为 {previous}）。",
        "en": "Rolled back: the current snapshot is {snapshot} (was {previous}).",
    },
    "loads_done_withdrawn": {"zh": "已撤回的加载：{loads}。", "en": "Loads withdrawn: {loads}."},
    "loads_done_reinstated": {
        "zh": "已恢复的加载：{loads}。",
        "en": "Loads reinstated: {loads}.",
    },
    "loads_changed": {
        "zh": "确认期间数据已变化（另一次加载或回滚），未回滚；请查看新的情况后重新确认。",
        "en": "The data changed while you confirmed (another load or rollback); nothing was "
        "rolled back — check the new state and confirm again.",
    },
    "loads_failed": {"zh": "回滚失败：{error}", "en": "Rollback failed: {error}"},
    "loads_busy_now": {
        "zh": "另一次加载正在进行，未回滚；请等它结束后再试。",
        "en": "Another load is running; nothing was rolled back — try again when it is done.",
    },
    # Upload page: what a publish would change, progress (issue 13)
    "up_checking": {"zh": "正在校验上传的文件…", "en": "Checking the uploaded files…"},
    "up_step_check": {
        "zh": "正在校验 {name}（第 {i}/{n} 个文件）…",
        "en": "Checking {name} (file {i} of {n})…",
    },
    "up_step_compare": {
        "zh": "正在与数据仓库比对 {name}（第 {i}/{n} 个文件）…",
        "en": "Comparing {name} with the warehouse (file {i} of {n})…",
    },
    "up_checked": {"zh": "已校验 {n} 个文件。", "en": "{n} file(s) checked."},
    # a file's progress inside one step (etl/progress.py): the step, then the measure
    "up_progress_hash": {"zh": "正在计算校验值", "en": "Hashing"},
    "up_progress_scan": {"zh": "正在读取", "en": "Reading"},
    "up_progress_transcode": {"zh": "正在转换编码", "en": "Re-encoding"},
    "up_progress_parse": {"zh": "正在解析", "en": "Parsing"},
    "up_progress_judge": {"zh": "正在检查", "en": "Checking"},
    "up_progress_compare": {"zh": "正在与数据仓库比对", "en": "Comparing with the warehouse:"},
    "up_progress_insert": {"zh": "正在写入", "en": "Writing"},
    "up_progress_bytes": {
        "zh": "{step} {name}：{percent}%（{done} / {total}）",
        "en": "{step} {name}: {percent}% ({done} of {total})",
    },
    "up_progress_estimate": {
        "zh": "{step} {name}：{percent}%（约 {done} / {total}）",
        "en": "{step} {name}: {percent}% (about {done} of {total})",
    },
    "up_progress_percent": {
        "zh": "{step} {name}：{percent}%",
        "en": "{step} {name}: {percent}%",
    },
    "up_progress_unknown": {"zh": "{step} {name}…", "en": "{step} {name}…"},
    "up_progress_waiting": {"zh": "等待处理 {name}", "en": "Waiting: {name}"},
    "up_progress_done": {"zh": "{name} 已处理完毕", "en": "{name} done"},
    "up_step_load": {
        "zh": "正在加载 {name}（第 {i}/{n} 个文件）…",
        "en": "Loading {name} (file {i} of {n})…",
    },
    "up_step_snapshot": {
        "zh": "文件已加载，正在生成并发布新快照…",
        "en": "Files loaded; building and publishing the new snapshot…",
    },
    "up_changes": {"zh": "发布后的变化", "en": "What Publish would change"},
    "up_preview_unavailable": {
        "zh": "暂时无法与数据仓库比对（{error}），请稍后重新上传以查看变化。",
        "en": "Cannot compare with the warehouse right now ({error}); upload again later to "
        "see the changes.",
    },
    "up_changed_first": {
        "zh": "每个文件的前 {n} 条变更记录，逐字段列出原值与新值：",
        "en": "The first {n} changed records of each file, field by field, old and new value:",
    },
    "up_reverts_named": {
        "zh": "以下记录会被恢复为较早的版本（更正之后又重新报送了原件？）：{records}。"
        "如确认较早的版本正确，请勾选下面的确认框后再发布；否则请从上传列表中移除该文件。",
        "en": "These records would be put back to an older version (an original sent again "
        "after its correction?): {records}. If the older version is right, tick the box below "
        "to publish; otherwise remove the file from the upload list.",
    },
    "up_kind_totals": {"zh": "按数据类别合计：", "en": "By record kind, all files together:"},
    "up_refused_in_browser": {
        "zh": "未上传：只能上传不超过 {mb} MB 的 CSV、TSV、TXT、XLSX 或 Parquet 文件。",
        "en": "Not uploaded: only CSV, TSV, TXT, XLSX or Parquet files of up to {mb} MB.",
    },
    "up_confirm_revert": {
        "zh": "我确认将上述记录恢复为较早的版本",
        "en": "I confirm: put the records above back to their older version",
    },
    # --- the Compare page (issue 16): dashboard/views/compare.py ---------------------------------
    "page_compare": {"zh": "对比", "en": "Compare"},
    "compare_by": {"zh": "对比对象", "en": "Compare"},
    "compare_by_platforms": {"zh": "电商平台", "en": "Platforms"},
    "compare_by_locations": {"zh": "园区/市场", "en": "Parks / markets"},
    "compare_by_ip_types": {"zh": "知识产权类型", "en": "IP types"},
    "compare_by_regions": {"zh": "协作地区", "en": "Partner regions"},
    "compare_by_quarters": {"zh": "季度", "en": "Quarters"},
    "compare_by_years": {"zh": "年度", "en": "Years"},
    "compare_pick": {"zh": "选择对比项（最多 {n} 个）", "en": "Pick up to {n}"},
    "compare_pick_placeholder": {"zh": "请选择", "en": "Choose"},
    "brief_typical_placeholder": {"zh": "选择案例", "en": "Choose cases"},
    "utc_time": {"zh": "{time}（世界标准时间）", "en": "{time} UTC"},
    "compare_pick_some": {
        "zh": "请选择要对比的项目（最多 {n} 个）。",
        "en": "Pick what to compare (up to {n}).",
    },
    "compare_trend_kpi": {"zh": "趋势和条形图显示的指标", "en": "KPI in the trends and bars"},
    "compare_trend_of": {"zh": "趋势：{kpi}（{span}）", "en": "Trend: {kpi} ({span})"},
    "compare_periods_scope": {
        "zh": "按期间对比全区数字；数据截至 {date}，此后的期间不完整。",
        "en": "District-wide figures by period; data up to {date}, later periods are incomplete.",
    },
    "compare_ranked": {
        "zh": "按“{kpi}”从高到低排名（相同时用时中位数短者在前）；只显示记录带有平台的指标。",
        "en": "Ranked by “{kpi}”, highest first (ties: the faster median first); only the KPIs "
        "whose records carry a platform are shown.",
    },
    "compare_dimension_scope": {
        "zh": "只显示记录带有该维度的指标；其余指标（如专利预审）无法按此拆分。",
        "en": "Only the KPIs whose records carry this dimension are shown; the others (such as "
        "patent pre-examinations) cannot be split by it.",
    },
    "compare_table": {
        "zh": "对比表（本期与上期）",
        "en": "Comparison table (this period and the one before)",
    },
    "compare_bad_kind": {
        "zh": "链接中的对比对象“{value}”无法识别，已显示当前选择。",
        "en": "The link's comparison “{value}” is not known; showing the current choice.",
    },
    "compare_bad_period": {
        "zh": "链接中的期间“{value}”没有数据，已显示当前期间。",
        "en": "The link's period “{value}” has no data; showing the current period.",
    },
    "compare_bad_kpi": {
        "zh": "链接中的指标“{value}”不适用于此对比，已显示默认指标。",
        "en": "The link's KPI “{value}” does not apply to this comparison; showing the default.",
    },
    "compare_bad_pick": {
        "zh": "链接中的对比项“{value}”无法识别，已略去。",
        "en": "The link's item(s) “{value}” are not known and were left out.",
    },
    "compare_too_many": {
        "zh": "最多对比 {n} 项，链接中多出的已略去。",
        "en": "At most {n} can be compared; the link's others were left out.",
    },
    "compare_provisional": {
        "zh": "暂定：{n} 条下架通知的用时涉及 {date} 起尚无官方节假日安排的日期，"
        "以工作日计的下架时效为暂定值。",
        "en": "Provisional: {n} takedown notice(s) have latencies touching days from {date} on "
        "without an official holiday schedule; the working-day latencies are provisional.",
    },
}


_CLASH = (CATALOG.keys() & CHART_LABELS.keys()) | (CATALOG.keys() & BRIEF_LABELS.keys())
_CLASH |= CHART_LABELS.keys() & BRIEF_LABELS.keys()
if _CLASH:
    raise RuntimeError(f"labels defined twice: {sorted(_CLASH)}")
CATALOG.update(CHART_LABELS)
CATALOG.update(BRIEF_LABELS)


def t(key: str, lang: str, **values: object) -> str:
    """The label for `key` in `lang`, with {placeholders} filled in."""
    text = CATALOG[key][lang]
    return text.format(**values) if values else text
