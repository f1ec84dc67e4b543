-- stg_trademarks: trademark enforcement cases, typed, codes normalised.
-- Grain: one row per enforcement_id; the latest loaded version wins.
-- unique: enforcement_id
-- not_null: opened_on, agency, load_id, source_file
with source as (  -- the latest version of each enforcement_id
    select * from latest_version('raw.trademarks', enforcement_id)
),

renamed as (
    select
        enforcement_id,
        opened_on,
        closed_on,
        code_of('agency', agency) as agency,
        brand,
        code_of('brand_category', brand_category) as brand_category,
        code_of('infringement_type', infringement_type) as infringement_type,
        coalesce(code_of('location', location), 'other') as location,
        units_seized,
        goods_value_yuan,
        fine_yuan,
        transferred_to_police,
        code_of('region', partner_region) as partner_region,
        load_id,
        source_file
    from source
)

select * from renamed
