"""The SQL models' documentation in both languages: every published object and column has a
Chinese meaning beside its English one, the parser keeps the two apart, and the snapshot's
COMMENTs stay English only (the SQL console's schema browser must be complete in each language).
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path

from etl import transform, warehouse

CJK = re.compile(r"[\u4e00-\u9fff]")
# three or more English words in a row (separated by spaces only) is a sentence left
# untranslated; codes, column names and SQL (`advisory_opinion`, `domain 为 platform`,
# `sha256(a|b|c)`, `Great Expectations`) are fine
ENGLISH_RUN = re.compile(r"\b[A-Za-z][\w'-]*(?:\s+[A-Za-z][\w'-]*){2,}", re.ASCII)


def _published() -> list[transform.Model]:
    return [m for layer in transform.PUBLISHED_LAYERS for m in transform.models(layer)]


def _problem(text: str) -> str | None:
    """Why a Chinese text is not one, or None when it is."""
    if not CJK.search(text):
        return "no Chinese"
    run = ENGLISH_RUN.search(text)
    return f"English left: {run.group()!r}" if run else None


def test_english_run_rule_tells_prose_from_codes():
    assert _problem("平台代码（见 dim_code，domain 为 platform）。") is None
    assert _problem("记录哈希：sha256(notarization_id|evidence_sha256|prev_record_hash)。") is None
    assert _problem("检查该规则的 Great Expectations 校验项。") is None
    assert _problem("Takedown notice number.") == "no Chinese"
    assert _problem("下架 removed within two days。") == "English left: 'removed within two days'"


def test_parse_keeps_english_and_chinese_apart(sql_dir: Path):
    (sql_dir / "marts" / "fct_x.sql").write_text(
        "-- fct_x: takedown notices.\n"
        "-- Grain: one row per notice.\n"
        "-- zh: fct_x：下架通知。\n"
        "-- zh: 粒度：每条通知一行。\n"
        "-- unique: notice_id\n"
        "select\n"
        "    1 as notice_id,  -- Notice number (natural key). | 通知编号（自然键）。\n"
        "    'a|b' as pair,  -- sha256(a|b) stays English: no spaces around the bar.\n"
        "    2 as n  -- Count. | 数量。\n",
        encoding="utf-8",
    )
    [model] = transform.models("marts")
    assert model.description == "fct_x: takedown notices. Grain: one row per notice."
    assert model.description_zh == "fct_x：下架通知。粒度：每条通知一行。"
    assert model.column_docs == {
        "notice_id": "Notice number (natural key).",
        "pair": "sha256(a|b) stays English: no spaces around the bar.",
        "n": "Count.",
    }
    assert model.column_docs_zh == {"notice_id": "通知编号（自然键）。", "n": "数量。"}
    assert model.unique == ("notice_id",)
    statements = model.comment_statements(None, {"notice_id", "pair", "n"})
    assert statements == [
        "comment on view fct_x is 'fct_x: takedown notices. Grain: one row per notice.'",
        "comment on column fct_x.notice_id is 'Notice number (natural key).'",
        "comment on column fct_x.pair is 'sha256(a|b) stays English: no spaces around the bar.'",
        "comment on column fct_x.n is 'Count.'",
    ]
    assert not any(CJK.search(s) for s in statements)


def test_split_doc():
    assert transform.split_doc("Day. | 日期。") == ("Day.", "日期。")
    assert transform.split_doc("English only.") == ("English only.", "")


def test_models_built_without_chinese_still_work():
    """The Chinese fields default to empty: Model(...) and replace() callers need not change."""
    model = transform.Model("marts", "x", "select 1 as a", "view", "", "X.", {"a": "A."})
    assert (model.description_zh, model.column_docs_zh) == ("", {})
    assert replace(model, unique=("a",)).column_docs_zh == {}


def test_every_published_object_and_column_has_chinese():
    missing, bad = [], []
    for m in _published():
        if not m.is_macro or m.description:
            if not m.description_zh:
                missing.append(f"{m.name} (description)")
            elif problem := _problem(m.description_zh):
                bad.append(f"{m.name}: {problem}")
        for column in m.column_docs:
            zh = m.column_docs_zh.get(column)
            if zh is None:
                missing.append(f"{m.name}.{column}")
            elif problem := _problem(zh):
                bad.append(f"{m.name}.{column}: {problem}")
        assert set(m.column_docs_zh) <= set(m.column_docs), m.name
    assert missing == []
    assert bad == []


def test_docs_zh_serves_every_published_object():
    docs = transform.docs_zh()
    published = _published()
    assert set(docs) == {m.name for m in published}
    for m in published:
        assert docs[m.name] == (m.description_zh, m.column_docs_zh)
    assert docs["fct_takedowns"][1]["notice_id"] == "下架通知编号（自然键）。"
    assert transform.docs_zh() is docs  # cached


def test_snapshot_comments_are_the_english_only(write_csv, load_into, wh_paths):
    """Adding the Chinese changed no COMMENT: the catalog holds exactly the English parts."""
    load_into(
        write_csv(
            "cases.csv",
            [
                ["case_id", "received_on", "service_type", "ip_type", "status"],
                ["WQ1", "2024-03-01", "mediation", "patent", "received"],
            ],
        )
    )
    with warehouse.read_snapshot(wh_paths) as con:
        objects = dict(
            con.execute(
                "select table_name, comment from duckdb_tables() union all "
                "select view_name, comment from duckdb_views() where not internal"
            ).fetchall()
        )
        columns = con.execute(
            "select table_name, column_name, comment from duckdb_columns() "
            "where schema_name = 'main'"
        ).fetchall()
    documented = [m for m in _published() if not m.is_macro]
    assert {m.name: objects.get(m.name) for m in documented} == {
        m.name: m.description for m in documented
    }
    by_name = {m.name: m for m in documented}
    compared = 0
    for table, column, comment in columns:
        if table in by_name and column in by_name[table].column_docs:
            assert comment == by_name[table].column_docs[column], f"{table}.{column}"
            compared += 1
    assert compared == sum(len(m.column_docs) for m in documented)
    every_comment = list(objects.values()) + [c for _, _, c in columns]
    assert not [c for c in every_comment if c and (CJK.search(c) or transform.ZH_SEPARATOR in c)]
