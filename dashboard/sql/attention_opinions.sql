-- Needs attention: advisory-opinion cases received by $as_of, still without an opinion on
-- $as_of more than $opinion_workdays working days after receipt (the center's public promise:
-- 2; dashboard/targets.py), oldest first.
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    c.case_id,
    c.received_on,
    c.ip_type,
    c.platform,
    c.complainant_park,
    a.workday_index - r.workday_index as waiting_workdays
from fct_cases as c
join dim_date as r on r.date_day = c.received_on
cross join (select workday_index from dim_date where date_day = $as_of) as a
where c.service_type = 'advisory_opinion'
    and c.received_on <= $as_of
    and (c.advisory_opinion_on is null or c.advisory_opinion_on > $as_of)
    and (c.closed_on is null or c.closed_on > $as_of)
    and a.workday_index - r.workday_index > $opinion_workdays
order by waiting_workdays desc, c.case_id
limit $limit
