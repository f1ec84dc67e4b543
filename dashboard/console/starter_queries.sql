-- Starter queries for the SQL console (dashboard page and `ipgov sql`): the questions analysts
-- ask first. Each query starts with a `-- name:` line (its key), then `-- zh:` and `-- en:`
-- titles; the SQL runs in the sandbox against the published snapshot (marts and KPI views only).
-- A test runs every one against the sample warehouse.

-- name: takedowns_slow_by_platform
-- zh: 超过2个工作日下架的通知（按平台）
-- en: Takedowns slower than 2 working days, by platform
select
    coalesce(p.name_zh, t.platform) as platform_zh,
    coalesce(p.name_en, t.platform) as platform_en,
    count(*) as notices,
    count(*) filter (where t.latency_workdays > 2) as removed_after_2wd,
    count(*) filter (where not t.is_removed) as still_live,
    round(count(*) filter (where t.latency_workdays > 2) / count(*), 3) as share_after_2wd,
    median(t.latency_workdays) as median_latency_workdays
from fct_takedowns as t
left join dim_code as p on p.domain = 'platform' and p.code = t.platform
group by all
order by removed_after_2wd desc, notices desc;

-- name: referrals_by_partner
-- zh: 跨区域协作（按协作地区与方向）
-- en: Referrals by partner region and direction
select
    coalesce(r.name_zh, f.partner_region) as partner_zh,
    coalesce(r.name_en, f.partner_region) as partner_en,
    f.direction,
    count(*) as referrals,
    count(*) filter (where f.is_finished) as finished,
    median(f.referral_latency_workdays) as median_latency_workdays
from fct_referrals as f
left join dim_code as r on r.domain = 'region' and r.code = f.partner_region
group by all
order by referrals desc;

-- name: patents_by_applicant
-- zh: 专利预审（按申请人，前50名；个人申请人已脱敏）
-- en: Patent pre-examinations by applicant (top 50; individuals masked)
select
    coalesce(applicant_name, '(individual applicants)') as applicant,
    count(*) as preexams,
    count(*) filter (where patent_type = 'invention') as inventions,
    count(*) filter (where patent_type = 'utility_model') as utility_models,
    count(*) filter (where patent_type = 'design') as designs,
    count(*) filter (where is_authorized) as granted,
    median(cycle_days) as median_cycle_days
from fct_patent_preexams
group by all
order by preexams desc
limit 50;

-- name: monthly_kpis
-- zh: 最近12个月的核心指标
-- en: Headline KPIs of the last 12 months
select *
from kpi_monthly
order by month_start desc
limit 12;

-- name: headline_2023
-- zh: 2023年核心指标（核心指标宏）
-- en: Headline KPIs for 2023 (the kpi_headline macro)
select *
from kpi_headline('2023-01-01', '2023-12-31');
