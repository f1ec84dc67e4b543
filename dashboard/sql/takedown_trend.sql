-- Takedown notices and latency per month or quarter ($grain) of the notice (latency_quantiles:
-- a quarter's median is not a mean of its months', so not read from kpi_monthly).
select
    date_trunc($grain, notice_sent_on)::date as period_start,
    count(*) as notices,
    latency_quantiles(latency_workdays).median as median_workdays,
    latency_quantiles(latency_workdays).p90 as p90_workdays,
    within_2wd_share(is_within_2wd, is_removed, notice_sent_on) as within_2wd_share
from fct_takedowns
where notice_sent_on between $start and $end
    and chosen($platforms, platform)
group by all
order by period_start
