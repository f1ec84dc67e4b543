-- The referrals of the period (drill-down).
select
    case_id, direction, partner_region, ip_type, platform, received_on, referred_on,
    referral_closed_on, referral_latency_workdays, outcome
from fct_referrals
where referred_on between $start and $end
    and (len($ip_types::varchar[]) = 0 or list_contains($ip_types::varchar[], ip_type))
    and (len($platforms::varchar[]) = 0 or list_contains($platforms::varchar[], platform))
    and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], partner_region))
order by referred_on, case_id
