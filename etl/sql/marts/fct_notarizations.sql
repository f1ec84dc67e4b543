-- fct_notarizations: notarized evidence with hash-chain verification.
-- Grain: one row per notarization. is_record_hash_valid: record_hash equals
-- sha256(notarization_id|evidence_sha256|prev_record_hash); is_chain_linked: prev_record_hash is
-- the genesis (64 zeros) or the record_hash of another notarization. A false in either is a
-- broken link to show, never to hide.
with notarizations as (
    select * from staging.stg_notarizations
),

final as (
    select
        n.notarization_id,
        n.requested_at,
        n.notarized_at,
        n.notarized_at::date as notarized_on,
        n.notarized_at is not null as is_notarized,
        date_diff('minute', n.requested_at, n.notarized_at) / 60.0 as turnaround_hours,
        n.evidence_type,
        n.platform,
        n.case_id,
        n.evidence_sha256,
        n.prev_record_hash,
        n.record_hash,
        n.record_hash = sha256(
            n.notarization_id || '|' || n.evidence_sha256 || '|' || n.prev_record_hash
        ) as is_record_hash_valid,
        n.prev_record_hash = repeat('0', 64)
            or n.prev_record_hash in (select record_hash from notarizations) as is_chain_linked,
        n.load_id
    from notarizations as n
)

select * from final
