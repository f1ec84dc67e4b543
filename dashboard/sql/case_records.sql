-- The cases received in the period (drill-down), no personal data.
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    case_id, received_on, service_type, ip_type, complainant_enterprise, complainant_park,
    platform, status, closed_on, outcome, referral_direction, referral_partner
from fct_cases
where received_on between $start and $end
    and chosen($platforms, platform)
    and chosen($locations, complainant_park)
    and chosen($ip_types, ip_type)
    and chosen($regions, referral_partner)
order by received_on, case_id
limit $limit
