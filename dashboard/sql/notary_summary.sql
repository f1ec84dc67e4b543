-- Notarizations completed in the period and their turnaround.
select
    count(*) as notarizations,
    median(turnaround_hours) as median_hours,
    quantile_cont(turnaround_hours, 0.9) as p90_hours
from fct_notarizations
where notarized_on between $start and $end
    and chosen($platforms, platform)
