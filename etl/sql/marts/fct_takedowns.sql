-- fct_takedowns: takedown notices with their latency in China working days.
-- Grain: one row per notice. latency_workdays = working days from the day the notice was sent
-- to the day the listing was removed (same day = 0); null while the listing is still live.
with notices as (
    select * from staging.stg_takedowns
),

dates as (
    select date_day, workday_index, is_provisional from marts.dim_date
),

final as (
    select
        n.notice_id,
        n.case_id,
        n.platform,
        n.listing_url,
        n.notice_sent_at,
        n.removed_at,
        n.notice_sent_at::date as notice_sent_on,
        n.removed_at::date as removed_on,
        n.removed_at is not null as is_removed,
        r.workday_index - s.workday_index as latency_workdays,
        date_diff('minute', n.notice_sent_at, n.removed_at) / 60.0 as latency_hours,
        coalesce(r.workday_index - s.workday_index <= 2, false) as is_within_2wd,
        coalesce(s.is_provisional or r.is_provisional, false) as is_provisional,
        n.load_id
    from notices as n
    left join dates as s on s.date_day = n.notice_sent_at::date
    left join dates as r on r.date_day = n.removed_at::date
)

select * from final
