-- takedown_2wd_window: from which notice day on a takedown notice's 2-working-day window is still
-- open at the data's end (meta_data_span.last_day). A notice still live then and sent on or after
-- window_open_from is pending: removed on the day after the data's end it would still be within
-- 2 working days, so it is neither within nor past the target yet (docs/kpis.md). The window of a
-- notice sent on day S is open while workday_index(last_day + 1) - workday_index(S) <= 2; the
-- index never decreases, so the notices pending are exactly those sent from one day on.
-- Grain: one row; both columns null in an empty warehouse (nothing pending).
-- zh: takedown_2wd_window：自哪一个通知日起，下架通知的2个工作日时限在数据截至日
-- zh: （meta_data_span.last_day）仍未届满。截至当日仍未下架、且发出日期不早于 window_open_from
-- zh: 的通知为“待定”：若在数据截至日的次日下架仍属2个工作日内，因此既不算达标也不算超时
-- zh: （见 docs/kpis.md）。S 日发出的通知，只要 workday_index(last_day + 1) - workday_index(S) <= 2，
-- zh: 其时限就仍未届满；该累计值不会减少，因此待定的通知恰好是自某一日起发出的通知。
-- zh: 粒度：一行；空仓库中两列均为空（没有待定通知）。
-- materialized: table
-- unique: ()
with span as (
    select last_day from meta_data_span
),

next_day as (
    select d.workday_index
    from dim_date as d, span
    where d.date_day = span.last_day + 1
),

final as (
    select
        span.last_day,  -- The data's last day ("data up to"). | 数据截至日。
        (
            select min(d.date_day)
            from dim_date as d, next_day
            where d.workday_index >= next_day.workday_index - 2
        ) as window_open_from  -- First notice day whose 2-working-day window is still open at last_day. | 2个工作日时限在数据截至日仍未届满的最早通知日期。
    from span
)

select * from final
