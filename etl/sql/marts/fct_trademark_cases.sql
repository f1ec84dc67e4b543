-- fct_trademark_cases: trademark enforcement cases (leather goods and others).
-- Grain: one row per enforcement case. Money in yuan (DECIMAL), goods in pieces.
-- unique: enforcement_id
-- not_null: opened_on, agency, is_closed, is_transferred_to_police, load_id
with cases as (
    select * from staging.stg_trademarks
),

final as (
    select
        enforcement_id,  -- Enforcement case number (natural key).
        opened_on,  -- Day the case was opened.
        closed_on,  -- Day the case was closed; null while open.
        closed_on is not null as is_closed,  -- True once closed.
        date_diff('day', opened_on, closed_on) as duration_days,  -- Calendar days from opening to closing.
        agency,  -- Agency code that handled the case.
        brand,  -- Brand whose mark was infringed.
        brand_category,  -- international, domestic or local.
        infringement_type,  -- counterfeit, similar_mark, unauthorized_sale or packaging.
        location,  -- Park or market code where goods were found.
        units_seized,  -- Items seized (pieces).
        goods_value_yuan,  -- Value of the infringing goods, yuan.
        fine_yuan,  -- Fine and confiscation imposed, yuan.
        coalesce(transferred_to_police, false) as is_transferred_to_police,  -- Transferred to the police as a suspected crime.
        partner_region,  -- Region code that cooperated, if any.
        load_id  -- Load that brought the current version of the record.
    from cases
)

select * from final
