-- Advisory-opinion turnaround for opinion cases received in the period, against the 2-working-day
-- target: working days from receipt to opinion (pending opinions have no value yet).
select
    opinion_latency_workdays as workdays,
    count(*) as cases
from fct_cases
where service_type = 'advisory_opinion'
    and received_on between $start and $end
    and (len($platforms::varchar[]) = 0 or list_contains($platforms::varchar[], platform))
    and (len($locations::varchar[]) = 0
         or list_contains($locations::varchar[], complainant_park))
    and (len($ip_types::varchar[]) = 0 or list_contains($ip_types::varchar[], ip_type))
    and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], referral_partner))
group by all
order by workdays nulls last
