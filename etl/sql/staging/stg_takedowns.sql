-- stg_takedowns: takedown notices, typed, platform normalised.
-- Grain: one row per notice_id; the latest loaded version wins.
with source as (
    select * from raw.takedowns
),

-- Older versions of a key (usually none): found on three narrow columns, then dropped by an
-- anti join; a window over every column would sort the whole table (19 s → 6 s for 22.8M rows).
superseded as (  -- from the table: a CTE read twice would be materialized whole
    select file_seq, source_row from raw.takedowns
    qualify row_number() over (partition by notice_id order by file_seq desc, source_row desc) > 1
),

latest as (
    select * from source anti join superseded using (file_seq, source_row)
),

renamed as (
    select
        notice_id,
        case_id,
        code_of('platform', platform) as platform,
        listing_url,
        notice_sent_at,
        removed_at,
        load_id,
        source_file
    from latest
)

select * from renamed
