-- fct_load_files: the source files the published data came from, with the quality gate's verdict
-- (lineage for briefings; the Data quality page). Grain: one row per loaded file. verdict 'ok':
-- every row loaded; 'quarantined': some rows were held back (rows_read = rows_loaded +
-- rows_quarantined). sender is the folder the file was sent in (one folder per agency). Files
-- rejected as a whole are in fct_rejections.
-- zh: fct_load_files：
-- zh: 已发布数据所来自的源文件及其质量校验结果（供简报溯源和“数据质量”页使用）。粒度：
-- zh: 每个已加载文件一行。verdict 为 'ok'：全部行已加载；为 'quarantined'：
-- zh: 部分行被隔离、暂不加载（rows_read = rows_loaded + rows_quarantined）。
-- zh: sender 为报送文件所在的文件夹（每个报送单位一个文件夹）。
-- zh: 整份拒收的文件见 fct_rejections。
-- unique: file_seq
-- not_null: load_id, kind, source_file, source_sha256, rows_read, rows_loaded, rows_quarantined
-- not_null: verdict, loaded_at
with files as (
    select * from staging.live('raw.load_files')
),

final as (
    select
        file_seq,  -- Order of the file across all loads. | 文件在所有加载批次中的顺序号。
        load_id,  -- The load (UTC start time) that brought the file. | 载入该文件的加载批次（以 UTC 开始时间标识）。
        kind,  -- Record kind of the file. | 文件的数据类别。
        sender,  -- Folder the file arrived in: who sent it (one folder per agency). | 文件所在的文件夹，即报送单位（每个单位一个文件夹）。
        source_file,  -- File name as received. | 收到时的文件名。
        source_sha256,  -- SHA-256 of the file's bytes. | 文件内容的 SHA-256 哈希值。
        encoding,  -- How the file was read: utf-8, utf-8-sig, gb18030, utf-16, xlsx or parquet. | 文件的读取方式：utf-8、utf-8-sig、gb18030、utf-16、xlsx 或 parquet。
        sheet,  -- Worksheet the rows came from (XLSX only). | 数据所在的工作表（仅限 XLSX）。
        rows_read,  -- Data rows in the file. | 文件中的数据行数。
        rows_loaded,  -- Rows that passed the quality gate and loaded. | 通过质量校验并已加载的行数。
        rows_quarantined,  -- Rows held back by the quality gate (rows_read = rows_loaded + rows_quarantined). | 被质量校验隔离的行数（rows_read = rows_loaded + rows_quarantined）。
        coalesce(verdict, case when rows_quarantined > 0 then 'quarantined' else 'ok' end)
            as verdict,  -- Quality gate verdict: ok or quarantined (rejected files are in fct_rejections). | 质量校验结果：ok（通过）或 quarantined（部分隔离）（整份拒收的文件见 fct_rejections）。
        loaded_at,  -- When the file was loaded (UTC). | 文件加载时间（UTC）。
        loaded_at::date as loaded_on  -- Day the file was loaded (UTC). | 文件加载日期（UTC）。
    from files
)

select * from final
