-- kpi_monthly: the headline KPIs month by month, for trend charts. Materialized per snapshot.
-- Grain: one row per calendar month (month_start) from the first to the last month with data.
-- Same definitions as kpi_headline (a test holds every month equal to
-- kpi_headline(month_start, month_end)); cases_open_end is the backlog on the month's last day.
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
    from fct_notarizations where notarized_on is not null group by all
),

takedowns as (
    select
        date_trunc('month', notice_sent_on)::date as month_start,
        count(*) as takedown_requests,
        latency_quantiles(latency_workdays).median as takedown_median_workdays,
        latency_quantiles(latency_workdays).p90 as takedown_p90_workdays,
        avg(is_within_2wd::int) as takedown_within_2wd_share
    from fct_takedowns group by all
),

final as (
    select
        m.month_start,  -- First day of the month (natural key).
        coalesce(pa.n, 0) as patent_preexam_accepted,  -- Applications accepted for pre-examination (by accepted_on).
        coalesce(pz.n, 0) as patent_preexam_authorized,  -- Pre-examined applications granted (by authorized_on).
        coalesce(cr.n, 0) as cases_accepted,  -- Assistance cases received (by received_on).
        coalesce(cc.n, 0) as cases_closed,  -- Assistance cases closed (by closed_on).
        (sum(coalesce(cr.n, 0) - coalesce(cc.n, 0)) over (order by m.month_start))::bigint
            as cases_open_end,  -- Backlog: cases open on the month's last day.
        coalesce(tm.n, 0) as trademark_cases,  -- Trademark enforcement cases opened (by opened_on).
        coalesce(tf.fines, 0)::decimal(18, 2) as trademark_fines_yuan,  -- Fines of trademark cases closed in the month, yuan.
        coalesce(nt.n, 0) as notarizations,  -- Notarizations completed (by notarized_at).
        coalesce(td.takedown_requests, 0) as takedown_requests,  -- Takedown notices sent (by notice_sent_at).
        td.takedown_median_workdays,  -- Median working days to removal of the month's removed notices.
        td.takedown_p90_workdays,  -- 90th percentile working days to removal.
        td.takedown_within_2wd_share,  -- Share of the month's notices removed within 2 working days (live = not).
        coalesce(rf.referrals_out, 0) as referrals_out,  -- Cases referred to partners (by referred_on).
        coalesce(rf.referrals_in, 0) as referrals_in  -- Cases referred by partners (by referred_on).
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
