"""The SQL console working for analysts: starter queries, results and their caps, downloads in
every format, the schema catalogue, saved queries, `ipgov sql`, and the page through AppTest."""

from __future__ import annotations

import io
import json
import re
import uuid
from pathlib import Path

import openpyxl
import polars as pl
import pyarrow.parquet as pq
import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import charts, console
from dashboard.cli import app
from dashboard.console import Limits, SqlRefused
from dashboard.i18n import t
from etl import appdb, kpis, settings


@pytest.fixture(autouse=True)
def _default_sql_settings(monkeypatch: pytest.MonkeyPatch) -> None:
    """The page and `ipgov sql` read IPGOV_SQL_*: a developer's own values must not leak in."""
    for setting in settings.SETTINGS:
        if setting.name.startswith("sql_"):
            monkeypatch.delenv(f"IPGOV_{setting.name.upper()}", raising=False)


LIMITS = Limits(time_limit_seconds=10, max_rows=100, export_max_rows=5_000)
SLOW_BY_PLATFORM = "takedowns_slow_by_platform"


# --- sandbox: runs, caps, exports, catalogue -----------------------------------------------


@pytest.mark.parametrize("starter", console.starter_queries(), ids=lambda s: s.key)
def test_every_starter_query_runs_on_the_sample(sample_wh, starter):
    result = console.run(sample_wh, starter.sql, LIMITS)
    assert result.rows > 0 and not result.truncated
    assert starter.title_zh and starter.title_en and starter.title_zh != starter.title_en


def test_starter_answers_the_question(sample_wh):
    """Takedowns slower than 2 working days by platform: the numbers equal a direct count."""
    starter = next(s for s in console.starter_queries() if s.key == SLOW_BY_PLATFORM)
    frame = console.run(sample_wh, starter.sql, LIMITS).frame()
    direct = console.run(
        sample_wh,
        "select count(*) filter (where latency_workdays > 2) as slow, count(*) as n "
        "from fct_takedowns",
        LIMITS,
    ).frame()
    assert frame["removed_after_2wd"].sum() == direct["slow"][0]
    assert frame["notices"].sum() == direct["n"][0]
    assert frame["removed_after_2wd"].to_list() == sorted(frame["removed_after_2wd"], reverse=True)


@pytest.mark.parametrize(
    ("sql", "rows", "truncated"),
    [
        ("select * from range(100)", 100, False),  # exactly the cap: nothing was cut
        ("select * from range(101)", 100, True),  # one more: cut, and said so
        ("select * from range(0)", 0, False),
    ],
)
def test_row_cap_is_exact(sample_wh, sql, rows, truncated):
    result = console.run(sample_wh, sql, LIMITS)
    assert (result.rows, result.truncated) == (rows, truncated)


@pytest.mark.parametrize(
    "sql",
    [
        "with t as (select platform from fct_takedowns) select count(*) from t",
        "from fct_takedowns select platform limit 3",
        "describe fct_takedowns",
        "show tables",
        "summarize fct_patent_preexams",
        "explain select count(*) from fct_cases",
        "explain analyze select count(*) from fct_cases",
        "values (1, 'a'), (2, 'b')",
        "select * from duckdb_columns() where table_name = 'fct_takedowns'",
        "select function_name from duckdb_functions() where function_name = 'kpi_headline'",
        "select * from kpi_headline('2023-01-01', '2023-12-31')",
        "select unnest([1, 2, 3]) as n",
        "select * from generate_series(1, 3)",
        "SeLeCt 1 AS one -- trailing comment",
        "select interval 3 day + interval 90 minute as gap, [1, 2] as l, {'k': 1} as s",
    ],
)
def test_read_only_statements_run(sample_wh, sql):
    assert console.run(sample_wh, sql, LIMITS).rows > 0


def test_kpi_headline_matches_the_published_figures(sample_wh):
    frame = console.run(
        sample_wh, "select * from kpi_headline('2023-01-01', '2023-12-31')", LIMITS
    ).frame()
    assert frame["cases_accepted"][0] == 408
    assert frame["trademark_cases"][0] == 189


SQL_EXPORTED = "select notice_id, platform, notice_sent_on, latency_hours from fct_takedowns"


