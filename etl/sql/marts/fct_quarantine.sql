-- fct_quarantine: cells the quality gate held back, why, and whether a later file fixed them.
-- Grain: one row per quarantined cell (a row with two bad cells appears twice). status 'open': not
-- loaded yet; 'resolved': a later file loaded a row with the same natural key (for a row whose key
-- cell was empty: the same row of a later file with the same name), resolved_by_file_seq names it;
-- 'superseded': a later file was quarantined for the same key again, and that newer entry is the
-- one to fix. raw_value is masked ('***') where it is personal data.
-- zh: fct_quarantine：被质量校验隔离的单元格、隔离原因，以及后续文件是否已更正。粒度：
-- zh: 每个被隔离的单元格一行（一行中有两个问题单元格则出现两次）。status 为 'open'：
-- zh: 尚未加载（待更正）；'resolved'：后续文件已加载自然键相同的行（编号单元格为空的行：
-- zh: 同名后续文件中的同一行），由 resolved_by_file_seq 指明该文件（已更正）；
-- zh: 'superseded'：后续文件中同一编号再次被隔离，
-- zh: 应更正的是那条较新的记录（已被新报送取代）。raw_value 为个人信息时以 '***' 遮蔽。
-- unique: file_seq, source_row, column_name
-- not_null: load_id, kind, source_file, rule, quarantined_at, status
with quarantine as (
    select
        q.*,
        coalesce(q.kind, f.kind) as record_kind,
        f.sender
    from staging.live('raw.quarantine') as q
    left join raw.load_files as f on f.file_seq = q.file_seq
),

held_rows as (
    select distinct record_kind, key_value, file_seq, source_file, source_row from quarantine
),

loaded as (
    select 'cases' as kind, case_id as key_value, file_seq, source_file, source_row
    from staging.live('raw.cases')
    union all
    select 'takedowns', notice_id, file_seq, source_file, source_row
    from staging.live('raw.takedowns')
    union all
    select 'patents', preexam_id, file_seq, source_file, source_row
    from staging.live('raw.patents')
    union all
    select 'trademarks', enforcement_id, file_seq, source_file, source_row
    from staging.live('raw.trademarks')
    union all
    select 'notarizations', notarization_id, file_seq, source_file, source_row
    from staging.live('raw.notarizations')
),

resolved as (
    select h.file_seq, h.source_row, min(l.file_seq) as resolved_by_file_seq
    from held_rows as h
    inner join loaded as l
        on l.kind = h.record_kind
        and l.file_seq > h.file_seq
        and (
            l.key_value = h.key_value
            or (h.key_value is null and l.source_file = h.source_file
                and l.source_row = h.source_row)
        )
    group by all
),

superseded as (
    select distinct h.file_seq, h.source_row
    from held_rows as h
    inner join held_rows as later
        on later.record_kind = h.record_kind
        and later.key_value = h.key_value
        and later.file_seq > h.file_seq
),

final as (
    select
        q.load_id,  -- The load that held the row back. | 隔离该行的加载批次。
        q.file_seq,  -- The file (fct_load_files.file_seq) the row came from. | 该行所在的文件（fct_load_files.file_seq）。
        q.record_kind as kind,  -- Record kind of the file. | 文件的数据类别。
        q.sender,  -- Folder the file arrived in: who sent it. | 文件所在的文件夹，即报送单位。
        q.source_file,  -- File name as received. | 收到时的文件名。
        q.source_row,  -- Row as a clerk sees it in a spreadsheet (the header is row 1; Parquet counts from 1). | 该行在电子表格中的行号（表头为第 1 行；Parquet 从 1 起算）。
        q.key_value,  -- The row's natural key (case_id, notice_id, ...), if the cell had one. | 该行的自然键（case_id、notice_id 等），如该单元格有值。
        q.column_name,  -- Canonical name of the bad cell's column. | 问题单元格所在列的标准列名。
        q.rule,  -- The broken rule, e.g. required, type:date, code:platform, date_order (docs/quality.md). | 违反的规则，例如 required、type:date、code:platform、date_order（见 docs/quality.md）。
        q.expectation_type,  -- The Great Expectations expectation that checks the rule. | 检查该规则的 Great Expectations 校验项（expectation）。
        case
            when q.raw_value is not null and coalesce(
                q.is_pii,
                q.column_name in ('contact_name', 'contact_phone', 'requester_name', 'applicant')
            ) then '***'
            else q.raw_value
        end as raw_value,  -- The cell as the file wrote it; *** where it is personal data. | 文件中该单元格的原始值；个人信息显示为 ***。
        q.message_zh,  -- What is wrong and where, in Chinese. | 问题及其位置说明（中文）。
        q.message_en,  -- What is wrong and where, in English. | 问题及其位置说明（英文）。
        q.quarantined_at,  -- When the row was held back (UTC). | 该行被隔离的时间（UTC）。
        q.quarantined_at::date as quarantined_on,  -- Day the row was held back (UTC). | 该行被隔离的日期（UTC）。
        r.resolved_by_file_seq,  -- The later file that loaded this record, once fixed; null while open. | 更正后加载该记录的后续文件；待更正时为空。
        case
            when r.resolved_by_file_seq is not null then 'resolved'
            when s.file_seq is not null then 'superseded'
            else 'open'
        end as status  -- open, resolved (a later file loaded it) or superseded (a later file was quarantined for it again). | open（待更正）、resolved（已更正：后续文件已加载）或 superseded（已被新报送取代：后续文件中再次被隔离）。
    from quarantine as q
    left join resolved as r on r.file_seq = q.file_seq and r.source_row = q.source_row
    left join superseded as s on s.file_seq = q.file_seq and s.source_row = q.source_row
)

select * from final
