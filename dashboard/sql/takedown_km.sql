-- Kaplan-Meier: share of listings still live t working days after the notice, per platform.
-- A listing still live is censored at its age on $as_of, so open notices count for as long as
-- they have been observed instead of vanishing from the latency statistics.
with notices as (
    select
        t.platform,
        t.is_removed as event,
        coalesce(t.latency_workdays, a.workday_index - s.workday_index) as t
    from fct_takedowns as t
    join dim_date as s on s.date_day = t.notice_sent_on
    cross join (select workday_index from dim_date where date_day = $as_of) as a
    where t.notice_sent_on between $start and $end
        and t.notice_sent_on <= $as_of
        and chosen($platforms, t.platform)
),

steps as (
    select
        platform,
        t,
        count(*) filter (where event) as removed,
        count(*) as leaving
    from notices
    group by platform, t
),

at_risk as (
    select
        *,
        (sum(leaving) over (partition by platform order by t desc))::bigint as n_at_risk
    from steps
),

final as (
    select
        platform,
        t as workdays,
        n_at_risk,
        removed,
        exp(sum(ln(greatest(1 - removed / n_at_risk, 1e-12)))
            over (partition by platform order by t)) as share_still_live
    from at_risk
)

select * from final order by platform, workdays
