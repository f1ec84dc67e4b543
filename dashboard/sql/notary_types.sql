-- Notarizations completed in the period by evidence type; altered records not counted.
select
    n.evidence_type,
    c.name_zh,
    c.name_en,
    count(*) as notarizations,
    latency_quantiles(n.turnaround_hours).median as median_hours
from fct_notarizations as n
left join dim_code as c on c.domain = 'evidence_type' and c.code = n.evidence_type
where n.notarized_on between $start and $end
    and chosen($platforms, n.platform)
    and not n.is_altered
group by all
order by notarizations desc
