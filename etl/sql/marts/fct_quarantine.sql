-- fct_quarantine: cells the quality gate held back, why, and whether a later file fixed them.
-- Grain: one row per quarantined cell (a row with two bad cells appears twice). status 'open': not
-- loaded yet; 'resolved': a later file loaded a row with the same natural key (for a row whose key
-- cell was empty: the same row of a later file with the same name), resolved_by_file_seq names it;
-- 'superseded': a later file was quarantined for the same key again, and that newer entry is the
-- one to fix. raw_value is masked ('***') where it is personal data.
-- unique: file_seq, source_row, column_name
-- not_null: load_id, kind, source_file, rule, quarantined_at, status
with quarantine as (
    select
        q.*,
        coalesce(q.kind, f.kind) as record_kind,
        f.sender
    from raw.quarantine as q
    left join raw.load_files as f on f.file_seq = q.file_seq
),

held_rows as (
    select distinct record_kind, key_value, file_seq, source_file, source_row from quarantine
),

loaded as (
    select 'cases' as kind, case_id as key_value, file_seq, source_file, source_row
    from raw.cases
    union all
    select 'takedowns', notice_id, file_seq, source_file, source_row from raw.takedowns
    union all
    select 'patents', preexam_id, file_seq, source_file, source_row from raw.patents
    union all
    select 'trademarks', enforcement_id, file_seq, source_file, source_row from raw.trademarks
    union all
    select 'notarizations', notarization_id, file_seq, source_file, source_row
    from raw.notarizations
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
        q.load_id,  -- The load that held the row back.
        q.file_seq,  -- The file (fct_load_files.file_seq) the row came from.
        q.record_kind as kind,  -- Record kind of the file.
        q.sender,  -- Folder the file arrived in: who sent it.
        q.source_file,  -- File name as received.
        q.source_row,  -- Row as a clerk sees it in a spreadsheet (the header is row 1; Parquet counts from 1).
        q.key_value,  -- The row's natural key (case_id, notice_id, ...), if the cell had one.
        q.column_name,  -- Canonical name of the bad cell's column.
        q.rule,  -- The broken rule, e.g. required, type:date, code:platform, date_order (docs/quality.md).
        q.expectation_type,  -- The Great Expectations expectation that checks the rule.
        case
            when q.raw_value is not null and coalesce(
                q.is_pii,
                q.column_name in ('contact_name', 'contact_phone', 'requester_name', 'applicant')
            ) then '***'
            else q.raw_value
        end as raw_value,  -- The cell as the file wrote it; *** where it is personal data.
        q.message_zh,  -- What is wrong and where, in Chinese.
        q.message_en,  -- What is wrong and where, in English.
        q.quarantined_at,  -- When the row was held back (UTC).
        q.quarantined_at::date as quarantined_on,  -- Day the row was held back (UTC).
        r.resolved_by_file_seq,  -- The later file that loaded this record, once fixed; null while open.
        case
            when r.resolved_by_file_seq is not null then 'resolved'
            when s.file_seq is not null then 'superseded'
            else 'open'
        end as status  -- open, resolved (a later file loaded it) or superseded (a later file was quarantined for it again).
    from quarantine as q
    left join resolved as r on r.file_seq = q.file_seq and r.source_row = q.source_row
    left join superseded as s on s.file_seq = q.file_seq and s.source_row = q.source_row
)

select * from final
