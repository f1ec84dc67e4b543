"""Reverts are never silent (issue 13, etl/reverts.py): an original sent again after its
correction — as other bytes, so the SHA-256 check does not skip it — is refused naming the records
it would put back, unless `--allow-revert`; the corrections stay in the published numbers."""

from __future__ import annotations

import shutil

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from tests.conftest import query

FIXED = 5  # cases the correction changes


@pytest.fixture
def files(small_sample, tmp_path):
    return revert_files(small_sample, tmp_path)


def revert_files(small_sample, tmp_path):
    """The 2023 cases file as the office sent it, its correction (five cases closed on
    2023-12-29 with outcome 已答复), and the original saved again as UTF-8 (other bytes);
    the Upload page's tests (tests/test_upload.py) use them too."""
    original = tmp_path / "in" / "cases_2023.csv"
    original.parent.mkdir()
    shutil.copy(small_sample / "cases_2023.csv", original)
    lines = original.read_text(encoding="gb18030").splitlines()
    header, rows = lines[0], [line.split(",") for line in lines[1:]]
    chosen = [r for r in rows if not r[14] and r[12] != "2023/12/29"][:FIXED]  # no referral
    assert len(chosen) == FIXED
    fixed = [[*r[:10], "已结案", r[11], "2023/12/29", "已答复", *r[14:]] for r in chosen]
    correction = tmp_path / "in2" / "cases_2023_corrected.csv"
    correction.parent.mkdir()
    correction.write_text(
        header + "\n" + "\n".join(",".join(r) for r in fixed) + "\n", encoding="gb18030"
    )
    resent = tmp_path / "in3" / "cases_2023_utf8.csv"
    resent.parent.mkdir()
    resent.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return original, correction, resent, sorted(r[0] for r in chosen)


def _closed(paths, ids: list[str]) -> list[tuple]:
    marks = ", ".join("?" for _ in ids)
    return query(
        paths,
        f"select case_id, closed_on, outcome from fct_cases where case_id in ({marks}) "
        "order by case_id",
        ids,
    )


def test_an_original_resent_after_its_correction_is_refused_naming_the_records(
    files, load_into, wh_paths
):
    original, correction, resent, ids = files
    load_into(original)
    as_sent = _closed(wh_paths, ids)
    corrected = load_into(correction)
    assert [o.status for o in corrected.files] == ["loaded"]  # a correction is no revert
    after_fix = _closed(wh_paths, ids)
    assert [(str(d), o) for _, d, o in after_fix] == [("2023-12-29", "advice_given")] * FIXED
    refused = load_into(resent)
    (outcome,) = refused.files
    assert outcome.status == "rejected" and outcome.report.reason_code == "revert"
    assert f"put {FIXED} record(s) back to an older version ({', '.join(ids)})" in outcome.message
    assert "--allow-revert" in outcome.message and "--allow-revert" in outcome.message_zh
    assert _closed(wh_paths, ids) == after_fix  # the corrections stay published
    rejections = query(wh_paths, "select reason_code, source_file from fct_rejections")
    assert ("revert", "cases_2023_utf8.csv") in rejections
    allowed = load_into(resent, allow_revert=True)
    (loaded,) = allowed.files
    assert loaded.status == "loaded" and ", ".join(ids) in loaded.message
    assert _closed(wh_paths, ids) == as_sent  # as first sent again, on purpose


def test_in_one_load_each_file_is_checked_against_the_files_before_it(files, load_into, wh_paths):
    """The correction is written before the original sent again is checked, though the
    loader judges a file while the one before it is written (etl/load.py)."""
    original, correction, resent, ids = files
    summary = load_into(original, correction, resent)
    assert [o.status for o in summary.files] == ["loaded", "loaded", "rejected"]
    assert summary.files[2].report.reason_code == "revert"
    assert [(str(d), o) for _, d, o in _closed(wh_paths, ids)] == [
        ("2023-12-29", "advice_given")
    ] * FIXED


def test_the_same_records_again_or_new_ones_are_no_revert(files, load_into, wh_paths):
    original, correction, resent, _ = files
    load_into(original)
    again = load_into(resent)  # the same content as the current versions: nothing put back
    assert [o.status for o in again.files] == ["loaded"] and not again.files[0].message
    assert load_into(correction).files[0].status == "loaded"


def test_ipgov_load_exits_2_on_a_revert_and_loads_it_with_allow_revert(files, tmp_path):
    original, correction, resent, ids = files
    db = ["--db", str(tmp_path / "cli" / "warehouse.duckdb")]
    runner = CliRunner()
    for path in (original, correction):
        assert runner.invoke(app, ["load", str(path), *db]).exit_code == 0
    refused = runner.invoke(app, ["load", str(resent), *db])
    assert refused.exit_code == 2
    assert "back to an older version" in refused.output and ids[0] in refused.output
    allowed = runner.invoke(app, ["load", str(resent), "--allow-revert", *db])
    assert allowed.exit_code == 0, allowed.output
    assert "note:" in allowed.output and ids[0] in allowed.output
