-- Needs attention: takedown notices whose listing is still live on $as_of more than
-- $takedown_workdays working days (the center's public promise: 2; dashboard/targets.py) after
-- the notice was sent, any period, oldest first.
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    t.notice_id,
    t.platform,
    t.notice_sent_at,
    a.workday_index - s.workday_index as open_workdays,
    t.case_id,
    t.listing_url
from fct_takedowns as t
join dim_date as s on s.date_day = t.notice_sent_on
cross join (select workday_index from dim_date where date_day = $as_of) as a
where (t.removed_on is null or t.removed_on > $as_of)
    and t.notice_sent_on <= $as_of
    and a.workday_index - s.workday_index > $takedown_workdays
order by open_workdays desc, t.notice_id
limit $limit
