-- Top applicants (organisations; individuals are not named) by applications accepted in the
-- period.
select
    applicant_name,
    count(*) as accepted,
    count(*) filter (where is_authorized) as authorized,
    count(*) filter (where patent_type = 'design') as design
from fct_patent_preexams
where accepted_on between $start and $end and applicant_name is not null
group by all
order by accepted desc, applicant_name
limit 15
