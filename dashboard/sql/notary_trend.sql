-- Notarizations completed per month/quarter and their turnaround in hours.
select
    date_trunc($grain, notarized_on)::date as period_start,
    count(*) as notarizations,
    median(turnaround_hours) as median_hours,
    quantile_cont(turnaround_hours, 0.9) as p90_hours
from fct_notarizations
where notarized_on between $start and $end
    and chosen($platforms, platform)
group by all
order by period_start
