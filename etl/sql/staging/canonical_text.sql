-- canonical_text(value): one text field as the evidence chain's canonical serialization writes
-- it (docs/data-model.md, "The evidence chain"; etl/sources/notarizations.canonical_value is the
-- Python side): NULL as \N, else NFC-normalised with backslash and vertical bar escaped by a backslash,
-- so no value can shift a field boundary and no text serializes to \N.
-- materialized: scalar_macro
-- parameters: value
coalesce(replace(replace(nfc_normalize(value), '\', '\\'), '|', '\|'), '\N')
