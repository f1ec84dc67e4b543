-- kpi_provisional(start_date, end_date): how far one period's working-day KPIs rest on a
-- provisional calendar (dim_date.is_provisional: no official schedule known for the day).
-- Grain: one row. provisional_days counts the period's days without an official schedule,
-- first_provisional_day is the first such day from the period's start on (a notice of the
-- period may be removed after its end);
-- takedown_provisional_notices the notices sent in the period whose latency (notice day to
-- removal day, or the notice day while live) touches such a day: when it is not 0, the takedown
-- median, P90 and 2-working-day share of the period are provisional (docs/kpis.md) and every
-- place that shows them says so: `ipgov kpis`, the dashboard, the briefing.
-- zh: kpi_provisional(start_date, end_date)：一个统计期间以工作日计的指标在多大程度上依赖暂定日历
-- zh: （dim_date.is_provisional：该日尚无官方节假日安排）。粒度：一行。provisional_days 为期间内
-- zh: 没有官方安排的天数，first_provisional_day 为自期间首日起第一个此类日期（期间内的通知可能在期末后下架）；takedown_provisional_notices 为期间内发出、其用时（通知日至下架日，
-- zh: 仍在线时为通知日）涉及此类日期的下架通知数：不为 0 时，该期间的下架时效中位数、P90 和
-- zh: 2个工作日内下架占比均为暂定（docs/kpis.md），ipgov kpis、看板和简报都会注明。
-- materialized: macro
-- parameters: start_date, end_date
with days as (
    select
        count(*) filter (where is_provisional and date_day <= end_date::date)
            as provisional_days,
        min(date_day) filter (where is_provisional) as first_provisional_day
    from dim_date
    where date_day >= start_date::date
),

notices as (
    select count(*) filter (where is_provisional) as takedown_provisional_notices
    from fct_takedowns
    where notice_sent_on between start_date::date and end_date::date
),

final as (
    select
        days.provisional_days,
        days.first_provisional_day,
        notices.takedown_provisional_notices
    from days, notices
)

select * from final
