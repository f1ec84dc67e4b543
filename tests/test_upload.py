"""The Upload page (issue 13) and its Streamlit-free half, dashboard/intake.py: files saved
beside the warehouse, judged as `ipgov check --json` judges them, nothing written before
Publish, then loaded as `ipgov load` loads them; Discard leaves no file; each step audited."""

from __future__ import annotations

import json
import os
import shutil
import time
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import intake
from dashboard.access import audit, roles
from dashboard.cli import app as cli_app
from dashboard.columns import local_codes
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


def test_a_revert_is_named_and_published_only_once_confirmed(wh, small_sample, tmp_path):
    """An original sent again after its correction: the preview names the records it would
    put back, Publish waits for the confirmation, which then loads it as --allow-revert."""
    original, correction, resent, ids = revert_files(small_sample, tmp_path)
    load([original], wh.db, today=TODAY)
    load([correction], wh.db, today=TODAY)
    at = _app(wh.db)
    at.file_uploader(key="up_files_0").set_value((resent.name, resent.read_bytes(), "text/csv"))
    at.run()
    assert not at.exception, at.exception
    named = f"{resent.name}: {', '.join(ids)}"
    assert [w.value for w in at.warning] == [t("up_reverts_named", "en", records=named)]
    assert at.button(key="up_publish").disabled
    changes = at.dataframe[1].value.iloc[0]
    assert (changes["On publish"], changes["Records put back"]) == (
        "Needs confirming: puts records back", len(ids))  # fmt: skip
    (confirm,) = at.checkbox
    assert confirm.label == t("up_confirm_revert", "en") and not confirm.value
    confirm.check().run()
    assert not at.button(key="up_publish").disabled
    at.button(key="up_publish").click().run()
    assert not at.exception, at.exception
    outcome = at.dataframe[0].value.iloc[0]
    assert outcome["Outcome"] == "Loaded" and ", ".join(ids) in outcome["Message"]
    (published,) = audit.entries(wh, action="publish")
    assert published.detail["allow_revert"] is True
    marks = ", ".join("?" for _ in ids)
    reopened = query(wh, f"select count(*) from fct_cases where case_id in ({marks}) "
                         "and closed_on = date '2023-12-29'", ids)  # fmt: skip
    assert reopened == [(0,)]  # as first sent, on purpose


def _check_json(paths: list[Path], db: Path) -> dict:
    result = CliRunner().invoke(cli_app, ["check", *map(str, paths), "--db", str(db), "--json"])
    return json.loads(result.stdout)


def test_the_pages_preview_equals_check_json_with_the_db(wh, small_sample, tmp_path):
    """Numbers and changed fields on the page are `ipgov check --json --db`'s, labelled and
    formatted as the dashboard's tables are (Chinese page)."""
    from tests.test_preview import corrected_cases

    load([small_sample / "cases_2023.csv"], wh.db, today=TODAY)  # the file as first sent
    corrected, fixed_ids = corrected_cases(small_sample, tmp_path / "in")
    new_takedowns = small_sample / "takedowns_2023.csv"
    want = _check_json([corrected, new_takedowns], wh.db)
    at = _app(wh.db, lang="zh")
    at.file_uploader(key="up_files_0").set_value(
        [
            (corrected.name, corrected.read_bytes(), "text/csv"),
            (new_takedowns.name, new_takedowns.read_bytes(), "text/csv"),
        ]
    ).run()
    assert not at.exception, at.exception
    assert at.status[0].state == "complete" and at.status[0].label == t("up_checked", "zh", n=2)
    counts_order = ("records_new", "records_changed", "records_unchanged", "records_reverted")
    shown = at.dataframe[1].value  # verdicts, then the preview (no problem rows here)
    for entry in want["files"]:
        row = shown[shown["文件名"] == entry["file"]].iloc[0]
        got = [row["新增记录"], row["变更记录"], row["未变记录"], row["恢复旧版本的记录"]]
        assert got == [entry["preview"][c] for c in counts_order]
        assert row["发布时"] == "加载"
    totals = at.dataframe[2].value  # two files: the counts per record kind too
    kind_names = local_codes("zh")["record_kind"]
    assert len(totals) == len(want["preview"]["kinds"]) == 2
    for kind, counts in want["preview"]["kinds"].items():
        row = totals[totals["数据类别"] == kind_names[kind]].iloc[0]
        got = [row["新增记录"], row["变更记录"], row["未变记录"], row["恢复旧版本的记录"]]
        assert got == [counts[c] for c in counts_order]
    fields = at.dataframe[3].value
    first = want["files"][0]["preview"]["changed_records"][0]
    mine = fields[fields["记录编号"] == first["record"]]
    assert sorted(mine["字段"]) == sorted(["结案日期", "处理结果"])
    closed = mine[mine["字段"] == "结案日期"].iloc[0]
    assert closed["新值"] == "2023-12-29" == first["fields"]["closed_on"]["new"]
    outcome = mine[mine["字段"] == "处理结果"].iloc[0]
    assert outcome["新值"] == "已答复"  # the code advice_given by its Chinese name
    assert first["fields"]["outcome"]["new"] == "advice_given"
    assert sorted(set(fields["记录编号"])) == fixed_ids


