-- stg_notarizations: evidence notarizations with their hash-chain fields; requester dropped.
-- Grain: one row per notarization_id; the latest loaded version wins.
-- unique: notarization_id
-- not_null: requested_at, evidence_type, evidence_sha256, prev_record_hash, record_hash, load_id
-- not_null: source_file
with source as (  -- the latest version of each notarization_id
    select * from latest_version('raw.notarizations', notarization_id)
),

renamed as (
    select
        notarization_id,
        requested_at,
        notarized_at,
        code_of('evidence_type', evidence_type) as evidence_type,
        code_of('platform', platform) as platform,
        case_id,
        lower(evidence_sha256) as evidence_sha256,
        lower(prev_record_hash) as prev_record_hash,
        lower(record_hash) as record_hash,
        load_id,
        source_file
        -- requester_name (personal data) stops here.
    from source
)

select * from renamed
