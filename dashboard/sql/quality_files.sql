-- Every file the quality gate judged, loaded or rejected, newest first: the Data quality page's
-- history. Grain: one row per loaded file or rejected file version.
with loaded as (
    select
        loaded_at as judged_at,
        loaded_on as judged_on,
        load_id,
        kind,
        coalesce(sender, '-') as sender,
        source_file,
        verdict,
        rows_read,
        rows_loaded,
        rows_quarantined,
        null::varchar as reason_code,
        null::varchar as message_zh,
        null::varchar as message_en
    from fct_load_files
),

rejected as (
    select
        last_rejected_at as judged_at,
        rejected_on as judged_on,
        load_id,
        coalesce(kind, '-') as kind,
        coalesce(sender, '-') as sender,
        source_file,
        'rejected' as verdict,
        coalesce(rows_read, 0) as rows_read,
        0 as rows_loaded,
        coalesce(rows_failed, 0) as rows_quarantined,
        reason_code,
        message_zh,
        message_en
    from fct_rejections
)

select * from loaded
union all by name
select * from rejected
order by judged_at desc, source_file
