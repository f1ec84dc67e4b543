-- Cells the quality gate held back, newest first, with why and whether a later file fixed them.
-- Grain: one row per quarantined cell (fct_quarantine); personal data is already masked there.
select
    quarantined_on,
    status,
    kind,
    coalesce(sender, '-') as sender,
    source_file,
    source_row,
    key_value,
    column_name,
    rule,
    expectation_type,
    raw_value,
    message_zh,
    message_en,
    resolved_by_file_seq,
    load_id
from fct_quarantine
order by quarantined_at desc, source_file, source_row, column_name
