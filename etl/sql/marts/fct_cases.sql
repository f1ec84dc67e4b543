-- fct_cases: rights-protection assistance cases with their turnaround in China working days.
-- Grain: one row per case. No personal data.
-- zh: fct_cases：维权援助案件及其办理用时（中国工作日）。粒度：每个案件一行。不含个人信息。
-- unique: case_id
-- not_null: received_on, service_type, ip_type, status, is_closed, load_id
-- refresh: raw.cases(case_id)
with cases as (
    select * from staging.stg_cases
),

dates as (
    select date_day, workday_index from marts.dim_date
),

final as (
    select
        c.case_id,  -- Case number (natural key). | 案件编号（自然键）。
        c.received_on,  -- Day the center accepted the case. | 保护中心受理案件的日期。
        c.service_type,  -- consultation, mediation, assistance or advisory_opinion. | consultation（咨询）、mediation（调解）、assistance（维权援助）或 advisory_opinion（侵权判定咨询意见）。
        c.ip_type,  -- patent, trademark, copyright or other. | patent（专利）、trademark（商标）、copyright（著作权）或 other（其他）。
        c.complainant_enterprise,  -- Enterprise asking for help. | 请求维权援助的企业。
        c.complainant_park,  -- Park or market code of the complainant (P01-P07, M01-M05, other). | 请求人所属园区或市场的代码（P01-P07、M01-M05、other）。
        c.respondent_region,  -- Region code of the alleged infringer (local = this district). | 被请求人（涉嫌侵权方）所在地区代码（local 即本区）。
        c.platform,  -- Platform code of the infringement, or offline. | 侵权所在电商平台的代码，或 offline（线下）。
        c.status,  -- received, in_progress, closed or withdrawn. | received（已受理）、in_progress（办理中）、closed（已结案）或 withdrawn（已撤回）。
        c.advisory_opinion_on,  -- Day an advisory opinion was issued. | 出具侵权判定咨询意见的日期。
        c.closed_on,  -- Day the case was closed; null while open. | 结案日期；未结案时为空。
        c.outcome,  -- How the case ended; null while open. | 处理结果；未结案时为空。
        c.referral_direction,  -- out (sent to a partner), in (received from one), null (none). | out（移出：移交协作方）、in（移入：协作方移交本中心）、空（未协作）。
        c.referral_partner,  -- Region code of the referral partner. | 协作方的地区代码。
        c.referred_on,  -- Day the referral was sent or received. | 移出或移入协作的日期。
        c.referral_closed_on,  -- Day the referral was finished. | 协作办结日期。
        c.closed_on is not null as is_closed,  -- True once closed_on is set. | closed_on 有值（已结案）时为 true。
        o.workday_index - r.workday_index as opinion_latency_workdays,  -- China working days from receipt to advisory opinion (target: 2). | 从受理到出具侵权判定咨询意见的中国工作日数（目标：2个工作日）。
        x.workday_index - r.workday_index as closing_latency_workdays,  -- China working days from receipt to closing. | 从受理到结案的中国工作日数。
        c.load_id  -- Load that brought the current version of the record. | 载入该记录当前版本的加载批次。
    from cases as c
    left join dates as r on r.date_day = c.received_on
    left join dates as o on o.date_day = c.advisory_opinion_on
    left join dates as x on x.date_day = c.closed_on
)

select * from final
