-- The notarizations completed in the period (drill-down).
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    notarization_id, requested_at, notarized_at, turnaround_hours, evidence_type, platform,
    case_id, is_record_hash_valid, is_chain_linked
from fct_notarizations
where notarized_on between $start and $end
    and chosen($platforms, platform)
order by notarized_at, notarization_id
limit $limit
