-- Referrals in the period by direction and partner (for the Sankey diagram and partner table):
-- count, finished, median working days to finish, and how the cases ended.
select
    r.direction,
    r.partner_region,
    coalesce(any_value(c.name_zh), r.partner_region) as name_zh,
    coalesce(any_value(c.name_en), r.partner_region) as name_en,
    count(*) as referrals,
    count(*) filter (where r.is_finished) as finished,
    median(r.referral_latency_workdays) as median_workdays,
    count(*) filter (where r.outcome in ('settled', 'listing_removed')) as resolved
from fct_referrals as r
left join dim_code as c on c.domain = 'region' and c.code = r.partner_region
where r.referred_on between $start and $end
    and chosen($ip_types, r.ip_type)
    and chosen($platforms, r.platform)
    and chosen($regions, r.partner_region)
group by r.direction, r.partner_region
order by r.direction desc, referrals desc
