-- counts: what publishing one file would do to its records, counted. preview_after holds the
-- file's records as staging (stg_<kind>) would show them once the file is published,
-- preview_before the same records as staging shows them now (absent: not in the warehouse);
-- both are record_key plus the staging columns without lineage (load_id, source_file), so a
-- record is compared on what the marts show of it, whole rows as structs (a null equals a null).
-- Grain: one row.
select
    count(*) filter (where b.record_key is null) as records_new,
    count(*) filter (
        where b.record_key is not null and a is distinct from b
    ) as records_changed,
    count(*) filter (
        where b.record_key is not null and a is not distinct from b
    ) as records_unchanged
from preview_after as a
left join preview_before as b on b.record_key = a.record_key
