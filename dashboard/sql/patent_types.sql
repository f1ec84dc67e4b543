-- Applications accepted in the period by patent type, with the share granted so far and the
-- median cycle (calendar days from acceptance to grant).
select
    p.patent_type,
    c.name_zh,
    c.name_en,
    count(*) as accepted,
    count(*) filter (where p.is_authorized) as authorized,
    avg(p.is_authorized::int) as authorized_share,
    median(p.cycle_days) as median_cycle_days
from fct_patent_preexams as p
left join dim_code as c on c.domain = 'patent_type' and c.code = p.patent_type
where p.accepted_on between $start and $end
group by all
order by accepted desc
