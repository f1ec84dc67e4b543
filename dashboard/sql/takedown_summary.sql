-- Takedown notices sent in the period: counts and latency in China working days.
select
    count(*) as notices,
    count(*) filter (where is_removed) as removed,
    count(*) filter (where not is_removed) as still_live,
    quantile_cont(latency_workdays, 0.5) as median_workdays,
    quantile_cont(latency_workdays, 0.9) as p90_workdays,
    avg(is_within_2wd::int) as within_2wd_share
from fct_takedowns
where notice_sent_on between $start and $end
    and chosen($platforms, platform)
