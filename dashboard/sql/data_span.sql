-- First and last day with data.
select first_day, last_day from meta_data_span
