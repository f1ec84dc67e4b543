-- fct_takedowns: takedown notices with their latency in China working days.
-- Grain: one row per notice. latency_workdays = working days from the day the notice was sent
-- to the day the listing was removed (same day = 0); null while the listing is still live.
-- unique: notice_id
-- not_null: platform, notice_sent_at, notice_sent_on, is_removed, is_within_2wd, is_provisional
-- not_null: load_id
with notices as (
    select * from staging.stg_takedowns
),

dates as (
    select date_day, workday_index, is_provisional from marts.dim_date
),

final as (
    select
        n.notice_id,  -- Takedown notice number (natural key).
        n.case_id,  -- Assistance case the notice belongs to, if any.
        n.platform,  -- Platform code (see dim_code, domain platform).
        n.listing_url,  -- URL or id of the infringing listing.
        n.notice_sent_at,  -- When the notice was sent (China time).
        n.removed_at,  -- When the listing was removed; null while still live.
        n.notice_sent_at::date as notice_sent_on,  -- Day the notice was sent.
        n.removed_at::date as removed_on,  -- Day the listing was removed.
        n.removed_at is not null as is_removed,  -- True once the platform removed the listing.
        r.workday_index - s.workday_index as latency_workdays,  -- China working days from notice day to removal day (same day = 0); null while live.
        date_diff('minute', n.notice_sent_at, n.removed_at) / 60.0 as latency_hours,  -- Hours from notice to removal; null while live.
        coalesce(r.workday_index - s.workday_index <= 2, false) as is_within_2wd,  -- Removed within 2 working days (the center's promise); false while live.
        coalesce(s.is_provisional or r.is_provisional, false) as is_provisional,  -- A day involved lies beyond the official working-day calendars.
        n.load_id  -- Load that brought the current version of the record.
    from notices as n
    left join dates as s on s.date_day = n.notice_sent_at::date
    left join dates as r on r.date_day = n.removed_at::date
)

select * from final