@pytest.mark.parametrize("fmt", console.FORMATS)
def test_export_writes_the_whole_result(sample_wh, tmp_path, fmt):
    path = tmp_path / f"out.{fmt}"
    done = console.export(sample_wh, SQL_EXPORTED, fmt, path, LIMITS)
    n = console.run(sample_wh, "select count(*) as n from fct_takedowns", LIMITS).frame()["n"][0]
    want = min(n, LIMITS.export_max_rows)
    assert done.rows == want and done.truncated == (n > LIMITS.export_max_rows)
    if fmt == "csv":
        frame = pl.read_csv(path)
    elif fmt == "parquet":
        frame = pl.from_arrow(pq.read_table(path))
    elif fmt == "json":
        frame = pl.DataFrame(json.loads(path.read_text(encoding="utf-8")))
    else:
        sheet = openpyxl.load_workbook(path, read_only=True).active
        rows = list(sheet.iter_rows(values_only=True))
        frame = pl.DataFrame(rows[1:], schema=list(rows[0]), orient="row")
    assert frame.height == want
    assert frame.columns == ["notice_id", "platform", "notice_sent_on", "latency_hours"]


def test_a_stopped_export_leaves_no_file(sample_wh, tmp_path):
    path = tmp_path / "runaway.csv"
    limits = Limits(export_time_limit_seconds=1)
    with pytest.raises(SqlRefused) as refused:
        console.export(
            sample_wh,
            "select count(*) from range(1000000) a, range(1000000) b",
            "csv",
            path,
            limits,
        )
    assert refused.value.code == "time_limit" and not path.exists()


def test_catalogue_documents_every_mart(sample_wh):
    snapshot, docs = console.catalog(sample_wh, limits=LIMITS)
    by_name = {d.name: d for d in docs}
    for mart in (
        "fct_takedowns",
        "fct_referrals",
        "fct_patent_preexams",
        "dim_code",
        "kpi_monthly",
    ):
        doc = by_name[mart]
        assert doc.kind == "table" and doc.comment.startswith(mart)
        assert all(c.comment for c in doc.columns if c.name != "load_id"), mart
    latency = next(c for c in by_name["fct_takedowns"].columns if c.name == "latency_workdays")
    assert latency.type == "INTEGER" and "working days" in latency.comment
    assert len(latency.examples) == 3
    assert by_name["kpi_headline"].kind == "macro"
    assert by_name["kpi_headline"].parameters == [
        "start_date",
        "end_date",
        *kpis.FILTERS,  # optional filters, as `ipgov kpis --platform …` (issue 16)
    ]
    assert snapshot == sample_wh.current_pointer.read_text().strip().removesuffix(".duckdb")


def test_refusal_when_nothing_is_loaded(tmp_path):
    from etl.errors import NoDataError
    from etl.warehouse import WarehousePaths

    with pytest.raises(NoDataError):
        console.run(WarehousePaths(tmp_path / "none" / "warehouse.duckdb"), "select 1", LIMITS)


# --- saved queries --------------------------------------------------------------------------


def test_saved_queries_live_beside_the_warehouse(wh_paths):
    assert appdb.saved_queries(wh_paths) == []
    appdb.save_query(wh_paths, "Slow platforms", "select 1", "first version")
    appdb.save_query(wh_paths, "Slow platforms", "select 2", "second version")
    appdb.save_query(wh_paths, "alpha", "select 3")
    saved = appdb.saved_queries(wh_paths)
    assert [(q.name, q.sql, q.description) for q in saved] == [
        ("alpha", "select 3", ""),
        ("Slow platforms", "select 2", "second version"),
    ]
    assert wh_paths.app_db.parent == wh_paths.db.parent
    assert wh_paths.snapshots not in wh_paths.app_db.parents
    assert appdb.delete_query(wh_paths, "alpha") and not appdb.delete_query(wh_paths, "alpha")


@pytest.mark.parametrize(("name", "sql"), [("", "select 1"), ("x" * 101, "select 1"), ("n", " ")])
def test_saving_needs_a_name_and_a_query(wh_paths, name, sql):
    from etl.errors import IpgovError

    with pytest.raises(IpgovError):
        appdb.save_query(wh_paths, name, sql)


# --- chart builder (pure) -------------------------------------------------------------------


def test_result_chart_counts_rows_and_splits_by_colour():
    frame = pl.DataFrame({"platform": ["a", "b", "a"], "direction": ["in", "out", "out"]})
    fig = charts.result_chart(frame, "platform", None, "direction", "bar", "en")
    assert {trace.name for trace in fig.data} == {"in", "out"}
    assert sum(sum(trace.y) for trace in fig.data) == 3
    line = charts.result_chart(
        pl.DataFrame({"m": [2, 1], "v": [5.0, 3.0]}), "m", "v", None, "line", "zh"
    )
    assert list(line.data[0].x) == [1, 2] and list(line.data[0].y) == [3.0, 5.0]


# --- ipgov sql ------------------------------------------------------------------------------


