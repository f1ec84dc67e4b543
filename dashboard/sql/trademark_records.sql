-- The trademark enforcement cases opened in the period (drill-down).
select
    enforcement_id, opened_on, closed_on, agency, brand, brand_category, infringement_type,
    location, units_seized, goods_value_yuan, fine_yuan, is_transferred_to_police, partner_region
from fct_trademark_cases
where opened_on between $start and $end
    and (len($locations::varchar[]) = 0 or list_contains($locations::varchar[], location))
    and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], partner_region))
order by opened_on, enforcement_id
