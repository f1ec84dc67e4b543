-- fct_rejections: files the quality gate rejected as a whole, and why. Grain: one row per rejected
-- file version (its SHA-256); the same bytes sent again are rejected again and counted in
-- attempts. is_resolved: a file with the same name from the same sender was loaded in a later load
-- (resolved_by_file_seq). reason_code is one of the file-level faults in docs/quality.md.
-- zh: fct_rejections：被质量校验整份拒收的文件及拒收原因。粒度：
-- zh: 每个被拒收的文件版本（按其 SHA-256）一行；内容相同的文件再次报送会再次被拒收，
-- zh: 计入 attempts。is_resolved：
-- zh: 同一报送单位的同名文件已在后续加载中加载（resolved_by_file_seq）。
-- zh: reason_code 为 docs/quality.md 所列的文件级问题之一。
-- unique: source_sha256
-- not_null: load_id, source_file, reason_code, attempts, first_rejected_at, last_rejected_at
-- not_null: is_resolved
with rejections as (
    select * from staging.live('raw.load_rejections')
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
    inner join staging.live('raw.load_files') as f
        on f.source_file = v.source_file
        and f.sender is not distinct from v.sender
        and f.loaded_at > v.last_rejected_at
    group by v.source_sha256
),

final as (
    select
        v.source_sha256,  -- SHA-256 of the rejected file's bytes (one row per version). | 被拒收文件内容的 SHA-256 哈希值（每个版本一行）。
        v.load_id,  -- The last load that rejected it. | 最近一次拒收该文件的加载批次。
        v.source_file,  -- File name as received. | 收到时的文件名。
        v.sender,  -- Folder the file arrived in: who sent it. | 文件所在的文件夹，即报送单位。
        v.kind,  -- Record kind, when the headers showed it. | 数据类别（表头能识别时）。
        v.reason_code,  -- The file-level fault, e.g. missing_columns, truncated (docs/quality.md). | 文件级问题，例如 missing_columns、truncated（见 docs/quality.md）。
        v.message_zh,  -- Why the file was rejected and what to do, in Chinese. | 拒收原因及处理办法（中文）。
        v.message_en,  -- Why the file was rejected and what to do, in English. | 拒收原因及处理办法（英文）。
        v.rows_read,  -- Data rows read before the rejection, if the file could be read. | 拒收前读取的数据行数（文件可读时）。
        v.rows_failed,  -- Rows that failed validation (--strict rejections). | 未通过校验的行数（--strict 严格模式下的拒收）。
        v.size_bytes,  -- Size of the file. | 文件大小（字节）。
        v.first_rejected_at,  -- First rejection of these bytes (UTC). | 这份内容首次被拒收的时间（UTC）。
        v.last_rejected_at,  -- Last rejection of these bytes (UTC). | 这份内容最近一次被拒收的时间（UTC）。
        v.attempts,  -- How many times these bytes were sent and rejected. | 这份内容被报送并被拒收的次数。
        v.last_rejected_at::date as rejected_on,  -- Day of the last rejection (UTC). | 最近一次拒收的日期（UTC）。
        x.resolved_by_file_seq,  -- The same file name from the same sender, loaded in a later load. | 后续加载批次中已加载的、同一报送单位的同名文件（文件序号）。
        x.resolved_by_file_seq is not null as is_resolved  -- A fixed version has been loaded since. | 此后已加载更正后的版本。
    from versions as v
    left join fixed as x on x.source_sha256 = v.source_sha256
)

select * from final
