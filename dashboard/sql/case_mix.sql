-- Cases received in the period by service type and IP type (display names included).
select
    c.service_type,
    s.name_zh as service_zh,
    s.name_en as service_en,
    c.ip_type,
    i.name_zh as ip_zh,
    i.name_en as ip_en,
    count(*) as cases
from fct_cases as c
left join dim_code as s on s.domain = 'service_type' and s.code = c.service_type
left join dim_code as i on i.domain = 'ip_type' and i.code = c.ip_type
where c.received_on between $start and $end
    and chosen($platforms, c.platform)
    and chosen($locations, c.complainant_park)
    and chosen($ip_types, c.ip_type)
    and chosen($regions, c.referral_partner)
group by all
order by cases desc
