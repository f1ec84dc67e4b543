-- Takedown latency per platform for notices sent in the period (slowest median first); still live
-- on the cut-off day $as_of, as the summary counts it.
select
    t.platform,
    any_value(c.name_zh) as name_zh,
    any_value(c.name_en) as name_en,
    count(*) as notices,
    count(*) filter (where t.removed_on is null or t.removed_on > $as_of) as still_live,
    latency_quantiles(t.latency_workdays).median as median_workdays,
    latency_quantiles(t.latency_workdays).p90 as p90_workdays,
    within_2wd_share(t.is_within_2wd, t.is_removed, t.notice_sent_on) as within_2wd_share
from fct_takedowns as t
left join dim_code as c on c.domain = 'platform' and c.code = t.platform
where t.notice_sent_on between $start and $end
    and chosen($platforms, t.platform)
group by t.platform
order by within_2wd_share, median_workdays desc
