-- Advisory-opinion turnaround for opinion cases received in the period, against the 2-working-day
-- target: working days from receipt to opinion (pending opinions have no value yet).
select
    opinion_latency_workdays as workdays,
    count(*) as cases
from fct_cases
where service_type = 'advisory_opinion'
    and received_on between $start and $end
    and chosen($platforms, platform)
    and chosen($locations, complainant_park)
    and chosen($ip_types, ip_type)
    and chosen($regions, referral_partner)
group by all
order by workdays nulls last
