-- The loads behind the published snapshot, for the briefing's notes page, so every figure in a
-- pack can be traced to the source files that made it. Grain: one row per load_id.
with files as (
    select * from fct_load_files
),

final as (
    select
        load_id,
        min(loaded_at) as loaded_at,
        count(*) as files,
        sum(rows_loaded)::bigint as rows_loaded,
        sum(rows_quarantined)::bigint as rows_quarantined,
        string_agg(distinct kind, ', ' order by kind) as kinds
    from files
    group by load_id
)

select * from final order by load_id
