"""What every column the dashboard's tables can show is called, in zh and en, and what kind of
value it holds, so dashboard/display.py can label and format any query result the same way.

One entry per column name across dashboard/sql/*.sql, the Data quality frames of
dashboard/queries.py and the few columns pages add (`label`, `reason`, `message`);
tests/test_columns.py runs every query and fails on a column without an entry here. Meanings
come from the column comments in etl/sql/marts/*.sql and the Chinese headers clerks use in
etl/sources/<kind>.py; headers are short, for officials who read Chinese first. A unit belongs
in the header when the values are bare numbers (已等待（工作日）); money and shares carry their
unit in the value (1,234 元, 85.8%).

Kinds (what display.py does with the value):

| kind | value | shown as |
|---|---|---|
| `id` | a number or code naming one record, file or load | as is, never clipped |
| `text` | free text (names, brands, messages) | as is |
| `url` | a listing's address | a link |
| `code:<domain>` | a code of dim_code's `domain` (or of LOCAL_CODES) | its display name |
| `code:<a>|<b>` | a code of the first of these domains that knows it | its display name |
| `code:row` | a code whose name the query joined into `name_zh` / `name_en` | that name |
| `date`, `datetime` | a day; a time stamp | 2026-07-01; 2026-07-01 09:30 |
| `count` | a whole number of things | 4,165 |
| `decimal` | a measured quantity | 1.5 |
| `workdays`, `hours`, `days` | a duration (unit in the header) | 1.5 |
| `share` | a fraction 0-1 | 85.8% |
| `yuan` | money in yuan (DECIMAL) | 12,345 元 / 12,345 yuan |
| `bool` | true / false | 是 / 否, Yes / No |
| `hidden` | an input for a label (name_zh, name_en), or a sort key | not shown |
"""

from __future__ import annotations

from dataclasses import dataclass

from etl.sources import KINDS

NUMBER_KINDS = frozenset({"count", "decimal", "workdays", "hours", "days", "share", "yuan"})
PLAIN_KINDS = frozenset({"id", "text", "url", "date", "datetime", "bool", "hidden"})


@dataclass(frozen=True)
class Column:
    """One column's header in each language and the kind of its values. `only` names the one
    language the column is shown in (message_zh is the Chinese text of a message: an English
    reader gets message_en instead)."""

    zh: str
    en: str
    kind: str
    only: str | None = None

    def header(self, lang: str) -> str:
        return self.zh if lang == "zh" else self.en

    @property
    def domains(self) -> tuple[str, ...]:
        """The code lists a `code:` column is looked up in, in order ('row' for `code:row`)."""
        if not self.kind.startswith("code:"):
            return ()
        return tuple(self.kind.removeprefix("code:").split("|"))

    def shown_in(self, lang: str) -> bool:
        return self.kind != "hidden" and self.only in (None, lang)


def _c(zh: str, en: str, kind: str, only: str | None = None) -> Column:
    return Column(zh, en, kind, only)


