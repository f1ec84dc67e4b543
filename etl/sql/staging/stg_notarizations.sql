-- stg_notarizations: evidence notarizations with their hash-chain fields; requester dropped.
-- Grain: one row per notarization_id; the latest loaded version wins.
-- computed_record_hash: SHA-256 of the record's canonical serialization — every field but
-- record_hash, in schema order, joined by vertical bars (docs/data-model.md, "The evidence
-- chain"); taken here because requester_name, a hashed field, is personal data and stops here.
-- chain_seq: the chain order, the order the records first arrived in (file_seq, then
-- source_row, of each record's first loaded version), so a record corrected later keeps its
-- place. earlier_record_hashes: the record_hash of each earlier loaded version that differs
-- from the current one (empty for most): the seals a record had before it was sealed again.
-- unique: notarization_id
-- not_null: requested_at, evidence_type, evidence_sha256, prev_record_hash, record_hash, load_id
-- not_null: source_file, computed_record_hash, chain_seq, earlier_record_hashes
with source as not materialized (  -- the latest version of each notarization_id, read
    -- twice (arrivals, renamed), each reading taking only its columns: materialized, the whole
    -- records were written out once more and spilled under the load's 1 GB; not, the scale-1000
    -- mart took 22.4–28.7 → 20.0–22.4 s of CPU (docs/performance.md)
    select * from latest_version('raw.notarizations', notarization_id)
),

versions as (  -- the records loaded more than once: where each first arrived, the seals it had
    -- (every other record first arrived where it is, with its one seal). Found by the hash of
    -- the id first, a narrow group-by: a list of seals built for each of the 1.5M records of
    -- the scale-1000 sample cost 3 s of CPU (docs/performance.md). A hash shared by two ids
    -- only lets one more id into the exact group-by below, never one out.
    select
        notarization_id,
        min(file_seq) as first_file_seq,
        arg_min(source_row, (file_seq, source_row)) as first_source_row,
        list_sort(list_distinct(list(lower(record_hash)))) as record_hashes
    from staging.live('raw.notarizations')
    where hash(notarization_id) in (
        select hash(notarization_id) from staging.live('raw.notarizations')
        group by all
        having count(*) > 1
    )
    group by notarization_id
    having count(*) > 1
),

arrivals as (  -- each current record's first arrival and earlier seals, on narrow rows
    select
        s.file_seq,
        s.source_row,
        coalesce(v.first_file_seq, s.file_seq) as first_file_seq,
        coalesce(v.first_source_row, s.source_row) as first_source_row,
        coalesce(
            list_filter(v.record_hashes, lambda h: h <> lower(s.record_hash)), []
        ) as earlier_record_hashes
    from source as s
    left join versions as v using (notarization_id)
),

ordered as (  -- the chain order, numbered on these narrow rows: numbered on the whole record
    -- (the window sorts every column it carries) the 1.5M-record chain of the scale-1000
    -- sample took 2.6 GB and spilled under the load's 1 GB (docs/performance.md)
    select
        file_seq,
        source_row,
        earlier_record_hashes,
        row_number() over (order by first_file_seq, first_source_row) as chain_seq
    from arrivals
),

renamed as (
    select
        s.notarization_id,
        s.requested_at,
        s.notarized_at,
        code_of('evidence_type', s.evidence_type) as evidence_type,
        code_of('platform', s.platform) as platform,
        s.case_id,
        s.requester_name,
        lower(s.evidence_sha256) as evidence_sha256,
        lower(s.prev_record_hash) as prev_record_hash,
        lower(s.record_hash) as record_hash,
        o.earlier_record_hashes,
        o.chain_seq,
        s.load_id,
        s.source_file
    from source as s
    inner join ordered as o using (file_seq, source_row)
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
        )) as computed_record_hash
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
        earlier_record_hashes,
        chain_seq,
        load_id,
        source_file
        -- requester_name (personal data) stops here: only its share of the hash goes on.
    from hashed
)

select * from final
