-- fct_takedowns: takedown notices with their latency in China working days.
-- Grain: one row per notice. latency_workdays = working days from the day the notice was sent
-- to the day the listing was removed (same day = 0); null while the listing is still live.
-- zh: fct_takedowns：电商下架通知及其下架用时（中国工作日）。粒度：每条通知一行。
-- zh: latency_workdays = 从发出通知之日到链接下架之日的工作日数（当日下架 = 0）；
-- zh: 链接仍在线时为空。
-- unique: notice_id
-- not_null: platform, notice_sent_at, notice_sent_on, is_removed, is_within_2wd, is_provisional
-- not_null: load_id
-- refresh: raw.takedowns(notice_id)
with notices as (
    select * from staging.stg_takedowns
),

dates as (
    select date_day, workday_index, is_provisional, provisional_index from marts.dim_date
),

final as (
    select
        n.notice_id,  -- Takedown notice number (natural key). | 下架通知编号（自然键）。
        n.case_id,  -- Assistance case the notice belongs to, if any. | 通知所属的维权援助案件（如有）。
        n.platform,  -- Platform code (see dim_code, domain platform). | 平台代码（见 dim_code，domain 为 platform）。
        n.listing_url,  -- URL or id of the infringing listing. | 侵权商品链接的网址或编号。
        n.notice_sent_at,  -- When the notice was sent (China time). | 发出通知的时间（北京时间）。
        n.removed_at,  -- When the listing was removed; null while still live. | 链接下架的时间；仍在线时为空。
        n.notice_sent_at::date as notice_sent_on,  -- Day the notice was sent. | 发出通知的日期。
        n.removed_at::date as removed_on,  -- Day the listing was removed. | 链接下架的日期。
        n.removed_at is not null as is_removed,  -- True once the platform removed the listing. | 平台下架链接后为 true。
        r.workday_index - s.workday_index as latency_workdays,  -- China working days from notice day to removal day (same day = 0); null while live. | 从通知日到下架日的中国工作日数（当日下架 = 0）；仍在线时为空。
        date_diff('minute', n.notice_sent_at, n.removed_at) / 60.0 as latency_hours,  -- Hours from notice to removal; null while live. | 从通知到下架的小时数；仍在线时为空。
        coalesce(r.workday_index - s.workday_index <= 2, false) as is_within_2wd,  -- Removed within 2 working days (the center's promise); false while live. | 是否在2个工作日内下架（保护中心的承诺）；仍在线时为 false。
        coalesce(
            s.is_provisional or r.provisional_index > s.provisional_index, s.is_provisional, false
        ) as is_provisional,  -- A day from notice to removal (or the notice day, while live) has no official schedule: the latency is provisional. | 从通知日到下架日（仍在线时为通知日）中有日期尚无官方安排：用时为暂定。
        n.load_id  -- Load that brought the current version of the record. | 载入该记录当前版本的加载批次。
    from notices as n
    left join dates as s on s.date_day = n.notice_sent_at::date
    left join dates as r on r.date_day = n.removed_at::date
)

select * from final
