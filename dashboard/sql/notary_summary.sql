-- Notarizations completed in the period and their turnaround; an altered record is not counted
-- (as in kpi_headline, docs/kpis.md): altered_not_counted says how many were left out.
select
    count(*) filter (where is_record_hash_valid) as notarizations,
    latency_quantiles(case when is_record_hash_valid then turnaround_hours end).median
        as median_hours,
    latency_quantiles(case when is_record_hash_valid then turnaround_hours end).p90 as p90_hours,
    count(*) filter (where not is_record_hash_valid) as altered_not_counted
from fct_notarizations
where notarized_on between $start and $end
    and chosen($platforms, platform)
