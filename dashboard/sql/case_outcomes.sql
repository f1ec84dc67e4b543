-- Cases closed in the period by outcome.
select
    c.outcome,
    o.name_zh,
    o.name_en,
    count(*) as cases
from fct_cases as c
left join dim_code as o on o.domain = 'outcome' and o.code = c.outcome
where c.closed_on between $start and $end
    and (len($platforms::varchar[]) = 0 or list_contains($platforms::varchar[], c.platform))
    and (len($locations::varchar[]) = 0
         or list_contains($locations::varchar[], c.complainant_park))
    and (len($ip_types::varchar[]) = 0 or list_contains($ip_types::varchar[], c.ip_type))
    and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], c.referral_partner))
group by all
order by cases desc
