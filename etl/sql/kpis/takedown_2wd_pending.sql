-- takedown_2wd_pending(is_removed, notice_sent_on): whether a takedown notice is pending — still
-- live at the data's end with its 2-working-day window still open (takedown_2wd_window): neither
-- within nor past the target yet. The one definition for the share's denominator
-- (within_2wd_share) and every count of pending notices (kpi_headline, the Takedowns page, the
-- briefing, `ipgov kpis`).
-- zh: takedown_2wd_pending(is_removed, notice_sent_on)：下架通知是否“待定”——截至数据截至日仍未
-- zh: 下架，且其2个工作日时限尚未届满（takedown_2wd_window）：既不算达标也不算超时。
-- zh: 2个工作日内下架占比的分母（within_2wd_share）和所有待定通知计数（kpi_headline、
-- zh: 下架页面、简报、`ipgov kpis`）共用这一个定义。
-- materialized: scalar_macro
-- parameters: is_removed, notice_sent_on
coalesce(
    not is_removed
    and notice_sent_on >= (select window_open_from from takedown_2wd_window),
    false
)
