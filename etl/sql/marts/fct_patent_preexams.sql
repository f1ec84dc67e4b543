-- fct_patent_preexams: patent applications pre-examined by the center and their grant.
-- Grain: one row per pre-examination. cycle_days = calendar days from acceptance to grant.
-- zh: fct_patent_preexams：经保护中心专利预审的专利申请及其授权情况。粒度：每次预审一行。
-- zh: cycle_days = 从受理到授权的自然日数。
-- unique: preexam_id
-- not_null: applicant_type, patent_type, accepted_on, is_authorized, load_id
-- refresh: raw.patents(preexam_id)
with preexams as (
    select * from staging.stg_patents
),

final as (
    select
        preexam_id,  -- Pre-examination number (natural key). | 预审编号（自然键）。
        applicant_type,  -- enterprise, individual or institution. | enterprise（企业）、individual（个人）或 institution（院校及机构）。
        applicant_name,  -- Applicant; null for individuals (personal data). | 申请人；申请人为个人时为空（个人信息）。
        patent_type,  -- invention, utility_model or design. | invention（发明）、utility_model（实用新型）或 design（外观设计）。
        patent_class,  -- IPC (invention, utility model) or Locarno (design) class. | IPC 分类号（发明、实用新型）或洛迦诺分类号（外观设计）。
        accepted_on,  -- Day the center accepted the application for pre-examination. | 保护中心受理预审申请的日期。
        preexam_result,  -- passed, returned or rejected. | passed（预审合格）、returned（退回修改）或 rejected（不予受理）。
        authorized_on,  -- Day the patent was granted; null if not (yet). | 专利授权日期；未授权或尚未授权时为空。
        authorized_on is not null as is_authorized,  -- True once granted. | 获得授权后为 true。
        date_diff('day', accepted_on, authorized_on) as cycle_days,  -- Calendar days from acceptance to grant. | 从受理到授权的自然日数。
        load_id  -- Load that brought the current version of the record. | 载入该记录当前版本的加载批次。
    from preexams
)

select * from final
