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
    and (len($platforms::varchar[]) = 0 or list_contains($platforms::varchar[], c.platform))
    and (len($locations::varchar[]) = 0
         or list_contains($locations::varchar[], c.complainant_park))
    and (len($ip_types::varchar[]) = 0 or list_contains($ip_types::varchar[], c.ip_type))
    and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], c.referral_partner))
group by all
order by cases desc
