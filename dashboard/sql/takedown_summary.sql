-- Takedown notices sent in the period: counts and latency in China working days (the KPIs'
-- latency_quantiles, for the notices matching the filters).
select
    count(*) as notices,
    count(*) filter (where is_removed) as removed,
    count(*) filter (where not is_removed) as still_live,
    latency_quantiles(latency_workdays).median as median_workdays,
    latency_quantiles(latency_workdays).p90 as p90_workdays,
    avg(is_within_2wd::int) as within_2wd_share
from fct_takedowns
where notice_sent_on between $start and $end
    and chosen($platforms, platform)
