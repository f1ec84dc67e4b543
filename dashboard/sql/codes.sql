-- Display names of every code (filters, legends).
select domain, code, name_zh, name_en from dim_code order by domain, code
