-- The 督办 worklist in numbers: open items late or due on $as_of per kind and status, with the
-- same filters as worklist.sql; what a viewer (who may not see the records) is shown, and the
-- page's tiles. Ages touching a provisional working day are counted apart.
select
    item_kind,
    item_status,
    count(*) as items,
    max(age_workdays) as max_age_workdays,
    count(*) filter (where age_is_provisional) as provisional_items
from worklist_items(
    $as_of, $takedown_workdays, $opinion_workdays, $case_open_days, $referral_workdays,
    $near_workdays
)
where chosen($item_kinds, item_kind)
    and chosen($item_statuses, item_status)
    and chosen($platforms, platform)
    and chosen($locations, complainant_park)
    and chosen($ip_types, ip_type)
    and chosen($regions, partner_region)
group by item_kind, item_status
order by item_kind, item_status
