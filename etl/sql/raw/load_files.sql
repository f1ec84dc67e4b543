-- raw.load_files: one row per source file loaded, in load order (file_seq).
-- The SHA-256 makes loads idempotent: a file whose bytes were loaded before is skipped — unless
-- its load was withdrawn by a rollback (raw.withdrawn_loads): then it loads again, as a new row
-- here, so the SHA-256 is not unique in this table (etl/load.py skips live duplicates). A file the
-- quality gate rejected is not here (see raw.load_rejections), so it is judged again when re-sent.
create table if not exists raw.load_files (
    file_seq         bigint primary key,
    load_id          varchar not null,
    kind             varchar not null,
    source_file      varchar not null,
    source_path      varchar not null,
    source_sha256    varchar not null,
    size_bytes       bigint not null,
    encoding         varchar not null,
    rows_read        bigint not null,
    rows_loaded      bigint not null,
    rows_quarantined bigint not null,
    ignored_columns  varchar[],
    loaded_at        timestamp not null,
    sender           varchar,
    sheet            varchar,
    verdict          varchar
);
