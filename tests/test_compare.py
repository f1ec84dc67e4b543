"""The Compare page (issue 16): kpi_headline's optional filters, `ipgov kpis --platform …`, the
page's choice in the URL, and the page itself through AppTest in zh and en — four platforms,
then two periods — with every number equal to what `ipgov kpis` prints for that side."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest
from typer.testing import CliRunner

from dashboard import compare, formats
from dashboard.cli import app as cli_app
from dashboard.core.params import Filters
from dashboard.i18n import CATALOG, t
from etl import kpis, warehouse
from etl.kpis import KPI_KEYS
from etl.periods import parse_quarter, year
from tests.conftest import sign_in

Q = parse_quarter("2026Q3")
PLATFORMS = ["tmall", "taobao", "jd", "pinduoduo"]


def _codes(con, domain: str) -> list[str]:
    return [
        r[0] for r in con.execute("select code from dim_code where domain = ?", [domain]).fetchall()
    ]


def ipgov_kpis(db: Path, *args: str) -> dict:
    """What `ipgov kpis --json …` prints."""
    result = CliRunner().invoke(cli_app, ["kpis", "--json", "--db", str(db), *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --- the one KPI definition, narrowed ---------------------------------------------------------


@pytest.mark.parametrize("kind", ["platforms", "locations", "ip_types", "regions"])
def test_a_filter_narrows_exactly_the_kpis_the_page_shows_for_it(sample_wh, kind):
    # the page's KPI list per kind is what kpi_headline narrows: the others come back null
    with warehouse.read_snapshot(sample_wh) as con:
        district = kpis.headline(con, year(2025))
        by_code = {
            code: kpis.headline(con, year(2025), **{kind: (code,)})
            for code in _codes(con, compare.KINDS[kind])
        }
    for code, values in by_code.items():
        assert {k for k, v in values.items() if v is None} <= set(KPI_KEYS) - set(
            compare.KPIS[kind]
        ) | {"takedown_median_workdays", "takedown_p90_workdays", "takedown_within_2wd_share"}
        for key in set(KPI_KEYS) - set(compare.KPIS[kind]):
            assert values[key] is None, (kind, code, key)
    # the codes split the district: every count a kind shows adds up to the district's, but for
    # notarizations without a platform (evidence from elsewhere) and records without a partner
    # region (only referred cases and cross-region trademark cases have one)
    with warehouse.read_snapshot(sample_wh) as con:
        no_platform = con.execute(
            "select count(*) from fct_notarizations where platform is null "
            "and notarized_on between '2025-01-01' and '2025-12-31'"
        ).fetchall()[0][0]
    assert no_platform > 0
    for key in compare.KPIS[kind]:
        if compare.kpi_kind(key) != "count":
            continue
        total = sum(v[key] for v in by_code.values())
        if kind == "regions" and not key.startswith("referrals"):
            assert 0 < total < district[key], (kind, key)
        elif kind == "platforms" and key == "notarizations":
            assert total == district[key] - no_platform
        else:
            assert total == district[key], (kind, key)


def test_filtered_kpis_equal_the_kpi_pages_figures(sample_wh):
    # the Takedowns, Cases and Trademarks pages' summaries for a filter: the same numbers
    from dashboard import core

    snapshot = sample_wh.current_pointer.read_text().strip().removesuffix(".duckdb")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("IPGOV_DB", str(sample_wh.db))
        for platform in PLATFORMS:
            params = Filters(Q, platforms=(platform,)).params() | {"as_of": Q.end}
            page = core.frame("takedown_summary", snapshot, params).row(0, named=True)
            cases = core.frame("case_summary", snapshot, params).row(0, named=True)
            ours = core.headline(snapshot, Q, platforms=(platform,))
            assert ours["takedown_requests"] == page["notices"]
            assert ours["takedown_within_2wd_share"] == page["within_2wd_share"]
            assert ours["takedown_median_workdays"] == page["median_workdays"]
            assert ours["cases_accepted"] == cases["received"]
            assert ours["cases_open_end"] == cases["open_end"]
        params = Filters(year(2025), locations=("M01",)).params() | {"as_of": dt.date(2025, 12, 31)}
        trademarks = core.frame("trademark_summary", snapshot, params).row(0, named=True)
        ours = core.headline(snapshot, year(2025), locations=("M01",))
        assert ours["trademark_cases"] == trademarks["cases_opened"] > 0
        assert ours["trademark_fines_yuan"] == trademarks["fines_yuan"]


def test_the_macros_filters_are_the_sidebars():
    from dashboard.core.params import DIMENSIONS

    assert kpis.FILTERS == tuple(DIMENSIONS) == tuple(compare.VOLUME)
    assert set(Filters(Q).params()) >= set(kpis.FILTERS)


def test_ipgov_kpis_filters_through_the_same_macro(sample_wh):
    got = ipgov_kpis(sample_wh.db, "--quarter", "2026Q3", "--platform", "tmall")
    with warehouse.read_snapshot(sample_wh) as con:
        want = kpis.headline(con, Q, platforms=("tmall",))
        district = kpis.headline(con, Q)
    assert got["filters"] == {"platforms": ["tmall"]}
    assert got["takedown_requests"] == want["takedown_requests"] < district["takedown_requests"]
    assert got["patent_preexam_accepted"] is None  # patents carry no platform
    assert got["takedown_2wd_pending"] is not None
    two = ipgov_kpis(sample_wh.db, "--quarter", "2026Q3", "--platform", "tmall", "--platform", "jd")
    jd = ipgov_kpis(sample_wh.db, "--quarter", "2026Q3", "--platform", "jd")
    assert two["takedown_requests"] == got["takedown_requests"] + jd["takedown_requests"]
    wrong = CliRunner().invoke(cli_app, ["kpis", "--platform", "tmal", "--db", str(sample_wh.db)])
    assert wrong.exit_code == 2 and "unknown code(s) tmal" in wrong.output


# --- the choice and its URL --------------------------------------------------------------------

OPTIONS = compare.Options(
    {"platforms": ("tmall", "jd", "taobao", "douyin", "kuaishou"), "regions": ("zhongshan",)},
    ("2026Q3", "2026Q2", "2025Q3"),
    ("2026", "2025"),
)


def test_a_link_restores_the_choice_and_notes_what_it_cannot_show():
    start = compare.Choice.default(OPTIONS, ("tmall", "jd"))
    assert start.query() == {"by": "platforms", "pick": "tmall,jd", "in": "2026Q3"}
    asked = {"by": "quarters", "pick": "2025Q3,2026Q3", "kpi": "cases_accepted"}
    got, notes = compare.apply_query(start, asked, OPTIONS)
    assert (got.kind, got.sides, got.trend_kpi, notes) == (
        "quarters", ("2025Q3", "2026Q3"), "cases_accepted", [],
    )  # fmt: skip
    assert got.picks["platforms"] == ("tmall", "jd")  # each kind keeps its own picks
    assert compare.apply_query(start, got.query(), OPTIONS)[0] == got  # the round trip
    bad = {"by": "platforms", "pick": "tmall,nope,jd,taobao,douyin,kuaishou", "in": "2019"}
    got, notes = compare.apply_query(start, bad, OPTIONS)
    assert got.sides == ("tmall", "jd", "taobao", "douyin")  # at most four
    assert got.period == "2026Q3"
    assert [key for key, _ in notes] == ["compare_bad_period", "compare_bad_pick",
                                         "compare_too_many"]  # fmt: skip
    assert compare.apply_query(start, {"by": "courts"}, OPTIONS)[1][0][0] == "compare_bad_kind"
    assert all(f"compare_{k}" in CATALOG for k in ("bad_kind", "bad_period", "bad_kpi"))


def test_platforms_rank_by_the_2wd_share_then_the_faster_median():
    values = {
        "a": {"takedown_within_2wd_share": 0.8, "takedown_median_workdays": 1.0},
        "b": {"takedown_within_2wd_share": 0.9, "takedown_median_workdays": 2.0},
        "c": {"takedown_within_2wd_share": None, "takedown_median_workdays": None},
        "d": {"takedown_within_2wd_share": 0.9, "takedown_median_workdays": 1.0},
    }
    assert compare.ranked("platforms", values) == ["d", "b", "a", "c"]
    assert compare.ranked("regions", values) == ["a", "b", "c", "d"]  # as picked


def test_trend_periods():
    side = compare.sides(compare.Choice("platforms", {"platforms": ("tmall",)}, "2026Q3"))[0]
    quarters = compare.trend_periods(side, "platforms", dt.date(2022, 1, 1))
    assert [p.label for p in quarters] == ["2024Q4"] + [f"2025Q{q}" for q in (1, 2, 3, 4)] + [
        f"2026Q{q}" for q in (1, 2, 3)
    ]
    assert len(compare.trend_periods(side, "platforms", dt.date(2026, 5, 1))) == 2  # from data
    months = compare.trend_periods(compare.Side("2025", year(2025)), "years", dt.date(2022, 1, 1))
    assert len(months) == 12 and months[1].end == dt.date(2025, 2, 28)


# --- the page ----------------------------------------------------------------------------------


def compare_page(lang: str) -> None:
    from dashboard.views import compare as view

    view.render(lang)


def run(monkeypatch, db: Path, lang: str, query: dict | None = None, role: str = "viewer"):
    monkeypatch.setenv("IPGOV_DB", str(db))
    at = sign_in(AppTest.from_function(compare_page, args=(lang,), default_timeout=90), db, role)
    for key, value in (query or {}).items():
        at.query_params[key] = value
    return at.run()


def side_columns(at: AppTest) -> dict[str, dict[str, str]]:
    """Each side's column: its heading (rank and name) → {KPI label: value shown}."""
    out = {}
    for column in at.columns:
        metrics = column.get("metric")
        if metrics:
            heading = column.get("markdown")[0].value.split("**")[1]
            out[heading] = {m.label: m.value for m in metrics}
    return out


