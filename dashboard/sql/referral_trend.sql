-- Referrals out and in per month/quarter.
select
    date_trunc($grain, referred_on)::date as period_start,
    count(*) filter (where direction = 'out') as referrals_out,
    count(*) filter (where direction = 'in') as referrals_in
from fct_referrals
where referred_on between $start and $end
    and chosen($ip_types, ip_type)
    and chosen($platforms, platform)
    and chosen($regions, partner_region)
group by all
order by period_start
