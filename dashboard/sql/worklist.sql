-- The 督办 (supervision) worklist: every item still open on $as_of that is late or due within
-- $near_workdays working days (the snapshot's worklist_items, deadlines from
-- dashboard/targets.py), narrowed by the sidebar's platform / park / IP type / partner region
-- and the page's kinds and statuses (worklist_chosen, the one filter), most overdue first.
-- record_link opens the page whose record list holds the item, on the day it started
-- ($base_url: IPGOV_PUBLIC_URL).
-- A record list: a page shows its first rows in this order, the CSV download every row.
select
    item_status,
    item_kind,
    item_id,
    case_id,
    platform,
    complainant_park,
    partner_region,
    ip_type,
    started_on,
    due_on,
    age_workdays,
    age_days,
    workdays_past_due,
    age_is_provisional,
    $base_url || '/'
        || case item_kind
            when 'takedown_live' then 'takedowns'
            when 'referral_unanswered' then 'referrals'
            else 'cases'
        end
        || '?period=custom&from=' || strftime(started_on, '%Y-%m-%d')
        || '&to=' || strftime(started_on, '%Y-%m-%d') as record_link
from worklist_chosen(
    $as_of, $takedown_workdays, $opinion_workdays, $case_open_days, $referral_workdays,
    $near_workdays, $item_kinds, $item_statuses, $platforms, $locations, $ip_types, $regions
)
order by workdays_past_due desc nulls last, age_workdays desc, item_kind, item_id
limit $limit