def captions(at: AppTest, heading: str) -> list[str]:
    """The captions in the side's column headed `heading`."""
    for column in at.columns:
        marks = column.get("markdown")
        if column.get("metric") and marks and marks[0].value.split("**")[1] == heading:
            return [c.value for c in column.get("caption")]
    raise KeyError(heading)


def _label(key: str, lang: str) -> str:
    return t(f"tile_{key}" if f"tile_{key}" in CATALOG else key, lang)


def expected(db: Path, kind: str, lang: str, args: list[str]) -> dict[str, str]:
    got = ipgov_kpis(db, *args)
    return {_label(k, lang): compare.value_text(k, got[k], lang) for k in compare.KPIS[kind]}


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_four_platforms_then_two_periods_equal_ipgov_kpis(monkeypatch, sample_wh, lang):
    at = run(monkeypatch, sample_wh.db, lang, {"by": "platforms", "pick": ",".join(PLATFORMS),
                                              "in": "2026Q3"})  # fmt: skip
    assert not at.exception, at.exception
    with warehouse.read_snapshot(sample_wh) as con:
        rows = con.execute(f"select code, name_{lang} from dim_code where domain = 'platform'")
        names = dict(rows.fetchall())
    shown = side_columns(at)
    assert len(shown) == 4
    shares, pending = {}, 0
    for heading, metrics in shown.items():
        rank, name = heading.split(". ", 1)
        code = next(c for c, n in names.items() if n == name)
        args = ["--quarter", "2026Q3", "--platform", code]
        assert metrics == expected(sample_wh.db, "platforms", lang, args), code
        printed = ipgov_kpis(sample_wh.db, *args)
        shares[int(rank)] = printed["takedown_within_2wd_share"]
        # the pending notices the share leaves out are said beside it, as `ipgov kpis` says
        note = t("pending_2wd_short", lang, n=printed["takedown_2wd_pending"])
        assert (note in captions(at, heading)) == bool(printed["takedown_2wd_pending"]), code
        pending += printed["takedown_2wd_pending"]
    assert [shares[r] for r in (1, 2, 3, 4)] == sorted(shares.values(), reverse=True)
    assert pending > 0  # 2026Q3 has notices still in their window: the note is tested
    assert at.query_params["pick"] == ",".join(PLATFORMS)
    assert not [w.value for w in at.warning]

    # switch to periods and pick two quarters: the district's numbers per quarter
    at.radio(key="cmp_kind").set_value("quarters").run()
    at.multiselect(key="cmp_pick_quarters").set_value(["2025Q3", "2026Q3"]).run()
    assert not at.exception, at.exception
    shown = side_columns(at)
    words = {formats.period_label(parse_quarter(q), lang): q for q in ("2025Q3", "2026Q3")}
    assert set(shown) == set(words)  # periods are not ranked
    for heading, metrics in shown.items():
        assert metrics == expected(sample_wh.db, "quarters", lang, ["--quarter", words[heading]])
    assert at.query_params["by"] == "quarters" and at.query_params["pick"] == "2025Q3,2026Q3"

    # and back: the four platforms are still chosen (the state outlives the hidden widget)
    at.radio(key="cmp_kind").set_value("platforms").run()
    assert len(side_columns(at)) == 4 and at.query_params["pick"] == ",".join(PLATFORMS)


