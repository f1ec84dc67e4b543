-- Patent pre-examinations of the period: accepted and granted (each by its own date), and the
-- median days to grant of the design patents granted in the period.
select
    count(*) filter (where accepted_on between $start and $end) as accepted,
    count(*) filter (where authorized_on between $start and $end) as authorized,
    median(cycle_days) filter (where authorized_on between $start and $end
                               and patent_type = 'design') as design_median_cycle_days
from fct_patent_preexams
