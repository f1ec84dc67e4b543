-- fct_patent_preexams: patent applications pre-examined by the center and their grant.
-- Grain: one row per pre-examination. cycle_days = calendar days from acceptance to grant.
with preexams as (
    select * from staging.stg_patents
),

final as (
    select
        preexam_id,
        applicant_type,
        applicant_name,
        patent_type,
        patent_class,
        accepted_on,
        preexam_result,
        authorized_on,
        authorized_on is not null as is_authorized,
        date_diff('day', accepted_on, authorized_on) as cycle_days,
        load_id
    from preexams
)

select * from final
