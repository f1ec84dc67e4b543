-- The 督办 worklist in numbers: open items late or due on $as_of per kind and status, with the
-- same filter as worklist.sql (worklist_chosen); what a viewer (who may not see the records) is
-- shown, and the page's tiles. Ages touching a provisional working day are counted apart.
select
    item_kind,
    item_status,
    count(*) as items,
    max(age_workdays) as max_age_workdays,
    count(*) filter (where age_is_provisional) as provisional_items
from worklist_chosen(
    $as_of, $takedown_workdays, $opinion_workdays, $case_open_days, $referral_workdays,
    $near_workdays, $item_kinds, $item_statuses, $platforms, $locations, $ip_types, $regions
)
group by item_kind, item_status
order by item_kind, item_status
