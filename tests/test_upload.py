"""The Upload page (issue 13) and its Streamlit-free half, dashboard/intake.py: files saved
beside the warehouse, judged as `ipgov check --json` judges them, nothing written before
Publish, then loaded as `ipgov load` loads them; Discard leaves no file; each step audited."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import intake
from dashboard.access import audit, roles
from dashboard.cli import app as cli_app
from dashboard.i18n import t
from etl import warehouse
from etl.errors import IpgovError
from etl.load import load
from tests.conftest import TODAY, query, sign_in
from tests.test_reverts import revert_files

GOOD = "takedowns_2023.csv"


def _upload_page(lang: str) -> None:
    from dashboard.views import upload

    upload.render(lang)


@pytest.fixture(scope="module")
def base_wh(small_sample: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A small warehouse holding small_sample's 2022 files, built once for the module."""
    db = tmp_path_factory.mktemp("upload-base") / "warehouse.duckdb"
    summary = load(sorted(small_sample.glob("*2022*")), db, today=TODAY)
    assert not summary.rejected
    return db


@pytest.fixture
def wh(base_wh: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> warehouse.WarehousePaths:
    """A copy of the small warehouse each test may change, named by IPGOV_DB."""
    folder = tmp_path / "wh"
    shutil.copytree(base_wh.parent, folder)
    db = folder / "warehouse.duckdb"
    monkeypatch.setenv("IPGOV_DB", str(db))
    return warehouse.WarehousePaths(db)


@pytest.fixture
def bad_cases(small_sample: Path, tmp_path: Path) -> Path:
    """small_sample's 2023 cases with one acceptance date made impossible (row 3)."""
    data = (small_sample / "cases_2023.csv").read_bytes()
    assert data.count(b"2023/2/6,") >= 1
    path = tmp_path / "bad" / "cases_2023.csv"
    path.parent.mkdir()
    path.write_bytes(data.replace(b"2023/2/6,", b"2023/13/45,", 1))
    return path


def _cli_check(path: Path) -> dict:
    result = CliRunner().invoke(cli_app, ["check", str(path), "--json"])
    return json.loads(result.stdout)["files"][0]


def _counts(paths: warehouse.WarehousePaths) -> tuple[int, int]:
    return query(paths, "select (select count(*) from fct_cases), (select count(*) from "
                        "fct_takedowns)")[0]  # fmt: skip


def _app(db: Path, role: str = "steward", lang: str = "en") -> AppTest:
    at = AppTest.from_function(_upload_page, args=(lang,), default_timeout=120)
    return sign_in(at, db, role).run()


def test_intake_saves_checks_publishes_and_discards(wh, small_sample, bad_cases):
    before = _counts(wh)
    snapshot_before = warehouse.snapshot_id(wh)
    batch = intake.new_batch()
    assert batch.parent == wh.folder / "uploads"
    good = intake.save(batch, GOOD, (small_sample / GOOD).read_bytes())
    bad = intake.save(batch, "../../" + bad_cases.name, bad_cases.read_bytes())
    assert bad.path.parent.parent == batch and bad.name == "cases_2023.csv"
    reports = intake.check(intake.saved_files(batch))
    for saved, report in zip((good, bad), reports, strict=True):
        want = _cli_check(saved.path)
        assert (report.kind, report.verdict) == (want["kind"], want["verdict"])
        assert (report.rows_read, report.rows_valid, report.rows_quarantined) == (
            want["rows_read"], want["rows_valid"], want["rows_quarantined"])  # fmt: skip
    assert reports[1].verdict == "quarantined" and reports[1].rows_quarantined == 1
    problems = intake.problems(reports, "en")
    assert problems.height >= 1 and problems["source_row"][0] == 3
    assert _counts(wh) == before  # checked, not loaded
    assert warehouse.snapshot_id(wh) == snapshot_before

    summary = intake.publish(batch)
    assert [f.status for f in summary.files] == ["loaded", "loaded"] and summary.snapshot
    cases, takedowns = _counts(wh)
    assert cases == before[0] + reports[1].rows_valid
    assert takedowns == before[1] + reports[0].rows_valid

    intake.discard(batch)
    assert not batch.exists()
    with pytest.raises(ValueError, match="not an upload folder"):
        intake.discard(wh.folder)


def test_a_file_over_the_limit_is_refused_and_not_saved(wh, monkeypatch):
    monkeypatch.setenv("IPGOV_UPLOAD_MAX_MB", "1")
    batch = intake.new_batch()
    with pytest.raises(intake.TooBig) as refused:
        intake.save(batch, "big.csv", b"x" * (intake.MIB + 1))
    assert "1 MB" in str(refused.value) and "上限 1 MB" in refused.value.message("zh")
    assert intake.saved_files(batch) == []


def test_the_page_checks_then_publishes_and_audits(wh, small_sample, bad_cases):
    before = _counts(wh)
    at = _app(wh.db)
    assert not at.exception
    at.file_uploader(key="up_files_0").set_value(
        [
            (GOOD, (small_sample / GOOD).read_bytes(), "text/csv"),
            (bad_cases.name, bad_cases.read_bytes(), "text/csv"),
        ]
    ).run()
    assert not at.exception, at.exception
    verdicts = at.dataframe[0].value
    want = _cli_check(bad_cases)
    row = verdicts[verdicts["File"] == bad_cases.name].iloc[0]
    assert (row["Rows read"], row["Rows valid"], row["Rows held back"]) == (
        want["rows_read"], want["rows_valid"], want["rows_quarantined"])  # fmt: skip
    problems = at.dataframe[1].value
    assert list(problems["Row"]) == [3]
    assert _counts(wh) == before  # nothing before Publish
    uploads = audit.entries(wh, action="upload")
    assert {e.target for e in uploads} == {GOOD, bad_cases.name}
    assert {e.detail["verdict"] for e in uploads} == {"ok", "quarantined"}

    at.button(key="up_publish").click().run()
    assert not at.exception, at.exception
    assert any("Published snapshot" in s.value for s in at.success)
    after = _counts(wh)
    assert after[0] == before[0] + want["rows_valid"] and after[1] > before[1]
    (published,) = audit.entries(wh, action="publish")
    assert published.rows == after[0] + after[1] - sum(before)
    assert published.detail["snapshot"] and not list((wh.folder / "uploads").iterdir())


def test_a_rejected_file_cannot_be_published_and_discard_removes_it(wh):
    at = _app(wh.db, lang="zh")
    at.file_uploader(key="up_files_0").set_value(("notes.csv", b"hello,world\n1,2\n", "text/csv"))
    at.run()
    assert not at.exception, at.exception
    assert at.button(key="up_publish").disabled
    assert t("up_all_rejected", "zh") in [w.value for w in at.warning]
    assert at.dataframe[0].value.iloc[0]["说明"]  # the rejection's reason, in Chinese
    at.button(key="up_discard").click().run()
    assert not at.exception
    assert t("up_discarded", "zh") in [i.value for i in at.info]
    assert not list((wh.folder / "uploads").iterdir())
    assert audit.entries(wh, action="discard")


def test_a_load_already_running_is_one_line(wh, small_sample, monkeypatch):
    def busy(*_args, **_kwargs):
        raise IpgovError("another load is running on this warehouse")

    monkeypatch.setattr(intake, "load", busy)
    at = _app(wh.db)
    at.file_uploader(key="up_files_0").set_value(
        (GOOD, (small_sample / GOOD).read_bytes(), "text/csv")
    )
    at.run()
    at.button(key="up_publish").click().run()
    assert not at.exception
    assert [e.value for e in at.error] == [
        t("up_failed", "en", error="another load is running on this warehouse")
    ]
    assert audit.entries(wh, action="publish")[0].outcome == "failed"


@pytest.mark.parametrize("role", ["viewer", "analyst"])
def test_only_stewards_and_admins_may_open_the_page(role):
    assert not roles.may_open(role, "upload")
    assert [r for r in roles.ROLES if roles.may_open(r, "upload")] == ["steward", "admin"]


def test_a_revert_is_refused_on_publish_with_its_message(wh, small_sample, tmp_path):
    """An original sent again after its correction: Publish rejects it and says why (there is
    no --allow-revert on the page)."""
    original, correction, resent, _ids = revert_files(small_sample, tmp_path)
    load([original], wh.db, today=TODAY)
    load([correction], wh.db, today=TODAY)
    at = _app(wh.db)
    at.file_uploader(key="up_files_0").set_value((resent.name, resent.read_bytes(), "text/csv"))
    at.run()
    at.button(key="up_publish").click().run()
    assert not at.exception, at.exception
    assert [w.value for w in at.warning] == [t("up_revert", "en", files=resent.name)]
    outcome = at.dataframe[0].value.iloc[0]
    assert outcome["Outcome"] == "Rejected" and resent.name in outcome["Message"]
