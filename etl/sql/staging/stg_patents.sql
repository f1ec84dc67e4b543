-- stg_patents: patent pre-examinations, typed, codes normalised; individual applicants masked.
-- Grain: one row per preexam_id; the latest loaded version wins.
with source as (
    select * from raw.patents
),

-- Older versions of a key (usually none): found on three narrow columns, then dropped by an
-- anti join; a window over every column would sort the whole table (19 s → 6 s for 22.8M rows).
superseded as (  -- from the table: a CTE read twice would be materialized whole
    select file_seq, source_row from raw.patents
    qualify row_number() over (partition by preexam_id order by file_seq desc, source_row desc) > 1
),

latest as (
    select * from source anti join superseded using (file_seq, source_row)
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
    from latest
)

select * from renamed
