-- fct_referrals: cross-region referrals, kept as fields of the case they belong to and
-- flattened here. direction 'out' = the center sent the case to a partner region or agency;
-- 'in' = a partner sent it to the center.
-- Grain: one row per referred case.
-- unique: case_id
-- not_null: direction, received_on, is_finished
with cases as (
    select * from marts.fct_cases
),

dates as (
    select date_day, workday_index from marts.dim_date
),

final as (
    select
        c.case_id,  -- Referred case.
        c.referral_direction as direction,  -- out: the center referred the case to the partner; in: the partner referred it to the center.
        c.referral_partner as partner_region,  -- Partner region or agency code.
        c.ip_type,  -- IP type of the case.
        c.platform,  -- Platform code of the case.
        c.received_on,  -- Day the center received the case.
        c.referred_on,  -- Day the referral was sent or received.
        c.referral_closed_on,  -- Day the referral was finished; null while open.
        c.referral_closed_on is not null as is_finished,  -- True once referral_closed_on is set.
        e.workday_index - s.workday_index as referral_latency_workdays,  -- China working days from referral to finish.
        c.outcome  -- Outcome of the case.
    from cases as c
    left join dates as s on s.date_day = c.referred_on
    left join dates as e on e.date_day = c.referral_closed_on
    where c.referral_direction is not null
)

select * from final
