-- stg_cases: rights-protection assistance cases, typed, codes normalised, personal data dropped.
-- Grain: one row per case_id; when a case was loaded more than once the latest file wins.
-- unique: case_id
-- not_null: received_on, service_type, ip_type, status, load_id, source_file
with source as (  -- the latest version of each case_id
    select * from latest_version('raw.cases', case_id)
),

renamed as (
    select
        case_id,
        received_on,
        code_of('service_type', service_type) as service_type,
        code_of('ip_type', ip_type) as ip_type,
        complainant_enterprise,
        coalesce(code_of('location', complainant_park), 'other') as complainant_park,
        coalesce(code_of('region', respondent_region), 'local') as respondent_region,
        code_of('platform', platform) as platform,
        code_of('case_status', status) as status,
        advisory_opinion_on,
        closed_on,
        code_of('outcome', outcome) as outcome,
        code_of('referral_direction', referral_direction) as referral_direction,
        code_of('region', referral_partner) as referral_partner,
        referred_on,
        referral_closed_on,
        load_id,
        source_file
        -- contact_name and contact_phone (personal data) stop here.
    from source
)

select * from renamed
