-- Patent pre-examinations accepted and authorized per month/quarter ($grain), and the
-- authorization rate (authorized ÷ accepted in the same period: a throughput ratio).
with accepted as (
    select date_trunc($grain, accepted_on)::date as period_start, count(*) as accepted
    from fct_patent_preexams where accepted_on between $start and $end group by all
),

authorized as (
    select date_trunc($grain, authorized_on)::date as period_start, count(*) as authorized
    from fct_patent_preexams where authorized_on between $start and $end group by all
)

select
    period_start,
    coalesce(accepted, 0) as accepted,
    coalesce(authorized, 0) as authorized,
    coalesce(authorized, 0) / nullif(accepted, 0) as authorization_rate
from accepted full outer join authorized using (period_start)
order by period_start
