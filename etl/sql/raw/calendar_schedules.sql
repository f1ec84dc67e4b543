-- raw.calendar_schedules: the official holiday schedules an office imported
-- (`ipgov calendar import`, etl/schedules.py), one row per day a year's notice names: its
-- holidays and adjusted working days. Append-only: importing a year again adds a new import,
-- and the latest import of each year is the one dim_date uses (the older ones stay as history).
-- Reference data, not a load: a rollback does not take an import back (import a corrected file).
create table if not exists raw.calendar_schedules (
    import_id     varchar not null,  -- sortable UTC time of the import, like a load id
    year          integer not null,
    date_day      date not null,
    kind          varchar not null,  -- holiday | workday
    holiday_name  varchar,
    source_file   varchar not null,
    source_sha256 varchar not null,
    imported_at   timestamp not null,
    imported_by   varchar not null   -- cli:<os user>
);
