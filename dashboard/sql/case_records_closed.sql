-- The cases closed in the period (drill-down), no personal data.
select
    case_id, received_on, closed_on, service_type, ip_type, complainant_enterprise, platform,
    status, outcome, closing_latency_workdays
from fct_cases
where closed_on between $start and $end
    and (len($platforms::varchar[]) = 0 or list_contains($platforms::varchar[], platform))
    and (len($locations::varchar[]) = 0
         or list_contains($locations::varchar[], complainant_park))
    and (len($ip_types::varchar[]) = 0 or list_contains($ip_types::varchar[], ip_type))
    and (len($regions::varchar[]) = 0 or list_contains($regions::varchar[], referral_partner))
order by closed_on, case_id
