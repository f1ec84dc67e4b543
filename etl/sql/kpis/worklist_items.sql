-- worklist_items(as_of, takedown_workdays, opinion_workdays, case_open_days, referral_workdays,
-- near_workdays): every item still open on as_of that is past its deadline (late) or whose
-- deadline falls within near_workdays working days of as_of (due). Four kinds:
-- takedown_live, a listing still live after its notice (deadline takedown_workdays working
-- days); opinion_missing, an advisory-opinion case without its opinion (opinion_workdays
-- working days after acceptance); case_open, any case not closed (case_open_days calendar
-- days after acceptance, the Overview's attention threshold); referral_unanswered, a case
-- referred out whose referral the partner has not finished (referral_workdays working days).
-- Ages in China working days (dim_date.workday_index); age_is_provisional when a day from the
-- start to as_of has no official holiday schedule yet. The one definition for the 督办
-- worklist page and `ipgov alerts run`; deadlines from dashboard/targets.py (docs/kpis.md).
-- Grain: one row per open item (item_kind, item_id).
-- zh: worklist_items(as_of, takedown_workdays, opinion_workdays, case_open_days,
-- zh: referral_workdays, near_workdays)：截至 as_of 仍未办结、已超期（late）或将在
-- zh: near_workdays 个工作日内到期（due）的事项。共四类：takedown_live（通知后链接仍未下架，
-- zh: 时限为 takedown_workdays 个工作日）；opinion_missing（侵权判定咨询意见案件受理后
-- zh: opinion_workdays 个工作日仍未出具意见）；case_open（案件受理后 case_open_days 个自然日
-- zh: 仍未结案，与总览“需关注”的阈值相同）；referral_unanswered（移出协作的案件，协作方
-- zh: referral_workdays 个工作日内仍未办结）。以中国工作日计时（dim_date.workday_index）；
-- zh: 起始日至 as_of 之间有尚无官方安排的日期时 age_is_provisional 为 true。督办清单页面与
-- zh: 告警命令（ipgov alerts）共用这一个定义；时限来自 dashboard/targets.py（见 docs/kpis.md）。
-- zh: 粒度：每个未办结事项一行（item_kind, item_id）。
-- materialized: macro
-- parameters: as_of, takedown_workdays, opinion_workdays, case_open_days, referral_workdays, near_workdays
with cutoff as (
    select workday_index as at_index, provisional_index as at_provisional
    from dim_date
    where date_day = as_of::date
),

days as (
    select
        date_day,
        is_workday,
        workday_index,
        provisional_index - is_provisional::int as provisional_before
    from dim_date
),

-- the working day holding each workday_index: a deadline N working days after a start
workdays as (
    select workday_index, date_day from days where is_workday
),

notices as (
    select
        'takedown_live' as item_kind,
        t.notice_id as item_id,
        t.case_id,
        t.platform,
        c.ip_type,
        c.complainant_park,
        null::varchar as partner_region,
        t.notice_sent_on as started_on,
        takedown_workdays::integer as deadline
    from fct_takedowns as t
    left join fct_cases as c on c.case_id = t.case_id
    where t.notice_sent_on <= as_of::date
        and (t.removed_on is null or t.removed_on > as_of::date)
),

opinions as (
    select
        'opinion_missing' as item_kind,
        case_id as item_id,
        case_id,
        platform,
        ip_type,
        complainant_park,
        referral_partner as partner_region,
        received_on as started_on,
        opinion_workdays::integer as deadline
    from fct_cases
    where service_type = 'advisory_opinion'
        and received_on <= as_of::date
        and (advisory_opinion_on is null or advisory_opinion_on > as_of::date)
        and (closed_on is null or closed_on > as_of::date)
),

referrals as (
    select
        'referral_unanswered' as item_kind,
        r.case_id as item_id,
        r.case_id,
        r.platform,
        r.ip_type,
        c.complainant_park,
        r.partner_region,
        r.referred_on as started_on,
        referral_workdays::integer as deadline
    from fct_referrals as r
    join fct_cases as c on c.case_id = r.case_id
    where r.direction = 'out'
        and r.referred_on <= as_of::date
        and (r.referral_closed_on is null or r.referral_closed_on > as_of::date)
),

-- working-day deadlines: due on the deadline-th working day after the start
by_workdays as (
    select
        i.*,
        w.date_day as due_on,
        s.provisional_before
    from (select * from notices union all select * from opinions union all select * from referrals)
        as i
    join days as s on s.date_day = i.started_on
    left join workdays as w on w.workday_index = s.workday_index + i.deadline
),

-- the calendar-day threshold of open cases
by_days as (
    select
        'case_open' as item_kind,
        c.case_id as item_id,
        c.case_id,
        c.platform,
        c.ip_type,
        c.complainant_park,
        c.referral_partner as partner_region,
        c.received_on as started_on,
        case_open_days::integer as deadline,
        c.received_on + case_open_days::integer as due_on,
        s.provisional_before
    from fct_cases as c
    join days as s on s.date_day = c.received_on
    where c.received_on <= as_of::date
        and (c.closed_on is null or c.closed_on > as_of::date)
),

aged as (
    select
        i.*,
        k.at_index - s.workday_index as age_workdays,
        date_diff('day', i.started_on, as_of::date) as age_days,
        k.at_index - d.workday_index as workdays_past_due,
        k.at_provisional > i.provisional_before as age_is_provisional
    from (select * from by_workdays union all select * from by_days) as i
    cross join cutoff as k
    join days as s on s.date_day = i.started_on
    left join days as d on d.date_day = i.due_on
),

final as (
    select
        item_kind,
        case
            when item_kind = 'case_open' and age_days > deadline then 'late'
            when item_kind <> 'case_open' and age_workdays > deadline then 'late'
            else 'due'
        end as item_status,
        item_id,
        case_id,
        platform,
        ip_type,
        complainant_park,
        partner_region,
        started_on,
        due_on,
        deadline,
        age_workdays,
        age_days,
        workdays_past_due,
        age_is_provisional
    from aged
    where (item_kind = 'case_open' and age_days > deadline)
        or (item_kind <> 'case_open' and age_workdays > deadline)
        or workdays_past_due > -near_workdays::integer
)

select * from final
