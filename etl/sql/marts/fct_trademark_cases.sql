-- fct_trademark_cases: trademark enforcement cases (leather goods and others).
-- Grain: one row per enforcement case. Money in yuan (DECIMAL), goods in pieces.
with cases as (
    select * from staging.stg_trademarks
),

final as (
    select
        enforcement_id,
        opened_on,
        closed_on,
        closed_on is not null as is_closed,
        date_diff('day', opened_on, closed_on) as duration_days,
        agency,
        brand,
        brand_category,
        infringement_type,
        location,
        units_seized,
        goods_value_yuan,
        fine_yuan,
        coalesce(transferred_to_police, false) as is_transferred_to_police,
        partner_region,
        load_id
    from cases
)

select * from final
