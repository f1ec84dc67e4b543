-- The notarizations completed in the period (drill-down): the records the KPI counts, so an
-- altered record is not among them (the chain's breaks list shows it).
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    notarization_id, requested_at, notarized_at, turnaround_hours, evidence_type, platform,
    case_id, chain_status
from fct_notarizations
where notarized_on between $start and $end
    and chosen($platforms, platform)
    and not is_altered
order by notarized_at, notarization_id
limit $limit
