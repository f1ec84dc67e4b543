-- Takedown notices sent in the period: counts and latency in China working days (the KPIs'
-- latency_quantiles and within_2wd_share, for the notices matching the filters), and how many
-- are pending: still live with their 2-working-day window open at the data's end, left out of
-- the share (takedown_2wd_pending). Removed and still live are as known on the cut-off day
-- $as_of, as on the Kaplan-Meier curve: a listing removed later was still live then, so a past
-- quarter's backlog reads what it was at its end, like cases_open_end (docs/kpis.md).
select
    count(*) as notices,
    count(*) filter (where removed_on <= $as_of) as removed,
    count(*) filter (where removed_on is null or removed_on > $as_of) as still_live,
    latency_quantiles(latency_workdays).median as median_workdays,
    latency_quantiles(latency_workdays).p90 as p90_workdays,
    within_2wd_share(is_within_2wd, is_removed, notice_sent_on) as within_2wd_share,
    count(*) filter (where takedown_2wd_pending(is_removed, notice_sent_on)) as pending_2wd
from fct_takedowns
where notice_sent_on between $start and $end
    and chosen($platforms, platform)
