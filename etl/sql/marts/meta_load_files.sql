-- meta_load_files: which source files the published data came from (lineage for briefings).
-- Grain: one row per loaded file.
with files as (
    select * from raw.load_files
),

final as (
    select
        file_seq, load_id, kind, source_file, source_sha256, rows_read, rows_loaded,
        rows_quarantined, loaded_at
    from files
)

select * from final
