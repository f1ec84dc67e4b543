-- kpi_monthly: the headline KPIs for every calendar month that has data, for trend charts.
-- Grain: one row per month (month_start). Same definitions as kpi_headline, month by month;
-- cases_open_end is the backlog at the month's last day.
with months as (
    select distinct month_start, last_day(month_start) as month_end
    from dim_date
    where month_start between (select min(received_on) from fct_cases)
        and (select max(notice_sent_on) from fct_takedowns)
),

final as (
    select m.month_start, k.* exclude (period_start, period_end)
    from months as m, lateral kpi_headline(m.month_start, m.month_end) as k
)

select * from final order by month_start