# Columns in the order of the marts they come from; the same name means the same thing in every
# query (case_id is a case number wherever it appears), so one entry serves them all.
COLUMNS: dict[str, Column] = {
    # --- the audit trail (the app database, dashboard/views/audit.py) ---------------------------
    "audit_at": _c("时间（世界标准时间）", "Time (UTC)", "datetime"),
    "audit_user": _c("用户", "User", "text"),
    "audit_action": _c("操作", "Action", "text"),
    "audit_target": _c("对象", "Target", "text"),
    "audit_result": _c("结果", "Result", "text"),
    "audit_rows": _c("行数", "Rows", "count"),
    "audit_detail": _c("详情", "Details", "text"),
    # --- assistance cases (fct_cases) and referrals (fct_referrals) ---------------------------
    "case_id": _c("案件编号", "Case ID", "id"),
    "received_on": _c("受理日期", "Received", "date"),
    "service_type": _c("服务类型", "Service", "code:service_type"),
    "ip_type": _c("知识产权类型", "IP type", "code:ip_type"),
    "complainant_enterprise": _c("请求人企业", "Complainant", "text"),
    "complainant_park": _c("所属园区/市场", "Park or market", "code:location"),
    "platform": _c("平台", "Platform", "code:platform"),
    # cases (case_records) and quarantined cells (quality_quarantine): the two code lists
    # share no code, so the first that knows a value names it
    "status": _c("状态", "Status", "code:case_status|quarantine_status"),
    "closed_on": _c("结案日期", "Closed", "date"),
    "outcome": _c("处理结果", "Outcome", "code:outcome"),
    "referral_direction": _c("协作方向", "Referral", "code:referral_direction"),
    "referral_partner": _c("协作地区", "Referral partner", "code:region"),
    "closing_latency_workdays": _c("办结用时（工作日）", "To close (working days)", "workdays"),
    "age_days": _c("受理至今（天）", "Open for (days)", "days"),
    "workdays": _c("工作日数", "Working days", "workdays"),
    "cases": _c("案件数", "Cases", "count"),
    "received": _c("受理", "Received", "count"),
    "closed": _c("结案", "Closed", "count"),
    "open_end": _c("期末在办", "Open at end", "count"),
    "opinion_within_2wd_share": _c(
        "咨询意见2个工作日内出具率", "Opinions within 2 working days", "share"
    ),
    "direction": _c("方向", "Direction", "code:referral_direction"),
    "partner_region": _c("协作地区", "Partner region", "code:region"),
    "referred_on": _c("移交日期", "Referred", "date"),
    "referral_closed_on": _c("协作办结日期", "Referral finished", "date"),
    "referral_latency_workdays": _c("协作用时（工作日）", "To finish (working days)", "workdays"),
    "referrals": _c("协作件数", "Referrals", "count"),
    "finished": _c("已办结", "Finished", "count"),
    "resolved": _c("已解决", "Resolved", "count"),
    "referrals_out": _c("移出", "Referred out", "count"),
    "referrals_in": _c("移入", "Referred in", "count"),
    # --- takedown notices (fct_takedowns) ------------------------------------------------------
    "notice_id": _c("通知编号", "Notice ID", "id"),
    "listing_url": _c("链接", "Listing", "url"),
    "notice_sent_at": _c("通知时间", "Notice sent", "datetime"),
    "removed_at": _c("下架时间", "Removed", "datetime"),
    "latency_workdays": _c("下架用时（工作日）", "To removal (working days)", "workdays"),
    "is_within_2wd": _c("2个工作日内下架", "Within 2 working days", "bool"),
    "pending_2wd": _c("待定（时限未满）", "Pending (window open)", "count"),
    "provisional_notices": _c("用时为暂定的通知", "Notices on a provisional calendar", "count"),
    "first_provisional_day": _c("暂定日历起始日", "Provisional calendar from", "date"),
    "open_workdays": _c("已等待（工作日）", "Waiting (working days)", "workdays"),
    "waiting_workdays": _c("待出具意见（工作日）", "Awaiting opinion (working days)", "workdays"),
    "notices": _c("通知数", "Notices", "count"),
    "removed": _c("已下架", "Removed", "count"),
    "still_live": _c("未下架", "Still live", "count"),
    "median_workdays": _c("用时中位数（工作日）", "Median (working days)", "workdays"),
    "p90_workdays": _c("用时P90（工作日）", "P90 (working days)", "workdays"),
    "within_2wd_share": _c("2个工作日内下架率", "Removed within 2 working days", "share"),
    "bucket": _c("分组序号", "Bucket", "hidden"),  # sort key of latency_label (99 = still live)
    "latency_label": _c("下架用时（工作日）", "To removal (working days)", "code:latency_bucket"),
    "n_at_risk": _c("仍在观察", "At risk", "count"),
    "share_still_live": _c("仍未下架比例", "Share still live", "share"),
    # --- patent pre-examinations (fct_patent_preexams) ----------------------------------------
    "preexam_id": _c("预审编号", "Pre-exam ID", "id"),
    "applicant_type": _c("申请人类型", "Applicant type", "code:applicant_type"),
    "applicant_name": _c("申请人", "Applicant", "text"),
    "patent_type": _c("专利类型", "Patent type", "code:patent_type"),
    "patent_class": _c("分类号", "Class", "id"),
    "accepted_on": _c("受理日期", "Accepted", "date"),
    "preexam_result": _c("预审结论", "Pre-exam result", "code:preexam_result"),
    "authorized_on": _c("授权日期", "Granted", "date"),
    "cycle_days": _c("授权周期（天）", "Days to grant", "days"),
    "accepted": _c("受理", "Accepted", "count"),
    "authorized": _c("授权", "Granted", "count"),
    "design": _c("其中外观设计", "Of which design", "count"),
    "authorized_share": _c("已授权比例", "Share granted", "share"),
    "authorization_rate": _c("授权率", "Grant rate", "share"),
    "median_cycle_days": _c("授权周期中位数（天）", "Median days to grant", "days"),
    "design_median_cycle_days": _c(
        "外观设计授权周期中位数（天）", "Design: median days to grant", "days"
    ),
    # --- trademark enforcement (fct_trademark_cases) ------------------------------------------
    "enforcement_id": _c("执法案件编号", "Enforcement ID", "id"),
    "opened_on": _c("立案日期", "Opened", "date"),
    "agency": _c("执法机构", "Agency", "code:agency"),
    "brand": _c("涉案品牌", "Brand", "text"),
    "brand_category": _c("品牌类别", "Brand category", "code:brand_category"),
    "infringement_type": _c("侵权类型", "Infringement", "code:infringement_type"),
    "location": _c("查处地点", "Location", "code:location"),
    "units_seized": _c("查扣数量（件）", "Items seized", "count"),
    "goods_value_yuan": _c("涉案货值", "Goods value", "yuan"),
    "fine_yuan": _c("罚没金额", "Fine", "yuan"),
    "fines_yuan": _c("罚没金额", "Fines", "yuan"),
    "is_transferred_to_police": _c("移送公安", "To police", "bool"),
    "cases_opened": _c("立案数", "Cases opened", "count"),
    "cases_closed": _c("结案数", "Cases closed", "count"),
    "transferred_to_police": _c("移送公安数", "Transferred to police", "count"),
    # trademark_breakdown: a code of the list chosen by $dimension, named by the query itself;
    # a page that knows the dimension can rename `code` to it (e.g. brand_category) instead
    "code": _c("类别", "Category", "code:row"),
    # --- notarizations (fct_notarizations) ----------------------------------------------------
    "notarization_id": _c("公证编号", "Notarization ID", "id"),
    "requested_at": _c("申请时间", "Requested", "datetime"),
    "notarized_at": _c("公证时间", "Notarized", "datetime"),
    "turnaround_hours": _c("办理用时（小时）", "Turnaround (hours)", "hours"),
    "evidence_type": _c("证据类型", "Evidence type", "code:evidence_type"),
    "evidence_sha256": _c("证据哈希", "Evidence hash", "id"),
    "prev_record_hash": _c("前序记录哈希", "Previous record hash", "id"),
    "record_hash": _c("记录哈希", "Record hash", "id"),
    "is_record_hash_valid": _c("记录哈希正确", "Record hash valid", "bool"),
    "is_chain_linked": _c("与前序记录相连", "Chain linked", "bool"),
    "is_sealed_again": _c("被重新封存", "Sealed again", "bool"),
    "notarizations": _c("公证数", "Notarizations", "count"),
    "median_hours": _c("用时中位数（小时）", "Median (hours)", "hours"),
    "p90_hours": _c("用时P90（小时）", "P90 (hours)", "hours"),
    "links": _c("链上记录数", "Links", "count"),
    "broken_links": _c("未通过校验的记录", "Records not intact", "count"),
    "chain_seq": _c("链序", "Chain position", "id"),
    "chain_status": _c("链校验结果", "Chain status", "code:chain_status"),
    "preceding_notarization_id": _c("链序前一条", "Record before", "id"),
    "altered_not_counted": _c("被改动（不计入）", "Altered (not counted)", "count"),
    "altered_records": _c("被改动", "Altered", "count"),
    "linked_to_altered_records": _c("链接到被改动记录", "Linked to altered", "count"),
    "gap_records": _c("前序缺失", "Gap", "count"),
    "fork_records": _c("分叉", "Fork", "count"),
    "reordered_records": _c("顺序调换", "Reordered", "count"),
    "after_break_records": _c("位于断点之后", "After a break", "count"),
    "first_break_seq": _c("第一处断点链序", "First break: chain position", "id"),
    "first_break_id": _c("第一处断点", "First break", "id"),
    "first_break_status": _c("第一处断点类型", "First break: kind", "code:chain_status"),
    "first_break_after_id": _c("第一处断点前一条", "First break: record before", "id"),
    # --- loads and the quality gate (fct_load_files, fct_quarantine, fct_rejections) ----------
    "load_id": _c("加载批次", "Load ID", "id"),
    "loaded_at": _c("加载时间", "Loaded at", "datetime"),
    "files": _c("文件数", "Files", "count"),
    "rows_read": _c("读取行数", "Rows read", "count"),
    "rows_loaded": _c("加载行数", "Rows loaded", "count"),
    "rows_quarantined": _c("隔离行数", "Rows held back", "count"),
    "rows_valid": _c("合格行数", "Rows valid", "count"),
    "load_status": _c("加载结果", "Outcome", "code:load_status"),
    "kinds": _c("包含的数据类别", "Record kinds", "code:record_kind"),
    "judged_at": _c("校验时间", "Checked at", "datetime"),
    "judged_on": _c("校验日期", "Checked on", "date"),
    "kind": _c("数据类别", "Record kind", "code:record_kind"),
    "sender": _c("报送单位", "Sender", "text"),
    "source_file": _c("文件名", "File", "id"),
    "verdict": _c("校验结果", "Verdict", "code:verdict"),
    "reason_code": _c("拒收原因", "Rejected for", "code:reason_code"),
    "message_zh": _c("说明", "Message (Chinese)", "text", only="zh"),
    "message_en": _c("说明（英文）", "Message", "text", only="en"),
    "quarantined_on": _c("隔离日期", "Held back on", "date"),
    "source_row": _c("行号", "Row", "id"),
    "key_value": _c("记录编号", "Record ID", "id"),
    "column_name": _c("列", "Column", "code:field"),
    "rule": _c("问题", "Problem", "code:rule"),
    "expectation_type": _c("校验项", "Expectation", "id"),
    "raw_value": _c("原始值", "Value as sent", "text"),
    "resolved_by_file_seq": _c("更正文件序号", "Fixed by file no.", "id"),
    "rejected": _c("拒收文件", "Files rejected", "count"),
    "quarantined": _c("部分隔离文件", "Files partly held back", "count"),
    "ok": _c("通过文件", "Files passed", "count"),
    "open_rows": _c("待更正行数", "Rows to fix", "count"),
    "top_rule": _c("最常见问题", "Most frequent problem", "code:rule"),
    # --- the Loads page: every load and the published snapshots (dashboard/core/loads.py) -----
    "loaded_by": _c("操作人", "Loaded by", "text"),
    "files_loaded": _c("已加载文件", "Files loaded", "count"),
    "files_skipped": _c("跳过文件", "Files skipped", "count"),
    "files_rejected": _c("拒收文件", "Files rejected", "count"),
    "load_state": _c("状态", "State", "code:load_state"),
    "snapshot_id": _c("快照", "Snapshot", "id"),
    "snapshot_state": _c("快照状态", "Snapshot state", "code:snapshot_state"),
    "published_at": _c("发布时间（世界标准时间）", "Published (UTC)", "datetime"),
    "snapshot_build": _c("生成方式", "Built", "code:snapshot_build"),
    "rows_takedowns": _c("下架通知数", "Takedown notices", "count"),
    "rows_cases": _c("援助案件数", "Assistance cases", "count"),
    "rows_patents": _c("专利预审数", "Patent pre-exams", "count"),
    "rows_trademarks": _c("商标案件数", "Trademark cases", "count"),
    "rows_notarizations": _c("公证数", "Notarizations", "count"),
    "rows_now": _c("现在", "Now", "count"),
    "rows_after": _c("回滚后", "After the rollback", "count"),
    # --- shared -------------------------------------------------------------------------------
    "period_start": _c("期间起始日", "Period start", "date"),
    "first_day": _c("最早日期", "First day", "date"),
    "last_day": _c("最晚日期", "Last day", "date"),
    "domain": _c("代码表", "Code list", "code:code_list"),
    "name_zh": _c("中文名称", "Chinese name", "hidden"),
    "name_en": _c("英文名称", "English name", "hidden"),
    "service_zh": _c("服务类型中文名", "Service (Chinese)", "hidden"),
    "service_en": _c("服务类型英文名", "Service (English)", "hidden"),
    "ip_zh": _c("知识产权类型中文名", "IP type (Chinese)", "hidden"),
    "ip_en": _c("知识产权类型英文名", "IP type (English)", "hidden"),
    # columns pages add to a query's frame: a display name, a message in the reader's language
    "label": _c("名称", "Name", "text"),
    "reason": _c("原因", "Reason", "text"),
    "message": _c("说明", "Message", "text"),
    # --- the 督办 supervision worklist (worklist_items, dashboard/sql/worklist*.sql) ------------
    "item_status": _c("督办状态", "State", "code:worklist_status"),
    "item_kind": _c("事项类型", "Item", "code:worklist_kind"),
    "item_id": _c("事项编号", "Item ID", "id"),
    "started_on": _c("起算日期", "Started", "date"),
    "due_on": _c("到期日期", "Due", "date"),
    "age_workdays": _c("已用时（工作日）", "Age (working days)", "workdays"),
    "workdays_past_due": _c("超期（工作日）", "Past due (working days)", "workdays"),
    "age_is_provisional": _c("用时为暂定", "Age provisional", "bool"),
    "record_link": _c("记录所在页面", "Record page", "url"),
    "items": _c("事项数", "Items", "count"),
    "max_age_workdays": _c("最长用时（工作日）", "Oldest (working days)", "workdays"),
    "provisional_items": _c("用时为暂定的事项", "Items on a provisional calendar", "count"),
    # --- alerts (the app database's alert_* tables, dashboard/views/alerts.py) ----------------
    "alert_send_id": _c("发送编号", "Send no.", "count"),
    "alert_created_at": _c("生成时间（世界标准时间）", "Built (UTC)", "datetime"),
    "alert_group": _c("接收组", "Group", "text"),
    "alert_channel": _c("方式", "Channel", "code:alert_channel"),
    "alert_address": _c("接收地址", "Address", "text"),
    "alert_subject": _c("标题", "Subject", "text"),
    "alert_items": _c("变化事项数", "Changes", "count"),
    "alert_status": _c("发送结果", "Outcome", "code:alert_status"),
    "alert_attempts": _c("尝试次数", "Attempts", "count"),
    "alert_error_kind": _c("失败原因", "Why it failed", "code:alert_error_kind"),
    "alert_error": _c("最近错误（服务器原话）", "Last error (the server's words)", "text"),
    "alert_sent_at": _c("发出时间（世界标准时间）", "Sent (UTC)", "datetime"),
    "alert_rule": _c("规则", "Rule", "text"),
    "alert_states": _c("提醒的状态", "States announced", "text"),
    "alert_enabled": _c("启用", "Enabled", "bool"),
    "alert_updated_by": _c("修改人", "Changed by", "text"),
    "alert_added_by": _c("添加人", "Added by", "text"),
    # --- the Upload page's preview of a publish (dashboard/intake.py, etl/preview) -------------
    "publish_status": _c("发布时", "On publish", "code:publish_status"),
    "records_new": _c("新增记录", "New records", "count"),
    "records_changed": _c("变更记录", "Changed records", "count"),
    "records_unchanged": _c("未变记录", "Unchanged records", "count"),
    "records_reverted": _c("恢复旧版本的记录", "Records put back", "count"),
    "record_id": _c("记录编号", "Record ID", "id"),
    "field_label": _c("字段", "Field", "text"),
    "old_value": _c("原值", "Old value", "text"),
    "new_value": _c("新值", "New value", "text"),
    # --- the Compare page's table (issue 16, dashboard/compare.py): headline KPIs by side ------
    "compare_rank": _c("排名", "Rank", "count"),
    "compare_side": _c("对比项", "Compared", "text"),
    "period_end": _c("期间截止日", "Period end", "date"),
    "patent_preexam_accepted": _c("专利预审受理", "Patent pre-exams accepted", "count"),
    "patent_preexam_authorized": _c("专利预审授权", "Pre-examined patents granted", "count"),
    "cases_accepted": _c("维权援助受理", "Assistance cases received", "count"),
    "cases_open_end": _c("期末在办案件", "Open cases at period end", "count"),
    "trademark_cases": _c("商标执法立案", "Trademark cases opened", "count"),
    "trademark_fines_yuan": _c("罚没金额", "Fines", "yuan"),
    "takedown_requests": _c("下架通知", "Takedown notices", "count"),
    "takedown_median_workdays": _c(
        "下架时效中位数（工作日）", "Median takedown (working days)", "workdays"
    ),
    "takedown_p90_workdays": _c("下架时效P90（工作日）", "P90 takedown (working days)", "workdays"),
    "takedown_within_2wd_share": _c("2个工作日内下架", "Removed within 2 working days", "share"),
}


