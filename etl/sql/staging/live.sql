-- live(source_table): a raw table's rows without those of withdrawn loads — the loads a
-- rollback took back (raw.withdrawn_loads, etl/rollback.py). Every model reads raw through it,
-- so a rolled-back load stays out of every later snapshot while its rows stay in raw.
-- source_table is the raw table's name as a string: `from live('raw.quarantine')`.
-- materialized: macro
-- parameters: source_table
select *
from query_table(source_table)
where load_id not in (select load_id from raw.withdrawn_loads)
