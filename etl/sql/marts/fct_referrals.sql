-- fct_referrals: cross-region referrals, kept as fields of the case they belong to and
-- flattened here. direction 'out' = the center sent the case to a partner region or agency;
-- 'in' = a partner sent it to the center.
-- Grain: one row per referred case.
-- zh: fct_referrals：跨区域协作。协作信息作为所属案件的字段保存，在此展开为一张表。
-- zh: direction 为 'out'（移出）= 本中心将案件移交协作地区或机构；
-- zh: 'in'（移入）= 协作方将案件移交本中心。粒度：每个协作案件一行。
-- unique: case_id
-- not_null: direction, received_on, is_finished
-- refresh: raw.cases(case_id)
with cases as (
    select * from marts.fct_cases
),

dates as (
    select date_day, workday_index from marts.dim_date
),

final as (
    select
        c.case_id,  -- Referred case. | 协作案件的案件编号。
        c.referral_direction as direction,  -- out: the center referred the case to the partner; in: the partner referred it to the center. | out：本中心将案件移交协作方（移出）；in：协作方将案件移交本中心（移入）。
        c.referral_partner as partner_region,  -- Partner region or agency code. | 协作地区或机构的代码。
        c.ip_type,  -- IP type of the case. | 案件的知识产权类型。
        c.platform,  -- Platform code of the case. | 案件的平台代码。
        c.received_on,  -- Day the center received the case. | 保护中心受理案件的日期。
        c.referred_on,  -- Day the referral was sent or received. | 移出或移入协作的日期。
        c.referral_closed_on,  -- Day the referral was finished; null while open. | 协作办结日期；未办结时为空。
        c.referral_closed_on is not null as is_finished,  -- True once referral_closed_on is set. | referral_closed_on 有值（协作已办结）时为 true。
        e.workday_index - s.workday_index as referral_latency_workdays,  -- China working days from referral to finish. | 从移交到协作办结的中国工作日数。
        c.outcome  -- Outcome of the case. | 案件的处理结果。
    from cases as c
    left join dates as s on s.date_day = c.referred_on
    left join dates as e on e.date_day = c.referral_closed_on
    where c.referral_direction is not null
)

select * from final
