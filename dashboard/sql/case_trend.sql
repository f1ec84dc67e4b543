-- Assistance cases received and closed per month/quarter ($grain), and the open backlog at the
-- end of each, for cases matching the filters.
-- Open at the end of a period = received by then minus settled by then, where a case is settled
-- in the period of the later of its receipt and its closing: running sums over every period
-- from the first case on, so each case is read once (not once per period).
with cases as (
    select received_on, closed_on
    from fct_cases
    where chosen($platforms, platform)
        and chosen($locations, complainant_park)
        and chosen($ip_types, ip_type)
        and chosen($regions, referral_partner)
),

received as (
    select date_trunc($grain, received_on)::date as period_start, count(*) as received
    from cases
    group by all
),

closed as (
    select date_trunc($grain, closed_on)::date as period_start, count(*) as closed
    from cases
    where closed_on is not null
    group by all
),

settled as (
    select date_trunc($grain, greatest(received_on, closed_on))::date as period_start,
        count(*) as settled
    from cases
    where closed_on is not null and received_on is not null
    group by all
),

periods as (
    select distinct date_trunc($grain, date_day)::date as period_start
    from dim_date where date_day between $start and $end
),

every_period as (
    select period_start from periods
    union
    select period_start from received
    union
    select period_start from settled
),

running as (
    select
        e.period_start,
        coalesce(r.received, 0) as received,
        coalesce(c.closed, 0) as closed,
        sum(coalesce(r.received, 0) - coalesce(s.settled, 0))
            over (order by e.period_start)::bigint as open_end
    from every_period as e
    left join received as r using (period_start)
    left join closed as c using (period_start)
    left join settled as s using (period_start)
),

final as (
    select r.period_start, r.received, r.closed, r.open_end
    from running as r
    semi join periods as p using (period_start)
)

select * from final order by period_start
