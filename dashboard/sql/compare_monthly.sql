-- The headline KPIs of each month from $start to $end, district-wide: the Compare page's small
-- trend of a period side. Read from kpi_monthly (materialized per snapshot, every month equal
-- to kpi_headline for that month: tests/test_kpis.py), so a year's trend is one read, not
-- twelve kpi_headline calls.
select
    month_start as period_start,
    * exclude (month_start)
from kpi_monthly
where month_start between $start and $end
order by month_start
