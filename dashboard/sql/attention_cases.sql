-- Needs attention: cases open on $as_of (received by then, not closed by then) for more than
-- $min_age_days calendar days, oldest first.
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    case_id,
    received_on,
    service_type,
    ip_type,
    platform,
    status,
    date_diff('day', received_on, $as_of::date) as age_days
from fct_cases
where received_on <= $as_of and (closed_on is null or closed_on > $as_of)
    and date_diff('day', received_on, $as_of::date) > $min_age_days
order by age_days desc, case_id
limit $limit
