-- chosen(picked, value): whether a row passes a dashboard filter — true when nothing is picked
-- (an empty list means "all") or when value is one of the picked codes. One definition for every
-- dashboard query's platform / park / IP-type / region filter.
-- materialized: scalar_macro
-- parameters: picked, value
len(picked::varchar[]) = 0 or list_contains(picked::varchar[], value)
