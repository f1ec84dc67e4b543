-- dim_code: display names (zh-CN and en) of every code used in the marts.
-- Grain: one row per (domain, code), e.g. ('platform', 'tmall').
-- unique: domain, code
with codes as (
    select * from ref.codes
),

final as (
    select
        domain,  -- Code list: platform, region, location, service_type, ...
        code,  -- The code used in the marts.
        name_zh,  -- Chinese display name.
        name_en  -- English display name.
    from codes
    union all
    select distinct domain, 'unknown', '未知', 'Unknown' from codes
)

select * from final
