-- Kaplan-Meier: share of listings still live t working days after the notice, per platform,
-- as known on the cut-off day $as_of (the period's end, or the data's last day when that comes
-- first). A listing removed by $as_of is an event at its latency; one still live on $as_of,
-- including one removed later, is censored at its age on $as_of. So a past quarter's curve is
-- what was known at its end and does not change with later loads, and the current period's is
-- the curve to date (docs/kpis.md, "Survival curves"; tests/test_survival.py holds it to
-- lifelines' KaplanMeierFitter).
with cutoff as (
    select workday_index from dim_date where date_day = $as_of
),

notices as (
    select
        t.platform,
        coalesce(t.removed_on <= $as_of, false) as event,
        case
            when t.removed_on <= $as_of then t.latency_workdays
            else c.workday_index - s.workday_index
        end as t
    from fct_takedowns as t
    join dim_date as s on s.date_day = t.notice_sent_on
    cross join cutoff as c
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
