-- stg_takedowns: takedown notices, typed, platform normalised.
-- Grain: one row per notice_id; the latest loaded version wins.
-- unique: notice_id
-- not_null: platform, listing_url, notice_sent_at, load_id, source_file
with source as (  -- the latest version of each notice_id
    select * from latest_version('raw.takedowns', notice_id)
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
    from source
)

select * from renamed