def test_a_deep_link_restores_a_region_comparison_and_its_table(monkeypatch, sample_wh):
    link = {"by": "regions", "pick": "zhongshan,dongguan", "in": "2025", "kpi": "trademark_cases"}
    at = run(monkeypatch, sample_wh.db, "en", link)
    assert not at.exception, at.exception
    assert at.multiselect(key="cmp_pick_regions").value == ["zhongshan", "dongguan"]
    assert at.selectbox(key="cmp_in").value == "2025"
    assert at.selectbox(key="cmp_kpi").value == "trademark_cases"
    assert {k: v for k, v in at.query_params.items() if k != "lang"} == link
    shown = side_columns(at)
    assert list(shown) == ["Zhongshan", "Dongguan"]  # in the order picked: regions are not ranked
    assert shown["Zhongshan"] == expected(
        sample_wh.db, "regions", "en", ["--year", "2025", "--region", "zhongshan"]
    )
    table = at.dataframe[0].value  # each side's year and the year before
    assert list(table["Compared"]) == ["Zhongshan", "Zhongshan", "Dongguan", "Dongguan"]
    assert list(table["Period start"].astype(str)) == ["2025-01-01", "2024-01-01"] * 2
    # a viewer sees the table but gets no CSV (exports are for analysts: docs/security.md)
    assert not at.get("download_button")
    analyst = run(monkeypatch, sample_wh.db, "en", link, role="analyst")
    assert analyst.get("download_button")


