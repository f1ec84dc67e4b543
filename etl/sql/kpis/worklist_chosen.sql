-- worklist_chosen(as_of, takedown_workdays, opinion_workdays, case_open_days, referral_workdays,
-- near_workdays, item_kinds, item_statuses, platforms, locations, ip_types, regions): the items
-- of worklist_items narrowed by the 督办 page's kinds and statuses and the sidebar's platforms,
-- parks, IP types and partner regions (an empty list: all, as `chosen` has it). The one filter
-- of the page's item list and its counts (dashboard/sql/worklist*.sql).
-- Grain: one row per open item (item_kind, item_id).
-- zh: worklist_chosen(as_of, takedown_workdays, opinion_workdays, case_open_days,
-- zh: referral_workdays, near_workdays, item_kinds, item_statuses, platforms, locations,
-- zh: ip_types, regions)：按督办页所选的事项类型、状态及侧栏所选的平台、园区/市场、知识产权
-- zh: 类型、协作地区筛选后的 worklist_items（空列表表示“全部”，与 chosen 相同）。督办页的
-- zh: 事项清单与其计数共用这一个筛选。粒度：每个未办结事项一行（item_kind, item_id）。
-- materialized: macro
-- parameters: as_of, takedown_workdays, opinion_workdays, case_open_days, referral_workdays, near_workdays, item_kinds, item_statuses, platforms, locations, ip_types, regions
select *
from worklist_items(
    as_of, takedown_workdays, opinion_workdays, case_open_days, referral_workdays,
    near_workdays
)
where chosen(item_kinds, item_kind)
    and chosen(item_statuses, item_status)
    and chosen(platforms, platform)
    and chosen(locations, complainant_park)
    and chosen(ip_types, ip_type)
    and chosen(regions, partner_region)
