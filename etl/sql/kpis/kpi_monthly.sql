-- kpi_monthly: the headline KPIs month by month, for trend charts. Materialized per snapshot.
-- Grain: one row per calendar month (month_start) from the first to the last month with data.
-- Same definitions as kpi_headline (a test holds every month equal to
-- kpi_headline(month_start, month_end)); cases_open_end is the backlog on the month's last day.
-- zh: kpi_monthly：逐月的核心指标，供月度趋势图使用。在每个数据快照中物化为表。粒度：
-- zh: 从有数据的第一个月到最后一个月，每个自然月（month_start）一行。
-- zh: 口径与 kpi_headline 相同（有测试保证每个月都等于 kpi_headline(month_start, month_end)）；
-- zh: cases_open_end 为当月最后一天的积压（在办）案件数。
-- materialized: table
-- unique: month_start
-- not_null: patent_preexam_accepted, patent_preexam_authorized, cases_accepted, cases_closed
-- not_null: cases_open_end, trademark_cases, trademark_fines_yuan, notarizations, takedown_requests
-- not_null: referrals_out, referrals_in
with months as (
    select distinct month_start
    from dim_date
    where date_day between
        (select least(min(received_on), min(accepted_on), min(notice_sent_on))
         from (select min(received_on) as received_on from fct_cases),
              (select min(accepted_on) as accepted_on from fct_patent_preexams),
              (select min(notice_sent_on) as notice_sent_on from fct_takedowns))
        and
        (select greatest(max(received_on), max(accepted_on), max(notice_sent_on))
         from (select max(received_on) as received_on from fct_cases),
              (select max(accepted_on) as accepted_on from fct_patent_preexams),
              (select max(notice_sent_on) as notice_sent_on from fct_takedowns))
),

patents_accepted as (
    select date_trunc('month', accepted_on)::date as month_start, count(*) as n
    from fct_patent_preexams group by all
),

patents_authorized as (
    select date_trunc('month', authorized_on)::date as month_start, count(*) as n
    from fct_patent_preexams where authorized_on is not null group by all
),

cases_received as (
    select date_trunc('month', received_on)::date as month_start, count(*) as n
    from fct_cases group by all
),

cases_closed as (
    select date_trunc('month', closed_on)::date as month_start, count(*) as n
    from fct_cases where closed_on is not null group by all
),

referrals as (
    select
        date_trunc('month', referred_on)::date as month_start,
        count(*) filter (where referral_direction = 'out') as referrals_out,
        count(*) filter (where referral_direction = 'in') as referrals_in
    from fct_cases where referral_direction is not null and referred_on is not null group by all
),

trademarks_opened as (
    select date_trunc('month', opened_on)::date as month_start, count(*) as n
    from fct_trademark_cases group by all
),

trademark_fines as (
    select date_trunc('month', closed_on)::date as month_start, sum(fine_yuan) as fines
    from fct_trademark_cases where closed_on is not null group by all
),

notarized as (
    select date_trunc('month', notarized_on)::date as month_start, count(*) as n
    from fct_notarizations
    where notarized_on is not null and not is_altered  -- altered: not counted
    group by all
),

takedowns as (
    select
        date_trunc('month', notice_sent_on)::date as month_start,
        count(*) as takedown_requests,
        latency_quantiles(latency_workdays).median as takedown_median_workdays,
        latency_quantiles(latency_workdays).p90 as takedown_p90_workdays,
        within_2wd_share(is_within_2wd, is_removed, notice_sent_on) as takedown_within_2wd_share
    from fct_takedowns group by all
),

final as (
    select
        m.month_start,  -- First day of the month (natural key). | 当月第一天（自然键）。
        coalesce(pa.n, 0) as patent_preexam_accepted,  -- Applications accepted for pre-examination (by accepted_on). | 受理的专利预审申请数（按 accepted_on）。
        coalesce(pz.n, 0) as patent_preexam_authorized,  -- Pre-examined applications granted (by authorized_on). | 经预审获得授权的申请数（按 authorized_on）。
        coalesce(cr.n, 0) as cases_accepted,  -- Assistance cases received (by received_on). | 受理的维权援助案件数（按 received_on）。
        coalesce(cc.n, 0) as cases_closed,  -- Assistance cases closed (by closed_on). | 结案的维权援助案件数（按 closed_on）。
        (sum(coalesce(cr.n, 0) - coalesce(cc.n, 0)) over (order by m.month_start))::bigint
            as cases_open_end,  -- Backlog: cases open on the month's last day. | 积压：当月最后一天仍在办的案件数。
        coalesce(tm.n, 0) as trademark_cases,  -- Trademark enforcement cases opened (by opened_on). | 商标执法立案数（按 opened_on）。
        coalesce(tf.fines, 0)::decimal(18, 2) as trademark_fines_yuan,  -- Fines of trademark cases closed in the month, yuan. | 当月结案的商标执法案件的罚没金额，元。
        coalesce(nt.n, 0) as notarizations,  -- Notarizations completed (by notarized_at). | 完成的存证公证数（按 notarized_at）。
        coalesce(td.takedown_requests, 0) as takedown_requests,  -- Takedown notices sent (by notice_sent_at). | 发出的下架通知数（按 notice_sent_at）。
        td.takedown_median_workdays,  -- Median working days to removal of the month's removed notices. | 当月已下架通知的下架用时中位数（工作日）。
        td.takedown_p90_workdays,  -- 90th percentile working days to removal. | 下架用时的第 90 百分位数（工作日）。
        td.takedown_within_2wd_share,  -- Share of the month's notices removed within 2 working days (live = not). | 当月通知中2个工作日内下架的占比（仍在线的计为未在2个工作日内下架）。
        coalesce(rf.referrals_out, 0) as referrals_out,  -- Cases referred to partners (by referred_on). | 移出协作的案件数（按 referred_on）。
        coalesce(rf.referrals_in, 0) as referrals_in  -- Cases referred by partners (by referred_on). | 移入协作的案件数（按 referred_on）。
    from months as m
    left join patents_accepted as pa using (month_start)
    left join patents_authorized as pz using (month_start)
    left join cases_received as cr using (month_start)
    left join cases_closed as cc using (month_start)
    left join trademarks_opened as tm using (month_start)
    left join trademark_fines as tf using (month_start)
    left join notarized as nt using (month_start)
    left join takedowns as td using (month_start)
    left join referrals as rf using (month_start)
)

select * from final order by month_start
