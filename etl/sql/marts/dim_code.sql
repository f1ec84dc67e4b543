-- dim_code: display names (zh-CN and en) of every code used in the marts.
-- Grain: one row per (domain, code), e.g. ('platform', 'tmall').
with codes as (
    select * from ref.codes
),

final as (
    select domain, code, name_zh, name_en from codes
    union all
    select distinct domain, 'unknown', '未知', 'Unknown' from codes
)

select * from final
