-- meta_data_span: the first and last day on which anything happened in the data ("data up to").
-- Grain: one row. Open notices and cases are aged, and Kaplan-Meier curves censored, at last_day.
-- unique: ()
with days as (
    select min(received_on) as d0, max(greatest(received_on, closed_on)) as d1 from fct_cases
    union all
    select min(notice_sent_on), max(greatest(notice_sent_on, removed_on)) from fct_takedowns
    union all
    select min(accepted_on), max(greatest(accepted_on, authorized_on)) from fct_patent_preexams
    union all
    select min(opened_on), max(greatest(opened_on, closed_on)) from fct_trademark_cases
    union all
    select min(requested_at::date), max(notarized_on) from fct_notarizations
),

final as (
    select
        min(d0) as first_day,  -- Earliest event date in the snapshot.
        max(d1) as last_day  -- Latest event date in the snapshot ("data up to").
    from days
)

select * from final
