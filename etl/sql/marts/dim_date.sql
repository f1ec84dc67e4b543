-- dim_date: the China working-day calendar (statutory holidays and adjusted working days).
-- Grain: one row per calendar day. workday_index counts working days up to and including the
-- day, so a latency in working days is workday_index(end) - workday_index(start): one subtraction.
-- is_provisional marks days no official schedule decides (neither chinesecalendar nor a schedule
-- imported with `ipgov calendar import`): the statutory days alone, or the plain weekday rule.
-- zh: dim_date：中国工作日历（法定节假日及调休工作日）。粒度：每个自然日一行。
-- zh: workday_index 为截至当日（含当日）的累计工作日数，
-- zh: 因此以工作日计的用时即 workday_index(结束日) - workday_index(开始日)，一次减法即可。
-- zh: is_provisional 标记没有官方安排的日期（既不在 chinesecalendar 中，也未导入该年的
-- zh: 官方安排）：仅按法定节日或普通周历规则（周一至周五为工作日）判定。
-- unique: date_day
-- not_null: is_workday, workday_index, month_start, quarter_start, calendar_source, is_provisional
-- not_null: provisional_index
-- refresh: reference
with days as (
    select * from ref.calendar_days
),

final as (
    select
        date_day,  -- The day (natural key). | 日期（自然键）。
        year(date_day) as year,  -- Calendar year. | 公历年份。
        quarter(date_day) as quarter,  -- Quarter 1-4. | 季度（1-4）。
        month(date_day) as month,  -- Month 1-12. | 月份（1-12）。
        strftime(date_day, '%Y-%m') as year_month,  -- YYYY-MM. | 年月（YYYY-MM）。
        year(date_day) || 'Q' || quarter(date_day) as year_quarter,  -- YYYYQn. | 年季度（YYYYQn）。
        date_trunc('month', date_day)::date as month_start,  -- First day of the month. | 当月第一天。
        date_trunc('quarter', date_day)::date as quarter_start,  -- First day of the quarter. | 当季第一天。
        isodow(date_day) as iso_weekday,  -- 1 = Monday ... 7 = Sunday. | 星期几：1 = 星期一 …… 7 = 星期日。
        is_workday,  -- China working day (statutory holidays off, adjusted weekend days on). | 是否为中国工作日（法定节假日休息，调休的周末上班）。
        holiday_name,  -- Statutory holiday the day belongs to, if any. | 当日所属的法定节假日（如有）。
        calendar_source,  -- chinesecalendar, imported (ipgov calendar import), statutory or weekday_rule. | 日历来源：chinesecalendar、imported（导入的官方安排）、statutory（仅法定节日）或 weekday_rule（周历规则）。
        calendar_source in ('statutory', 'weekday_rule') as is_provisional,  -- No official schedule decides the day: statutory days or the weekday rule only. | 是否为暂定：尚无官方安排，仅按法定节日或普通周历规则判定。
        (sum((calendar_source in ('statutory', 'weekday_rule'))::int)
            over (order by date_day rows unbounded preceding))::integer
            as provisional_index,  -- Provisional days up to and including this day: a span touches one iff the index moves. | 截至当日（含当日）的暂定日数：区间内有暂定日当且仅当该数变化。
        (sum(is_workday::int) over (order by date_day rows unbounded preceding))::integer
            as workday_index  -- Working days from 2004-01-01 up to and including this day. | 自 2004-01-01 起至当日（含当日）的累计工作日数。
    from days
)

select * from final
