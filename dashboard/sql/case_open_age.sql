-- Cases open on $as_of (received by then, not closed by then), aged in calendar days.
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
    and (len($platforms::varchar[]) = 0 or list_contains($platforms::varchar[], platform))
    and (len($locations::varchar[]) = 0
         or list_contains($locations::varchar[], complainant_park))
    and (len($ip_types::varchar[]) = 0 or list_contains($ip_types::varchar[], ip_type))
    and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], referral_partner))
order by age_days desc, case_id
