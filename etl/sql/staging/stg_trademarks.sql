-- stg_trademarks: trademark enforcement cases, typed, codes normalised.
-- Grain: one row per enforcement_id; the latest loaded version wins.
with source as (
    select * from raw.trademarks
),

-- Older versions of a key (usually none): found on three narrow columns, then dropped by an
-- anti join; a window over every column would sort the whole table (19 s → 6 s for 22.8M rows).
superseded as (  -- from the table: a CTE read twice would be materialized whole
    select file_seq, source_row from raw.trademarks
    qualify row_number() over (partition by enforcement_id order by file_seq desc, source_row desc) > 1
),

latest as (
    select * from source anti join superseded using (file_seq, source_row)
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
    from latest
)

select * from renamed