# --- Codes that are not in dim_code ------------------------------------------------------------
# The quality gate's verdicts, statuses, rules and reasons, and the record kinds, are fixed by
# the code (etl/gate/rules.py, docs/quality.md) rather than by etl/reference/codes.csv.

# dim_code's domains, named for the `code:<domain>` rules of the quality gate
DOMAIN_NAMES: dict[str, tuple[str, str]] = {
    "platform": ("平台", "platform"),
    "service_type": ("服务类型", "service type"),
    "ip_type": ("知识产权类型", "IP type"),
    "outcome": ("处理结果", "outcome"),
    "patent_type": ("专利类型", "patent type"),
    "preexam_result": ("预审结论", "pre-exam result"),
    "brand_category": ("品牌类别", "brand category"),
    "case_status": ("案件状态", "case status"),
    "referral_direction": ("协作方向", "referral direction"),
    "region": ("地区", "region"),
    "location": ("园区/市场", "park or market"),
    "applicant_type": ("申请人类型", "applicant type"),
    "agency": ("执法机构", "agency"),
    "infringement_type": ("侵权类型", "infringement type"),
    "evidence_type": ("证据类型", "evidence type"),
}

_RULES: dict[str, tuple[str, str]] = {
    "required_column": ("缺少必填列", "Required column missing"),
    "required": ("必填项为空", "Required value missing"),
    "type:date": ("日期格式不对", "Not a date"),
    "type:timestamp": ("日期时间格式不对", "Not a date and time"),
    "type:integer": ("不是整数", "Not a whole number"),
    "type:decimal": ("金额格式不对", "Not an amount"),
    "type:boolean": ("应填“是”或“否”", "Not yes or no"),
    "not_future": ("日期晚于当天", "Date in the future"),
    "date_order": ("日期先后颠倒", "Dates out of order"),
    "total_row": ("合计行不是记录", "Totals row, not a record"),
    "unique_key": ("编号重复", "Duplicate ID"),
    "non_negative": ("出现负数", "Negative number"),
    "sha256_format": ("哈希值格式不对", "Not a SHA-256 hash"),
    "phone_format": ("电话号码格式不对", "Not a phone number"),
    # no longer gate rules (the chain is judged in fct_notarizations): the names of the rows
    # warehouses held back under them before
    "record_hash": ("记录哈希不符", "Record hash does not match"),
    "chain_link": ("证据链断开", "Evidence chain broken"),
} | {
    f"code:{domain}": (f"{zh}不在代码表中", f"Unknown {en}")
    for domain, (zh, en) in DOMAIN_NAMES.items()
}