def test_every_role_may_open_the_compare_page():
    from dashboard.access import roles

    # a viewer too: the page shows KPIs only (its CSV stays with analysts, as every table's)
    assert [r for r in roles.ROLES if roles.may_open(r, "compare")] == list(roles.ROLES)


def test_a_link_the_data_cannot_show_says_so(monkeypatch, sample_wh):
    at = run(monkeypatch, sample_wh.db, "zh", {"by": "platforms", "pick": "tmall,nope",
                                               "in": "2019Q1"})  # fmt: skip
    assert not at.exception, at.exception
    warnings = [w.value for w in at.warning]
    assert t("compare_bad_pick", "zh", value="nope") in warnings
    assert t("compare_bad_period", "zh", value="2019Q1") in warnings
    assert list(side_columns(at)) == ["1. 天猫"]


# --- the briefing's one comparison ---------------------------------------------------------------


def test_ipgov_brief_compare_platforms_writes_the_busiest_four_ranked(sample_wh, tmp_path):
    import csv

    out = tmp_path / "pack"
    args = ["brief", "--quarter", "2026Q3", "--format", "csv", "--compare", "platforms"]
    result = CliRunner().invoke(cli_app, [*args, "--out", str(out), "--db", str(sample_wh.db)])
    assert result.exit_code == 0, result.output
    with (out / "compare-platforms-2026Q3.csv").open(encoding="utf-8-sig") as f:
        rows = list(csv.DictReader(f))
    with warehouse.read_snapshot(sample_wh) as con:
        rows_zh = con.execute("select code, name_zh from dim_code where domain = 'platform'")
        names = dict(rows_zh.fetchall())
        notices = {
            code: kpis.headline(con, Q, platforms=(code,))["takedown_requests"] for code in names
        }
    busiest = sorted(notices, key=lambda c: -notices[c])[:4]
    this_quarter = [r for r in rows if r["排名"] != formats.MISSING]
    assert {r["对比项"] for r in this_quarter} == {names[c] for c in busiest}
    assert [r["排名"] for r in this_quarter] == ["1", "2", "3", "4"]
    for row in this_quarter:
        code = next(c for c in busiest if names[c] == row["对比项"])
        printed = ipgov_kpis(sample_wh.db, "--quarter", "2026Q3", "--platform", code)
        assert row["下架通知"] == str(printed["takedown_requests"])
        assert row["2个工作日内下架"] == formats.share(printed["takedown_within_2wd_share"])
    shares = [float(r["2个工作日内下架"].rstrip("%")) for r in this_quarter]
    assert shares == sorted(shares, reverse=True)
    assert len(rows) == 8  # and each platform's quarter before
    refused = ["brief", "--quarter", "2026Q3", "--compare", "courts", "--out", str(tmp_path / "no")]
    wrong = CliRunner().invoke(cli_app, [*refused, "--db", str(sample_wh.db)])
    assert wrong.exit_code == 2 and "choose one of platforms" in wrong.output
    assert not (tmp_path / "no").exists()  # refused before anything was built


