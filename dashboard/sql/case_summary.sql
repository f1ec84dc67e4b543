-- Assistance cases of the period: received, closed, open at $as_of, and advisory opinions
-- issued within the 2-working-day target (share of the opinions issued so far).
select
    count(*) filter (where received_on between $start and $end) as received,
    count(*) filter (where closed_on between $start and $end) as closed,
    count(*) filter (where received_on <= $as_of and (closed_on is null or closed_on > $as_of))
        as open_end,
    avg((opinion_latency_workdays <= 2)::int) filter (
        where service_type = 'advisory_opinion' and received_on between $start and $end
            and opinion_latency_workdays is not null) as opinion_within_2wd_share
from fct_cases
where chosen($platforms, platform)
    and chosen($locations, complainant_park)
    and chosen($ip_types, ip_type)
    and chosen($regions, referral_partner)