_REASONS: dict[str, tuple[str, str]] = {  # file-level faults, docs/quality.md
    "unsupported_type": ("文件类型不支持", "Unsupported file type"),
    "unreadable": ("文件无法读取", "Unreadable file"),
    "empty": ("没有数据行", "No data rows"),
    "encoding": ("文字编码错误", "Bad text encoding"),
    "truncated": ("文件不完整", "File cut off"),
    "line_endings": ("换行符格式不对", "Bare carriage-return line endings"),
    "ragged_row": ("某行列数过多", "Row with extra cells"),
    "blank_header": ("有列缺少表头", "Column without a header"),
    "merged_header": ("表头有合并单元格", "Merged header cells"),
    "duplicate_header": ("表头重复", "Duplicate header"),
    "missing_columns": ("缺少必填列", "Required columns missing"),
    "unknown_kind": ("无法识别数据类别", "Record kind not recognised"),
    "bad_kind": ("指定的数据类别不存在", "Unknown record kind given"),
    "no_data_sheet": ("没有可识别的工作表", "No sheet with known data"),
    "strict": ("严格模式下有行未通过", "Rows failed in strict mode"),
    "revert": ("会恢复记录的旧版本", "Would put records back to an older version"),
    "header_unit": ("表头单位无法换算", "Unit in the header not understood"),
    "formula_uncached": ("公式没有保存计算结果", "Formulas saved without their results"),
    "gate_error": ("校验程序出错", "Quality gate error"),
}

