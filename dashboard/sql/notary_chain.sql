-- The evidence hash chain over all notarizations: how many records it has, how many are not
-- intact (broken_links: every record fct_notarizations.chain_status names), how many of each
-- kind, and the first break in the chain order. One row; the records themselves are
-- notary_chain_broken. Not filtered by period: a chain is only as good as its weakest link,
-- whenever it was made.
with counts as (
    select
        count(*) as links,
        count(*) filter (where chain_status <> 'intact') as broken_links,
        count(*) filter (where chain_status = 'altered') as altered_records,
        count(*) filter (where chain_status = 'linked_to_altered') as linked_to_altered_records,
        count(*) filter (where chain_status = 'gap') as gap_records,
        count(*) filter (where chain_status = 'fork') as fork_records,
        count(*) filter (where chain_status = 'reordered') as reordered_records,
        count(*) filter (where chain_status = 'after_break') as after_break_records
    from fct_notarizations
),

first_break as (  -- a subquery, not arg_min: arg_min skips a null record-before (the first)
    select
        chain_seq as first_break_seq,
        notarization_id as first_break_id,
        chain_status as first_break_status,
        preceding_notarization_id as first_break_after_id
    from fct_notarizations
    where chain_status <> 'intact'
    order by chain_seq
    limit 1
)

select * from counts left join first_break on true
