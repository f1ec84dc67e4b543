-- Trademark enforcement: cases opened in the period and what came of those closed in it.
select
    count(*) filter (where opened_on between $start and $end) as cases_opened,
    count(*) filter (where closed_on between $start and $end) as cases_closed,
    coalesce(sum(fine_yuan) filter (where closed_on between $start and $end), 0)
        ::decimal(18, 2) as fines_yuan,
    coalesce(sum(units_seized) filter (where opened_on between $start and $end), 0)
        as units_seized,
    coalesce(sum(goods_value_yuan) filter (where opened_on between $start and $end), 0)
        ::decimal(18, 2) as goods_value_yuan,
    count(*) filter (where opened_on between $start and $end and is_transferred_to_police)
        as transferred_to_police
from fct_trademark_cases
where chosen($locations, location)
    and chosen($regions, partner_region)
