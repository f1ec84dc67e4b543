-- dim_date: the China working-day calendar (statutory holidays and adjusted working days).
-- Grain: one row per calendar day. workday_index counts working days up to and including the
-- day, so a latency in working days is workday_index(end) - workday_index(start): one subtraction.
-- is_provisional marks days decided by the plain weekday rule (no official calendar loaded).
with days as (
    select * from ref.calendar_days
),

final as (
    select
        date_day,
        year(date_day) as year,
        quarter(date_day) as quarter,
        month(date_day) as month,
        strftime(date_day, '%Y-%m') as year_month,
        year(date_day) || 'Q' || quarter(date_day) as year_quarter,
        date_trunc('month', date_day)::date as month_start,
        date_trunc('quarter', date_day)::date as quarter_start,
        isodow(date_day) as iso_weekday,
        is_workday,
        holiday_name,
        calendar_source,
        calendar_source = 'weekday_rule' as is_provisional,
        (sum(is_workday::int) over (order by date_day rows unbounded preceding))::integer
            as workday_index
    from days
)

select * from final