_KIND_EN = {
    "cases": "Assistance cases",
    "takedowns": "Takedown notices",
    "patents": "Patent pre-exams",
    "trademarks": "Trademark cases",
    "notarizations": "Notarizations",
}


def _fields() -> dict[str, tuple[str, str]]:
    """Source columns as the clerk's file heads them: the Chinese header alias (etl/sources),
    and the canonical name an English file uses, so a clerk finds the cell to fix."""
    fields: dict[str, tuple[str, str]] = {}
    for kind in KINDS.values():
        for column in kind.columns:
            fields.setdefault(column.name, (column.zh, column.name))
    return fields


LOCAL_CODES: dict[str, dict[str, tuple[str, str]]] = {
    "verdict": {
        "ok": ("通过", "Passed"),
        "quarantined": ("部分隔离", "Partly held back"),
        "rejected": ("拒收", "Rejected"),
    },
    "load_status": {
        "loaded": ("已加载", "Loaded"),
        "skipped": ("已跳过（重复）", "Skipped (already loaded)"),
        "rejected": ("拒收", "Rejected"),
    },
    "load_state": {
        "current": ("当前快照", "Current snapshot"),
        "live": ("已生效", "In the data"),
        "withdrawn": ("已撤回", "Withdrawn"),
        "nothing_new": ("无新数据", "Nothing new"),
    },
    "snapshot_state": {
        "current": ("当前", "Current"),
        "withdrawn": ("已撤回", "Withdrawn"),
        "earlier": ("较早", "Earlier"),
    },
    "snapshot_build": {
        "full": ("完整生成", "Full"),
        "incremental": ("增量生成", "Incremental"),
    },
    "quarantine_status": {
        "open": ("待更正", "Open"),
        "resolved": ("已更正", "Resolved"),
        "superseded": ("已被新报送取代", "Superseded"),
    },
    # fct_notarizations.chain_status (docs/data-model.md, "The evidence chain")
    "chain_status": {
        "intact": ("完好", "Intact"),
        "altered": ("被改动", "Altered"),
        "linked_to_altered": ("链接到被改动的记录", "Linked to an altered record"),
        "gap": ("前序记录缺失", "Gap: record before it missing"),
        "fork": ("分叉：与另一条记录声称同一前序", "Fork: same predecessor as another record"),
        "reordered": ("顺序被调换", "Reordered"),
        "after_break": ("位于断点之后（本身完好）", "After a break (itself in place)"),
    },
    # `-`: a rejected file whose kind the headers did not show (quality_files coalesces to it)
    "record_kind": {name: (kind.zh, _KIND_EN[name]) for name, kind in KINDS.items()}
    | {"-": ("未识别", "Unknown")},
    "rule": _RULES,
    "reason_code": _REASONS,
    "field": _fields(),
    "latency_bucket": {"live": ("未下架", "Still live")},  # takedown_distribution
    # the 督办 worklist (etl/sql/kpis/worklist_items.sql)
    "worklist_status": {"late": ("已超期", "Late"), "due": ("即将到期", "Due soon")},
    "alert_channel": {"email": ("邮件", "E-mail"), "webhook": ("群机器人", "Group robot")},
    "alert_status": {
        "pending": ("待发送", "Pending"),
        "sent": ("已发送", "Sent"),
        "failed": ("发送失败", "Failed"),
        "given_up": ("已放弃重试", "Given up"),
    },
    # why a send failed (dashboard/alerts/channels.py KINDS; the full sentence: i18n alert_error_*)
    "alert_error_kind": {
        "not_configured": ("未设置邮件服务器", "No SMTP server set"),
        "settings": ("邮件设置有误", "Settings wrong"),
        "unreachable": ("无法连接", "Unreachable"),
        "tls_untrusted": ("证书不受信任", "Certificate not trusted"),
        "tls_failed": ("加密连接失败", "TLS failed"),
        "starttls_unavailable": ("服务器不提供加密", "No STARTTLS"),
        "auth_unencrypted": ("拒绝明文发送密码", "Password kept off plain text"),
        "auth_unavailable": ("不支持登录", "No sign-in offered"),
        "auth_failed": ("登录失败", "Sign-in failed"),
        "auth_required": ("需要登录", "Sign-in required"),
        "rejected": ("服务器拒收", "Refused"),
        "failed": ("发送出错", "Failed"),
    },
    "worklist_kind": {
        "takedown_live": ("下架通知超时未下架", "Listing still live"),
        "opinion_missing": ("咨询意见超时未出具", "Advisory opinion missing"),
        "case_open": ("案件超期未结", "Case open too long"),
        "referral_unanswered": ("协作方超时未办结", "Referral unanswered"),
    },
    "code_list": {
        domain: (zh, en[0].upper() + en[1:]) for domain, (zh, en) in DOMAIN_NAMES.items()
    },
    "publish_status": {  # etl/preview: what a publish would do with a file
        "loads": ("加载", "Loads"),
        "reverts": ("需确认：会恢复旧版本", "Needs confirming: puts records back"),
        "skipped": ("跳过（已加载过）", "Skipped (already loaded)"),
        "rejected": ("拒收", "Rejected"),
    },
}


def local_codes(lang: str) -> dict[str, dict[str, str]]:
    """LOCAL_CODES in one language, shaped like `dashboard.queries.codes(snapshot, lang)`."""
    index = 0 if lang == "zh" else 1
    return {
        domain: {code: names[index] for code, names in entries.items()}
        for domain, entries in LOCAL_CODES.items()
    }


def column(name: str) -> Column | None:
    """The entry for a column name, or None for a column no query returns (SQL console)."""
    return COLUMNS.get(name)
