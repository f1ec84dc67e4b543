-- raw.quarantine: one row per cell the quality gate held back (a row with two bad cells appears
-- twice). Rows here were not loaded; a corrected file re-sent later loads them, and
-- marts.fct_quarantine then shows them resolved. Columns added after the first release are also
-- added to existing warehouses by etl.load.ensure_raw (RAW_UPGRADES).
create table if not exists raw.quarantine (
    load_id          varchar not null,
    file_seq         bigint not null,
    source_file      varchar not null,
    source_row       bigint not null,
    column_name      varchar not null,
    rule             varchar not null,
    raw_value        varchar,
    quarantined_at   timestamp not null,
    kind             varchar,
    key_value        varchar,
    expectation_type varchar,
    message_zh       varchar,
    message_en       varchar,
    is_pii           boolean
);
