-- stg_patents: patent pre-examinations, typed, codes normalised; individual applicants masked.
-- Grain: one row per preexam_id; the latest loaded version wins.
-- unique: preexam_id
-- not_null: applicant_type, patent_type, accepted_on, load_id, source_file
with source as (  -- the latest version of each preexam_id
    select * from latest_version('raw.patents', preexam_id)
),

renamed as (
    select
        preexam_id,
        code_of('applicant_type', applicant_type) as applicant_type,
        -- A natural person's name is personal data: only organisations keep their name.
        case when code_of('applicant_type', applicant_type) = 'individual' then null
             else applicant end as applicant_name,
        code_of('patent_type', patent_type) as patent_type,
        patent_class,
        accepted_on,
        code_of('preexam_result', preexam_result) as preexam_result,
        authorized_on,
        load_id,
        source_file
    from source
)

select * from renamed
