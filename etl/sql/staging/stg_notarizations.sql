-- stg_notarizations: evidence notarizations with their hash-chain fields; requester dropped.
-- Grain: one row per notarization_id; the latest loaded version wins.
with source as (
    select * from raw.notarizations
),

-- Older versions of a key (usually none): found on three narrow columns, then dropped by an
-- anti join; a window over every column would sort the whole table (19 s → 6 s for 22.8M rows).
superseded as (  -- from the table: a CTE read twice would be materialized whole
    select file_seq, source_row from raw.notarizations
    qualify row_number() over (partition by notarization_id order by file_seq desc, source_row desc) > 1
),

latest as (
    select * from source anti join superseded using (file_seq, source_row)
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
    from latest
)

select * from renamed
