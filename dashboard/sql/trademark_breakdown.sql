-- Trademark cases opened in the period by a dimension: brand category, location (park or
-- market), infringement type or agency ($dimension), with display names.
with cases as (
    select
        case $dimension
            when 'brand_category' then brand_category
            when 'location' then location
            when 'infringement_type' then infringement_type
            when 'agency' then agency
        end as code,
        fine_yuan,
        units_seized
    from fct_trademark_cases
    where opened_on between $start and $end
        and chosen($locations, location)
        and chosen($regions, partner_region)
)

select
    cases.code,
    coalesce(any_value(c.name_zh), cases.code) as name_zh,
    coalesce(any_value(c.name_en), cases.code) as name_en,
    count(*) as cases,
    coalesce(sum(fine_yuan), 0)::decimal(18, 2) as fines_yuan,
    coalesce(sum(units_seized), 0) as units_seized
from cases
left join dim_code as c on c.domain = $dimension and c.code = cases.code
group by cases.code
order by cases desc
