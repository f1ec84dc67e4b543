-- fct_trademark_cases: trademark enforcement cases (leather goods and others).
-- Grain: one row per enforcement case. Money in yuan (DECIMAL), goods in pieces.
-- zh: fct_trademark_cases：商标执法案件（皮具及其他）。粒度：每个执法案件一行。
-- zh: 金额单位为元（DECIMAL），货物单位为件。
-- unique: enforcement_id
-- not_null: opened_on, agency, is_closed, is_transferred_to_police, load_id
-- refresh: raw.trademarks(enforcement_id)
with cases as (
    select * from staging.stg_trademarks
),

final as (
    select
        enforcement_id,  -- Enforcement case number (natural key). | 执法案件编号（自然键）。
        opened_on,  -- Day the case was opened. | 立案日期。
        closed_on,  -- Day the case was closed; null while open. | 结案日期；未结案时为空。
        closed_on is not null as is_closed,  -- True once closed. | 结案后为 true。
        date_diff('day', opened_on, closed_on) as duration_days,  -- Calendar days from opening to closing. | 从立案到结案的自然日数。
        agency,  -- Agency code that handled the case. | 办案执法机构的代码。
        brand,  -- Brand whose mark was infringed. | 商标被侵权的品牌（涉案品牌）。
        brand_category,  -- international, domestic or local. | international（国际品牌）、domestic（国内品牌）或 local（本地自主品牌）。
        infringement_type,  -- counterfeit, similar_mark, unauthorized_sale or packaging. | counterfeit（假冒注册商标）、similar_mark（近似商标）、unauthorized_sale（销售侵权商品）或 packaging（擅自使用包装装潢）。
        location,  -- Park or market code where goods were found. | 查获货物的园区或市场代码。
        units_seized,  -- Items seized (pieces). | 查扣数量（件）。
        goods_value_yuan,  -- Value of the infringing goods, yuan. | 侵权货物的价值（涉案货值），元。
        fine_yuan,  -- Fine and confiscation imposed, yuan. | 处以的罚款和没收金额（罚没金额），元。
        coalesce(transferred_to_police, false) as is_transferred_to_police,  -- Transferred to the police as a suspected crime. | 是否因涉嫌犯罪移送公安。
        partner_region,  -- Region code that cooperated, if any. | 协作地区代码（如有）。
        load_id  -- Load that brought the current version of the record. | 载入该记录当前版本的加载批次。
    from cases
)

select * from final
