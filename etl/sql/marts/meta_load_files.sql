-- meta_load_files: which source files the published data came from (lineage for briefings).
-- Grain: one row per loaded file.
with files as (
    select * from raw.load_files
),

final as (
    select
        file_seq,  -- Order of the file across all loads.
        load_id,  -- The load (UTC start time) that brought the file.
        kind,  -- Record kind of the file.
        source_file,  -- File name as received.
        source_sha256,  -- SHA-256 of the file's bytes.
        rows_read,  -- Data rows in the file.
        rows_loaded,  -- Rows loaded.
        rows_quarantined,  -- Rows sent to quarantine.
        loaded_at  -- When the file was loaded (UTC).
    from files
)

select * from final
