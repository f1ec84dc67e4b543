-- fct_cases: rights-protection assistance cases with their turnaround in China working days.
-- Grain: one row per case. No personal data.
-- unique: case_id
-- not_null: received_on, service_type, ip_type, status, is_closed, load_id
with cases as (
    select * from staging.stg_cases
),

dates as (
    select date_day, workday_index from marts.dim_date
),

final as (
    select
        c.case_id,  -- Case number (natural key).
        c.received_on,  -- Day the center accepted the case.
        c.service_type,  -- consultation, mediation, assistance or advisory_opinion.
        c.ip_type,  -- patent, trademark, copyright or other.
        c.complainant_enterprise,  -- Enterprise asking for help.
        c.complainant_park,  -- Park or market code of the complainant (P01-P07, M01-M05, other).
        c.respondent_region,  -- Region code of the alleged infringer (local = this district).
        c.platform,  -- Platform code of the infringement, or offline.
        c.status,  -- received, in_progress, closed or withdrawn.
        c.advisory_opinion_on,  -- Day an advisory opinion was issued.
        c.closed_on,  -- Day the case was closed; null while open.
        c.outcome,  -- How the case ended; null while open.
        c.referral_direction,  -- out (sent to a partner), in (received from one), null (none).
        c.referral_partner,  -- Region code of the referral partner.
        c.referred_on,  -- Day the referral was sent or received.
        c.referral_closed_on,  -- Day the referral was finished.
        c.closed_on is not null as is_closed,  -- True once closed_on is set.
        o.workday_index - r.workday_index as opinion_latency_workdays,  -- China working days from receipt to advisory opinion (target: 2).
        x.workday_index - r.workday_index as closing_latency_workdays,  -- China working days from receipt to closing.
        c.load_id  -- Load that brought the current version of the record.
    from cases as c
    left join dates as r on r.date_day = c.received_on
    left join dates as o on o.date_day = c.advisory_opinion_on
    left join dates as x on x.date_day = c.closed_on
)

select * from final
