-- fct_patent_preexams: patent applications pre-examined by the center and their grant.
-- Grain: one row per pre-examination. cycle_days = calendar days from acceptance to grant.
-- unique: preexam_id
-- not_null: applicant_type, patent_type, accepted_on, is_authorized, load_id
with preexams as (
    select * from staging.stg_patents
),

final as (
    select
        preexam_id,  -- Pre-examination number (natural key).
        applicant_type,  -- enterprise, individual or institution.
        applicant_name,  -- Applicant; null for individuals (personal data).
        patent_type,  -- invention, utility_model or design.
        patent_class,  -- IPC (invention, utility model) or Locarno (design) class.
        accepted_on,  -- Day the center accepted the application for pre-examination.
        preexam_result,  -- passed, returned or rejected.
        authorized_on,  -- Day the patent was granted; null if not (yet).
        authorized_on is not null as is_authorized,  -- True once granted.
        date_diff('day', accepted_on, authorized_on) as cycle_days,  -- Calendar days from acceptance to grant.
        load_id  -- Load that brought the current version of the record.
    from preexams
)

select * from final
