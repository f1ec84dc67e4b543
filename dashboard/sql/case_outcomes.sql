-- Cases closed in the period by outcome.
select
    c.outcome,
    o.name_zh,
    o.name_en,
    count(*) as cases
from fct_cases as c
left join dim_code as o on o.domain = 'outcome' and o.code = c.outcome
where c.closed_on between $start and $end
    and chosen($platforms, c.platform)
    and chosen($locations, c.complainant_park)
    and chosen($ip_types, c.ip_type)
    and chosen($regions, c.referral_partner)
group by all
order by cases desc
