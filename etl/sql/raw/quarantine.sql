-- raw.quarantine: one row per rejected cell (a row with two bad cells appears twice).
-- Rows here were not loaded; a corrected file re-sent later loads them.
create table if not exists raw.quarantine (
    load_id        varchar not null,
    file_seq       bigint not null,
    source_file    varchar not null,
    source_row     bigint not null,
    column_name    varchar not null,
    rule           varchar not null,
    raw_value      varchar,
    quarantined_at timestamp not null
);
