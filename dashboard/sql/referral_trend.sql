-- Referrals out and in per month/quarter.
select
    date_trunc($grain, referred_on)::date as period_start,
    count(*) filter (where direction = 'out') as referrals_out,
    count(*) filter (where direction = 'in') as referrals_in
from fct_referrals
where referred_on between $start and $end
    and (len($ip_types::varchar[]) = 0 or list_contains($ip_types::varchar[], ip_type))
    and (len($platforms::varchar[]) = 0 or list_contains($platforms::varchar[], platform))
    and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], partner_region))
group by all
order by period_start
