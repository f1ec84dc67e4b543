-- The notices behind the takedown KPIs of the period (drill-down).
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    notice_id, platform, notice_sent_at, removed_at, latency_workdays, is_within_2wd, case_id,
    listing_url
from fct_takedowns
where notice_sent_on between $start and $end
    and chosen($platforms, platform)
order by notice_sent_at, notice_id
limit $limit
