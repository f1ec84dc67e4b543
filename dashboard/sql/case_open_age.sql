-- Cases open on $as_of (received by then, not closed by then), aged in calendar days, oldest
-- first: the first rows for the Overview's drill-down, or every row for the Cases page's
-- histogram.
select
    case_id,
    received_on,
    service_type,
    ip_type,
    platform,
    status,
    date_diff('day', received_on, $as_of::date) as age_days
from fct_cases
where received_on <= $as_of and (closed_on is null or closed_on > $as_of)
    and chosen($platforms, platform)
    and chosen($locations, complainant_park)
    and chosen($ip_types, ip_type)
    and chosen($regions, referral_partner)
order by age_days desc, case_id
limit $limit
