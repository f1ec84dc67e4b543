"""Typed settings: IPGOV_* read at call time into typed fields; a bad value is one clear error
(English and Chinese) naming the variable, the value and what it should be — on the command
line, on a page and to code — never a pydantic or ValueError traceback."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import targets
from dashboard.cli import app
from dashboard.console import Limits
from etl import settings


def test_defaults_are_typed_and_match_the_settings_table():
    now = settings.current()
    assert now.snapshot_keep == 3 and isinstance(now.snapshot_keep, int)
    assert now.snapshot_grace_seconds == 600.0 and isinstance(now.snapshot_grace_seconds, float)
    assert now.target_takedown_within_2wd == 0.90
    assert now.port == 8501
    assert now.district == "本区"
    for s in settings.SETTINGS:
        assert str(settings.Settings.model_fields[s.name].default) == s.default, s.name
        assert s.env == f"IPGOV_{s.name.upper()}"


def test_a_changed_variable_is_seen_by_the_next_call(monkeypatch):
    monkeypatch.setenv("IPGOV_SNAPSHOT_KEEP", "7")
    assert settings.current().snapshot_keep == 7
    monkeypatch.setenv("IPGOV_SNAPSHOT_KEEP", "1")
    assert settings.current().snapshot_keep == 1
    monkeypatch.delenv("IPGOV_SNAPSHOT_KEEP")
    assert settings.current().snapshot_keep == 3


def test_overridden_wins_over_the_environment_and_is_typed(monkeypatch, tmp_path):
    monkeypatch.setenv("IPGOV_DB", str(tmp_path / "env.duckdb"))
    with settings.overridden(db=str(tmp_path / "option.duckdb"), sql_threads="4"):
        assert settings.db_path() == tmp_path / "option.duckdb"
        assert settings.current().sql_threads == 4
    assert settings.db_path() == tmp_path / "env.duckdb"


@pytest.mark.parametrize(
    ("variable", "value", "expected", "expected_zh"),
    [
        ("IPGOV_SNAPSHOT_KEEP", "abc", "a whole number of at least 0", "不小于 0 的整数"),
        ("IPGOV_SNAPSHOT_KEEP", "-1", "a whole number of at least 0", "不小于 0 的整数"),
        ("IPGOV_SNAPSHOT_GRACE_SECONDS", "ten", "a number of at least 0", "不小于 0 的数"),
        ("IPGOV_PORT", "0", "a whole number from 1 to 65535", "1 到 65535 之间的整数"),
        ("IPGOV_SQL_THREADS", "0", "a whole number greater than 0", "大于 0 的整数"),
        ("IPGOV_SQL_TIME_LIMIT_SECONDS", "nan", "a number greater than 0", "大于 0 的数"),
        ("IPGOV_SQL_MAX_ROWS", "1e3", "a whole number greater than 0", "大于 0 的整数"),
        ("IPGOV_TARGET_TAKEDOWN_WITHIN_2WD", "90", "a share from 0 to 1", "0 到 1 之间的比例"),
        ("IPGOV_TARGET_WATCH_POINTS", "150", "a number from 0 to 100", "0 到 100 之间的数"),
        ("IPGOV_LOAD_MEMORY_LIMIT", "lots", "a DuckDB size such as 1GB", "DuckDB 容量"),
        ("IPGOV_SQL_MEMORY_LIMIT", "100", "a DuckDB size such as 1GB", "DuckDB 容量"),
    ],
)
def test_a_bad_value_is_one_error_naming_variable_value_and_expectation(
    monkeypatch, variable, value, expected, expected_zh
):
    monkeypatch.setenv(variable, value)
    with pytest.raises(settings.SettingError) as caught:
        settings.current()
    error = caught.value
    assert str(error).startswith(f"setting {variable}={value!r} is not valid: expected {expected}")
    assert error.message_zh.startswith(f"设置 {variable}={value!r} 无效：应为{expected_zh}")
    assert error.message("zh") == error.message_zh and error.message("en") == str(error)
    assert error.exit_code == 2
    assert "pydantic" not in str(error) and "Input should" not in str(error)


def test_several_bad_values_are_named_in_the_same_error(monkeypatch):
    monkeypatch.setenv("IPGOV_SNAPSHOT_KEEP", "abc")
    monkeypatch.setenv("IPGOV_SQL_THREADS", "many")
    with pytest.raises(settings.SettingError) as caught:
        settings.current()
    assert [p[0] for p in caught.value.problems] == ["IPGOV_SNAPSHOT_KEEP", "IPGOV_SQL_THREADS"]
    assert "IPGOV_SNAPSHOT_KEEP='abc'" in str(caught.value)
    assert "IPGOV_SQL_THREADS='many'" in str(caught.value)


@pytest.mark.parametrize("size", ["2GB", "512 MB", "1.5GiB", "50%", "4000000b", "2g"])
def test_duckdb_sizes_are_accepted(monkeypatch, size):
    monkeypatch.setenv("IPGOV_SQL_MEMORY_LIMIT", size)
    assert settings.current().sql_memory_limit == size


@pytest.mark.parametrize("size", ["100", "-1GB", "1,5GB", "1PB", ""])
def test_what_duckdb_refuses_as_a_size_is_refused(monkeypatch, size):
    monkeypatch.setenv("IPGOV_LOAD_MEMORY_LIMIT", size)
    with pytest.raises(settings.SettingError, match="IPGOV_LOAD_MEMORY_LIMIT"):
        settings.current()


def test_call_sites_get_typed_values(monkeypatch):
    monkeypatch.setenv("IPGOV_SQL_TIME_LIMIT_SECONDS", "2.5")
    monkeypatch.setenv("IPGOV_SQL_MAX_ROWS", "50")
    monkeypatch.setenv("IPGOV_SQL_MEMORY_LIMIT", "256MB")
    monkeypatch.setenv("IPGOV_TARGET_TAKEDOWN_WITHIN_2WD", "0.8")
    monkeypatch.setenv("IPGOV_TARGET_WATCH_POINTS", "10")
    monkeypatch.setenv("IPGOV_ATTENTION_CASE_OPEN_DAYS", "30")
    limits = Limits.from_settings()
    assert (limits.time_limit_seconds, limits.max_rows, limits.memory_limit) == (2.5, 50, "256MB")
    goal = targets.targets()["takedown_within_2wd_share"]
    assert goal.value == 0.8 and goal.watch == pytest.approx(0.10)
    assert goal.status(0.75) == "watch" and goal.status(0.69) == "alert"
    assert targets.case_open_days() == 30


def test_the_command_line_stops_before_working_with_one_message(monkeypatch, tmp_path):
    monkeypatch.setenv("IPGOV_SNAPSHOT_KEEP", "abc")
    db = tmp_path / "wh" / "warehouse.duckdb"
    # the file does not exist: the settings are checked first, before the load looks for it
    result = CliRunner().invoke(app, ["load", str(tmp_path / "nothing.csv"), "--db", str(db)])
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert lines == [
        "error: setting IPGOV_SNAPSHOT_KEEP='abc' is not valid: "
        "expected a whole number of at least 0",
        "错误：设置 IPGOV_SNAPSHOT_KEEP='abc' 无效：应为不小于 0 的整数",
    ]
    assert "Traceback" not in result.output
    assert not db.parent.exists()


def _overview(lang: str) -> None:
    """The Overview as app.py runs it: through the page frame that turns errors into messages."""
    from dashboard.components import render_page
    from dashboard.views import overview

    render_page(overview.render, lang)


@pytest.mark.parametrize(
    ("lang", "message"),
    [
        ("zh", "设置 IPGOV_TARGET_TAKEDOWN_WITHIN_2WD='90' 无效：应为0 到 1 之间的比例"),
        ("en", "setting IPGOV_TARGET_TAKEDOWN_WITHIN_2WD='90' is not valid: expected a share"),
    ],
)
def test_a_page_shows_the_bad_setting_in_the_readers_language(monkeypatch, tmp_path, lang, message):
    monkeypatch.setenv("IPGOV_DB", str(tmp_path / "warehouse.duckdb"))
    monkeypatch.setenv("IPGOV_TARGET_TAKEDOWN_WITHIN_2WD", "90")
    at = AppTest.from_function(_overview, args=(lang,), default_timeout=60).run()
    assert not at.exception
    assert [e.value for e in at.error] and at.error[0].value.startswith(message)


def test_db_default_is_a_path_beside_the_repo_data_folder(monkeypatch):
    monkeypatch.delenv("IPGOV_DB")
    assert settings.db_path() == Path("data/warehouse.duckdb")
