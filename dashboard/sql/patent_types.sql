-- Applications accepted in the period by patent type, with the share granted so far and the
-- median cycle (calendar days from acceptance to grant). Aggregated first, then named.
with accepted as (
    select
        patent_type,
        count(*) as accepted,
        count(*) filter (where is_authorized) as authorized,
        avg(is_authorized::int) as authorized_share,
        median(cycle_days) as median_cycle_days
    from fct_patent_preexams
    where accepted_on between $start and $end
    group by all
)

select
    a.patent_type, c.name_zh, c.name_en, a.accepted, a.authorized, a.authorized_share,
    a.median_cycle_days
from accepted as a
left join dim_code as c on c.domain = 'patent_type' and c.code = a.patent_type
order by a.accepted desc
