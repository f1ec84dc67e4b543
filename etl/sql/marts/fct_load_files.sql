-- fct_load_files: the source files the published data came from, with the quality gate's verdict
-- (lineage for briefings; the Data quality page). Grain: one row per loaded file. verdict 'ok':
-- every row loaded; 'quarantined': some rows were held back (rows_read = rows_loaded +
-- rows_quarantined). sender is the folder the file was sent in (one folder per agency). Files
-- rejected as a whole are in fct_rejections.
-- unique: file_seq
-- not_null: load_id, kind, source_file, source_sha256, rows_read, rows_loaded, rows_quarantined
-- not_null: verdict, loaded_at
with files as (
    select * from raw.load_files
),

final as (
    select
        file_seq,  -- Order of the file across all loads.
        load_id,  -- The load (UTC start time) that brought the file.
        kind,  -- Record kind of the file.
        sender,  -- Folder the file arrived in: who sent it (one folder per agency).
        source_file,  -- File name as received.
        source_sha256,  -- SHA-256 of the file's bytes.
        encoding,  -- How the file was read: utf-8, utf-8-sig, gb18030, utf-16, xlsx or parquet.
        sheet,  -- Worksheet the rows came from (XLSX only).
        rows_read,  -- Data rows in the file.
        rows_loaded,  -- Rows that passed the quality gate and loaded.
        rows_quarantined,  -- Rows held back by the quality gate (rows_read = rows_loaded + rows_quarantined).
        coalesce(verdict, case when rows_quarantined > 0 then 'quarantined' else 'ok' end)
            as verdict,  -- Quality gate verdict: ok or quarantined (rejected files are in fct_rejections).
        loaded_at,  -- When the file was loaded (UTC).
        loaded_at::date as loaded_on  -- Day the file was loaded (UTC).
    from files
)

select * from final
