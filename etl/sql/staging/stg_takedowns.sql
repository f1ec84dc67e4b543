-- stg_takedowns: takedown notices, typed, platform normalised.
-- Grain: one row per notice_id; the latest loaded version wins.
with source as (
    select * from raw.takedowns
),

latest as (
    select * from source
    qualify row_number() over (partition by notice_id order by file_seq desc, source_row desc) = 1
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
