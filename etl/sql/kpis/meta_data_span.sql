-- meta_data_span: the first and last day on which anything happened in the data ("data up to").
-- Grain: one row. Open notices and cases are aged, and Kaplan-Meier curves censored, at last_day.
-- zh: meta_data_span：数据中最早和最晚发生业务的日期（“数据截至”）。粒度：一行。
-- zh: 未下架通知和在办案件的已等待时长计算至 last_day，Kaplan-Meier 曲线也在 last_day 删失。
-- unique: ()
with days as (
    select min(received_on) as d0, max(greatest(received_on, closed_on)) as d1 from fct_cases
    union all
    select min(notice_sent_on), max(greatest(notice_sent_on, removed_on)) from fct_takedowns
    union all
    select min(accepted_on), max(greatest(accepted_on, authorized_on)) from fct_patent_preexams
    union all
    select min(opened_on), max(greatest(opened_on, closed_on)) from fct_trademark_cases
    union all
    select min(requested_at::date), max(notarized_on) from fct_notarizations
),

final as (
    select
        min(d0) as first_day,  -- Earliest event date in the snapshot. | 数据快照中最早的事件日期。
        max(d1) as last_day  -- Latest event date in the snapshot ("data up to"). | 数据快照中最晚的事件日期（“数据截至”）。
    from days
)

select * from final
