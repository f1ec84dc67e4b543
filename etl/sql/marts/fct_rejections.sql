-- fct_rejections: files the quality gate rejected as a whole, and why. Grain: one row per rejected
-- file version (its SHA-256); the same bytes sent again are rejected again and counted in
-- attempts. is_resolved: a file with the same name from the same sender was loaded in a later load
-- (resolved_by_file_seq). reason_code is one of the file-level faults in docs/quality.md.
-- unique: source_sha256
-- not_null: load_id, source_file, reason_code, attempts, first_rejected_at, last_rejected_at
-- not_null: is_resolved
with rejections as (
    select * from raw.load_rejections
),

versions as (
    select
        source_sha256,
        arg_max(load_id, rejected_at) as load_id,
        arg_max(source_file, rejected_at) as source_file,
        arg_max(sender, rejected_at) as sender,
        arg_max(kind, rejected_at) as kind,
        arg_max(reason_code, rejected_at) as reason_code,
        arg_max(message_zh, rejected_at) as message_zh,
        arg_max(message_en, rejected_at) as message_en,
        arg_max(rows_read, rejected_at) as rows_read,
        arg_max(rows_failed, rejected_at) as rows_failed,
        arg_max(size_bytes, rejected_at) as size_bytes,
        min(rejected_at) as first_rejected_at,
        max(rejected_at) as last_rejected_at,
        count(*) as attempts
    from rejections
    group by source_sha256
),

fixed as (
    select v.source_sha256, min(f.file_seq) as resolved_by_file_seq
    from versions as v
    inner join raw.load_files as f
        on f.source_file = v.source_file
        and f.sender is not distinct from v.sender
        and f.loaded_at > v.last_rejected_at
    group by v.source_sha256
),

final as (
    select
        v.source_sha256,  -- SHA-256 of the rejected file's bytes (one row per version).
        v.load_id,  -- The last load that rejected it.
        v.source_file,  -- File name as received.
        v.sender,  -- Folder the file arrived in: who sent it.
        v.kind,  -- Record kind, when the headers showed it.
        v.reason_code,  -- The file-level fault, e.g. missing_columns, truncated (docs/quality.md).
        v.message_zh,  -- Why the file was rejected and what to do, in Chinese.
        v.message_en,  -- Why the file was rejected and what to do, in English.
        v.rows_read,  -- Data rows read before the rejection, if the file could be read.
        v.rows_failed,  -- Rows that failed validation (--strict rejections).
        v.size_bytes,  -- Size of the file.
        v.first_rejected_at,  -- First rejection of these bytes (UTC).
        v.last_rejected_at,  -- Last rejection of these bytes (UTC).
        v.attempts,  -- How many times these bytes were sent and rejected.
        v.last_rejected_at::date as rejected_on,  -- Day of the last rejection (UTC).
        x.resolved_by_file_seq,  -- The same file name from the same sender, loaded in a later load.
        x.resolved_by_file_seq is not null as is_resolved  -- A fixed version has been loaded since.
    from versions as v
    left join fixed as x on x.source_sha256 = v.source_sha256
)

select * from final
