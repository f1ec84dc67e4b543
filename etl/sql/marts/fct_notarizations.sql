-- fct_notarizations: notarized evidence with hash-chain verification.
-- Grain: one row per notarization. is_record_hash_valid: record_hash equals
-- sha256(notarization_id|evidence_sha256|prev_record_hash); is_chain_linked: prev_record_hash is
-- the genesis (64 zeros) or the record_hash of another notarization. A false in either is a
-- broken link to show, never to hide.
-- zh: fct_notarizations：存证公证记录及哈希链校验。粒度：每笔公证一行。
-- zh: is_record_hash_valid：
-- zh: record_hash 等于 sha256(notarization_id|evidence_sha256|prev_record_hash)；
-- zh: is_chain_linked：prev_record_hash 为创世值（64 个 0）或另一笔公证的 record_hash。
-- zh: 任一为 false 即为断链，应当展示，决不隐藏。
-- unique: notarization_id
-- not_null: requested_at, evidence_type, evidence_sha256, record_hash, is_notarized, load_id
-- refresh: raw.notarizations
with notarizations as (
    select * from staging.stg_notarizations
),

final as (
    select
        n.notarization_id,  -- Notarization number (natural key). | 公证编号（自然键）。
        n.requested_at,  -- When notarization was requested. | 申请公证的时间。
        n.notarized_at,  -- When the notary sealed the evidence; null while pending. | 公证员对证据完成公证的时间；尚未办结时为空。
        n.notarized_at::date as notarized_on,  -- Day of notarization. | 公证日期。
        n.notarized_at is not null as is_notarized,  -- True once notarized. | 完成公证后为 true。
        date_diff('minute', n.requested_at, n.notarized_at) / 60.0 as turnaround_hours,  -- Hours from request to notarization. | 从申请到完成公证的小时数。
        n.evidence_type,  -- webpage, purchase, screen_recording, livestream or document. | webpage（网页取证）、purchase（购买公证）、screen_recording（录屏取证）、livestream（直播取证）或 document（书证）。
        n.platform,  -- Platform code the evidence was captured on. | 取证所在平台的代码。
        n.case_id,  -- Case the evidence supports, if any. | 该证据所支持的案件（如有）。
        n.evidence_sha256,  -- SHA-256 of the evidence file (hex). | 证据文件的 SHA-256 哈希值（十六进制）。
        n.prev_record_hash,  -- record_hash of the previous notarization (64 zeros for the first). | 前一笔公证的 record_hash（第一笔为 64 个 0）。
        n.record_hash,  -- sha256(notarization_id|evidence_sha256|prev_record_hash). | 记录哈希：sha256(notarization_id|evidence_sha256|prev_record_hash)。
        n.record_hash = sha256(
            n.notarization_id || '|' || n.evidence_sha256 || '|' || n.prev_record_hash
        ) as is_record_hash_valid,  -- record_hash recomputes correctly. | 重新计算的 record_hash 与记录一致。
        n.prev_record_hash = repeat('0', 64)
            or n.prev_record_hash in (select record_hash from notarizations) as is_chain_linked,  -- prev_record_hash is the genesis or another record's record_hash. | prev_record_hash 为创世值或另一条记录的 record_hash（与前序记录相连）。
        n.load_id  -- Load that brought the current version of the record. | 载入该记录当前版本的加载批次。
    from notarizations as n
)

select * from final
