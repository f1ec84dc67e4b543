-- fct_notarizations: notarized evidence with hash-chain verification.
-- Grain: one row per notarization. is_record_hash_valid: record_hash equals
-- sha256(notarization_id|evidence_sha256|prev_record_hash); is_chain_linked: prev_record_hash is
-- the genesis (64 zeros) or the record_hash of another notarization. A false in either is a
-- broken link to show, never to hide.
-- unique: notarization_id
-- not_null: requested_at, evidence_type, evidence_sha256, record_hash, is_notarized, load_id
with notarizations as (
    select * from staging.stg_notarizations
),

final as (
    select
        n.notarization_id,  -- Notarization number (natural key).
        n.requested_at,  -- When notarization was requested.
        n.notarized_at,  -- When the notary sealed the evidence; null while pending.
        n.notarized_at::date as notarized_on,  -- Day of notarization.
        n.notarized_at is not null as is_notarized,  -- True once notarized.
        date_diff('minute', n.requested_at, n.notarized_at) / 60.0 as turnaround_hours,  -- Hours from request to notarization.
        n.evidence_type,  -- webpage, purchase, screen_recording, livestream or document.
        n.platform,  -- Platform code the evidence was captured on.
        n.case_id,  -- Case the evidence supports, if any.
        n.evidence_sha256,  -- SHA-256 of the evidence file (hex).
        n.prev_record_hash,  -- record_hash of the previous notarization (64 zeros for the first).
        n.record_hash,  -- sha256(notarization_id|evidence_sha256|prev_record_hash).
        n.record_hash = sha256(
            n.notarization_id || '|' || n.evidence_sha256 || '|' || n.prev_record_hash
        ) as is_record_hash_valid,  -- record_hash recomputes correctly.
        n.prev_record_hash = repeat('0', 64)
            or n.prev_record_hash in (select record_hash from notarizations) as is_chain_linked,  -- prev_record_hash is the genesis or another record's record_hash.
        n.load_id  -- Load that brought the current version of the record.
    from notarizations as n
)

select * from final
