-- dim_code: display names (zh-CN and en) of every code used in the marts.
-- Grain: one row per (domain, code), e.g. ('platform', 'tmall').
-- zh: dim_code：数据集市中所用每个代码的显示名称（中文和英文）。粒度：
-- zh: 每个（domain, code）一行，例如 ('platform', 'tmall')。
-- unique: domain, code
-- refresh: reference
with codes as (
    select * from ref.codes
),

final as (
    select
        domain,  -- Code list: platform, region, location, service_type, ... | 代码表：platform、region、location、service_type 等。
        code,  -- The code used in the marts. | 数据集市中使用的代码。
        name_zh,  -- Chinese display name. | 中文显示名称。
        name_en  -- English display name. | 英文显示名称。
    from codes
    union all
    select distinct domain, 'unknown', '未知', 'Unknown' from codes
)

select * from final
