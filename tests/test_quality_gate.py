"""The data-quality gate: suites, the broken-file corpus, quarantine, rejections, reports, CLI."""

from __future__ import annotations

import json
from pathlib import Path

import duckdb
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from dashboard.cli import app
from etl import warehouse
from etl.gate import Gate, engine, suites
from etl.gate.rules import VERDICTS
from etl.load import load
from etl.raw import ensure_raw
from etl.sources import KINDS
from etl.sources.faults import FILE_FAULTS
from tests.broken_files import FAULTS
from tests.conftest import TODAY, query

# Tables a rejection may write: the rejection log, its mart and the record of the snapshot that
# shows it (raw.snapshot_builds). Everything else must not change.
REJECTION_TABLES = {"raw.load_rejections", "marts.fct_rejections", "raw.snapshot_builds"}
BY_NAME = {f.name: f for f in FAULTS}


@pytest.fixture(scope="module")
def gate() -> Gate:
    return Gate(TODAY)


def fingerprints(db: Path) -> dict[str, str]:
    """Order-independent checksum of every table in the ingest database but the rejection log."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = [
            t
            for (t,) in con.execute(
                "select schema_name || '.' || table_name from duckdb_tables() order by 1"
            ).fetchall()
            if t not in REJECTION_TABLES
        ]
        return {
            t: str(con.execute(f"select count(*), bit_xor(hash(x)) from {t} as x").fetchall())
            for t in tables
        }
    finally:
        con.close()


def ingest(db: Path, sql: str) -> list[tuple]:
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


# ------------------------------------------------------------------------------------------------
# Suites
# ------------------------------------------------------------------------------------------------


def test_committed_suites_equal_the_generator():
    for kind in KINDS.values():
        committed = (suites.SUITES_DIR / f"{kind.name}.json").read_text(encoding="utf-8")
        assert committed == suites.suite_json(kind), (
            f"run `python -m etl.gate --write-suites` and commit expectations/{kind.name}.json"
        )


def test_suites_are_great_expectations_suites_naming_every_rule():
    import great_expectations as gx

    rules = set()
    for kind in KINDS.values():
        suite = gx.ExpectationSuite(**suites.load_suite(kind))
        assert suite.name == kind.name
        for expectation in suite.expectations:
            assert expectation.meta["column"] in {c.name for c in kind.columns}
            rules.add(expectation.meta["rule"].split(":")[0])
    assert rules == {
        "required_column",
        "required",
        "type",
        "code",
        "not_future",
        "date_order",
        "unique_key",
        "non_negative",
        "sha256_format",
        "phone_format",
        "total_row",
    }


# ------------------------------------------------------------------------------------------------
# The corpus: each fault, its verdict and a message naming file, row and column
# ------------------------------------------------------------------------------------------------


def test_corpus_covers_every_rule_and_file_fault():
    assert len(FAULTS) >= 25
    row_rules = {f.rule.split(":")[0] for f in FAULTS if f.rule}
    suite_rules = {
        e["meta"]["rule"].split(":")[0]
        for kind in KINDS.values()
        for e in suites.build_suite(kind)["expectations"]
        if e["meta"].get("level") != "file"
    }
    assert suite_rules <= row_rules
    codes = {f.code for f in FAULTS if f.code}
    assert set(FILE_FAULTS) - {"strict", "gate_error"} <= codes  # those two: tests below


@pytest.mark.parametrize("fault", FAULTS, ids=lambda f: f.name)
def test_fault_verdict_and_message(fault, corpus, gate):
    path = corpus[fault.name]
    report, result = gate.check(path, fault.kind)
    assert report.verdict == fault.verdict, report.message_en
    assert report.rows_read == report.rows_valid + report.rows_quarantined
    if fault.verdict == "rejected":
        assert result is None
        assert report.reason_code == fault.code
        assert report.message_en and report.message_zh
        if fault.row:
            assert f"row {fault.row}" in report.message_en
            assert f"第{fault.row}行" in report.message_zh
        if fault.column:
            assert fault.column in report.message_en and fault.column in report.message_zh
        return
    problems = {
        (p["source_row"], p["column_name"], p["rule"]): p
        for p in report.problems.iter_rows(named=True)
    }
    if fault.verdict == "ok":
        assert not problems
        return
    problem = problems[(fault.row, fault.column, fault.rule)]
    zh_name = KINDS[report.kind].column(fault.column).zh
    assert path.name in problem["message_en"] and path.name in problem["message_zh"]
    assert f"row {fault.row}, column {fault.column}" in problem["message_en"]
    assert f"第{fault.row}行“{zh_name}”" in problem["message_zh"]
    assert problem["expectation_type"].startswith("expect_")
    assert result is not None and fault.row not in result.frame["source_row"].to_list()


def test_gb18030_labelled_utf8_is_read_as_gb18030(corpus, gate):
    report, result = gate.check(corpus["gb18030_labelled_utf8"])
    assert report.encoding == "gb18030"
    assert set(result.text["service_type"].drop_nulls()) <= {
        "咨询",
        "调解",
        "维权援助",
        "侵权判定咨询意见",
    }


def test_the_suite_agrees_with_the_parser_on_types_and_required(corpus, gate):
    baseline = Gate(TODAY, validate=False)
    for name in ("bad_date", "bad_timestamp", "missing_value", "bad_integer", "bad_boolean"):
        by_suite, _ = gate.check(corpus[name])
        by_parser, _ = baseline.check(corpus[name])
        cells = {
            (p["source_row"], p["column_name"], p["rule"])
            for p in by_suite.problems.iter_rows(named=True)
            if p["rule"] == "required" or p["rule"].startswith("type:")
        }
        assert cells == {
            (p["source_row"], p["column_name"], p["rule"])
            for p in by_parser.problems.iter_rows(named=True)
        }


# ------------------------------------------------------------------------------------------------
# Loading: rejected files change nothing, bad rows go to quarantine, counts reconcile
# ------------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def base_db(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    db = tmp_path_factory.mktemp("gate-wh") / "warehouse.duckdb"
    files = [small_sample / n for n in ("takedowns_2024.csv", "cases_2024.csv")]
    assert not load(files, db, today=TODAY, reports=False).rejected
    return db


REJECTED = [f for f in FAULTS if f.verdict == "rejected"]


@pytest.mark.parametrize("fault", REJECTED, ids=lambda f: f.name)
def test_rejected_file_leaves_the_warehouse_unchanged(fault, corpus, base_db):
    before = fingerprints(base_db)
    attempts = ingest(base_db, "select count(*) from raw.load_rejections")[0][0]
    summary = load([corpus[fault.name]], base_db, kind=fault.kind, today=TODAY, reports=False)
    assert [f.status for f in summary.files] == ["rejected"]
    assert fingerprints(base_db) == before
    logged = ingest(base_db, "select reason_code, source_file from raw.load_rejections")
    assert len(logged) == attempts + 1
    assert (fault.code, corpus[fault.name].name) in logged
    shown = query(
        warehouse.WarehousePaths(base_db),
        "select reason_code, message_zh from fct_rejections where source_file = ?",
        [corpus[fault.name].name],
    )
    assert shown and shown[0][0] == fault.code and shown[0][1]


def test_row_faults_load_good_rows_and_quarantine_the_rest(corpus, tmp_path):
    db = tmp_path / "rows" / "warehouse.duckdb"
    faults = [f for f in FAULTS if f.verdict == "quarantined"]
    summary = load([corpus[f.name] for f in faults], db, today=TODAY, reports=False)
    for outcome in summary.files:
        assert outcome.status == "loaded", outcome.message
        assert outcome.rows_read == outcome.rows_loaded + outcome.rows_quarantined > 0
    held = ingest(
        db,
        "select source_file, source_row, column_name, rule, expectation_type, message_zh, "
        "message_en, key_value from raw.quarantine",
    )
    found = {(r[0], r[1], r[2], r[3]) for r in held}
    for fault in faults:
        assert (corpus[fault.name].name, fault.row, fault.column, fault.rule) in found
    assert all(r[4] and r[5] and r[6] for r in held)
    loaded = ingest(
        db, "select sum(rows_read), sum(rows_loaded), sum(rows_quarantined) from raw.load_files"
    )[0]
    assert loaded[0] == loaded[1] + loaded[2]
    phone = query(
        warehouse.WarehousePaths(db),
        "select raw_value, status from fct_quarantine where rule = 'phone_format'",
    )
    assert phone == [("***", "open")]


def test_corrected_file_clears_its_rows_from_quarantine(small_sample, tmp_path):
    source = (small_sample / "takedowns_2024.csv").read_text(encoding="utf-8").splitlines()[:9]
    broken = [line.replace(",Tmall,", ",Temu,").replace(",JD.com,", ",Temu,") for line in source]
    bad_rows = sum(line != fixed for line, fixed in zip(broken, source, strict=True))
    assert bad_rows >= 1
    inbox = tmp_path / "inbox" / "platform_a"
    inbox.mkdir(parents=True)
    path = inbox / "takedowns.csv"
    db = tmp_path / "wh" / "warehouse.duckdb"
    paths = warehouse.WarehousePaths(db)

    path.write_text("\n".join(broken) + "\n", encoding="utf-8")
    first = load([path], db, today=TODAY, reports=False)
    assert first.files[0].rows_quarantined == bad_rows
    assert query(paths, "select count(*) from fct_takedowns") == [(8 - bad_rows,)]
    statuses = query(paths, "select status, sender from fct_quarantine")
    assert statuses == [("open", "platform_a")] * bad_rows

    path.write_text("\n".join(source) + "\n", encoding="utf-8")  # the clerk fixes and re-sends
    second = load([path], db, today=TODAY, reports=False)
    assert second.files[0].rows_quarantined == 0
    assert query(paths, "select count(*), count(distinct notice_id) from fct_takedowns") == [(8, 8)]
    assert query(paths, "select distinct status, resolved_by_file_seq from fct_quarantine") == [
        ("resolved", 2)
    ]


def test_a_row_quarantined_again_supersedes_the_older_entry(small_sample, tmp_path):
    source = (small_sample / "takedowns_2024.csv").read_text(encoding="utf-8").splitlines()[:4]
    db = tmp_path / "wh" / "warehouse.duckdb"
    for i, bad in enumerate(("Temu", "Shein")):
        path = tmp_path / f"v{i}" / "takedowns.csv"
        path.parent.mkdir()
        cells = source[1].split(",")
        cells[2] = bad
        path.write_text("\n".join([source[0], ",".join(cells), *source[2:]]) + "\n", "utf-8")
        load([path], db, today=TODAY, reports=False)
    rows = query(
        warehouse.WarehousePaths(db),
        "select file_seq, status from fct_quarantine order by file_seq",
    )
    assert rows == [(1, "superseded"), (2, "open")]


def test_strict_rejects_a_file_with_any_bad_row(corpus, base_db):
    before = fingerprints(base_db)
    summary = load([corpus["unknown_platform"]], base_db, today=TODAY, strict=True, reports=False)
    outcome = summary.files[0]
    assert outcome.status == "rejected" and outcome.report.reason_code == "strict"
    assert "row 7, column platform" in outcome.message
    assert "--strict" in outcome.message_zh
    assert fingerprints(base_db) == before


def test_an_unexpected_error_in_the_gate_rejects_the_file_and_says_so(corpus, base_db, monkeypatch):
    def broken(*args):
        raise ZeroDivisionError("simulated bug")

    monkeypatch.setattr(engine, "suite_sql", broken)
    before = fingerprints(base_db)
    summary = load([corpus["bad_date"]], base_db, today=TODAY, reports=False)
    outcome = summary.files[0]
    assert outcome.status == "rejected" and outcome.report.reason_code == "gate_error"
    assert "ZeroDivisionError: simulated bug" in outcome.message
    assert "质量校验程序" in outcome.message_zh
    assert fingerprints(base_db) == before
    result = CliRunner().invoke(app, ["check", str(corpus["bad_date"])])
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert "simulated bug" in result.output


def test_load_writes_a_json_report_and_gx_data_docs(corpus, tmp_path):
    db = tmp_path / "wh" / "warehouse.duckdb"
    files = [corpus["unknown_platform"], corpus["empty_file"], corpus["gb18030_labelled_utf8"]]
    summary = load(files, db, today=TODAY, data_docs=True)
    assert summary.report == warehouse.WarehousePaths(db).reports / f"{summary.load_id}.json"
    report = json.loads(summary.report.read_text(encoding="utf-8"))
    verdicts = {f["file"]: f["verdict"] for f in report["files"]}
    assert verdicts == {
        "td_temu.csv": "quarantined",
        "td_empty.csv": "rejected",
        "cases_bom_gb18030.csv": "ok",
    }
    temu = next(f for f in report["files"] if f["file"] == "td_temu.csv")
    assert temu["problems"][0]["row"] == 7 and temu["problems"][0]["column"] == "platform"
    assert temu["problems"][0]["expectation_type"] == "expect_column_values_to_be_in_set"
    assert any(r["rule"] == "code:platform" and not r["success"] for r in temu["rules"])
    assert report["totals"]["rows_read"] == (
        report["totals"]["rows_valid"] + report["totals"]["rows_quarantined"]
    )
    assert summary.data_docs is not None and summary.data_docs.exists()
    assert "td_temu.csv" in summary.data_docs.read_text(encoding="utf-8")


def test_data_docs_are_rendered_later_from_the_results_a_load_saved(corpus, tmp_path):
    # GX's import alone costs a district's monthly load ~3 s of CPU: by default the load saves
    # the gate's results and `ipgov data-docs` renders the very same site from them
    db = tmp_path / "wh" / "warehouse.duckdb"
    first = load([corpus["unknown_platform"]], db, today=TODAY)
    second = load([corpus["gb18030_labelled_utf8"], corpus["empty_file"]], db, today=TODAY)
    assert first.data_docs is None and second.data_docs is None
    reports = warehouse.WarehousePaths(db).reports
    assert first.gate_results == reports / f"{first.load_id}.gate-results.json"
    assert not (reports / "data_docs").exists()
    saved = json.loads(first.gate_results.read_text(encoding="utf-8"))
    [temu] = saved["files"]
    assert temu["label"] == "td_temu.csv" and temu["rows_read"] > 0
    rule = next(
        r for r in temu["rules"].values() if r["rule"] == "code:platform" and not r["success"]
    )
    assert rule["failed_rows"] == 1  # the one Temu row the JSON report lists (row 7)

    result = CliRunner().invoke(app, ["data-docs", "--db", str(db)])  # the latest load
    assert result.exit_code == 0, result.output
    index = reports / "data_docs" / "index.html"
    assert str(index) in result.output.replace("\n", "")
    assert "cases_bom_gb18030.csv" in index.read_text(encoding="utf-8")
    result = CliRunner().invoke(app, ["data-docs", first.load_id, "--db", str(db)])
    assert result.exit_code == 0, result.output
    assert "td_temu.csv" in index.read_text(encoding="utf-8")  # that load's site, only
    assert "cases_bom_gb18030.csv" not in index.read_text(encoding="utf-8")

    missing = CliRunner().invoke(app, ["data-docs", "20990101T000000000000Z", "--db", str(db)])
    assert missing.exit_code == 2 and "saved no gate results" in missing.output
    assert "Traceback" not in missing.output


def test_existing_warehouse_gains_the_new_quality_columns(tmp_path):
    db = tmp_path / "old.duckdb"
    con = duckdb.connect(str(db))
    con.execute("create schema raw")
    con.execute(
        "create table raw.quarantine (load_id varchar, file_seq bigint, source_file varchar, "
        "source_row bigint, column_name varchar, rule varchar, raw_value varchar, "
        "quarantined_at timestamp)"
    )
    ensure_raw(con)
    columns = {
        c
        for (c,) in con.execute(
            "select column_name from duckdb_columns() where table_name = 'quarantine'"
        ).fetchall()
    }
    con.close()
    assert {"key_value", "message_zh", "message_en", "expectation_type", "is_pii"} <= columns


def test_the_sample_passes_every_rule(sample_wh):
    assert query(sample_wh, "select count(*) from fct_quarantine") == [(0,)]
    assert query(sample_wh, "select distinct verdict from fct_load_files") == [("ok",)]


# ------------------------------------------------------------------------------------------------
# CLI
# ------------------------------------------------------------------------------------------------


def test_cli_check_reports_writes_nothing_and_exits_2(corpus, tmp_path, monkeypatch):
    db = tmp_path / "never" / "warehouse.duckdb"
    monkeypatch.setenv("IPGOV_DB", str(db))
    runner = CliRunner()
    ok = runner.invoke(app, ["check", str(corpus["gb18030_labelled_utf8"])])
    assert ok.exit_code == 0, ok.output
    bad = runner.invoke(
        app, ["check", str(corpus["unknown_platform"]), str(corpus["xlsx_merged_header_cells"])]
    )
    assert bad.exit_code == 2
    assert "td_temu.csv, row 7, column platform (电商平台)" in bad.output
    assert "td_temu.csv 第7行“电商平台”" in bad.output
    assert "trademarks_merged_header.xlsx" in bad.output and "column C" in bad.output
    assert "Traceback" not in bad.output
    assert not db.parent.exists()
    payload = json.loads(runner.invoke(app, ["check", "--json", str(corpus["bad_phone"])]).output)
    problem = payload["files"][0]["problems"][0]
    assert problem["value"] == "***" and problem["rule"] == "phone_format"


def test_cli_load_exits_0_with_quarantined_rows_and_2_when_strict(corpus, tmp_path):
    runner = CliRunner()
    db = str(tmp_path / "wh" / "warehouse.duckdb")
    result = runner.invoke(app, ["load", str(corpus["missing_value"]), "--db", db])
    assert result.exit_code == 0, result.output
    assert "row 6" in result.output and "quality report" in result.output
    assert "held back in quarantine" in result.output
    strict = runner.invoke(app, ["load", str(corpus["bad_timestamp"]), "--db", db, "--strict"])
    assert strict.exit_code == 2
    assert "--strict" in strict.output and "Traceback" not in strict.output


# ------------------------------------------------------------------------------------------------
# Property-based: nothing a file holds crashes the gate
# ------------------------------------------------------------------------------------------------


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=st.binary(max_size=600), suffix=st.sampled_from([".csv", ".tsv", ".xlsx", ".parquet"]))
def test_arbitrary_bytes_never_crash_the_gate(tmp_path, gate, data, suffix):
    path = tmp_path / f"fuzz{suffix}"
    path.write_bytes(data)
    report, result = gate.check(path)
    assert report.verdict in VERDICTS
    if report.verdict == "rejected":
        assert report.reason_code in FILE_FAULTS and report.reason_code != "gate_error"
        assert report.message_en and report.message_zh
    else:
        assert report.rows_read == result.frame.height + report.rows_quarantined


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    name=st.sampled_from(["takedowns_2024.csv", "cases_2024.csv", "notarizations.csv"]),
    cut=st.floats(0, 1),
    flips=st.lists(st.tuples(st.floats(0, 1), st.integers(0, 255)), max_size=4),
)
def test_damaged_sample_files_never_crash_the_gate(small_sample, tmp_path, gate, name, cut, flips):
    data = bytearray((small_sample / name).read_bytes()[:3000])
    for where, value in flips:
        if data:
            data[int(where * (len(data) - 1))] = value
    path = tmp_path / name
    path.write_bytes(bytes(data[: max(1, int(cut * len(data)))]))
    report, result = gate.check(path)
    assert report.reason_code != "gate_error", report.message_en
    if result is not None:
        assert report.rows_read == result.frame.height + report.rows_quarantined


def test_cli_never_shows_a_traceback_for_garbage(tmp_path):
    for i, data in enumerate(
        [b"\x00\xff" * 50, b"PK\x03\x04garbage", b'a,"b\n1,2', b"\xef\xbb\xbf"]
    ):
        path = tmp_path / f"g{i}.csv"
        path.write_bytes(data)
        result = CliRunner().invoke(app, ["check", str(path)])
        assert result.exit_code == 2 and "Traceback" not in result.output


@pytest.mark.parametrize("later", [False, True], ids=["with-the-load", "ipgov-data-docs"])
def test_data_docs_are_written_with_a_relative_db(corpus, tmp_path, monkeypatch, later):
    # the README's `--db data/warehouse.duckdb` is relative: GX wants an absolute folder, and
    # every load said "data docs not written: base_directory must be an absolute path"
    monkeypatch.chdir(tmp_path)
    db = Path("data") / "warehouse.duckdb"
    summary = load([corpus["unknown_platform"]], db, today=TODAY, data_docs=not later)
    assert summary.warnings == []
    if later:
        result = CliRunner().invoke(app, ["data-docs", "--db", str(db)])
        assert result.exit_code == 0, result.output
    index = tmp_path / "data" / "reports" / "data_docs" / "index.html"
    assert "td_temu.csv" in index.read_text(encoding="utf-8")
