-- The trademark enforcement cases opened in the period (drill-down).
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    enforcement_id, opened_on, closed_on, agency, brand, brand_category, infringement_type,
    location, units_seized, goods_value_yuan, fine_yuan, is_transferred_to_police, partner_region
from fct_trademark_cases
where opened_on between $start and $end
    and chosen($locations, location)
    and chosen($regions, partner_region)
order by opened_on, enforcement_id
limit $limit
