-- Assistance cases received and closed per month/quarter ($grain), and the open backlog at the
-- end of each, for cases matching the filters.
with cases as (
    select * from fct_cases
    where chosen($platforms, platform)
        and chosen($locations, complainant_park)
        and chosen($ip_types, ip_type)
        and chosen($regions, referral_partner)
),

periods as (
    select distinct date_trunc($grain, date_day)::date as period_start
    from dim_date where date_day between $start and $end
),

final as (
    select
        p.period_start,
        (select count(*) from cases as c
         where date_trunc($grain, c.received_on) = p.period_start) as received,
        (select count(*) from cases as c
         where date_trunc($grain, c.closed_on) = p.period_start) as closed,
        (select count(*) from cases as c
         where c.received_on < p.period_start + to_months(case when $grain = 'quarter' then 3
                                                                else 1 end)
            and (c.closed_on is null or c.closed_on >= p.period_start
                 + to_months(case when $grain = 'quarter' then 3 else 1 end))) as open_end
    from periods as p
)

select * from final order by period_start