def test_streamlits_own_limit_follows_ours(wh, monkeypatch):
    """The picker refuses in the browser what we would refuse; the server's cap is ours plus
    the multipart framing (dashboard/serve.py), so never below ours nor far above it."""
    from dashboard import serve

    monkeypatch.setenv("IPGOV_UPLOAD_MAX_MB", "7")
    at = _app(wh.db)
    assert at.get("file_uploader")[0].proto.max_upload_size_mb == 7
    args = serve.server_args(["run", "app.py", "--server.port", "8600"])
    assert args[args.index("--server.maxUploadSize") + 1] == "8"
    assert args[-3:] == ["app.py", "--server.port", "8600"]  # options given still come last
    assert serve.server_args(["version"]) == ["version"]
    from dashboard.cli.server import streamlit_command

    assert streamlit_command(8600)[2:4] == ["dashboard.serve", "run"]  # through server_args


def _folder(root: Path, name: str, hours_old: float, now: float) -> Path:
    """An upload folder with one saved file, everything last touched `hours_old` ago."""
    folder = root / name
    (folder / "000").mkdir(parents=True)
    (folder / "000" / "cases.csv").write_bytes(b"x")
    for path in (folder / "000" / "cases.csv", folder / "000", folder):
        os.utime(path, (now - hours_old * 3600, now - hours_old * 3600))
    return folder


def test_abandoned_uploads_expire_but_not_the_current_one(wh, monkeypatch):
    now = time.time()
    root = intake.uploads_root()
    stale = _folder(root, "aaaa", 30, now)
    mine = _folder(root, "bbbb", 30, now)  # as old, but the current session's
    fresh = _folder(root, "cccc", 2, now)
    recent_file = _folder(root, "dddd", 30, now)
    os.utime(recent_file / "000" / "cases.csv")  # a file in it was just written
    assert intake.expire(keep=mine, now=now) == [stale]
    assert not stale.exists() and mine.exists() and fresh.exists() and recent_file.exists()
    monkeypatch.setenv("IPGOV_UPLOAD_EXPIRE_HOURS", "1")
    assert intake.expire(keep=mine, now=now) == [fresh]
    assert mine.exists() and recent_file.exists()


def test_the_page_expires_other_sessions_uploads_and_keeps_its_own(wh, small_sample):
    at = _app(wh.db)
    at.file_uploader(key="up_files_0").set_value(
        (GOOD, (small_sample / GOOD).read_bytes(), "text/csv")
    ).run()
    (mine,) = list(intake.uploads_root().iterdir())
    old = time.time() - 48 * 3600
    for path in [mine, *mine.rglob("*")]:
        os.utime(path, (old, old))
    other = _folder(intake.uploads_root(), "ffff", 48, time.time())
    at.run()
    assert not at.exception, at.exception
    assert not other.exists() and mine.exists()
    assert intake.saved_files(mine)  # the page's own batch, still there to publish


def test_serve_expires_abandoned_uploads_at_start(wh, monkeypatch):
    from dashboard import serve

    stale = _folder(intake.uploads_root(), "eeee", 25, time.time())
    started = []
    monkeypatch.setattr(serve, "preload", lambda: [])
    monkeypatch.setattr(serve.gc, "freeze", lambda: None)  # not in the test process
    monkeypatch.setattr("streamlit.web.cli.main", lambda **kw: started.append(kw["args"]) or 0)
    monkeypatch.setattr("sys.argv", ["dashboard.serve", "run", "app.py"])
    with pytest.raises(SystemExit):
        serve.main()
    assert not stale.exists() and started and "--server.maxUploadSize" in started[0]


def test_checking_shows_a_bar_per_file_in_the_page_language(wh, small_sample):
    """Each uploaded file has its own bar in the check's status, said in Chinese on the Chinese
    page, full once the file is checked (its steps' text: tests/test_progress.py)."""
    files = [small_sample / GOOD, small_sample / "cases_2023.csv"]
    at = _app(wh.db, lang="zh")
    at.file_uploader(key="up_files_0").set_value(
        [(f.name, f.read_bytes(), "text/csv") for f in files]
    ).run()
    assert not at.exception, at.exception
    bars = [(b.proto.value, b.proto.text) for b in at.get("progress")]
    assert bars == [(100, t("up_checked", "zh", n=2))] + [
        (100, f"{f.name} 已处理完毕") for f in files
    ]
