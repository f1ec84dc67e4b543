-- The cases closed in the period (drill-down), no personal data.
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    case_id, received_on, closed_on, service_type, ip_type, complainant_enterprise, platform,
    status, outcome, closing_latency_workdays
from fct_cases
where closed_on between $start and $end
    and chosen($platforms, platform)
    and chosen($locations, complainant_park)
    and chosen($ip_types, ip_type)
    and chosen($regions, referral_partner)
order by closed_on, case_id
limit $limit
