-- fct_referrals: cross-region referrals, kept as fields of the case they belong to and
-- flattened here. direction 'out' = the center sent the case to a partner region or agency;
-- 'in' = a partner sent it to the center.
-- Grain: one row per referred case.
with cases as (
    select * from marts.fct_cases
),

dates as (
    select date_day, workday_index from marts.dim_date
),

final as (
    select
        c.case_id,
        c.referral_direction as direction,
        c.referral_partner as partner_region,
        c.ip_type,
        c.platform,
        c.received_on,
        c.referred_on,
        c.referral_closed_on,
        c.referral_closed_on is not null as is_finished,
        e.workday_index - s.workday_index as referral_latency_workdays,
        c.outcome
    from cases as c
    left join dates as s on s.date_day = c.referred_on
    left join dates as e on e.date_day = c.referral_closed_on
    where c.referral_direction is not null
)

select * from final
