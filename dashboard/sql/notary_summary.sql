-- Notarizations completed in the period and their turnaround.
select
    count(*) as notarizations,
    latency_quantiles(turnaround_hours).median as median_hours,
    latency_quantiles(turnaround_hours).p90 as p90_hours
from fct_notarizations
where notarized_on between $start and $end
    and chosen($platforms, platform)
