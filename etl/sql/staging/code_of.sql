-- code_of(domain, value): the canonical code of a source value (code, Chinese or English name,
-- or a listed alias, case-insensitive) from etl/reference/codes.csv; 'unknown' when unlisted.
-- materialized: scalar_macro
-- parameters: code_domain, source_value
case
    when source_value is null or trim(source_value) = '' then null
    else coalesce(
        (select a.code from ref.code_aliases as a
         where a.domain = code_domain and a.alias = lower(trim(source_value))),
        'unknown')
end
