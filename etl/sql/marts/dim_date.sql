-- dim_date: the China working-day calendar (statutory holidays and adjusted working days).
-- Grain: one row per calendar day. workday_index counts working days up to and including the
-- day, so a latency in working days is workday_index(end) - workday_index(start): one subtraction.
-- is_provisional marks days decided by the plain weekday rule (no official calendar loaded).
-- unique: date_day
-- not_null: is_workday, workday_index, month_start, quarter_start, calendar_source, is_provisional
with days as (
    select * from ref.calendar_days
),

final as (
    select
        date_day,  -- The day (natural key).
        year(date_day) as year,  -- Calendar year.
        quarter(date_day) as quarter,  -- Quarter 1-4.
        month(date_day) as month,  -- Month 1-12.
        strftime(date_day, '%Y-%m') as year_month,  -- YYYY-MM.
        year(date_day) || 'Q' || quarter(date_day) as year_quarter,  -- YYYYQn.
        date_trunc('month', date_day)::date as month_start,  -- First day of the month.
        date_trunc('quarter', date_day)::date as quarter_start,  -- First day of the quarter.
        isodow(date_day) as iso_weekday,  -- 1 = Monday ... 7 = Sunday.
        is_workday,  -- China working day (statutory holidays off, adjusted weekend days on).
        holiday_name,  -- Statutory holiday the day belongs to, if any.
        calendar_source,  -- chinesecalendar, override or weekday_rule.
        calendar_source = 'weekday_rule' as is_provisional,  -- Decided by the plain weekday rule: no official calendar known.
        (sum(is_workday::int) over (order by date_day rows unbounded preceding))::integer
            as workday_index  -- Working days from 2004-01-01 up to and including this day.
    from days
)

select * from final
