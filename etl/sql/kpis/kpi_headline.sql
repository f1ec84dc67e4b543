-- kpi_headline(start_date, end_date): the headline KPIs for one period, both dates included.
-- Grain: one row. Optional filters (platforms, locations, ip_types, regions: code lists, empty =
-- all; the dashboard's chosen() on the columns its queries filter) narrow each KPI to the
-- records of the chosen platforms, parks/markets, IP types or partner regions, for the Compare
-- page and `ipgov kpis --platform …`; a KPI whose records do not carry a chosen dimension
-- (patents by any filter, takedowns by a park) is null: not applicable, never the district's
-- number. Each KPI counts records by the date named in docs/kpis.md:
-- patents by accepted_on / authorized_on, cases by received_on / closed_on, trademark cases by
-- opened_on and fines by closed_on, notarizations by notarized_at, takedowns by notice_sent_at,
-- referrals by referred_on. Latency in China working days; shares are 0..1.
-- takedown_2wd_pending, beside the KPIs, counts the notices the 2-working-day share leaves out
-- (still live, window open at the data's end: takedown_2wd_pending).
-- zh: kpi_headline(start_date, end_date)：一个统计期间（含起止两日）的核心指标。粒度：
-- zh: 一行。可选筛选参数（platforms、locations、ip_types、regions：代码列表，空列表表示全部；
-- zh: 与看板查询相同，用 chosen() 作用于相同的列）把各指标限定为所选平台、园区/市场、知识产权
-- zh: 类型或协作地区的记录，供对比页面和 `ipgov kpis --platform …` 使用；记录本身不带所选维度的
-- zh: 指标（任何筛选下的专利预审、按园区筛选时的下架通知）为空值：不适用，绝不显示全区数字。
-- zh: 各指标按 docs/kpis.md 规定的日期计数：专利预审按 accepted_on / authorized_on，
-- zh: 维权援助案件按 received_on / closed_on，
-- zh: 商标执法案件按 opened_on、罚没金额按 closed_on，存证公证按 notarized_at，
-- zh: 下架通知按 notice_sent_at，跨区域协作按 referred_on。时效以中国工作日计；
-- zh: 占比取值 0..1。takedown_2wd_pending 不是核心指标，而是2个工作日内下架占比未计入的
-- zh: 待定通知数（截至数据截至日仍未下架、时限尚未届满：takedown_2wd_pending）。
-- materialized: macro
-- parameters: start_date, end_date, platforms := [], locations := [], ip_types := [], regions := []
with period as (
    select start_date::date as d0, end_date::date as d1
),

-- Which filters are set: a KPI is null when a set filter names a dimension its records lack.
picked as (
    select
        len(platforms::varchar[]) > 0 as by_platform,
        len(locations::varchar[]) > 0 as by_location,
        len(ip_types::varchar[]) > 0 as by_ip_type,
        len(regions::varchar[]) > 0 as by_region
),

-- The big facts are read with the period in WHERE, not as a FILTER over every row, so DuckDB
-- skips row groups outside it; both latency quantiles share one sort (latency_quantiles,
-- docs/performance.md).
patents_accepted as (
    select count(*) as patent_preexam_accepted
    from fct_patent_preexams
    where accepted_on between start_date::date and end_date::date
),

patents_authorized as (
    select count(*) as patent_preexam_authorized
    from fct_patent_preexams
    where authorized_on between start_date::date and end_date::date
),

cases as (
    select
        count(*) filter (where received_on between d0 and d1) as cases_accepted,
        count(*) filter (where closed_on between d0 and d1) as cases_closed,
        count(*) filter (where received_on <= d1 and (closed_on is null or closed_on > d1))
            as cases_open_end,
        count(*) filter (where referral_direction = 'out' and referred_on between d0 and d1)
            as referrals_out,
        count(*) filter (where referral_direction = 'in' and referred_on between d0 and d1)
            as referrals_in
    from fct_cases, period
    where chosen(platforms, platform)
        and chosen(locations, complainant_park)
        and chosen(ip_types, ip_type)
        and chosen(regions, referral_partner)
),

trademarks as (
    select
        count(*) filter (where opened_on between d0 and d1) as trademark_cases,
        coalesce(sum(fine_yuan) filter (where closed_on between d0 and d1), 0)::decimal(18, 2)
            as trademark_fines_yuan
    from fct_trademark_cases, period
    where chosen(locations, location)
        and chosen(regions, partner_region)
),

notarizations as (
    select count(*) as notarizations
    from fct_notarizations
    where notarized_on between start_date::date and end_date::date
        and not is_altered  -- an altered record's date cannot be trusted: not counted
        and chosen(platforms, platform)
),

takedown_notices as (
    select
        count(*) as takedown_requests,
        latency_quantiles(latency_workdays) as latency,
        within_2wd_share(is_within_2wd, is_removed, notice_sent_on) as takedown_within_2wd_share,
        count(*) filter (where takedown_2wd_pending(is_removed, notice_sent_on))
            as takedown_2wd_pending
    from fct_takedowns
    where notice_sent_on between start_date::date and end_date::date
        and chosen(platforms, platform)
),

takedowns as (
    select
        takedown_requests,
        latency.median as takedown_median_workdays,
        latency.p90 as takedown_p90_workdays,
        takedown_within_2wd_share,
        takedown_2wd_pending
    from takedown_notices
),

-- Not applicable under the filters set: patents carry no dimension, trademark cases no platform
-- or IP type, notarizations and takedowns only a platform.
applies as (
    select
        not (by_platform or by_location or by_ip_type or by_region) as to_patents,
        not (by_platform or by_ip_type) as to_trademarks,
        not (by_location or by_ip_type or by_region) as to_platform_records
    from picked
),

final as (
    select
        period.d0 as period_start,
        period.d1 as period_end,
        if(to_patents, patent_preexam_accepted, null) as patent_preexam_accepted,
        if(to_patents, patent_preexam_authorized, null) as patent_preexam_authorized,
        cases.cases_accepted,
        cases.cases_closed,
        cases.cases_open_end,
        if(to_trademarks, trademark_cases, null) as trademark_cases,
        if(to_trademarks, trademark_fines_yuan, null) as trademark_fines_yuan,
        if(to_platform_records, notarizations, null) as notarizations,
        if(to_platform_records, takedown_requests, null) as takedown_requests,
        if(to_platform_records, takedown_median_workdays, null) as takedown_median_workdays,
        if(to_platform_records, takedown_p90_workdays, null) as takedown_p90_workdays,
        if(to_platform_records, takedown_within_2wd_share, null) as takedown_within_2wd_share,
        if(to_platform_records, takedown_2wd_pending, null) as takedown_2wd_pending,
        cases.referrals_out,
        cases.referrals_in
    from period, applies, patents_accepted, patents_authorized, cases, trademarks, notarizations,
        takedowns
)

select * from final
