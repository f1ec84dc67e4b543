-- The pre-examined applications granted in the period (drill-down); individuals not named.
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    preexam_id, applicant_type, applicant_name, patent_type, patent_class, accepted_on,
    authorized_on, cycle_days
from fct_patent_preexams
where authorized_on between $start and $end
order by authorized_on, preexam_id
limit $limit
