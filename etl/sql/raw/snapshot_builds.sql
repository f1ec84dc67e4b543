-- raw.snapshot_builds: one row per published snapshot — how it was built (etl/snapshot.py).
-- fingerprint: hash of every model's SQL and of the reference tables; an incremental build
-- needs the current snapshot's to equal its own. sha256: of the snapshot file as published;
-- checked while the next incremental build copies the file.
create table if not exists raw.snapshot_builds (
    load_id     varchar primary key,
    fingerprint varchar not null,
    sha256      varchar not null,
    mode        varchar not null,  -- full | incremental
    reason      varchar not null,  -- full: why; incremental: what was recomputed
    built_at    timestamp not null
);
