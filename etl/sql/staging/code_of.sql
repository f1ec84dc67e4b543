-- code_of(domain, value): the canonical code of a source value (code, Chinese or English name,
-- or a listed alias, case-insensitive) from etl/reference/codes.csv; 'unknown' when unlisted.
-- materialized: scalar_macro
-- parameters: code_domain, source_value
case
    when source_value is null or trim(source_value) = '' then null
    -- The domain's aliases become one map, looked up per row: each call site names its domain
    -- as a literal, so the map is built once per query. (A subquery correlated on the value made
    -- DuckDB check each row's single match with an aggregate over every column: 53 s instead of
    -- 10 s for 22.8M patent rows, docs/performance.md.)
    else coalesce(
        map_extract_value(
            (select map(list(a.alias), list(a.code)) from ref.code_aliases as a
             where a.domain = code_domain),
            lower(trim(source_value))),
        'unknown')
end
