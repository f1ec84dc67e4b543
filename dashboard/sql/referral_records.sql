-- The referrals of the period (drill-down), in and out, or only those in `directions`.
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    case_id, direction, partner_region, ip_type, platform, received_on, referred_on,
    referral_closed_on, referral_latency_workdays, outcome
from fct_referrals
where referred_on between $start and $end
    and chosen($ip_types, ip_type)
    and chosen($platforms, platform)
    and chosen($regions, partner_region)
    and chosen($directions, direction)
order by referred_on, case_id
limit $limit
