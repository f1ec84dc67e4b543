-- Notarizations completed in the period and their turnaround; an altered record is not counted
-- (as in kpi_headline, docs/kpis.md): altered_not_counted says how many were left out.
select
    count(*) filter (where not is_altered) as notarizations,
    latency_quantiles(case when not is_altered then turnaround_hours end).median
        as median_hours,
    latency_quantiles(case when not is_altered then turnaround_hours end).p90 as p90_hours,
    count(*) filter (where is_altered) as altered_not_counted
from fct_notarizations
where notarized_on between $start and $end
    and chosen($platforms, platform)
