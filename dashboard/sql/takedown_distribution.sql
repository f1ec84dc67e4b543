-- How many notices were removed after 0, 1, 2, … working days (10+ grouped), and still live, as
-- known on the cut-off day $as_of (as the Kaplan-Meier curve beside it and the summary's tiles:
-- a listing removed later was still live then).
with notices as (
    select
        case
            when removed_on is null or removed_on > $as_of then 99
            else least(latency_workdays, 10)
        end as bucket
    from fct_takedowns
    where notice_sent_on between $start and $end
        and chosen($platforms, platform)
)

select
    bucket,
    case when bucket = 99 then 'live' when bucket = 10 then '10+' else bucket::varchar end
        as latency_label,
    count(*) as notices
from notices
group by bucket
order by bucket
