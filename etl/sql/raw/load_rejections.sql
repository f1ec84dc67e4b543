-- raw.load_rejections: one row per attempt to load a file the quality gate rejected as a whole.
-- Nothing else of the file is written. No unique SHA-256 here: a rejected file is judged again
-- every time it is sent (a fixed version has other bytes anyway).
create table if not exists raw.load_rejections (
    load_id       varchar not null,
    source_file   varchar not null,
    source_path   varchar not null,
    source_sha256 varchar not null,
    size_bytes    bigint not null,
    sender        varchar,
    kind          varchar,
    reason_code   varchar not null,
    message_zh    varchar not null,
    message_en    varchar not null,
    rows_read     bigint,
    rows_failed   bigint,
    rejected_at   timestamp not null
);
