-- meta_data_span: the first and last day on which anything happened in the data ("data up to").
-- Grain: one row. A period's cut-off day is its end, or last_day when that comes first: open
-- notices and cases are aged on it, and Kaplan-Meier curves drawn as known on it (a removal
-- after it is still open then; docs/kpis.md, "Survival curves").
-- zh: meta_data_span：数据中最早和最晚发生业务的日期（“数据截至”）。粒度：一行。
-- zh: 统计期间的截止日为期末，若 last_day 更早则为 last_day：未下架通知和在办案件的已等待时长
-- zh: 计算至截止日，Kaplan-Meier 曲线按截止日当天已知的情况绘制
-- zh: （截止日之后才下架的，在截止日仍按未下架计；见 docs/kpis.md“生存曲线”）。
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
