-- Notices sent in the period whose listing is still live on $as_of (the cut-off day: one removed
-- later was still live then, as on the Kaplan-Meier curve and the Overview's attention list),
-- oldest first.
select
    t.notice_id,
    t.platform,
    t.listing_url,
    t.notice_sent_at,
    t.case_id,
    a.workday_index - s.workday_index as open_workdays
from fct_takedowns as t
join dim_date as s on s.date_day = t.notice_sent_on
cross join (select workday_index from dim_date where date_day = $as_of) as a
where (t.removed_on is null or t.removed_on > $as_of)
    and t.notice_sent_on between $start and $end
    and t.notice_sent_on <= $as_of
    and chosen($platforms, t.platform)
order by open_workdays desc, t.notice_id
limit 200
