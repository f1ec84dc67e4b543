-- latest_version(source_table, key_column): the rows of a raw table without the older versions
-- of each natural key, i.e. the one "latest version wins" rule of every stg_* model: of the rows
-- sharing a key, the one from the latest file (highest file_seq) wins (and within one file the
-- last row, highest source_row, though the gate lets no key repeat in a file). source_table is
-- the raw table's name as a string, key_column the key column itself (a name, not a string):
-- `from latest_version('raw.cases', case_id)`.
-- Older versions (usually none) are found on three narrow columns and dropped by an anti join:
-- a window over every column would sort the whole table (19 s → 6 s for 22.8M rows,
-- docs/performance.md). The window numbers only the rows whose key lies where two files' key
-- ranges meet: a key is unique within a file (the gate quarantines every row of a key repeated
-- in its file, expectations/*.json `unique_key`), so only there can it have two versions; yearly
-- exports share no range, and a correction's range is its records'. For 22.8M pre-examinations
-- in five yearly files: 17.5–20.0 s → 15.2–15.5 s for the mart (docs/performance.md). Were a key
-- ever repeated within one file, its model's grain check would stop the snapshot (etl/snapshot.py).
-- The table is read through query_table, not through a CTE: a CTE read twice would be
-- materialized whole (the ranges, one row a file, are). Rows of withdrawn loads are left out
-- (`live`).
-- materialized: macro
-- parameters: source_table, key_column
with ranges as (  -- each file's lowest and highest key
    select file_seq, min(key_column) as lo, max(key_column) as hi
    from staging.live(source_table)
    group by file_seq
),

shared_ranges as (  -- where two files' key ranges meet
    select greatest(a.lo, b.lo) as lo, least(a.hi, b.hi) as hi
    from ranges as a
    inner join ranges as b on a.file_seq < b.file_seq and a.lo <= b.hi and b.lo <= a.hi
)

select *
from staging.live(source_table)
anti join (
    select file_seq, source_row
    from staging.live(source_table)
    semi join shared_ranges on key_column between shared_ranges.lo and shared_ranges.hi
    qualify row_number() over (
        partition by key_column order by file_seq desc, source_row desc
    ) > 1
) as superseded using (file_seq, source_row)
