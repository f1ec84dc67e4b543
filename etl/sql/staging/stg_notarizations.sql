-- stg_notarizations: evidence notarizations with their hash-chain fields; requester dropped.
-- Grain: one row per notarization_id; the latest loaded version wins.
-- computed_record_hash: SHA-256 of the record's canonical serialization — every field but
-- record_hash, in schema order, '|'-separated (docs/data-model.md, "The evidence chain"); it is
-- taken here because requester_name, a hashed field, is personal data and stops here.
-- chain_seq: the chain order, the order the records arrived in (file_seq, then source_row of
-- the version that won).
-- unique: notarization_id
-- not_null: requested_at, evidence_type, evidence_sha256, prev_record_hash, record_hash, load_id
-- not_null: source_file, computed_record_hash, chain_seq
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
        requester_name,
        lower(evidence_sha256) as evidence_sha256,
        lower(prev_record_hash) as prev_record_hash,
        lower(record_hash) as record_hash,
        file_seq,
        source_row,
        load_id,
        source_file
    from source
),

hashed as (
    select
        *,
        sha256(concat_ws(
            '|',
            canonical_text(notarization_id),
            coalesce(strftime(requested_at, '%Y-%m-%d %H:%M:%S.%f'), '\N'),
            coalesce(strftime(notarized_at, '%Y-%m-%d %H:%M:%S.%f'), '\N'),
            canonical_text(evidence_type),
            canonical_text(platform),
            canonical_text(case_id),
            canonical_text(requester_name),
            canonical_text(evidence_sha256),
            canonical_text(prev_record_hash)
        )) as computed_record_hash,
        row_number() over (order by file_seq, source_row) as chain_seq
    from renamed
),

final as (
    select
        notarization_id,
        requested_at,
        notarized_at,
        evidence_type,
        platform,
        case_id,
        evidence_sha256,
        prev_record_hash,
        record_hash,
        computed_record_hash,
        chain_seq,
        load_id,
        source_file
        -- requester_name (personal data) stops here: only its share of the hash goes on.
    from hashed
)

select * from final
