-- chosen(picked, value): whether a row passes a dashboard filter — true when nothing is picked
-- (an empty list means "all") or when value is one of the picked codes. One definition for every
-- dashboard query's platform / park / IP-type / region filter.
-- zh: chosen(picked, value)：
-- zh: 某行是否通过看板的筛选条件——未选择任何值（空列表表示“全部”）或 value 为所选代码之一时为 true。
-- zh: 看板所有查询的平台、园区/市场、知识产权类型、协作地区筛选共用这一个定义。
-- materialized: scalar_macro
-- parameters: picked, value
len(picked::varchar[]) = 0 or list_contains(picked::varchar[], value)
