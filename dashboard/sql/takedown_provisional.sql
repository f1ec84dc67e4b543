-- Takedown notices sent in the period whose latency touches a day without an official holiday
-- schedule (fct_takedowns.is_provisional), among the notices matching the filters, and the
-- first such day from the period's start on: the dashboard's "provisional" note near the
-- working-day KPIs (kpi_provisional is the same count for the district, docs/kpis.md).
select
    count(*) filter (where is_provisional) as provisional_notices,
    (
        select min(date_day) from dim_date where is_provisional and date_day >= $start
    ) as first_provisional_day
from fct_takedowns
where notice_sent_on between $start and $end
    and chosen($platforms, platform)
