-- Every record of the evidence hash chain that is not intact, in the chain order, with what is
-- wrong (chain_status) and the record just before it; not filtered by period.
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    chain_seq,
    notarization_id,
    chain_status,
    preceding_notarization_id,
    requested_at,
    notarized_at,
    evidence_sha256,
    prev_record_hash,
    record_hash,
    is_record_hash_valid,
    is_sealed_again,
    is_chain_linked
from fct_notarizations
where chain_status <> 'intact'
order by chain_seq
limit $limit