def _trend_values(at: AppTest, heading: str) -> list[float | None]:
    """The y values of the small trend in the side's column headed `heading`."""
    for column in at.columns:
        marks = column.get("markdown")
        if column.get("metric") and marks and marks[0].value.split("**")[1] == heading:
            spec = json.loads(column.get("plotly_chart")[0].proto.spec)
            return spec["data"][0]["y"]
    raise KeyError(heading)


def test_each_trend_is_the_kpi_period_by_period(monkeypatch, sample_wh):
    at = run(monkeypatch, sample_wh.db, "en", {"by": "platforms", "pick": "jd", "in": "2026Q3"})
    side = compare.sides(compare.Choice("platforms", {"platforms": ("jd",)}, "2026Q3"))[0]
    quarters = compare.trend_periods(side, "platforms", dt.date(2022, 1, 1))
    with warehouse.read_snapshot(sample_wh) as con:
        want = [
            kpis.headline(con, q, platforms=("jd",))["takedown_within_2wd_share"] for q in quarters
        ]
    (heading,) = side_columns(at)  # the one side: "1. " and JD's English name
    assert _trend_values(at, heading) == pytest.approx(want)
    # a period side: its months, the district's (kpi_monthly, equal to kpi_headline per month)
    at = run(
        monkeypatch, sample_wh.db, "en", {"by": "years", "pick": "2025", "kpi": "cases_accepted"}
    )
    months = compare.trend_periods(compare.Side("2025", year(2025)), "years", dt.date(2022, 1, 1))
    with warehouse.read_snapshot(sample_wh) as con:
        want = [kpis.headline(con, m)["cases_accepted"] for m in months]
    assert _trend_values(at, "2025") == want
