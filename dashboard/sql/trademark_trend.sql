-- Trademark cases opened, police transfers and fines (of cases closed) per month/quarter.
with opened as (
    select
        date_trunc($grain, opened_on)::date as period_start,
        count(*) as cases_opened,
        count(*) filter (where is_transferred_to_police) as transferred_to_police
    from fct_trademark_cases
    where opened_on between $start and $end
        and chosen($locations, location)
        and chosen($regions, partner_region)
    group by all
),

fines as (
    select date_trunc($grain, closed_on)::date as period_start, sum(fine_yuan) as fines_yuan
    from fct_trademark_cases
    where closed_on between $start and $end
        and chosen($locations, location)
        and chosen($regions, partner_region)
    group by all
)

select
    period_start,
    coalesce(cases_opened, 0) as cases_opened,
    coalesce(transferred_to_police, 0) as transferred_to_police,
    coalesce(fines_yuan, 0)::decimal(18, 2) as fines_yuan
from opened full outer join fines using (period_start)
order by period_start
