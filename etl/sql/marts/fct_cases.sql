-- fct_cases: rights-protection assistance cases with their turnaround in China working days.
-- Grain: one row per case. No personal data.
with cases as (
    select * from staging.stg_cases
),

dates as (
    select date_day, workday_index from marts.dim_date
),

final as (
    select
        c.case_id,
        c.received_on,
        c.service_type,
        c.ip_type,
        c.complainant_enterprise,
        c.complainant_park,
        c.respondent_region,
        c.platform,
        c.status,
        c.advisory_opinion_on,
        c.closed_on,
        c.outcome,
        c.referral_direction,
        c.referral_partner,
        c.referred_on,
        c.referral_closed_on,
        c.closed_on is not null as is_closed,
        o.workday_index - r.workday_index as opinion_latency_workdays,
        x.workday_index - r.workday_index as closing_latency_workdays,
        c.load_id
    from cases as c
    left join dates as r on r.date_day = c.received_on
    left join dates as o on o.date_day = c.advisory_opinion_on
    left join dates as x on x.date_day = c.closed_on
)

select * from final
