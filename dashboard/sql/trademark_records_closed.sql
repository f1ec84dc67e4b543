-- The trademark cases closed in the period, with their fines (drill-down for fines).
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    enforcement_id, opened_on, closed_on, agency, brand, infringement_type, location,
    fine_yuan, is_transferred_to_police
from fct_trademark_cases
where closed_on between $start and $end
    and chosen($locations, location)
    and chosen($regions, partner_region)
order by closed_on, enforcement_id
limit $limit
