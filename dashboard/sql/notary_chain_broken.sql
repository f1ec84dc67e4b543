-- The broken links of the evidence hash chain, in chain order; not filtered by period.
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    notarization_id,
    requested_at,
    notarized_at,
    evidence_sha256,
    prev_record_hash,
    record_hash,
    is_record_hash_valid,
    is_chain_linked
from fct_notarizations
where not (is_record_hash_valid and is_chain_linked)
order by notarized_at nulls last, notarization_id
limit $limit
