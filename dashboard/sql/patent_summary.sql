-- Patent pre-examinations of the period: accepted and granted (each by its own date), and the
-- median days to grant of the design patents granted in the period. One filtered scan per date
-- (not a FILTER over every row), so DuckDB reads only the rows of the period.
with accepted as (
    select count(*) as accepted
    from fct_patent_preexams
    where accepted_on between $start and $end
),

authorized as (
    select
        count(*) as authorized,
        median(cycle_days) filter (where patent_type = 'design') as design_median_cycle_days
    from fct_patent_preexams
    where authorized_on between $start and $end
)

select accepted, authorized, design_median_cycle_days
from accepted, authorized
