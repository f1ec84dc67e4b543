-- changed: the first $shown records publishing one file would change (preview_before and
-- preview_after as in counts.sql), in key order, each as its staging row before and after:
-- `old` and `new` are structs of the same columns.
-- Grain: one row per changed record (at most $shown).
select
    a.record_key,
    b as old,
    a as new
from preview_after as a
inner join preview_before as b on b.record_key = a.record_key
where a is distinct from b
order by a.record_key
limit $shown