def cli(*args: str, stdin: str | None = None):
    return CliRunner().invoke(app, ["sql", *args], input=stdin)


def test_cli_prints_a_table(sample_wh):
    result = cli(
        "select platform, count(*) as n from fct_takedowns group by all", "--db", str(sample_wh.db)
    )
    assert result.exit_code == 0, result.output
    assert "taobao" in result.output and "rows in" in result.output


def test_cli_refusal_is_one_line_exit_2(sample_wh):
    result = cli("select 1; drop table fct_cases", "--db", str(sample_wh.db))
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [
        "error: refused: 2 statements — the console runs exactly one per run"
    ]


def test_cli_csv_to_stdout_and_query_from_stdin(sample_wh):
    result = cli("-", "--format", "csv", "--db", str(sample_wh.db), stdin="select 42 as answer")
    assert result.exit_code == 0, result.output
    assert result.stdout.splitlines()[:2] == ['"answer"', "42"]


def test_cli_writes_parquet_and_xlsx(sample_wh, tmp_path):
    for name in ("out.parquet", "out.xlsx"):
        out = tmp_path / name
        result = cli("select * from fct_referrals", "--out", str(out), "--db", str(sample_wh.db))
        assert result.exit_code == 0, result.output
        assert out.stat().st_size > 0 and "wrote" in result.output
    assert pq.read_table(tmp_path / "out.parquet").num_rows > 0


@pytest.mark.parametrize(
    "args",
    [
        ("select 1", "--format", "parquet"),  # binary formats need --out
        ("select 1", "--format", "yaml"),
        (),  # no query and no --schema
    ],
)
def test_cli_bad_input_exits_2(sample_wh, args):
    result = cli(*args, "--db", str(sample_wh.db))
    assert result.exit_code == 2, result.output


def test_cli_schema_prints_the_catalogue(sample_wh):
    text = cli("--schema", "--db", str(sample_wh.db))
    assert text.exit_code == 0, text.output
    assert "fct_takedowns" in text.output and "latency_workdays" in text.output
    as_json = cli("--schema", "--format", "json", "--db", str(sample_wh.db))
    objects = {o["name"]: o for o in json.loads(as_json.stdout)["objects"]}
    assert "China working days" in next(
        c["comment"] for c in objects["fct_takedowns"]["columns"] if c["name"] == "latency_workdays"
    )


# --- the page through AppTest -------------------------------------------------------------


def sql_page(lang: str) -> None:
    """The SQL page as app.py runs it (AppTest cannot switch to function pages)."""
    from dashboard.views import sql

    sql.render(lang)


def open_page(monkeypatch, db: Path, lang: str = "en", **env: str) -> AppTest:
    monkeypatch.setenv("IPGOV_DB", str(db))
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return AppTest.from_function(sql_page, args=(lang,), default_timeout=60).run()


def test_page_runs_a_starter_saves_it_and_finds_it_after_reload(monkeypatch, sample_wh):
    name = f"slow platforms {uuid.uuid4().hex[:6]}"
    at = open_page(monkeypatch, sample_wh.db)
    assert not at.exception, at.exception
    at.button(key=f"sql_starter_{SLOW_BY_PLATFORM}").click().run()
    assert not at.exception and not at.error
    table = at.dataframe[0].value
    assert {"platform_en", "removed_after_2wd"} <= set(table.columns) and len(table) > 0
    assert any(c.value.startswith(f"{len(table)} rows · ") for c in at.caption)
    assert at.text_area(key="sql_text").value.startswith("select")

    at.text_input(key="sql_save_name").set_value(name)
    at.text_input(key="sql_save_description").set_value("Which platforms miss the 2-day promise")
    at.button(key="sql_save").click().run()
    assert [s.value for s in at.success] == [t("sql_saved_ok", "en", name=name)]
    assert name in [b.label for b in at.sidebar.button]
    history = [b.label for b in at.sidebar.button if b.key.startswith("sql_history_")]
    assert len(history) == 1 and "select" in history[0]

    reloaded = open_page(monkeypatch, sample_wh.db)  # a new session: nothing kept but the app db
    assert not reloaded.get("sql_history_0")
    saved = next(b for b in reloaded.sidebar.button if b.label == name)
    saved.click().run()
    assert reloaded.dataframe[0].value.shape == table.shape

    from dashboard.views.sql import _button_key

    reloaded.button(key=_button_key("sql_delete", name)).click().run()
    assert [i.value for i in reloaded.info] == [t("sql_deleted", "en", name=name)]
    assert name not in [b.label for b in reloaded.sidebar.button]
    assert name not in [q.name for q in appdb.saved_queries(sample_wh)]


