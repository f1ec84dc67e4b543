-- Notarizations completed per month/quarter and their turnaround in hours; an altered record
-- (is_altered) is not counted, as in kpi_headline (docs/kpis.md).
select
    date_trunc($grain, notarized_on)::date as period_start,
    count(*) as notarizations,
    latency_quantiles(turnaround_hours).median as median_hours,
    latency_quantiles(turnaround_hours).p90 as p90_hours
from fct_notarizations
where notarized_on between $start and $end
    and chosen($platforms, platform)
    and not is_altered
group by all
order by period_start
