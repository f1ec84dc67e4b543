-- Takedown notices and latency per month or quarter ($grain) of the notice.
select
    date_trunc($grain, notice_sent_on)::date as period_start,
    count(*) as notices,
    quantile_cont(latency_workdays, 0.5) as median_workdays,
    quantile_cont(latency_workdays, 0.9) as p90_workdays,
    avg(is_within_2wd::int) as within_2wd_share
from fct_takedowns
where notice_sent_on between $start and $end
    and chosen($platforms, platform)
group by all
order by period_start