def test_page_shows_a_refusal_in_one_line(monkeypatch, sample_wh):
    at = open_page(monkeypatch, sample_wh.db, lang="zh")
    at.text_area(key="sql_text").set_value("drop table fct_cases")
    at.button(key="sql_run").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [t("sql_refused_statement", "zh", statement="DROP")]
    assert not at.tabs[0].dataframe, "no result table under a refusal"


@pytest.mark.parametrize(
    ("sql", "key", "values"),
    [
        ("select * from nosuch", "sql_missing_table", {"name": "nosuch"}),
        ("select nosuch_column from fct_cases", "sql_missing_column", {"name": "nosuch_column"}),
        ("select frobnicate(1)", "sql_missing_function", {"name": "frobnicate"}),
        ("select 'abc'::integer", "sql_error_conversion", {}),
    ],
)
def test_database_errors_are_explained_in_chinese_with_the_original_kept(
    monkeypatch, sample_wh, sql, key, values
):
    at = open_page(monkeypatch, sample_wh.db, lang="zh")
    at.text_area(key="sql_text").set_value(sql)
    at.button(key="sql_run").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [t(key, "zh", **values)]
    assert not re.search("[A-Za-z]{4,}", at.error[0].value.replace(values.get("name", ""), ""))
    assert "pg_class" not in at.error[0].value  # DuckDB's "did you mean" stays in the original
    original = at.expander[0]
    assert original.label == t("sql_original_error", "zh")
    assert "Error" in original.code[0].value  # DuckDB's own line, for analysts


def test_page_says_when_the_result_is_truncated_and_charts_it(monkeypatch, sample_wh):
    at = open_page(monkeypatch, sample_wh.db, IPGOV_SQL_MAX_ROWS="5")
    at.text_area(key="sql_text").set_value(
        "select platform, count(*) as notices from fct_takedowns group by all order by 2 desc"
    )
    at.button(key="sql_run").click().run()
    assert not at.exception
    assert at.warning[0].value == t("sql_truncated", "en", rows="5", export="1,000,000")
    assert len(at.dataframe[0].value) == 5
    assert at.get("plotly_chart"), "the chart builder draws the result"


def test_page_schema_tab_lists_tables_and_meanings(monkeypatch, sample_wh):
    at = open_page(monkeypatch, sample_wh.db)
    labels = [e.label for e in at.expander]
    assert any(label.startswith("fct_takedowns · table") for label in labels)
    assert any(label.startswith("kpi_headline · macro") for label in labels)
    at.text_input(key="sql_schema_filter").set_value("latency_workdays").run()
    frames = [d.value for d in at.dataframe]
    meanings = [m for f in frames for m in f["Meaning"].to_list()]
    assert any("China working days" in m for m in meanings)


def test_every_refusal_is_translated():
    from dashboard.i18n import CATALOG

    assert all(f"sql_refused_{code}" in CATALOG for code in console.REFUSAL_CODES)


def test_page_without_data(monkeypatch, tmp_path):
    at = open_page(monkeypatch, tmp_path / "empty" / "warehouse.duckdb")
    assert not at.exception
    assert [i.value for i in at.info] == [t("no_data", "en")]


def test_download_bytes_equal_the_shown_result(monkeypatch, sample_wh):
    from dashboard import queries

    monkeypatch.setenv("IPGOV_DB", str(sample_wh.db))
    shown = queries.sql_run("select * from fct_referrals order by case_id")
    data = queries.sql_export(shown.sql, "csv", shown.snapshot)
    assert data.startswith(b"\xef\xbb\xbf")  # Excel reads the Chinese right
    frame = pl.read_csv(io.BytesIO(data[3:]))
    assert frame.height == shown.rows and frame.columns == shown.columns


def test_page_schema_tab_speaks_chinese_in_zh(monkeypatch, sample_wh):
    # the meanings come from the model files' Chinese (etl/transform.docs_zh), not the English
    # COMMENTs of the snapshot; a Chinese search word finds the column too
    at = open_page(monkeypatch, sample_wh.db, "zh")
    assert not at.exception
    captions = [c.value for c in at.caption]
    assert any(c.startswith("fct_takedowns：") for c in captions), captions[:5]
    at.text_input(key="sql_schema_filter").set_value("中国工作日").run()
    frames = [d.value for d in at.dataframe]
    assert frames
    meaning = t("sql_schema_meaning", "zh")
    rows = {
        name: text
        for f in frames
        for name, text in zip(f[t("sql_schema_column", "zh")], f[meaning], strict=True)
    }
    assert "中国工作日" in rows["latency_workdays"]
    assert not any("China working days" in text for text in rows.values())
