"""The SQL models as a graph: build order from references, declared grains that hold."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import duckdb
import pytest

from etl import publish, snapshot, transform, warehouse
from tests.conftest import TODAY

OBJECTS = (
    "select table_name, column_name, data_type from duckdb_columns() "
    "where database_name = current_database() and schema_name in ('staging', 'marts', 'main') "
    "order by all"
)


def _all_models() -> list[transform.Model]:
    return [m for layer in transform.LAYERS for m in transform.models(layer)]


def _write_models(root: Path, files: dict[str, str]) -> None:
    for name, sql in files.items():
        path = root / f"{name}.sql"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(sql, encoding="utf-8")


# --- Build order -----------------------------------------------------------------------------


def test_every_model_comes_after_what_it_reads():
    order = [m.name for m in _all_models()]
    deps = transform.dependencies(_all_models())
    for name, reads in deps.items():
        assert all(order.index(d) < order.index(name) for d in reads), (name, reads)
    # the edges that matter: macros before their callers, marts before marts that read them
    assert {"code_of", "latest_version"} <= deps["stg_cases"]
    assert "fct_cases" in deps["fct_referrals"]
    assert "latency_quantiles" in deps["kpi_headline"]  # kpi_h… sorts before latency_q…
    assert not deps["dim_date"]  # ref.calendar_days is no model


def test_references_skip_ctes_and_count_table_and_scalar_macros():
    sql = """
        with fct_cases as (select 1 as x)  -- a CTE named like a model is not the model
        select * from fct_cases, kpi_headline('2024-01-01', '2024-12-31') as k,
            lateral latest_version('raw.cases', case_id) as v
        where code_of('platform', 'tmall') = 'tmall' and marts.dim_date.x = 1
    """
    refs = transform.references(sql)
    assert {"kpi_headline", "latest_version", "code_of"} <= refs
    assert "fct_cases" not in refs


def test_the_committed_references_are_what_sqlglot_finds_in_each_model():
    committed = (transform.SQL_DIR / transform.REFERENCES_FILE).read_text(encoding="utf-8")
    assert committed == transform.reference_file_text(), (
        "run `python -m etl.docgen` and commit etl/sql/references.json"
    )


def test_committed_references_serve_only_the_text_they_were_taken_from(sql_dir):
    sql = "-- unique: n\nselect n from staging.z_base"
    _write_models(
        sql_dir, {"staging/a_report": sql, "staging/z_base": "-- unique: n\nselect 1 as n"}
    )
    digest = transform._digest(transform._body(sql))
    entry = {"sha256": digest, "references": ["staging.z_base", "raw.cases"]}
    (sql_dir / transform.REFERENCES_FILE).write_text(
        json.dumps({"staging/a_report.sql": entry}), encoding="utf-8"
    )
    path = sql_dir / "staging" / "a_report.sql"
    # "raw.cases" is in no SQL: the references came from the file, not from sqlglot
    assert transform.parse_model("staging", path).references == {"staging.z_base", "raw.cases"}
    path.write_text(sql + " where n > 0", encoding="utf-8")  # edited since: parsed anew
    assert transform.parse_model("staging", path).references == {"staging.z_base"}
    assert [m.name for m in transform.models("staging")] == ["z_base", "a_report"]


def test_build_order_ignores_file_names(sql_dir):
    # File-name order would create a_report before z_base and b_rule: DuckDB would refuse.
    _write_models(
        sql_dir,
        {
            "staging/a_report": "-- unique: n\nselect n, b_rule(n) as r from staging.z_base",
            "staging/b_rule": "-- materialized: scalar_macro\n-- parameters: v\nv + 1",
            "staging/z_base": "-- unique: n\nselect 1 as n",
            "marts/a_mart": "-- unique: n\nselect * from staging.a_report",
        },
    )
    assert [m.name for m in transform.models("staging")] == ["b_rule", "z_base", "a_report"]
    con = duckdb.connect()
    assert transform.build(con, "staging", "staging") == ["b_rule", "z_base", "a_report"]
    transform.build(con, "marts", "marts")
    assert con.execute("select * from marts.a_mart").fetchall() == [(1, 2)]


def test_reading_a_later_layer_is_an_error_naming_both(sql_dir):
    _write_models(
        sql_dir,
        {
            "staging/stg_early": "-- unique: n\nselect * from marts.fct_late",
            "marts/fct_late": "-- unique: n\nselect 1 as n",
        },
    )
    with pytest.raises(transform.ModelGraphError, match=r"staging/stg_early.*marts/fct_late"):
        transform.models("staging")


def test_a_cycle_is_an_error_naming_its_models(sql_dir):
    _write_models(
        sql_dir,
        {
            "marts/fct_a": "-- unique: n\nselect * from marts.fct_b",
            "marts/fct_b": "-- unique: n\nselect * from fct_a",
            "marts/dim_c": "-- unique: n\nselect 1 as n",
        },
    )
    with pytest.raises(transform.ModelGraphError, match="cycle") as raised:
        transform.models("marts")
    assert "marts/fct_a" in str(raised.value) and "marts/fct_b" in str(raised.value)
    assert "dim_c" not in str(raised.value)


def test_shuffled_file_order_builds_the_same_objects(sample_wh, tmp_path, monkeypatch):
    """The real models, listed in reverse: the graph, not the listing, decides the order."""
    listing = transform._model_files
    in_file_order = [m.name for m in _all_models()]
    monkeypatch.setattr(transform, "_model_files", lambda layer: listing(layer)[::-1])
    shuffled = [m.name for m in _all_models()]
    assert shuffled != in_file_order and sorted(shuffled) == sorted(in_file_order)
    assert shuffled.index("fct_cases") < shuffled.index("fct_referrals")  # what the graph keeps
    copy = warehouse.WarehousePaths(tmp_path / "copy" / "warehouse.duckdb")
    copy.folder.mkdir()
    for path in sample_wh.folder.glob(f"{sample_wh.db.name}*"):  # the file and any WAL
        shutil.copy(path, copy.folder / path.name)
    con = warehouse.connect_ingest(copy)
    try:
        publish.rebuild_marts(con, TODAY)
        snapshot.build(con, copy, "29990101T000000000000Z")
        con.execute(f"attach '{sample_wh.db}' as original (read_only)")
        ingest_tables = con.execute(
            "select schema_name, table_name from duckdb_tables() "
            "where database_name = 'original' and schema_name in ('staging', 'marts') "
            "union all select schema_name, view_name from duckdb_views() "
            "where database_name = 'original' and schema_name in ('staging', 'marts')"
        ).fetchall()
        assert len(ingest_tables) == 16
        for schema, name in ingest_tables:
            for a, b in (("original", "warehouse"), ("warehouse", "original")):
                diff = f"from {a}.{schema}.{name} except all from {b}.{schema}.{name}"
                assert con.execute(f"select count(*) from ({diff})").fetchall() == [(0,)], name
    finally:
        con.close()
    with warehouse.read_snapshot(sample_wh) as before, warehouse.read_snapshot(copy) as after:
        assert after.execute(OBJECTS).fetchall() == before.execute(OBJECTS).fetchall()
        for (name,) in before.execute("select table_name from duckdb_tables()").fetchall():
            want = before.execute(f"from {name} order by all").fetchall()
            assert after.execute(f"from {name} order by all").fetchall() == want, name


# --- Grains ----------------------------------------------------------------------------------


def test_every_model_declares_its_grain():
    undeclared = [
        f"{m.layer}/{m.name}" for m in _all_models() if not m.is_macro and m.unique is None
    ]
    assert undeclared == []
    assert {m.name: m.unique for m in _all_models()}["fct_cases"] == ("case_id",)
    assert {m.name: m.unique for m in _all_models()}["meta_data_span"] == ()  # one row


def test_every_grain_holds_in_the_sample(sample_wh):
    con = duckdb.connect(str(sample_wh.db), read_only=True)
    try:
        ingest = transform.check_grains(con, "staging", "staging")
        ingest += transform.check_grains(con, "marts", "marts")
    finally:
        con.close()
    with warehouse.read_snapshot(sample_wh) as snap:
        published = transform.check_grains(snap, "marts", None)
        published += transform.check_grains(snap, "kpis", None)
    assert [str(f) for f in ingest + published] == []


def _tiny_mart(con: duckdb.DuckDBPyConnection, name: str, rows: list[dict[str, object]]) -> None:
    """A table named like a mart with only the columns its grain names, filled with rows."""
    model = next(m for m in transform.models("marts") if m.name == name)
    columns = model.unique + model.not_null
    values = ", ".join("(" + ", ".join("?" for _ in columns) + ")" for _ in rows)
    params = [row.get(c, "x") for row in rows for c in columns]
    con.execute(
        f"create table {name} as select * from (values {values}) as v({', '.join(columns)})",
        params,
    )


def test_a_duplicated_row_and_a_null_key_are_caught():
    con = duckdb.connect()
    # two rows with notice N1 (one duplicated key), one with no platform
    _tiny_mart(con, "fct_takedowns", [{"notice_id": "N1"}, {"notice_id": "N1"}, {"platform": None}])
    failures = [
        f for f in transform.check_grains(con, "marts", None) if f.model.endswith("takedowns")
    ]
    assert [(f.check, f.columns, f.rows) for f in failures] == [
        ("unique", ("notice_id",), 1),
        ("not_null", ("platform",), 1),
    ]
    assert "('N1')" in str(failures[0])
    # the other marts are missing here: reported as checks that could not run, never as passes
    others = [f for f in transform.check_grains(con, "marts", None) if f not in failures]
    assert others and {f.check for f in others} == {"error"}


def test_clean_rows_pass_and_a_composite_key_counts_as_one():
    con = duckdb.connect()
    _tiny_mart(
        con, "dim_code", [{"domain": "platform", "code": "a"}, {"domain": "region", "code": "a"}]
    )
    assert [f for f in transform.check_grains(con, "marts", None) if "dim_code" in f.model] == []


def test_a_repeated_hash_alone_is_no_failure(monkeypatch):
    # the unique check groups the key's hashes first; where two hashes meet (a collision,
    # forced here) the exact group-by decides, so distinct keys still pass and a repeat fails
    monkeypatch.setattr(transform, "_hash_repeats", lambda *_: True)
    con = duckdb.connect()
    _tiny_mart(
        con, "dim_code", [{"domain": "platform", "code": "a"}, {"domain": "platfor", "code": "ma"}]
    )
    _tiny_mart(con, "fct_takedowns", [{"notice_id": "N1"}, {"notice_id": "N1"}])
    failures = [(f.model, f.check, f.rows) for f in transform.check_grains(con, "marts", None)]
    assert ("marts/dim_code", "unique", 1) not in failures
    assert ("marts/fct_takedowns", "unique", 1) in failures


def test_one_row_models_and_undeclared_grains(sql_dir):
    _write_models(
        sql_dir,
        {
            "kpis/meta_two": "-- unique: ()\nselect * from range(2)",
            "kpis/meta_one": "-- unique: ()\nselect 1 as n",
            "kpis/kpi_bare": "select 1 as n",
            "kpis/a_macro": "-- materialized: macro\n-- parameters: a\nselect a",
        },
    )
    con = duckdb.connect()
    transform.build(con, "kpis", None)
    failures = {f.model: f for f in transform.check_grains(con, "kpis", None)}
    assert set(failures) == {"kpis/meta_two", "kpis/kpi_bare"}
    assert failures["kpis/meta_two"].rows == 2
    assert failures["kpis/kpi_bare"].check == "declared"


def test_grain_keys_take_column_names_only(sql_dir):
    _write_models(sql_dir, {"marts/fct_x": "-- unique: id; drop table y\nselect 1 as id"})
    with pytest.raises(transform.ModelGraphError, match="column names"):
        transform.models("marts")
