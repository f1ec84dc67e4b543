-- The evidence hash chain over all notarizations: how many links verify, and every broken one.
-- Not filtered by period: a chain is only as good as its weakest link, whenever it was made.
select
    notarization_id,
    requested_at,
    notarized_at,
    evidence_sha256,
    prev_record_hash,
    record_hash,
    is_record_hash_valid,
    is_chain_linked,
    is_record_hash_valid and is_chain_linked as is_intact
from fct_notarizations
order by is_intact, notarized_at nulls last, notarization_id
