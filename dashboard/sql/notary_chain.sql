-- The evidence hash chain over all notarizations: how many links it has and how many are broken
-- (record hash wrong, or not linked to the record before it). One row; the broken links
-- themselves are notary_chain_broken.
-- Not filtered by period: a chain is only as good as its weakest link, whenever it was made.
select
    count(*) as links,
    count(*) filter (where not (is_record_hash_valid and is_chain_linked)) as broken_links
from fct_notarizations
