"""The evidence hash chain says where and what (issue 14): tamper with a small chain — one byte in
each field, a deleted record, two records swapped, a fork — load it, and read which records
fct_notarizations names and with which kind; the notarization KPIs leave an altered record out;
`ipgov evidence verify` prints the same.

The chain is built here with etl.sources.notarizations.record_hash (the Python side of the
canonical serialization); the load computes the hashes again in DuckDB
(etl/sql/staging/stg_notarizations.sql), so an intact chain loading as intact holds the two
sides to each other, and the literal example below holds both to docs/data-model.md.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from dashboard.cli import app
from dashboard.i18n import t
from etl import kpis, periods, warehouse
from etl.load import load
from etl.sources.notarizations import GENESIS, HASHED, KIND, canonical, record_hash
from tests.conftest import TODAY, query

COLUMNS = [c.name for c in KIND.columns]

# (requested_at, notarized_at, evidence_type, platform, case_id, requester_name); the third
# record is the one tampered with. Names hold the serialization's special characters: a '|', a
# backslash, an "é" written as e + combining accent (NFD).
BASE = [
    ("2024-03-01 09:00:00", "2024-03-01 15:00:00", "webpage", "taobao", "WQ2024-0001", "Li Na"),
    ("2024-03-04 10:00:00", "2024-03-05 11:30:00", "purchase", "jd", "", "Wang|Fang"),
    ("2024-03-06 09:30:00", "2024-03-07 14:00:00", "webpage", "tmall", "WQ2024-0011", "Li Wei"),
    ("2024-03-11 08:45:00", "2024-03-12 16:20:00", "livestream", "douyin", "", "Zhao\\Min"),
    ("2024-03-18 13:00:00", "2024-03-19 10:10:00", "document", "", "WQ2024-0020", "Rene\u0301"),
    ("2024-04-02 09:15:00", "", "screen_recording", "pinduoduo", "", "Sun Li"),
]
IDS = [f"GZ2024-{i:04d}" for i in range(1, len(BASE) + 1)]


def _typed(row: dict[str, str]) -> dict[str, str | dt.datetime | None]:
    """A CSV row as the loader types it: blank = NULL, times parsed."""
    typed: dict[str, str | dt.datetime | None] = {}
    for name, text in row.items():
        if not text:
            typed[name] = None
        elif name in ("requested_at", "notarized_at"):
            typed[name] = dt.datetime.fromisoformat(text)
        else:
            typed[name] = text
    return typed


def seal(row: dict[str, str], prev: str) -> dict[str, str]:
    """The row with prev_record_hash = prev and its record_hash computed."""
    row = row | {"prev_record_hash": prev}
    return row | {"record_hash": record_hash(_typed(row))}


def chain() -> list[dict[str, str]]:
    """The intact chain: six records, each linked to the one before."""
    rows, prev = [], GENESIS
    for nid, (req, notar, ev, platform, case, name) in zip(IDS, BASE, strict=True):
        evidence = hashlib.sha256(f"evidence of {nid}".encode()).hexdigest()
        fields = (nid, req, notar, ev, platform, case, name, evidence)
        row = seal(dict(zip(COLUMNS[:8], fields, strict=True)), prev)
        rows.append(row)
        prev = row["record_hash"]
    return rows


def write(rows: list[dict[str, str]], folder: Path, name: str = "notarizations.csv") -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    lines = [",".join(COLUMNS)] + [",".join(r[c] for c in COLUMNS) for r in rows]
    path = folder / name
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")
    return path


def statuses(paths: warehouse.WarehousePaths) -> dict[str, str]:
    """The records fct_notarizations does not call intact: id -> chain_status."""
    return dict(
        query(
            paths,
            "select notarization_id, chain_status from fct_notarizations "
            "where chain_status <> 'intact' order by chain_seq",
        )
    )


def flip(text: str, at: int = -1) -> str:
    """`text` with one character (one byte: they are ASCII here) changed at `at`."""
    at = at % len(text)
    new = "1" if text[at] == "0" else "0" if text[at].isdigit() or text[at] in "abcdef" else "x"
    return text[:at] + new + text[at + 1 :]


# ------------------------------------------------------------------------------------------------
# The serialization
# ------------------------------------------------------------------------------------------------


def test_the_serialization_is_the_documented_one():
    """The worked example of docs/data-model.md, "The evidence chain", value for value."""
    record = {
        "notarization_id": "GZ2024-0002",
        "requested_at": dt.datetime(2024, 3, 4, 10, 0),
        "notarized_at": None,
        "evidence_type": "purchase",
        "platform": "jd",
        "case_id": None,
        "requester_name": "Wang|Fang\\",
        "evidence_sha256": "AB" * 32,
        "prev_record_hash": GENESIS,
    }
    assert tuple(COLUMNS[:9]) == HASHED
    assert canonical(record) == (
        "GZ2024-0002|2024-03-04 10:00:00.000000|\\N|purchase|jd|\\N|Wang\\|Fang\\\\|"
        + "ab" * 32
        + "|"
        + "0" * 64
    )
    assert record_hash(record) == hashlib.sha256(canonical(record).encode()).hexdigest()
    docs = (Path(__file__).resolve().parent.parent / "docs" / "data-model.md").read_text("utf-8")
    assert record_hash(record) in docs
    # NFC: the same name typed with a combining accent or a composed letter hashes the same
    assert canonical(record | {"requester_name": "Rene\u0301"}) == canonical(
        record | {"requester_name": "Ren\u00e9"}
    )


def test_an_intact_chain_loads_intact_and_python_and_sql_agree(tmp_path, load_into, wh_paths):
    load_into(write(chain(), tmp_path / "in"))
    rows = query(
        wh_paths,
        "select notarization_id, chain_seq, chain_status, is_record_hash_valid, "
        "is_chain_linked, preceding_notarization_id from fct_notarizations order by chain_seq",
    )
    assert rows == [
        (nid, i + 1, "intact", True, True, IDS[i - 1] if i else None) for i, nid in enumerate(IDS)
    ]


# ------------------------------------------------------------------------------------------------
# One byte changed in each field of the third record
# ------------------------------------------------------------------------------------------------

# field -> the value written instead (one character changed, still a valid value of its kind)
ONE_BYTE = {
    "notarization_id": "GZ2024-0903",
    "requested_at": "2024-03-06 09:30:01",
    "notarized_at": "2024-04-07 14:00:00",  # moved into April: the KPI test below uses it
    "case_id": "WQ2024-0012",
    "requester_name": "Li Wej",
}


@pytest.mark.parametrize("field", [*ONE_BYTE, "evidence_sha256", "prev_record_hash"])
def test_one_byte_in_a_field_names_the_record_altered_and_the_next_linked_to_it(
    field, tmp_path, load_into, wh_paths
):
    rows = chain()
    rows[2] = rows[2] | {field: ONE_BYTE.get(field) or flip(rows[2][field], 10)}
    summary = load_into(write(rows, tmp_path / "in"))
    assert not summary.rejected
    third = ONE_BYTE["notarization_id"] if field == "notarization_id" else IDS[2]
    assert statuses(wh_paths) == {third: "altered", IDS[3]: "linked_to_altered"}
    # loaded and shown, not held back: every record is in the mart
    assert query(wh_paths, "select count(*) from fct_notarizations") == [(6,)]
    assert query(wh_paths, "select count(*) from fct_quarantine") == [(0,)]


def test_one_byte_in_the_record_hash_itself(tmp_path, load_into, wh_paths):
    rows = chain()
    rows[2] = rows[2] | {"record_hash": flip(rows[2]["record_hash"], 0)}
    load_into(write(rows, tmp_path / "in"))
    # the next record still links to the true hash of the third: linked to an altered record
    assert statuses(wh_paths) == {IDS[2]: "altered", IDS[3]: "linked_to_altered"}


@pytest.mark.parametrize(
    ("field", "other_code"), [("evidence_type", "purchase"), ("platform", "jd")]
)
def test_a_code_changed_to_another_code_is_altered(
    field, other_code, tmp_path, load_into, wh_paths
):
    rows = chain()
    rows[2] = rows[2] | {field: other_code}
    load_into(write(rows, tmp_path / "in"))
    assert statuses(wh_paths) == {IDS[2]: "altered", IDS[3]: "linked_to_altered"}


@pytest.mark.parametrize(("field", "value"), [("evidence_type", "webpagf"), ("platform", "tmalk")])
def test_a_code_one_byte_off_is_held_back_and_the_chain_shows_the_gap(
    field, value, tmp_path, load_into, wh_paths
):
    """One byte in a coded field makes it no code (or the same code in another case): the gate
    holds the row back with its reason, and the next record names the gap."""
    rows = chain()
    rows[2] = rows[2] | {field: value}
    load_into(write(rows, tmp_path / "in"))
    assert query(wh_paths, "select source_row, column_name, rule from fct_quarantine") == [
        (4, field, f"code:{field}")
    ]
    assert statuses(wh_paths) == {IDS[3]: "gap"}
    assert query(
        wh_paths,
        "select preceding_notarization_id from fct_notarizations where notarization_id = ?",
        [IDS[3]],
    ) == [(IDS[1],)]


def test_a_code_in_another_spelling_is_the_same_record(tmp_path, load_into, wh_paths):
    """The hash covers the code, not its spelling: 天猫 is tmall."""
    rows = chain()
    rows[2] = rows[2] | {"platform": "天猫"}
    load_into(write(rows, tmp_path / "in"))
    assert statuses(wh_paths) == {}


# ------------------------------------------------------------------------------------------------
# Records deleted, swapped, forked, resealed
# ------------------------------------------------------------------------------------------------


def test_a_deleted_record_is_a_gap_named_at_the_record_after_it(tmp_path, load_into, wh_paths):
    rows = chain()
    del rows[2]
    load_into(write(rows, tmp_path / "in"))
    assert statuses(wh_paths) == {IDS[3]: "gap"}
    assert query(
        wh_paths,
        "select chain_seq, preceding_notarization_id from fct_notarizations "
        "where notarization_id = ?",
        [IDS[3]],
    ) == [(3, IDS[1])]


def test_two_swapped_records_are_reordered(tmp_path, load_into, wh_paths):
    rows = chain()
    rows[2], rows[3] = rows[3], rows[2]
    load_into(write(rows, tmp_path / "in"))
    # the two moved records, and the one after them, itself in place
    assert statuses(wh_paths) == {IDS[3]: "reordered", IDS[2]: "reordered", IDS[4]: "after_break"}


def test_the_first_record_moved_is_reordered(tmp_path, load_into, wh_paths):
    rows = chain()
    rows[0], rows[1] = rows[1], rows[0]
    load_into(write(rows, tmp_path / "in"))
    assert statuses(wh_paths) == {IDS[1]: "reordered", IDS[0]: "reordered", IDS[2]: "after_break"}


def _forked(rows: list[dict[str, str]]) -> dict[str, str]:
    """A seventh record, valid in itself, claiming the second record as its predecessor."""
    other = rows[2] | {"notarization_id": "GZ2024-0099", "requester_name": "Fake"}
    return seal(other, rows[1]["record_hash"])


@pytest.mark.parametrize("where", ["appended", "inserted"])
def test_a_fork_names_both_records_claiming_the_predecessor(where, tmp_path, load_into, wh_paths):
    rows = chain()
    fork = _forked(rows)
    rows = [*rows, fork] if where == "appended" else [*rows[:2], fork, *rows[2:]]
    load_into(write(rows, tmp_path / "in"))
    expected = {IDS[2]: "fork", "GZ2024-0099": "fork"}
    assert statuses(wh_paths) == expected


def test_a_second_genesis_is_a_fork(tmp_path, load_into, wh_paths):
    rows = chain()
    rows.append(seal(rows[2] | {"notarization_id": "GZ2024-0099"}, GENESIS))
    load_into(write(rows, tmp_path / "in"))
    assert statuses(wh_paths) == {IDS[0]: "fork", "GZ2024-0099": "fork"}


def test_a_record_resealed_with_a_new_hash_shows_as_a_gap_after_it(tmp_path, load_into, wh_paths):
    """Rewritten with its own hash recomputed, a record is no longer altered in itself, and the
    chain alone cannot tell it from a deleted one: the next record names the gap, and the record
    before the gap is the one to look at."""
    rows = chain()
    rows[2] = seal(rows[2] | {"notarized_at": "2024-04-07 14:00:00"}, rows[2]["prev_record_hash"])
    load_into(write(rows, tmp_path / "in"))
    assert statuses(wh_paths) == {IDS[3]: "gap"}
    assert query(
        wh_paths,
        "select preceding_notarization_id from fct_notarizations where notarization_id = ?",
        [IDS[3]],
    ) == [(IDS[2],)]


def test_a_record_sealed_anew_in_a_later_file_is_altered(tmp_path, load_into, wh_paths):
    """The same rewrite, arriving after the chain was loaded: the next record still links to the
    seal the record had, so the record is named altered, though its new hash recomputes, and
    it keeps its place in the chain order."""
    rows = chain()
    load_into(write(rows, tmp_path / "a", "notarizations.csv"))
    resealed = seal(rows[2] | {"notarized_at": "2024-04-07 14:00:00"}, rows[2]["prev_record_hash"])
    load_into(write([resealed], tmp_path / "b", "correction.csv"))
    assert statuses(wh_paths) == {IDS[2]: "altered", IDS[3]: "linked_to_altered"}
    assert query(
        wh_paths,
        "select chain_seq, is_record_hash_valid, is_sealed_again, is_altered "
        "from fct_notarizations where notarization_id = ?",
        [IDS[2]],
    ) == [(3, True, True, True)]
    assert _notarizations(wh_paths, "2024-03") == 4  # not counted, in March nor April
    assert _notarizations(wh_paths, "2024-04") == 0


def test_a_pending_record_sealed_later_with_the_chain_after_it_is_intact(
    tmp_path, load_into, wh_paths
):
    """The legitimate case: the last record, pending, is notarized; the system seals it again
    (no record links to its old seal), and it counts."""
    rows = chain()
    load_into(write(rows, tmp_path / "a", "notarizations.csv"))
    done = seal(rows[5] | {"notarized_at": "2024-04-03 10:00:00"}, rows[5]["prev_record_hash"])
    load_into(write([done], tmp_path / "b", "sealed.csv"))
    assert statuses(wh_paths) == {}
    assert _notarizations(wh_paths, "2024-04") == 1


def test_the_chain_order_runs_across_files(tmp_path, load_into, wh_paths):
    """The chain order is the arrival order: a chain sent in two files, one load each, links
    across them."""
    rows = chain()
    load_into(write(rows[:3], tmp_path / "a", "first.csv"))
    load_into(write(rows[3:], tmp_path / "b", "second.csv"))
    assert statuses(wh_paths) == {}
    assert query(wh_paths, "select max(chain_seq) from fct_notarizations") == [(6,)]


# ------------------------------------------------------------------------------------------------
# The KPIs stay honest; the CLI says the same
# ------------------------------------------------------------------------------------------------


def _notarizations(paths: warehouse.WarehousePaths, month: str) -> int:
    with warehouse.read_snapshot(paths) as con:
        period = periods.resolve(None, None, *_month(month))
        return kpis.headline(con, period)["notarizations"]


def _month(month: str) -> tuple[dt.date, dt.date]:
    start = dt.date.fromisoformat(month + "-01")
    after = (start + dt.timedelta(days=32)).replace(day=1)
    return start, after - dt.timedelta(days=1)


def test_an_altered_record_is_not_counted_in_the_notarization_kpi(tmp_path, load_into, wh_paths):
    load_into(write(chain(), tmp_path / "in"))
    assert (_notarizations(wh_paths, "2024-03"), _notarizations(wh_paths, "2024-04")) == (5, 0)

    # notarized_at of the third record moved, one byte, from 2024-03-07 into April
    rows = chain()
    rows[2] = rows[2] | {"notarized_at": ONE_BYTE["notarized_at"]}
    tampered = warehouse.WarehousePaths(tmp_path / "tampered" / "warehouse.duckdb")
    load([write(rows, tmp_path / "t")], tampered.db, today=TODAY)
    # counted in neither month: its date cannot be trusted
    assert (_notarizations(tampered, "2024-03"), _notarizations(tampered, "2024-04")) == (4, 0)
    assert query(
        tampered,
        "select notarized_on, is_record_hash_valid from fct_notarizations "
        "where notarization_id = ?",
        [IDS[2]],
    ) == [(dt.date(2024, 4, 7), False)]


def test_evidence_verify_prints_the_first_break_and_every_affected_record(
    tmp_path, load_into, wh_paths
):
    runner = CliRunner()
    load_into(write(chain(), tmp_path / "in"))
    intact = runner.invoke(app, ["evidence", "verify", "--json", "--db", str(wh_paths.db)])
    assert intact.exit_code == 0, intact.output
    assert json.loads(intact.stdout)["intact"] is True

    rows = chain()
    rows[2], rows[3] = rows[3], rows[2]
    rows[0] = rows[0] | {"requester_name": "Li Nb"}
    broken_db = tmp_path / "broken" / "warehouse.duckdb"
    load([write(rows, tmp_path / "t")], broken_db, today=TODAY)
    result = runner.invoke(app, ["evidence", "verify", "--json", "--db", str(broken_db)])
    assert result.exit_code == 3, result.output
    report = json.loads(result.stdout)
    assert report["first_break"] == {
        "chain_seq": 1,
        "notarization_id": IDS[0],
        "kind": "altered",
        "record_before": None,
    }
    assert [(r["notarization_id"], r["kind"], r["record_before"]) for r in report["affected"]] == [
        (IDS[0], "altered", None),
        (IDS[1], "linked_to_altered", IDS[0]),
        (IDS[3], "reordered", IDS[1]),
        (IDS[2], "reordered", IDS[3]),
        (IDS[4], "after_break", IDS[2]),
    ]
    assert report["records"] == 6 and report["records_not_intact"] == 5
    assert report["by_kind"] == {
        "altered": 1,
        "linked_to_altered": 1,
        "gap": 0,
        "fork": 0,
        "reordered": 2,
        "after_break": 1,
    }
    text = runner.invoke(app, ["evidence", "verify", "--db", str(broken_db)])
    assert text.exit_code == 3
    assert f"First break: {IDS[0]} (no. 1 in the chain order), altered" in text.stdout


# ------------------------------------------------------------------------------------------------
# The Notarization page, in both languages
# ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("lang", ["en", "zh"])
def test_the_page_names_the_first_break_each_kind_and_every_record(
    lang, monkeypatch, tmp_path, load_into, wh_paths
):
    from dashboard.columns import local_codes
    from tests.test_pages import h, metrics, run_page

    rows = chain()
    rows[2], rows[3] = rows[3], rows[2]
    rows[0] = rows[0] | {"requester_name": "Li Nb"}  # altered, notarized 2024-03-01
    load_into(write(rows, tmp_path / "in"))
    at = run_page(
        monkeypatch, wh_paths.db, "notarizations", lang, {"period": "quarter", "q": "2024Q1"}
    )
    assert not at.exception, at.exception
    kinds = local_codes(lang)["chain_status"]
    assert [e.value for e in at.error] == [t("chain_broken", lang, bad=5, n=6)]
    first = t(
        "chain_first_break",
        lang,
        id=IDS[0],
        seq=1,
        kind=kinds["altered"],
        after=t("chain_first_record", lang),
    )
    assert first in [m.value for m in at.markdown]
    shown = metrics(at)
    assert {
        k: shown[kinds[k]] for k in ("altered", "linked_to_altered", "reordered", "after_break")
    } == {"altered": "1", "linked_to_altered": "1", "reordered": "2", "after_break": "1"}
    assert kinds["gap"] not in shown and kinds["fork"] not in shown
    listed = next(d.value for d in at.dataframe if h("chain_status", lang) in d.value.columns)
    assert list(
        zip(listed[h("notarization_id", lang)], listed[h("chain_status", lang)], strict=True)
    ) == [
        (IDS[0], kinds["altered"]),
        (IDS[1], kinds["linked_to_altered"]),
        (IDS[3], kinds["reordered"]),
        (IDS[2], kinds["reordered"]),
        (IDS[4], kinds["after_break"]),
    ]
    # the KPI tile counts the four trustworthy notarizations of Q1 and says one was left out
    assert shown[t("notarizations", lang)] == "4"
    assert t("altered_not_counted", lang, n=1) in [c.value for c in at.caption]
    if lang == "zh":  # what this part of the page says reads Chinese, table included
        from tests.browser.test_language import english_words

        said = [e.value for e in at.error] + [m.value for m in at.markdown]
        said += [m.label for m in at.metric] + [c.value for c in at.caption]
        cells = [v for v in listed.to_numpy().ravel() if v is not None]  # None: the grid's "—"
        said += [str(v) for v in [*listed.columns, *cells]]
        assert english_words(" ".join(said)) == set()
